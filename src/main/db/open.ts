// The one place the encrypted database is opened: SQLCipher mode with a raw 32-byte hex key, WAL,
// foreign keys, in-memory temp storage, then migrations. Fails closed with a typed error.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { DbCorruptError, DbOpenError, WrongKeyError } from './errors';
import { migrate } from './migrations';
import { BUSY_TIMEOUT_MS } from './transactions';

export type Db = Database.Database;

export type OpenOptions = Readonly<{
  /** Path of the database file, or ':memory:' for a session-only store. */
  file: string;
  /** 64 hex characters (32 random bytes). */
  keyHex: string;
  /** Path to a better_sqlite3.node built for the running runtime (Electron needs its own ABI). */
  nativeBinding?: string;
  /** The keyCheck() recorded when the file was created; tells a wrong key from a damaged file. */
  expectedKeyCheck?: string;
}>;

const HEX_KEY = /^[0-9a-f]{64}$/;
const SQLITE_PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * A value derived from the key that proves which key a file was made with, without revealing it.
 * Stored beside the DB so a wrong key and a damaged file can be told apart.
 */
export function keyCheck(keyHex: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex'))
    .update('cadence-db-key-check')
    .digest('hex');
}

export function openDatabase(options: OpenOptions): Db {
  const { file, keyHex } = options;
  if (!HEX_KEY.test(keyHex))
    throw new DbOpenError('openDatabase: the key must be 64 hex characters');
  if (file !== ':memory:' && existsSync(file)) {
    const head = readFileSync(file).subarray(0, 16);
    if (head.equals(SQLITE_PLAIN_HEADER)) {
      throw new DbCorruptError(
        'The database file is not encrypted; it was not written by Cadence.',
      );
    }
  }
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new DbCorruptError(`The database file cannot be opened: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    // An in-memory database never reaches the disk and SQLite does not allow keying one.
    if (file !== ':memory:') keyDatabase(db, keyHex);
    // The first read decrypts page 1: a wrong key or a damaged file fails here.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    const keyIsRight =
      options.expectedKeyCheck !== undefined && options.expectedKeyCheck === keyCheck(keyHex);
    if ((error as { code?: string }).code === 'SQLITE_NOTADB' && !keyIsRight) {
      throw new WrongKeyError('The database cannot be decrypted with the key in the keychain.', {
        cause: error,
      });
    }
    throw new DbCorruptError(`The database is damaged: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma('temp_store = MEMORY');
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoint the WAL less often than every 1,000 pages: large first syncs write far faster.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Up to 128 MiB of decrypted pages kept per connection (SQLite's default is 2 MiB): a large
    // practice's database is hundreds of MiB, and every page read again past the cache is decrypted
    // and authenticated again. Over 100,000 bookings the compliance report, the lists behind the
    // dashboard, the review queue and the match export ran 20-60 % faster with it
    // (bench/dashboard.ts, bench/match-pipeline.ts). The pages stay in this process's memory.
    db.pragma('cache_size = -131072');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DbOpenError) throw error;
    if ((error as { code?: string }).code === 'SQLITE_CORRUPT') {
      throw new DbCorruptError(`The database is damaged: ${(error as Error).message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

function keyDatabase(db: Db, keyHex: string): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${keyHex}'"`);
}
