// Another process writing to a data folder's database: it commits a small write every
// millisecond or so until killed, as the app does while it syncs. Run with
// `node --import tsx test/helpers/busy-writer.ts` and CADENCE_DB_FILE / CADENCE_DB_KEY set; it
// prints "ready" once it writes.
import { openDatabase } from '../../src/main/db/open';

const file = process.env['CADENCE_DB_FILE'];
const keyHex = process.env['CADENCE_DB_KEY'];
if (!file || !keyHex) throw new Error('busy-writer: CADENCE_DB_FILE and CADENCE_DB_KEY are needed');
const db = openDatabase({ file, keyHex });
db.exec('CREATE TABLE IF NOT EXISTS test_busy_writer (id INTEGER PRIMARY KEY, n INTEGER)');
const bump = db.prepare(
  'INSERT INTO test_busy_writer (id, n) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET n = n + 1',
);
const pause = new Int32Array(new SharedArrayBuffer(4));
let announced = false;
for (;;) {
  bump.run();
  if (!announced) {
    process.stdout.write('ready\n');
    announced = true;
  }
  Atomics.wait(pause, 0, 0, 1);
}
