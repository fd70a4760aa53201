// Migration 0080 on an encrypted database seeded at 0070: bookings survive, changes hang off them,
// one open change per key (closed ones pile up as history), kinds and states are checked, and the
// ledger keeps one record per key.
import type Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { databaseAt } from '../../../../test/helpers/seeded-db';
import { migrate } from './index';

const insert = (db: Database.Database, key: string, state: string, kind = 'CreateEvent') =>
  db
    .prepare(
      `INSERT INTO changes (change_key, record_key, kind, state, booking_id, summary, inputs_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, 1, 'Annual review', 'h', 'now', 'now')`,
    )
    .run(key, key, kind, state);

describe('migration 0080 (changes)', () => {
  it('adds the change tables to a seeded database and keeps one open change per key', () => {
    const db = databaseAt(70);
    expect(migrate(db)).toBeGreaterThanOrEqual(80);
    expect(db.prepare('SELECT title FROM bookings WHERE id = 1').pluck().get()).toBe(
      'Annual review',
    );

    insert(db, 'event:calcom:uid-1', 'pushed');
    insert(db, 'event:calcom:uid-1', 'rejected');
    insert(db, 'event:calcom:uid-1', 'proposed', 'EditEvent');
    expect(() => insert(db, 'event:calcom:uid-1', 'approved')).toThrow(/UNIQUE/);
    expect(() => insert(db, 'event:calcom:uid-2', 'waiting')).toThrow(/CHECK/);
    expect(() => insert(db, 'event:calcom:uid-2', 'proposed', 'CreateTask')).toThrow(/CHECK/);

    // A change outlives its booking (the id is cleared, the change and its history stay).
    db.prepare('DELETE FROM bookings WHERE id = 1').run();
    expect(db.prepare('SELECT count(*) FROM changes WHERE booking_id IS NULL').pluck().get()).toBe(
      3,
    );

    db.prepare(
      `INSERT INTO lacrm_records (record_key, record_type, lacrm_id, written_json, created_by, updated_by, created_at, updated_at)
       VALUES ('event:calcom:uid-1', 'event', '4073197535309350529523826309111', '{}', 1, 1, 'now', 'now')`,
    ).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO lacrm_records (record_key, record_type, lacrm_id, written_json, created_by, updated_by, created_at, updated_at)
           VALUES ('event:calcom:uid-1', 'event', '1', '{}', 1, 1, 'now', 'now')`,
        )
        .run(),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(db.prepare('SELECT lacrm_id FROM lacrm_records').pluck().get()).toBe(
      '4073197535309350529523826309111',
    );
    db.close();
  });
});
