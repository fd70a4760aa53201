// Migration 0030 on a database seeded at 0020: existing bookings survive, matches hang off
// attendees (and go with them), states are checked, and an address has one active alias.
import type Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { databaseAt } from '../../../../test/helpers/seeded-db';
import { migrate } from './index';

function seededAt20() {
  const db = databaseAt(20);
  db.prepare(
    `INSERT INTO attendees (id, booking_id, attendee_key, position, email, email_normalized, name, role)
     VALUES (7, 1, 'e:bob@mail.example', 0, 'bob@mail.example', 'bob@mail.example', 'Bob Smith', 'attendee')`,
  ).run();
  return db;
}

function insertMatch(db: Database.Database, state: string): void {
  db.prepare(
    `INSERT INTO matches (attendee_id, email_key, state, via, reason, decided_by, decided_at)
     VALUES (7, 'bob@mail.example', ?, 'fuzzy', 'same last name', 'auto', 'now')`,
  ).run(state);
}

describe('migration 0030 (contacts)', () => {
  it('adds the contact and match tables to a database with bookings, keeping them', () => {
    const db = seededAt20();
    expect(migrate(db)).toBeGreaterThanOrEqual(30);
    expect(db.prepare('SELECT title FROM bookings WHERE id = 1').pluck().get()).toBe(
      'Annual review',
    );
    db.prepare(
      `INSERT INTO contacts (contact_id, is_company, first_name, last_name, last_update, content_hash,
         first_seen_at, last_seen_at, changed_at)
       VALUES ('3862515354732873260518907940136', 0, 'Robert', 'Smith', '2025-03-14T11:05:00-05:00', 'h', 'now', 'now', 'now')`,
    ).run();
    db.prepare(
      "INSERT INTO contact_emails (email_key, contact_id, email) VALUES ('bob@mail.example', '3862515354732873260518907940136', 'Bob@Mail.example')",
    ).run();
    insertMatch(db, 'suggested');
    expect(db.prepare('SELECT state FROM matches WHERE attendee_id = 7').pluck().get()).toBe(
      'suggested',
    );
    // The 31-digit id stays exact text.
    expect(db.prepare('SELECT contact_id FROM contact_emails').pluck().get()).toBe(
      '3862515354732873260518907940136',
    );

    db.prepare('DELETE FROM attendees WHERE id = 7').run();
    expect(db.prepare('SELECT count(*) FROM matches').pluck().get()).toBe(0);
    db.prepare("DELETE FROM contacts WHERE contact_id = '3862515354732873260518907940136'").run();
    expect(db.prepare('SELECT count(*) FROM contact_emails').pluck().get()).toBe(0);
    db.close();
  });

  it('refuses unknown match states and a second active alias for one address', () => {
    const db = seededAt20();
    migrate(db);
    expect(() => insertMatch(db, 'maybe')).toThrow(/CHECK constraint/);
    const alias = db.prepare(
      "INSERT INTO aliases (email_key, contact_id, created_at, created_by, undone_at) VALUES ('bob@mail.example', ?, 'now', 'advisor', ?)",
    );
    alias.run('1', null);
    expect(() => alias.run('2', null)).toThrow(/UNIQUE/);
    // Undone aliases do not count: the history stays.
    alias.run('3', 'later');
    expect(db.prepare('SELECT count(*) FROM aliases').pluck().get()).toBe(2);
    db.close();
  });
});
