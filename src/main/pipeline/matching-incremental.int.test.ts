// The matching run after a sync looks only at what changed: nothing when the sync brought nothing,
// the new or changed bookings when it brought some, and every booking again when something every
// match reads changed (a contact, a decision, the advisor's own addresses). Whatever it skips, the
// stored matches are exactly what a run over every booking would store, and a run cut short is
// done over, never trusted.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testAttendee, testBooking } from '../../../test/helpers/booking';
import { tempDir } from '../../../test/helpers/temp';
import { upsertBooking } from '../db/queries/bookings';
import { upsertContact, type StoredContactInput } from '../db/queries/contacts';
import { pendingBookingCount, readMatchMark } from '../db/queries/matches';
import { openDatabase, type Db } from '../db/open';
import { confirmMatch } from './decisions';
import { runMatching, runMatchingInTurns, type MatchRunOptions } from './matching';

const NOW = '2026-11-20T12:00:00.000Z';
const OWN = ['advisor@practice.example'];

function contact(
  contactId: string,
  first: string,
  last: string,
  emails: string[],
): StoredContactInput {
  return {
    contactId,
    isCompany: false,
    firstName: first,
    middleName: '',
    lastName: last,
    companyName: '',
    emails,
    lastUpdate: NOW,
    customFields: {},
    suffix: '',
  };
}

function booking(id: string, day: number, attendees: [string, string][]) {
  return testBooking({
    sourceId: id,
    title: 'Portfolio review',
    startUtc: new Date(Date.UTC(2026, 0, day, 15)).toISOString(),
    attendees: [testAttendee(OWN[0]!, 'Advisor'), ...attendees.map(([e, n]) => testAttendee(e, n))],
  });
}

function practice(): Db {
  const db = openDatabase({
    file: join(tempDir(), 'match.db'),
    keyHex: randomBytes(32).toString('hex'),
  });
  db.transaction(() => {
    upsertContact(db, contact('1001', 'Robert', 'Smith', ['robert@smith.example']), NOW);
    upsertContact(db, contact('1002', 'Elizabeth', 'Jones', ['liz.jones@work.example']), NOW);
    upsertContact(db, contact('1003', 'Hiroshi', 'Tanaka', ['hiroshi@tanaka.example']), NOW);
    upsertBooking(db, booking('b1', 5, [['robert@smith.example', 'Robert Smith']]), null, NOW);
    upsertBooking(db, booking('b2', 6, [['liz@home.example', 'Liz Jones']]), null, NOW);
    upsertBooking(db, booking('b3', 7, [['stranger@else.example', 'Pat Nobody']]), null, NOW);
  })();
  return db;
}

const run = (db: Db, extra: Partial<MatchRunOptions> = {}) =>
  runMatching({ db, ownEmails: OWN, now: () => new Date(NOW), ...extra });

/** Every stored match, as a run over every booking would have to reproduce it. */
function storedMatches(db: Db) {
  return db
    .prepare(
      `SELECT a.email, m.state, m.contact_id, m.reason, m.candidates_json, m.decided_by
       FROM matches m JOIN attendees a ON a.id = m.attendee_id ORDER BY a.id`,
    )
    .all();
}

/** After any sequence of runs: a forced run over every booking finds nothing to change. */
function expectSameAsFullRun(db: Db) {
  expectSameAsFullRunWith(db, []);
}

function expectSameAsFullRunWith(db: Db, personalDomains: readonly string[]) {
  const before = storedMatches(db);
  const full = run(db, { everything: true, personalDomains });
  expect(full.scope).toBe('all');
  expect(full.changed).toBe(0);
  expect(storedMatches(db)).toEqual(before);
}

