// Migrations 0090 and 0100 on an encrypted database seeded at 0080: the marks start empty (so the
// first matching run and the first plan cover everything), attendee changes list their booking as
// pending, and the write counter moves on every change the plan reads but not on a row merely seen
// again, nor on bookkeeping tables.
import { describe, expect, it } from 'vitest';
import { databaseAt } from '../../../../test/helpers/seeded-db';
import { migrate } from './index';

describe('migrations 0090 and 0100 (match pending, plan marks)', () => {
  it('start with empty marks and count what the plan and matching read', () => {
    const db = databaseAt(80);
    // As these two left it: 0110 changes what a decision does (see its own test).
    expect(migrate(db, 100)).toBe(100);
    expect(db.prepare("SELECT inputs FROM match_marks WHERE kind = 'all'").pluck().get()).toBe('');
    expect(db.prepare('SELECT inputs, planned_at FROM plan_marks').get()).toEqual({
      inputs: '',
      planned_at: null,
    });
    const generation = () =>
      db.prepare('SELECT generation FROM plan_marks').pluck().get() as number;
    const pending = () => db.prepare('SELECT booking_id FROM match_pending').pluck().all();
    const decisions = () =>
      db.prepare("SELECT generation FROM match_marks WHERE kind = 'all'").pluck().get() as number;

    // A booking seen again is not a change; its title is.
    let before = generation();
    db.prepare("UPDATE bookings SET last_seen_at = 'later' WHERE id = 1").run();
    expect(generation()).toBe(before);
    db.prepare("UPDATE bookings SET title = 'Annual portfolio review' WHERE id = 1").run();
    expect(generation()).toBeGreaterThan(before);

    // An attendee added lists its booking for matching (and counts for the plan).
    before = generation();
    db.prepare(
      `INSERT INTO attendees (id, booking_id, attendee_key, position, email, email_normalized, name, role)
       VALUES (7, 1, 'k', 0, 'ann@archer.example', 'ann@archer.example', 'Ann Archer', 'attendee')`,
    ).run();
    expect(pending()).toEqual([1]);
    expect(generation()).toBeGreaterThan(before);
    db.prepare('DELETE FROM match_pending').run();
    // The same address and name written again is nothing to match; a new name is.
    db.prepare("UPDATE attendees SET email = 'ann@archer.example' WHERE id = 7").run();
    expect(pending()).toEqual([]);
    db.prepare("UPDATE attendees SET name = 'Annie Archer' WHERE id = 7").run();
    expect(pending()).toEqual([1]);

    // Matches the engine writes are no decision; the advisor's are.
    const match = db.prepare(
      `INSERT OR REPLACE INTO matches (attendee_id, state, via, reason, decided_by, decided_at)
       VALUES (7, ?, ?, 'r', ?, 'now')`,
    );
    const decided = decisions();
    match.run('suggested', 'fuzzy', 'auto');
    expect(decisions()).toBe(decided);
    match.run('rejected', 'advisor', 'advisor');
    expect(decisions()).toBe(decided + 1);

    // Bookkeeping (a sync run) is not a plan input.
    before = generation();
    db.prepare(
      `INSERT INTO sync_runs (source, started_at, state) VALUES ('calcom', 'now', 'running')`,
    ).run();
    expect(generation()).toBe(before);
    db.close();
  });
});
