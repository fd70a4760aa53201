// Migration tests: an encrypted database migrated up to a given version, holding one booking (id 1,
// an annual review) stored as the sync stores it, for the next migration to find.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { migrate } from '../../src/main/db/migrations';
import { tempDir } from './temp';

export function databaseAt(version: number): Database.Database {
  const db = new Database(join(tempDir(), 'm.db'));
  db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
  db.pragma('foreign_keys = ON');
  migrate(db, version);
  db.prepare(
    `INSERT INTO bookings (id, source, source_id, title, start_utc, end_utc, duration_minutes, status, raw_json,
       content_hash, first_seen_at, last_seen_at, changed_at)
     VALUES (1, 'calcom', 'uid-1', 'Annual review', '2026-01-05T15:00:00.000Z', '2026-01-05T16:00:00.000Z', 60,
       'scheduled', '{}', 'h', 'now', 'now', 'now')`,
  ).run();
  return db;
}