describe('matching after a sync', () => {
  it('goes over every booking once, then over nothing when nothing changed', () => {
    const db = practice();
    const first = run(db);
    // Examined counts every attendee on the bookings, the advisor (a host, never matched) too.
    expect(first).toMatchObject({ scope: 'all', examined: 6 });
    expect(first.byState).toEqual({ auto: 1, suggested: 1, unmatched: 1 });
    expect(pendingBookingCount(db)).toBe(0);
    expect(readMatchMark(db).inputs).not.toBe('');

    const quiet = run(db);
    expect(quiet).toMatchObject({ scope: 'changed', examined: 0, changed: 0 });
    expectSameAsFullRun(db);
  });

  it('matches only the bookings a sync added or whose attendees changed', () => {
    const db = practice();
    run(db);
    upsertBooking(db, booking('b4', 8, [['hiroshi@tanaka.example', 'Hiroshi Tanaka']]), null, NOW);
    const added = run(db);
    expect(added).toMatchObject({ scope: 'changed', examined: 2, changed: 1 });
    expect(added.byState).toEqual({ auto: 1 });

    // Liz books again under her work address: only that booking is looked at, and it is automatic.
    upsertBooking(db, booking('b2', 6, [['liz.jones@work.example', 'Liz Jones']]), null, NOW);
    const changed = run(db);
    expect(changed).toMatchObject({ scope: 'changed', examined: 2, changed: 1 });
    expect(changed.byState).toEqual({ auto: 1 });

    // A booking re-stored exactly as it was is not matched again.
    upsertBooking(db, booking('b3', 7, [['stranger@else.example', 'Pat Nobody']]), null, NOW);
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 0 });

    // An attendee dropped from a booking: the others on it are matched again (no co-attendee now).
    upsertBooking(
      db,
      booking('b5', 9, [
        ['robert@smith.example', 'Robert Smith'],
        ['spouse@home.example', 'Linda Smith'],
      ]),
      null,
      NOW,
    );
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 3 });
    upsertBooking(db, booking('b5', 9, [['spouse@home.example', 'Linda Smith']]), null, NOW);
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 2 });
    expectSameAsFullRun(db);
  });

  it('goes over every booking again when a contact or the own addresses change, and over what a decision affects', () => {
    const db = practice();
    run(db);

    // The stranger turns out to be a client: LACRM now has the address.
    upsertContact(db, contact('1004', 'Pat', 'Nobody', ['stranger@else.example']), NOW);
    const afterContact = run(db);
    expect(afterContact).toMatchObject({ scope: 'all', examined: 6 });
    expect(afterContact.byState).toEqual({ auto: 2, suggested: 1 });
    expect(run(db).scope).toBe('changed');

    // A confirmation ranks that contact for the same name elsewhere: the bookings under Liz's
    // address or booked as Liz Jones (here one), not every booking.
    upsertBooking(db, booking('b7', 11, [['liz.j@else.example', 'Liz Jones']]), null, NOW);
    run(db);
    const liz = db
      .prepare("SELECT id FROM attendees WHERE email = 'liz@home.example'")
      .pluck()
      .get() as number;
    confirmMatch(
      { db, now: () => new Date(NOW), ownEmails: () => OWN },
      { attendeeId: liz },
      '1002',
    );
    const afterDecision = run(db);
    expect(afterDecision).toMatchObject({ scope: 'changed', examined: 4 });
    const other = db
      .prepare(
        `SELECT m.reason FROM matches m JOIN attendees a ON a.id = m.attendee_id
         WHERE a.email = 'liz.j@else.example'`,
      )
      .pluck()
      .get() as string;
    expect(other).toContain('confirmed for this person before');
    expect(run(db).scope).toBe('changed');
    expectSameAsFullRun(db);

    // Another own address: the attendee under it is a host from now on.
    const withHost = run(db, { ownEmails: [...OWN, 'hiroshi@tanaka.example'] });
    expect(withHost.scope).toBe('all');
    expect(run(db, { ownEmails: [...OWN, 'hiroshi@tanaka.example'] }).scope).toBe('changed');
    expectSameAsFullRun(db);
  });

  it("reads a configured personal domain as nobody's employer, and re-matches everything when it is set", () => {
    const db = practice();
    db.transaction(() => {
      upsertContact(db, contact('1005', 'Maria', 'Lopez', ['mlopez@valleynet.example']), NOW);
      upsertBooking(
        db,
        booking('b6', 10, [['maria.l@valleynet.example', 'Maria Lopez']]),
        null,
        NOW,
      );
    })();
    const reasonFor = (email: string) =>
      db
        .prepare(
          'SELECT m.reason FROM matches m JOIN attendees a ON a.id = m.attendee_id WHERE a.email = ?',
        )
        .pluck()
        .get(email) as string;
    run(db);
    // A regional provider the built-in list does not know looks like Maria's employer.
    expect(reasonFor('maria.l@valleynet.example')).toContain(
      "same email domain as the contact's work address",
    );

    const withSetting = run(db, { personalDomains: ['ValleyNet.example'] });
    expect(withSetting.scope).toBe('all');
    expect(reasonFor('maria.l@valleynet.example')).not.toContain('email domain');
    expect(reasonFor('maria.l@valleynet.example')).toContain('same last name');
    expect(run(db, { personalDomains: ['valleynet.example'] }).scope).toBe('changed');
    expectSameAsFullRunWith(db, ['valleynet.example']);

    // Taking the setting away again is a change too.
    expect(run(db).scope).toBe('all');
    expect(reasonFor('maria.l@valleynet.example')).toContain(
      "same email domain as the contact's work address",
    );
  });

  it('reads decisions again when another process makes one during a run, and loses none', () => {
    const db = practice();
    db.transaction(() => {
      upsertBooking(db, booking('b4', 8, [['liz@home.example', 'Liz Jones']]), null, NOW);
      upsertBooking(db, booking('b5', 9, [['liz@home.example', 'Liz Jones']]), null, NOW);
    })();
    run(db);
    // One booking per batch; between the second and the third, "another process" decides that
    // Liz's home address is contact 1002 (as the review queue would, by an alias).
    let batches = 0;
    const result = run(db, {
      everything: true,
      batchSize: 1,
      now: () => {
        batches += 1;
        if (batches === 3) {
          db.prepare(
            `INSERT INTO aliases (email_key, contact_id, created_by, created_at)
             VALUES ('liz@home.example', '1002', 'advisor', ?)`,
          ).run(NOW);
        }
        return new Date(NOW);
      },
    });
    expect(result.scope).toBe('all');
    // The batches after the decision used it; the one before is pending again and is redone.
    const lizStates = () =>
      db
        .prepare(
          `SELECT m.state FROM matches m JOIN attendees a ON a.id = m.attendee_id
           WHERE a.email = 'liz@home.example' ORDER BY a.booking_id`,
        )
        .pluck()
        .all();
    expect(lizStates()).toEqual(['suggested', 'auto', 'auto']);
    expect(pendingBookingCount(db)).toBe(1);
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 2, changed: 1 });
    expect(lizStates()).toEqual(['auto', 'auto', 'auto']);
    expectSameAsFullRun(db);
  });

  it('a run in turns lets other work in between its batches and stores what a run in one go does', async () => {
    const db = practice();
    const inOneGo = run(db);
    const expected = storedMatches(db);
    db.exec('DELETE FROM matches');
    // One booking per batch: a callback queued for the next turn runs before the run ends, and
    // sees the batches stored so far (each batch is its own transaction).
    let seenMidway = -1;
    setImmediate(() => {
      seenMidway = db.prepare('SELECT count(*) FROM matches').pluck().get() as number;
    });
    const progress: { done: number; total: number }[] = [];
    const inTurns = await runMatchingInTurns(
      { db, ownEmails: OWN, now: () => new Date(NOW), everything: true, batchSize: 1 },
      (p) => progress.push(p),
    );
    // One report per batch, counting the bookings up to all of them.
    const bookings = db.prepare('SELECT count(*) FROM bookings').pluck().get() as number;
    expect(progress).toEqual(
      Array.from({ length: bookings }, (_, i) => ({ done: i + 1, total: bookings })),
    );
    expect(seenMidway).toBeGreaterThan(0);
    expect(seenMidway).toBeLessThan(expected.length);
    expect(inTurns).toMatchObject({
      scope: 'all',
      examined: inOneGo.examined,
      byState: inOneGo.byState,
    });
    expect(storedMatches(db)).toEqual(expected);
    expectSameAsFullRun(db);

    // A run over the changed bookings counts those.
    upsertBooking(db, booking('b4', 8, [['hiroshi@tanaka.example', 'Hiroshi Tanaka']]), null, NOW);
    const changedProgress: { done: number; total: number }[] = [];
    await runMatchingInTurns({ db, ownEmails: OWN, now: () => new Date(NOW) }, (p) =>
      changedProgress.push(p),
    );
    expect(changedProgress).toEqual([{ done: 1, total: 1 }]);
  });

  it('a cancelled run in turns stops between batches, keeps what it stored, and the next run finishes', async () => {
    const db = practice();
    const expected = (() => {
      const copy = practice();
      run(copy);
      return storedMatches(copy);
    })();
    /** A run in turns of one booking per batch, cancelled after `batches` of them. */
    const cancelledAfter = async (batches: number) => {
      const cancel = new AbortController();
      if (batches === 0) cancel.abort();
      const progress: { done: number; total: number }[] = [];
      const result = await runMatchingInTurns(
        { db, ownEmails: OWN, now: () => new Date(NOW), batchSize: 1, signal: cancel.signal },
        (p) => {
          progress.push(p);
          if (progress.length === batches) cancel.abort();
        },
      );
      return { result, progress };
    };

    // Cancelled after its first batch: the mark stays cleared.
    const cut = await cancelledAfter(1);
    expect(cut.result).toMatchObject({ scope: 'all', cancelled: true });
    expect(cut.progress).toEqual([{ done: 1, total: 3 }]);
    expect(db.prepare('SELECT count(*) FROM matches').pluck().get()).toBe(1);
    expect(readMatchMark(db).inputs).toBe('');
    // The next run goes over everything again and stores what one uncancelled run stores.
    expect(run(db)).toMatchObject({ scope: 'all', cancelled: false });
    expect(storedMatches(db)).toEqual(expected);
    expect(readMatchMark(db).inputs).not.toBe('');

    // Over changed bookings: those not reached stay pending for the next run.
    upsertBooking(db, booking('b4', 8, [['hiroshi@tanaka.example', 'Hiroshi Tanaka']]), null, NOW);
    upsertBooking(db, booking('b5', 9, [['robert@smith.example', 'Robert Smith']]), null, NOW);
    const changed = await cancelledAfter(1);
    expect(changed.result).toMatchObject({ scope: 'changed', cancelled: true, examined: 2 });
    expect(pendingBookingCount(db)).toBe(1);
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 2, cancelled: false });
    expect(pendingBookingCount(db)).toBe(0);
    expectSameAsFullRun(db);

    // Cancelled before it began: nothing matched, nothing taken off the pending list.
    upsertBooking(db, booking('b6', 10, [['liz.jones@work.example', 'Liz Jones']]), null, NOW);
    const early = await cancelledAfter(0);
    expect(early.result).toMatchObject({ cancelled: true, examined: 0 });
    expect(early.progress).toEqual([]);
    expect(pendingBookingCount(db)).toBe(1);
    // With nothing left to match, a cancelled signal cancels nothing.
    run(db);
    expect((await cancelledAfter(0)).result).toMatchObject({
      scope: 'changed',
      cancelled: false,
      examined: 0,
    });
  });

  it('does a run cut short over again and keeps the bookings it did not finish pending', () => {
    const db = practice();
    const failingClock = () => {
      throw new Error('power cut');
    };
    // A first run that dies before storing anything: no mark, so the next run covers everything.
    expect(() => run(db, { now: failingClock })).toThrow('power cut');
    expect(readMatchMark(db).inputs).toBe('');
    expect(run(db)).toMatchObject({ scope: 'all', examined: 6 });

    // A new booking whose run dies: it stays pending and the next run matches it.
    upsertBooking(db, booking('b4', 8, [['hiroshi@tanaka.example', 'Hiroshi Tanaka']]), null, NOW);
    expect(() => run(db, { now: failingClock })).toThrow('power cut');
    expect(pendingBookingCount(db)).toBe(1);
    expect(run(db)).toMatchObject({ scope: 'changed', examined: 2, changed: 1 });
    expect(pendingBookingCount(db)).toBe(0);
    expectSameAsFullRun(db);
  });
});
