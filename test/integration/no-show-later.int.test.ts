// A no-show the advisor marks after Cadence first read the meeting must not stay counted as a held
// review. Neither service shows it where an incremental sync looks: Calendly records it on the
// invitee and leaves the event as it was (updated_at, counter); Cal.com writes an attendee's no-show
// on the attendee row, leaving the booking's updatedAt. So Sync now reads the meetings that ended in
// the last two weeks again, at most twice a day, and a --full sync reads everything.
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { CALENDLY_PAGE_SIZE } from '../../src/main/sources/calendly/connector';
import { NO_SHOW_DAYS } from '../../src/main/sources/connector';
import { coreFor } from '../helpers/world-core';
import { startWorld, type World } from '../helpers/world';

const PRACTICE_NOW = Date.parse('2026-11-20T15:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

const worlds: World[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function setup() {
  // One clock for Cadence and the simulator (the no-show's time). No rate limit: the syncs are
  // hours apart on this clock, but Cadence's request budget refills by the real one.
  let now = PRACTICE_NOW;
  const world = await startWorld({
    practice: { now: PRACTICE_NOW },
    calendly: { now: () => now, rateLimit: false },
    calcom: { now: () => now, rateLimit: false },
  });
  worlds.push(world);
  const core = await coreFor(world, { clock: () => new Date(now) });
  cores.push(core);
  return {
    world,
    core,
    later: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

type SourceResult = Readonly<{ state: string; updated: number; requests: number; fetched: number }>;

async function syncSource(
  core: Core,
  source: 'calendly' | 'calcom',
  mode: 'incremental' | 'full' = 'incremental',
) {
  const outcome = await core.call('sync:run', { sources: [source], mode });
  const r = outcome.results.find((x) => x.source === source) as unknown as SourceResult;
  expect(r.state).toBe('ok');
  return r;
}
const syncCalendly = (core: Core, mode?: 'incremental' | 'full') =>
  syncSource(core, 'calendly', mode);

function bookingFacts(core: Core, source: string) {
  const db = core.context.db();
  return {
    status: (id: string) =>
      db
        .prepare('SELECT status FROM bookings WHERE source = ? AND source_id = ?')
        .pluck()
        .get(source, id),
    noShows: (id: string) =>
      db
        .prepare(
          `SELECT count(*) FROM attendees a JOIN bookings b ON b.id = a.booking_id
           WHERE b.source = ? AND b.source_id = ? AND a.no_show = 1`,
        )
        .pluck()
        .get(source, id),
    lastHistory: (id: string) =>
      db
        .prepare(
          `SELECT h.kind, h.from_status, h.to_status FROM booking_history h
           JOIN bookings b ON b.id = h.booking_id
           WHERE b.source = ? AND b.source_id = ? ORDER BY h.id DESC LIMIT 1`,
        )
        .get(source, id),
  };
}

describe('No-shows marked after Cadence read the meeting', () => {
  it('Calendly: are read at the next sync within two weeks of the meeting, at most twice a day; later ones by --full', async () => {
    const { world, core, later, now } = await setup();
    await syncCalendly(core, 'full');
    const state = world.calendly.state;
    const ended = (fromDaysAgo: number, toDaysAgo: number) =>
      state
        .events()
        .filter((e) => {
          const end = Date.parse(e.end_time);
          return (
            e.status === 'active' &&
            end <= now() - toDaysAgo * DAY &&
            end > now() - fromDaysAgo * DAY &&
            state.invitees(e.uri).some((i) => i.status === 'active')
          );
        })
        .sort((a, b) => a.end_time.localeCompare(b.end_time));
    const recent = ended(3, 0).at(-1)!;
    const old = ended(40, NO_SHOW_DAYS + 2).at(-1)!;
    expect(recent, 'a meeting that ended in the last 3 days').toBeDefined();
    expect(old, 'a meeting that ended over two weeks ago').toBeDefined();
    for (const event of [recent, old]) {
      for (const invitee of state.invitees(event.uri)) {
        if (invitee.status === 'active') state.markNoShow(invitee.uri);
      }
      // The event itself is untouched, as on Calendly.
      expect(state.getEvent(event.uri)!.updated_at).toBe(event.updated_at);
    }
    const facts = bookingFacts(core, 'calendly');
    expect(facts.status(recent.uri)).toBe('scheduled');

    // Minutes later: everything was read just now, after these meetings ended; no invitee call.
    later(5 * 60_000);
    const soon = await syncCalendly(core);
    expect(soon.requests).toBe(Math.max(1, Math.ceil(soon.fetched / CALENDLY_PAGE_SIZE)));
    expect(facts.status(recent.uri)).toBe('scheduled');

    // Half a day on: the invitees of every meeting that ended in the last two weeks are read again
    // (one call each, and one for the event types), and the no-show is seen; the older meeting's
    // is not.
    later(12 * HOUR);
    const inWindow = ended(NO_SHOW_DAYS, 0).length;
    expect(inWindow).toBeGreaterThan(1);
    const next = await syncCalendly(core);
    const pages = Math.max(1, Math.ceil(next.fetched / CALENDLY_PAGE_SIZE));
    expect(next.requests).toBe(pages + 1 + inWindow);
    expect(next.updated).toBe(1);
    expect(facts.status(recent.uri)).toBe('no_show');
    expect(facts.noShows(recent.uri)).toBeGreaterThan(0);
    expect(facts.status(old.uri)).toBe('scheduled');
    expect(facts.lastHistory(recent.uri)).toEqual({
      kind: 'status',
      from_status: 'scheduled',
      to_status: 'no_show',
    });

    // The same day again: not read again.
    later(HOUR);
    const again = await syncCalendly(core);
    expect(again.requests).toBe(Math.max(1, Math.ceil(again.fetched / CALENDLY_PAGE_SIZE)));

    // A no-show taken back on Calendly is seen too (the meeting is still within two weeks).
    for (const invitee of state.invitees(recent.uri)) state.unmarkNoShow(invitee.uri);
    later(12 * HOUR);
    await syncCalendly(core);
    expect(facts.status(recent.uri)).toBe('scheduled');

    // --full re-reads everything, the older meeting's invitees included.
    later(HOUR);
    const full = await syncCalendly(core, 'full');
    expect(full.requests).toBeGreaterThanOrEqual(full.fetched);
    expect(facts.status(old.uri)).toBe('no_show');
  });

  it('Cal.com: an attendee no-show is read at the next sync within two weeks, at most twice a day; later ones by --full', async () => {
    const { world, core, later, now } = await setup();
    await syncSource(core, 'calcom', 'full');
    const state = world.calcom.state;
    const ended = (fromDaysAgo: number, toDaysAgo: number) =>
      state
        .bookings()
        .filter((b) => {
          const end = Date.parse(b.end);
          return (
            b.status === 'accepted' &&
            b.attendees.length > 0 &&
            end <= now() - toDaysAgo * DAY &&
            end > now() - fromDaysAgo * DAY
          );
        })
        .sort((a, b) => a.end.localeCompare(b.end));
    const recent = ended(3, 0).at(-1)!;
    const old = ended(40, NO_SHOW_DAYS + 2).at(-1)!;
    expect(recent, 'a meeting that ended in the last 3 days').toBeDefined();
    expect(old, 'a meeting that ended over two weeks ago').toBeDefined();
    for (const booking of [recent, old]) {
      for (const attendee of booking.attendees) {
        state.markAbsent(booking.uid, { attendeeEmail: attendee.email });
      }
      expect(state.get(booking.uid)!.updatedAt).toBe(booking.updatedAt);
    }
    const facts = bookingFacts(core, 'calcom');

    // Minutes later: the updated and created passes only (nothing to see there).
    later(5 * 60_000);
    expect((await syncSource(core, 'calcom')).requests).toBe(2);
    expect(facts.status(recent.uid)).toBe('scheduled');

    // Half a day on: one more pass, over what ended in the last two weeks, sees the no-show.
    later(12 * HOUR);
    const next = await syncSource(core, 'calcom');
    expect(next.requests).toBe(3);
    expect(next.updated).toBe(1);
    expect(facts.status(recent.uid)).toBe('no_show');
    expect(facts.lastHistory(recent.uid)).toEqual({
      kind: 'status',
      from_status: 'scheduled',
      to_status: 'no_show',
    });
    expect(facts.status(old.uid)).toBe('scheduled');

    // The same day again: the two passes only.
    later(HOUR);
    expect((await syncSource(core, 'calcom')).requests).toBe(2);

    // --full reads everything, the older meeting included.
    later(HOUR);
    await syncSource(core, 'calcom', 'full');
    expect(facts.status(old.uid)).toBe('no_show');
  });
});
