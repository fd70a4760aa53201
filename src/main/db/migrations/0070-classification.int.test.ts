// Migration 0070 on a database seeded at 0060: existing bookings get stale classification rows
// with their facts, linked attendees get metric_links rows, the default rules are version 1, and
// report_exports refuses changes. Then any sequence of writes to bookings, attendees, matches,
// overrides, classifications and contacts (as the sync, matching, classification and policy code
// write them) leaves every derived row equal to its definition.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/temp';
import { defaultRules } from '../../classify/engine';
import { refreshGroupMembers } from '../../metrics/policy';
import { migrate } from './index';

function encryptedDb(): Database.Database {
  const db = new Database(join(tempDir(), 'm.db'));
  db.pragma(`key = "x'${randomBytes(32).toString('hex')}'"`);
  db.pragma('foreign_keys = ON');
  return db;
}

function insertBooking(
  db: Database.Database,
  id: number,
  start: string,
  status = 'scheduled',
): void {
  db.prepare(
    `INSERT INTO bookings (id, source, source_id, title, start_utc, end_utc, duration_minutes, status, raw_json,
       content_hash, first_seen_at, last_seen_at, changed_at)
     VALUES (?, 'calcom', ?, 'Portfolio review', ?, ?, 60, ?, '{}', 'h', 'now', 'now', 'now')`,
  ).run(id, `uid-${id}`, start, new Date(Date.parse(start) + 3_600_000).toISOString(), status);
}

function insertAttendee(db: Database.Database, id: number, bookingId: number, noShow = 0): void {
  db.prepare(
    `INSERT INTO attendees (id, booking_id, attendee_key, position, email, email_normalized, name, role, no_show)
     VALUES (?, ?, ?, 0, ?, ?, 'Person', 'attendee', ?)`,
  ).run(
    id,
    bookingId,
    `e:p${id}@mail.example`,
    `p${id}@mail.example`,
    `p${id}@mail.example`,
    noShow,
  );
}

function insertContact(db: Database.Database, contactId: string, fields: object): void {
  db.prepare(
    `INSERT INTO contacts (contact_id, is_company, first_name, last_name, custom_fields_json, last_update,
       content_hash, first_seen_at, last_seen_at, changed_at)
     VALUES (?, 0, 'C', ?, ?, 'now', 'h', 'now', 'now', 'now')
     ON CONFLICT (contact_id) DO UPDATE SET custom_fields_json = excluded.custom_fields_json`,
  ).run(contactId, contactId, JSON.stringify(fields));
}

function upsertMatch(
  db: Database.Database,
  attendeeId: number,
  state: string,
  contactId: string | null,
): void {
  // As src/main/db/queries/matches.ts writes them.
  db.prepare(
    `INSERT INTO matches (attendee_id, email_key, state, contact_id, via, reason, decided_by, decided_at)
     VALUES (?, 'k', ?, ?, 'email', 'r', 'auto', 'now')
     ON CONFLICT (attendee_id) DO UPDATE SET state = excluded.state, contact_id = excluded.contact_id,
       via = excluded.via, reason = excluded.reason, decided_at = excluded.decided_at`,
  ).run(attendeeId, state, contactId);
}

