// A small practice with hand-computed answers, for the metrics-*.int.test.ts files: seven LACRM
// contacts in the simulator, bookings stored as a scheduler sync stores them, a core (real
// encrypted store, real keychain) on a fixed clock, contacts synced (which matches the attendees
// by exact address and then classifies the bookings).
//
// The clock is Sunday 15 March 2026, 11:00 in New York (15:00 UTC); the advisor's zone is
// America/New_York; review.defaultCadenceMonths 12, review.dueSoonDays 30. What each contact
// should show, worked out by hand, is in EXPECTED below.
import { afterEach, expect } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import type { LacrmContact } from '../../src/main/crm/lacrm/types';
import { upsertBooking } from '../../src/main/db/queries/bookings';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NormalizedBooking } from '../../src/main/sources/types';
import type { BookingSource, BookingStatus } from '../../src/shared/domain';
import { testAttendee, testBooking } from '../helpers/booking';
import { tempDir } from '../helpers/temp';

export const NOW = new Date('2026-03-15T15:00:00.000Z');
export const ZONE = 'America/New_York';
export const ADVISOR = 'avery@advisor.example';

export const ids = {
  alice: '4100000000000000000000000000001',
  bob: '4100000000000000000000000000002',
  bea: '4100000000000000000000000000003',
  carol: '4100000000000000000000000000004',
  dan: '4100000000000000000000000000005',
  erin: '4100000000000000000000000000006',
  frank: '4100000000000000000000000000007',
  grace: '4100000000000000000000000000008',
} as const;

function contact(
  id: string,
  first: string,
  last: string,
  email: string,
  fields: Record<string, unknown> = {},
): LacrmContact {
  return {
    ContactId: id,
    IsCompany: false,
    AssignedTo: 483823,
    CompanyId: null,
    Name: { FirstName: first, LastName: last },
    Email: [{ Text: email, Type: 'Work' }],
    Phone: [],
    'Company Name': '',
    DateCreated: '2024-01-05T09:12:00-06:00',
    LastUpdate: '2025-03-14T11:05:00-05:00',
    ...fields,
  };
}

export const crm: readonly LacrmContact[] = [
  contact(ids.alice, 'Alice', 'Archer', 'alice@archer.example', { 'Client tier': 'A' }),
  contact(ids.bob, 'Bob', 'Baker', 'bob@baker.example', { 'Client tier': 'B' }),
  contact(ids.bea, 'Bea', 'Baker', 'bea@baker.example', { 'Client tier': 'B' }),
  contact(ids.carol, 'Carol', 'Chen', 'carol@chen.example'),
  contact(ids.dan, 'Dan', 'Diaz', 'dan@diaz.example'),
  contact(ids.erin, 'Erin', 'Evans', 'erin@evans-cpa.example'),
  contact(ids.frank, 'Frank', 'Fox', 'frank@fox.example'),
  contact(ids.grace, 'Grace', 'Green', 'grace@green.example'),
];

type Attendee = Readonly<{ email: string; noShow?: boolean; cancelled?: boolean }>;

let sequence = 0;

/** A booking as a scheduler sync would store it; `local` is a New York wall time. */
export function booking(
  options: Readonly<{
    id?: string;
    local: string;
    minutes?: number;
    kind: 'review' | 'general';
    title?: string;
    status?: BookingStatus;
    attendees: readonly Attendee[];
    source?: BookingSource;
  }>,
): NormalizedBooking {
  sequence += 1;
  return testBooking({
    source: options.source ?? 'calcom',
    sourceId: options.id ?? `fixture-${sequence}`,
    title: options.title ?? (options.kind === 'review' ? 'Portfolio Review' : 'Check-in call'),
    eventTypeSlug: options.kind === 'review' ? 'portfolio-review' : 'check-in',
    eventTypeName: options.kind === 'review' ? 'Portfolio Review' : 'Check-in',
    startUtc: nyToUtc(options.local),
    timeZone: ZONE,
    durationMinutes: options.minutes ?? 60,
    status: options.status ?? 'scheduled',
    hosts: [{ email: ADVISOR, name: 'Avery Advisor' }],
    attendees: options.attendees.map((a) =>
      testAttendee(a.email, null, { noShow: a.noShow ?? false, cancelled: a.cancelled ?? false }),
    ),
  });
}

/** "2025-11-30T23:30" in New York → UTC ISO (EST −5 h in winter, EDT −4 h in summer). */
export function nyToUtc(local: string): string {
  const guess = new Date(`${local}:00.000Z`);
  const offsetHours = (() => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: ZONE,
      timeZoneName: 'shortOffset',
    }).formatToParts(guess);
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT-5';
    return Number(name.replace('GMT', ''));
  })();
  return new Date(guess.getTime() - offsetHours * 3_600_000).toISOString();
}

