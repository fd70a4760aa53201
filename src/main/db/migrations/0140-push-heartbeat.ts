// 0140: a push's heartbeat. A batch left 'running' was judged live while its process id was: when
// the pushing process died and another program later got that id, pushes were refused until that
// program exited. An age limit (as the sync lease has) does not fit a push, which may rightly run
// for hours at LACRM's pace; a heartbeat does.
//
// - push_batches.heartbeat_at: set when the batch starts and again every minute while its process
//   pushes (waits included). A running batch whose heartbeat is older than ten minutes is not
//   being pushed by anyone, whatever its process id says.
import type { Migration } from './index';

export const migration0140: Migration = {
  version: 140,
  name: 'push-heartbeat',
  up(db) {
    db.exec(`ALTER TABLE push_batches ADD COLUMN heartbeat_at TEXT;`);
  },
};