/** The derived rows that differ from their definitions (empty when the triggers kept up). */
function violations(db: Database.Database): string[] {
  const problems: string[] = [];
  const missing = db
    .prepare(
      `SELECT b.id FROM bookings b LEFT JOIN booking_classifications k ON k.booking_id = b.id
       WHERE k.booking_id IS NULL OR k.start_utc IS NOT b.start_utc OR k.end_utc IS NOT b.end_utc
         OR k.status IS NOT b.status OR k.current IS NOT (b.superseded_by IS NULL)
         OR k.all_absent IS NOT coalesce((SELECT count(*) > 0 AND sum(x.no_show = 0 AND x.cancelled = 0) = 0
              FROM attendees x WHERE x.booking_id = b.id), 0)
         OR k.effective_category IS NOT coalesce(
              (SELECT o.category FROM classification_overrides o WHERE o.booking_id = b.id), k.category)`,
    )
    .pluck()
    .all();
  if (missing.length) problems.push(`booking facts wrong for ${missing.join(', ')}`);
  const expected = `SELECT m.attendee_id, a.booking_id, m.contact_id, k.effective_category AS category,
      k.current, k.start_utc, k.end_utc, k.status, a.no_show, a.cancelled,
      k.status IN ('scheduled', 'completed') AND a.no_show = 0 AND a.cancelled = 0 AS holdable,
      k.status IN ('scheduled', 'completed', 'no_show') AS on_record
    FROM matches m JOIN attendees a ON a.id = m.attendee_id
    JOIN booking_classifications k ON k.booking_id = a.booking_id
    WHERE m.state IN ('auto', 'confirmed') AND m.contact_id IS NOT NULL`;
  const actual = `SELECT attendee_id, booking_id, contact_id, category, current, start_utc, end_utc,
      status, no_show, cancelled, holdable, on_record FROM metric_links`;
  const extra = db.prepare(`${actual} EXCEPT ${expected}`).all();
  const absent = db.prepare(`${expected} EXCEPT ${actual}`).all();
  if (extra.length || absent.length) {
    problems.push(
      `metric_links: extra ${JSON.stringify(extra)}, missing ${JSON.stringify(absent)}`,
    );
  }
  const members = `SELECT contact_id, group_id FROM review_group_members`;
  const definition = `SELECT c.contact_id, g.id FROM contacts c, review_policy_groups g
    WHERE EXISTS (SELECT 1 FROM json_each(c.custom_fields_json) f WHERE lower(f.key) = lower(g.field)
      AND ((f.type <> 'array' AND lower(trim(CAST(f.value AS TEXT))) = lower(trim(g.value)))
        OR (f.type = 'array' AND EXISTS (SELECT 1 FROM json_each(f.value) v
              WHERE lower(trim(CAST(v.value AS TEXT))) = lower(trim(g.value))))))`;
  const wrongMembers = db.prepare(`${members} EXCEPT ${definition}`).all();
  const lostMembers = db.prepare(`${definition} EXCEPT ${members}`).all();
  if (wrongMembers.length || lostMembers.length) {
    problems.push(
      `group members: extra ${JSON.stringify(wrongMembers)}, missing ${JSON.stringify(lostMembers)}`,
    );
  }
  return problems;
}