const e = {
  alice: 'alice@archer.example',
  bob: 'bob@baker.example',
  bea: 'bea@baker.example',
  carol: 'carol@chen.example',
  dan: 'dan@diaz.example',
  erin: 'erin@evans-cpa.example',
  frank: 'frank@fox.example',
  grace: 'grace@green.example',
};

/** The fixture's bookings; ids are stable so tests can name them. */
export function fixtureBookings(): NormalizedBooking[] {
  return [
    // Alice (group "Client tier" = A: 3 months). Two held reviews, the second at 23:30 on
    // 30 November in New York (already 1 December in UTC); a missed one; a cancelled one; a
    // held check-in.
    booking({
      id: 'alice-r1',
      local: '2025-09-10T10:00',
      kind: 'review',
      attendees: [{ email: e.alice }],
    }),
    booking({
      id: 'alice-r2',
      local: '2025-11-30T23:30',
      kind: 'review',
      attendees: [{ email: e.alice }],
    }),
    booking({
      id: 'alice-noshow',
      local: '2026-02-10T10:00',
      kind: 'review',
      attendees: [{ email: e.alice, noShow: true }],
    }),
    booking({
      id: 'alice-cancelled',
      local: '2026-03-05T10:00',
      kind: 'review',
      status: 'cancelled',
      attendees: [{ email: e.alice, cancelled: true }],
    }),
    booking({
      id: 'alice-checkin',
      local: '2026-03-01T09:00',
      minutes: 30,
      kind: 'general',
      attendees: [{ email: e.alice }],
    }),
    // Bob and Bea: one joint review on 31 March 2025 (just before the charts' 12 months), and
    // Bob's next review booked for April.
    booking({
      id: 'baker-r1',
      local: '2025-03-31T10:00',
      kind: 'review',
      attendees: [{ email: e.bob }, { email: e.bea }],
    }),
    booking({
      id: 'bob-upcoming',
      local: '2026-04-02T10:00',
      kind: 'review',
      attendees: [{ email: e.bob }],
    }),
    // Carol (her own cadence: 1 month). 31 January + 1 month = 28 February, never 3 March.
    booking({
      id: 'carol-r1',
      local: '2025-10-15T14:00',
      kind: 'review',
      attendees: [{ email: e.carol }],
    }),
    booking({
      id: 'carol-r2',
      local: '2026-01-31T10:00',
      kind: 'review',
      attendees: [{ email: e.carol }],
    }),
    // Dan: a "Catch-up" the rules call general, which the advisor overrides to a review.
    booking({
      id: 'dan-catchup',
      local: '2025-09-15T11:00',
      kind: 'general',
      title: 'Catch-up',
      attendees: [{ email: e.dan }],
    }),
    // Erin, the client's accountant: general meetings only, so not a client.
    booking({
      id: 'erin-1',
      local: '2025-06-10T15:00',
      kind: 'general',
      attendees: [{ email: e.erin }],
    }),
    booking({
      id: 'erin-2',
      local: '2026-03-10T15:00',
      kind: 'general',
      attendees: [{ email: e.erin }],
    }),
    // Frank (his own cadence: 6 months): never reviewed; one cancelled call.
    booking({
      id: 'frank-cancelled',
      local: '2026-02-20T10:00',
      kind: 'general',
      status: 'cancelled',
      attendees: [{ email: e.frank, cancelled: true }],
    }),
    // Grace: one review in December 2024, before the charts' window; due December 2025.
    booking({
      id: 'grace-r1',
      local: '2024-12-10T10:00',
      kind: 'review',
      attendees: [{ email: e.grace }],
    }),
  ];
}

export type ExpectedRow = Readonly<{
  contactId: string;
  name: string;
  meetings30: number;
  meetings90: number;
  meetings365: number;
  lastMeeting: string | null;
  lastReview: string | null;
  nextReviewDue: string | null;
  status: string | null;
  cancellations: number;
  noShows: number;
}>;

/**
 * Worked out by hand. Windows: 30 days back is 13 Feb 15:00 UTC, 90 is 15 Dec 2025, 365 is
 * 15 Mar 2025. Due soon until 14 April (today + 30 days).
 */
