// Migration 0110 on an encrypted database seeded at 0100: a decision lists the bookings it can
// change as pending (the attendees under its address; for a confirmation, also those under its
// name) and still counts as a decision, while the engine's own matches list nothing.
import { describe, expect, it } from 'vitest';
import { databaseAt } from '../../../../test/helpers/seeded-db';
import { migrate } from './index';

describe('migration 0110 (decisions list their bookings as pending)', () => {
  it('lists the bookings under a decided address or a confirmed name, once each', () => {
    const db = databaseAt(100);
    expect(migrate(db)).toBeGreaterThanOrEqual(110);
    const booking = db.prepare(
      `INSERT INTO bookings (id, source, source_id, title, start_utc, end_utc, duration_minutes, status, raw_json,
         content_hash, first_seen_at, last_seen_at, changed_at)
       VALUES (?, 'calcom', ?, 'Check-in', '2026-02-05T15:00:00.000Z', '2026-02-05T16:00:00.000Z', 60,
         'scheduled', '{}', 'h', 'now', 'now', 'now')`,
    );
    for (const id of [2, 3, 4]) booking.run(id, `uid-${id}`);
    const attendee = db.prepare(
      `INSERT INTO attendees (id, booking_id, attendee_key, position, email, email_normalized, name, role)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'attendee')`,
    );
    // Bob under his home address on bookings 1 and 2 (twice on 2), Bob under work on 3, Ann on 4.
    attendee.run(11, 1, 'a', 0, 'bob@home.example', 'bob@home.example', 'Bob Smith');
    attendee.run(12, 2, 'a', 0, 'bob@home.example', 'bob@home.example', 'Bob Smith');
    attendee.run(13, 2, 'b', 1, 'BOB@home.example', 'bob@home.example', 'Bob Smith');
    attendee.run(14, 3, 'a', 0, 'bob@work.example', 'bob@work.example', 'Bob Smith');
    attendee.run(15, 4, 'a', 0, 'ann@home.example', 'ann@home.example', 'Ann Lee');
    const match = db.prepare(
      `INSERT INTO matches (attendee_id, email_key, name_key, state, via, reason, decided_by, decided_at)
       VALUES (?, ?, ?, ?, 'fuzzy', 'r', ?, 'now')
       ON CONFLICT(attendee_id) DO UPDATE SET state = excluded.state, decided_by = excluded.decided_by`,
    );
    match.run(11, 'bob@home.example', 'bob smith', 'suggested', 'auto');
    match.run(12, 'bob@home.example', 'bob smith', 'suggested', 'auto');
    match.run(13, 'bob@home.example', 'bob smith', 'suggested', 'auto');
    match.run(14, 'bob@work.example', 'bob smith', 'suggested', 'auto');
    match.run(15, 'ann@home.example', 'ann lee', 'unmatched', 'auto');
    const pending = () =>
      db.prepare('SELECT booking_id FROM match_pending ORDER BY booking_id').pluck().all();
    const decisions = () =>
      db.prepare("SELECT generation FROM match_marks WHERE kind = 'all'").pluck().get() as number;
    db.prepare('DELETE FROM match_pending').run();

    // The engine's own matches are no decision.
    const before = decisions();
    match.run(15, 'ann@home.example', 'ann lee', 'suggested', 'auto');
    expect(pending()).toEqual([]);
    expect(decisions()).toBe(before);

    // An alias (confirm or ignore) for Bob's home address: his bookings there, each once.
    db.prepare(
      `INSERT INTO aliases (email_key, contact_id, created_by, created_at)
       VALUES ('bob@home.example', 'c1', 'advisor', 'now')`,
    ).run();
    expect(pending()).toEqual([1, 2]);
    expect(decisions()).toBe(before + 1);
    // Undone: the same bookings again, nothing listed twice.
    db.prepare("UPDATE aliases SET undone_at = 'later' WHERE email_key = 'bob@home.example'").run();
    expect(pending()).toEqual([1, 2]);
    db.prepare('DELETE FROM match_pending').run();

    // A rejection for the work address: booking 3 only.
    db.prepare(
      `INSERT INTO match_rejections (email_key, contact_id, created_at)
       VALUES ('bob@work.example', 'c1', 'now')`,
    ).run();
    expect(pending()).toEqual([3]);
    db.prepare('DELETE FROM match_pending').run();

    // A confirmation ranks its contact for everyone booked as Bob Smith, at any address (upserted
    // as the app writes matches, which must not trip over a booking already pending).
    db.prepare('INSERT INTO match_pending (booking_id) VALUES (2)').run();
    match.run(11, 'bob@home.example', 'bob smith', 'confirmed', 'advisor');
    expect(pending()).toEqual([1, 2, 3]);
    expect(decisions()).toBe(before + 4);
    db.close();
  });
});