describe('migration 0070 (classification)', () => {
  it('classifies nothing yet but records every booking’s facts and links, keeping the data', () => {
    const db = encryptedDb();
    migrate(db, 60);
    insertBooking(db, 1, '2026-01-05T15:00:00.000Z');
    insertBooking(db, 2, '2026-01-06T15:00:00.000Z', 'cancelled');
    db.prepare('UPDATE bookings SET superseded_by = 1 WHERE id = 2').run();
    insertAttendee(db, 7, 1);
    insertAttendee(db, 8, 2, 1);
    insertContact(db, '3862515354732873260518907940136', { 'Client tier': 'Top' });
    upsertMatch(db, 7, 'auto', '3862515354732873260518907940136');
    upsertMatch(db, 8, 'suggested', '3862515354732873260518907940136');

    expect(migrate(db)).toBeGreaterThanOrEqual(70);
    expect(
      db
        .prepare(
          'SELECT booking_id, category, stale, rules_version, current, all_absent, status FROM booking_classifications ORDER BY booking_id',
        )
        .all(),
    ).toEqual([
      {
        booking_id: 1,
        category: 'general',
        stale: 1,
        rules_version: 0,
        current: 1,
        all_absent: 0,
        status: 'scheduled',
      },
      {
        booking_id: 2,
        category: 'general',
        stale: 1,
        rules_version: 0,
        current: 0,
        all_absent: 1,
        status: 'cancelled',
      },
    ]);
    // Only the automatic match is a link; the suggestion is not.
    expect(db.prepare('SELECT attendee_id, contact_id FROM metric_links').all()).toEqual([
      { attendee_id: 7, contact_id: '3862515354732873260518907940136' },
    ]);
    const rules = db.prepare('SELECT version, rules_json FROM classification_rule_sets').all() as {
      version: number;
      rules_json: string;
    }[];
    expect(rules.map((r) => [r.version, JSON.parse(r.rules_json)])).toEqual([[1, defaultRules()]]);
    expect(violations(db)).toEqual([]);
    db.close();
  });

  it('keeps report_exports append-only', () => {
    const db = encryptedDb();
    migrate(db);
    db.prepare(
      `INSERT INTO report_exports (report, kind, period_from, period_to, generated_at, sha256, bytes, path,
         clients, reviews, exported_by)
       VALUES ('compliance', 'pdf', '2025-01-01', '2025-12-31', 'now', ?, 10, 'r.pdf', 1, 1, 'cli')`,
    ).run('a'.repeat(64));
    expect(() => db.prepare('UPDATE report_exports SET sha256 = ?').run('b'.repeat(64))).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM report_exports').run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO report_exports (report, kind, period_from, period_to, generated_at, sha256, bytes,
             clients, reviews, exported_by) VALUES ('compliance', 'docx', 'a', 'b', 'now', ?, 1, 1, 1, 'x')`,
        )
        .run('c'.repeat(64)),
    ).toThrow(/CHECK/);
    db.close();
  });

  it('keeps every derived row equal to its definition through any sequence of writes', () => {
    const bookingId = fc.integer({ min: 1, max: 6 });
    const attendeeId = fc.integer({ min: 1, max: 10 });
    const contactId = fc.constantFrom('1001', '1002', '1003');
    const category = fc.constantFrom('portfolio_review', 'general', 'tax_planning');
    const fields = fc.oneof(
      fc.record({ 'Client tier': fc.constantFrom('Top', 'top ', 'Standard', '') }),
      fc.record({ Tags: fc.subarray(['Top', 'VIP', 'Estate']) }),
      fc.constant({}),
    );
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('booking' as const),
        id: bookingId,
        day: fc.integer({ min: 1, max: 28 }),
      }),
      fc.record({
        kind: fc.constant('booking_update' as const),
        id: bookingId,
        status: fc.constantFrom('scheduled', 'cancelled', 'no_show', 'completed'),
        day: fc.integer({ min: 1, max: 28 }),
      }),
      fc.record({
        kind: fc.constant('supersede' as const),
        id: bookingId,
        by: fc.option(bookingId),
      }),
      fc.record({
        kind: fc.constant('attendee' as const),
        id: attendeeId,
        booking: bookingId,
        noShow: fc.integer({ min: 0, max: 1 }),
      }),
      fc.record({ kind: fc.constant('attendee_delete' as const), id: attendeeId }),
      fc.record({
        kind: fc.constant('attendee_update' as const),
        id: attendeeId,
        noShow: fc.integer({ min: 0, max: 1 }),
        cancelled: fc.integer({ min: 0, max: 1 }),
      }),
      fc.record({
        kind: fc.constant('match' as const),
        id: attendeeId,
        state: fc.constantFrom('auto', 'confirmed', 'suggested', 'unmatched', 'ignored'),
        contact: fc.option(contactId),
      }),
      fc.record({ kind: fc.constant('match_delete' as const), id: attendeeId }),
      fc.record({ kind: fc.constant('classify' as const), id: bookingId, category }),
      fc.record({ kind: fc.constant('override' as const), id: bookingId, category }),
      fc.record({ kind: fc.constant('override_clear' as const), id: bookingId }),
      fc.record({
        kind: fc.constant('contact' as const),
        id: fc.constantFrom('1001', '1002', '1003', '1004', '1005'),
        fields,
      }),
      fc.record({
        kind: fc.constant('group' as const),
        value: fc.constantFrom('Top', 'VIP', 'Standard'),
      }),
      fc.record({ kind: fc.constant('booking_delete' as const), id: bookingId }),
    );
    const db = encryptedDb();
    migrate(db);
    fc.assert(
      fc.property(fc.array(command, { minLength: 20, maxLength: 80 }), (commands) => {
        db.exec(`DELETE FROM review_policy_groups; DELETE FROM matches; DELETE FROM attendees;
          DELETE FROM classification_overrides; DELETE FROM bookings; DELETE FROM contacts;`);
        // A starting practice for the commands to change: four bookings, six attendees, two of
        // them linked, three contacts.
        for (let id = 1; id <= 4; id += 1) insertBooking(db, id, `2026-01-0${id}T15:00:00.000Z`);
        for (let id = 1; id <= 6; id += 1) insertAttendee(db, id, ((id - 1) % 4) + 1);
        insertContact(db, '1001', { 'Client tier': 'Top' });
        insertContact(db, '1002', { Tags: ['VIP'] });
        insertContact(db, '1003', {});
        upsertMatch(db, 1, 'auto', '1001');
        upsertMatch(db, 2, 'confirmed', '1002');
        for (const c of commands) {
          const ignoreConstraint = (run: () => void) => {
            try {
              run();
            } catch (error) {
              // A write the schema refuses (a missing booking, a duplicate) changes nothing.
              if (!/constraint/i.test((error as Error).message)) throw error;
            }
          };
          ignoreConstraint(() => {
            switch (c.kind) {
              case 'booking':
                insertBooking(db, c.id, `2026-02-${String(c.day).padStart(2, '0')}T15:00:00.000Z`);
                break;
              case 'booking_update':
                db.prepare('UPDATE bookings SET status = ?, start_utc = ? WHERE id = ?').run(
                  c.status,
                  `2026-03-${String(c.day).padStart(2, '0')}T15:00:00.000Z`,
                  c.id,
                );
                break;
              case 'supersede':
                db.prepare('UPDATE bookings SET superseded_by = ? WHERE id = ?').run(c.by, c.id);
                break;
              case 'attendee':
                insertAttendee(db, c.id, c.booking, c.noShow);
                break;
              case 'attendee_delete':
                db.prepare('DELETE FROM attendees WHERE id = ?').run(c.id);
                break;
              case 'attendee_update':
                db.prepare('UPDATE attendees SET no_show = ?, cancelled = ? WHERE id = ?').run(
                  c.noShow,
                  c.cancelled,
                  c.id,
                );
                break;
              case 'match':
                upsertMatch(db, c.id, c.state, c.contact);
                break;
              case 'match_delete':
                db.prepare('DELETE FROM matches WHERE attendee_id = ?').run(c.id);
                break;
              case 'classify':
                db.prepare(
                  `UPDATE booking_classifications SET category = @category, stale = 0,
                     effective_category = coalesce((SELECT category FROM classification_overrides WHERE booking_id = @id), @category)
                   WHERE booking_id = @id`,
                ).run({ id: c.id, category: c.category });
                break;
              case 'override':
                db.prepare(
                  `INSERT INTO classification_overrides (booking_id, category, set_at, set_by) VALUES (?, ?, 'now', 'advisor')
                   ON CONFLICT (booking_id) DO UPDATE SET category = excluded.category`,
                ).run(c.id, c.category);
                break;
              case 'override_clear':
                db.prepare('DELETE FROM classification_overrides WHERE booking_id = ?').run(c.id);
                break;
              case 'contact':
                insertContact(db, c.id, c.fields);
                break;
              case 'group': {
                const id = db
                  .prepare(
                    `INSERT INTO review_policy_groups (field, value, cadence_months, set_at) VALUES ('Client tier', ?, 3, 'now')`,
                  )
                  .run(c.value).lastInsertRowid;
                refreshGroupMembers(db, Number(id));
                db.prepare(
                  `INSERT OR IGNORE INTO review_policy_groups (field, value, cadence_months, set_at) VALUES ('Tags', ?, 3, 'now')`,
                ).run(c.value);
                const tags = db
                  .prepare("SELECT id FROM review_policy_groups WHERE field = 'Tags' AND value = ?")
                  .pluck()
                  .get(c.value) as number;
                refreshGroupMembers(db, tags);
                break;
              }
              case 'booking_delete':
                db.prepare('DELETE FROM bookings WHERE id = ?').run(c.id);
                break;
            }
          });
        }
        expect(violations(db)).toEqual([]);
      }),
      { numRuns: 50 },
    );
    db.close();
  });
});