export const EXPECTED: readonly ExpectedRow[] = [
  // Last review 30 Nov (New York), + 3 months = 28 Feb (clamped) < 15 Mar: overdue.
  {
    contactId: ids.alice,
    name: 'Alice Archer',
    meetings30: 1,
    meetings90: 1,
    meetings365: 3,
    lastMeeting: '2026-03-01',
    lastReview: '2025-11-30',
    nextReviewDue: '2026-02-28',
    status: 'overdue',
    cancellations: 1,
    noShows: 1,
  },
  // 31 Mar 2025 + 12 = 31 Mar 2026: within 30 days: due soon.
  {
    contactId: ids.bea,
    name: 'Bea Baker',
    meetings30: 0,
    meetings90: 0,
    meetings365: 1,
    lastMeeting: '2025-03-31',
    lastReview: '2025-03-31',
    nextReviewDue: '2026-03-31',
    status: 'due_soon',
    cancellations: 0,
    noShows: 0,
  },
  {
    contactId: ids.bob,
    name: 'Bob Baker',
    meetings30: 0,
    meetings90: 0,
    meetings365: 1,
    lastMeeting: '2025-03-31',
    lastReview: '2025-03-31',
    nextReviewDue: '2026-03-31',
    status: 'due_soon',
    cancellations: 0,
    noShows: 0,
  },
  // 31 Jan + 1 month = 28 Feb < 15 Mar: overdue.
  {
    contactId: ids.carol,
    name: 'Carol Chen',
    meetings30: 0,
    meetings90: 1,
    meetings365: 2,
    lastMeeting: '2026-01-31',
    lastReview: '2026-01-31',
    nextReviewDue: '2026-02-28',
    status: 'overdue',
    cancellations: 0,
    noShows: 0,
  },
  // The override makes the catch-up a review: 15 Sep 2025 + 12 = 15 Sep 2026: on track.
  {
    contactId: ids.dan,
    name: 'Dan Diaz',
    meetings30: 0,
    meetings90: 0,
    meetings365: 1,
    lastMeeting: '2025-09-15',
    lastReview: '2025-09-15',
    nextReviewDue: '2026-09-15',
    status: 'on_track',
    cancellations: 0,
    noShows: 0,
  },
  // Not a client: no status.
  {
    contactId: ids.erin,
    name: 'Erin Evans',
    meetings30: 1,
    meetings90: 1,
    meetings365: 2,
    lastMeeting: '2026-03-10',
    lastReview: null,
    nextReviewDue: null,
    status: null,
    cancellations: 0,
    noShows: 0,
  },
  {
    contactId: ids.frank,
    name: 'Frank Fox',
    meetings30: 0,
    meetings90: 0,
    meetings365: 0,
    lastMeeting: null,
    lastReview: null,
    nextReviewDue: null,
    status: 'never_reviewed',
    cancellations: 1,
    noShows: 0,
  },
  // 10 Dec 2024 + 12 = 10 Dec 2025: overdue since 11 December.
  {
    contactId: ids.grace,
    name: 'Grace Green',
    meetings30: 0,
    meetings90: 0,
    meetings365: 0,
    lastMeeting: '2024-12-10',
    lastReview: '2024-12-10',
    nextReviewDue: '2025-12-10',
    status: 'overdue',
    cancellations: 0,
    noShows: 0,
  },
];

const cores: Core[] = [];
const sims: LacrmSim[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) {
    await c.context.secrets.delete(c.context.secretAccount('lacrm'));
    await c.context.secrets.delete(`${c.context.profile.profileId}:db-key`);
    c.close();
  }
  for (const s of sims.splice(0)) await s.close();
});

export function bookingId(core: Core, sourceId: string): number {
  return core.context
    .db()
    .prepare('SELECT id FROM bookings WHERE source_id = ?')
    .pluck()
    .get(sourceId) as number;
}

/** The fixture practice in a fresh data folder, with its policy and Dan's override set. */
export async function fixturePractice(
  options: Readonly<{ dataDir?: string; clock?: () => Date }> = {},
) {
  const sim = await startLacrmSim({ contacts: crm });
  sims.push(sim);
  const core = await createCore({
    dataDir: options.dataDir ?? tempDir(),
    secrets: new KeychainSecretStore(),
    clock: options.clock ?? (() => NOW),
    net: { requestsPerMinute: { lacrm: Number.POSITIVE_INFINITY }, timeoutMs: 3000 },
  });
  cores.push(core);
  await core.call('settings:set', {
    'lacrm.baseUrl': sim.baseUrl,
    'advisor.emails': [ADVISOR],
    'advisor.name': 'Avery Advisor',
    'review.timezone': ZONE,
    'review.defaultCadenceMonths': 12,
    'review.dueSoonDays': 30,
  });
  await core.call('secrets:set', { name: 'lacrm', value: sim.apiKey });
  // The group is set before any contact arrives: the contact sync's trigger puts Alice in it.
  await core.call('policy:setGroup', { field: 'Client tier', value: 'A', cadenceMonths: 3 });
  const db = core.context.db();
  db.transaction(() => {
    for (const b of fixtureBookings()) upsertBooking(db, b, null, NOW.toISOString());
  })();
  const outcome = await core.call('sync:run', { sources: ['lacrm'] });
  expect(outcome.results.map((r) => [r.source, r.state])).toEqual([['lacrm', 'ok']]);
  await core.call('policy:setContact', { contactId: ids.carol, cadenceMonths: 1 });
  await core.call('policy:setContact', { contactId: ids.frank, cadenceMonths: 6 });
  await core.call('classification:override', {
    bookingId: bookingId(core, 'dan-catchup'),
    category: 'portfolio_review',
    note: 'Reviewed the portfolio over coffee',
  });
  return { core, sim };
}
