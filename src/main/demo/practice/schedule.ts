// The practice's calendar before it is rendered into any API's shapes: who meets the advisor, about
// what, when (business hours in the advisor's zone), on which scheduler, and what became of it
// (held, cancelled, no-show, rescheduled, pending…). Reviews follow each client's cadence
// (quarterly for the top tier, annual otherwise) with lapsed clients falling overdue; general
// meetings, prospects, webinars and a few bookings on other people's pages fill in the rest.
import type { BookingSource } from '../../../shared/domain';
import { catalogEntry, KIND_PLACES } from './catalog';
import type { People, Person } from './people';
import type { Random } from './random';
import { DAY, HOUR, MINUTE, type ZoneClock } from './time';
import type { MeetingKind, MeetingOutcome } from './types';

export type Reschedule = Readonly<{ atMs: number; originalStartMs: number }>;

export type MeetingPlan = {
  seq: number;
  kind: MeetingKind;
  source: BookingSource;
  slug: string;
  startMs: number;
  durationMin: number;
  createdMs: number;
  outcome: MeetingOutcome;
  reschedule: Reschedule | null;
  /** When the booking was cancelled, rejected or marked no-show (null otherwise). */
  changedAtMs: number | null;
  /** The person who booked (for 'external', the host whose page the advisor booked). */
  attendee: Person;
  guests: Person[];
  /** Webinar invitees, each of whom may cancel alone. */
  invitees: { person: Person; cancelled: boolean }[];
  seriesKey: string | null;
  /** Booking records this meeting becomes (a Cal.com or Calendly reschedule is two). */
  records: number;
};

export type ScheduleOptions = Readonly<{
  fromMs: number;
  nowMs: number;
  /** Meetings run up to here (a few weeks after now). */
  toMs: number;
  clock: ZoneClock;
  /** Exact number of booking records wanted, or null for the natural count. */
  targetRecords: number | null;
}>;

function placeFor(random: Random, kind: MeetingKind): readonly [BookingSource, string] {
  return random.weighted(KIND_PLACES[kind]);
}

function leadTime(random: Random, kind: MeetingKind): number {
  switch (kind) {
    case 'portfolio_review':
    case 'annual_review':
    case 'quarterly_review':
    case 'estate_planning':
      return random.between(5, 50) * DAY;
    case 'intro_call':
      return random.between(0.2, 8) * DAY;
    case 'webinar':
      return random.between(3, 30) * DAY;
    case 'check_in':
    case 'tax_planning':
    case 'insurance_review':
    case 'retirement_planning':
    case 'external':
      return random.between(1, 21) * DAY;
  }
}

const CALCOM_OUTCOMES_PAST: readonly (readonly [MeetingOutcome, number])[] = [
  ['completed', 82],
  ['cancelled', 7],
  ['no_show', 4],
  ['awaiting_host', 1],
];
const CALCOM_CONFIRMABLE_PAST: readonly (readonly [MeetingOutcome, number])[] = [
  ['completed', 74],
  ['cancelled', 7],
  ['no_show', 4],
  ['rejected', 8],
  ['expired_pending', 6],
  ['awaiting_host', 1],
];
const FUTURE_OUTCOMES: readonly (readonly [MeetingOutcome, number])[] = [
  ['upcoming', 92],
  ['cancelled', 8],
];
const CALCOM_CONFIRMABLE_FUTURE: readonly (readonly [MeetingOutcome, number])[] = [
  ['upcoming', 55],
  ['pending', 35],
  ['cancelled', 6],
  ['rejected', 4],
];

/** What became of a meeting, limited to what its source can express. */
function pickOutcome(random: Random, plan: MeetingPlan, nowMs: number): MeetingOutcome {
  const future = plan.startMs + plan.durationMin * MINUTE > nowMs;
  if (plan.kind === 'external' || plan.kind === 'webinar' || plan.seriesKey)
    return future ? 'upcoming' : 'completed';
  const confirmable =
    plan.source === 'calcom' && catalogEntry(plan.source, plan.slug).requiresConfirmation === true;
  switch (plan.source) {
    case 'calcom':
      if (future) return random.weighted(confirmable ? CALCOM_CONFIRMABLE_FUTURE : FUTURE_OUTCOMES);
      return random.weighted(confirmable ? CALCOM_CONFIRMABLE_PAST : CALCOM_OUTCOMES_PAST);
    case 'calendly':
      return future
        ? random.weighted(FUTURE_OUTCOMES)
        : random.weighted([
            ['completed', 85],
            ['cancelled', 8],
            ['no_show', 5],
          ]);
    case 'tidycal':
      // TidyCal has no no-show flag and no confirmation step.
      return future
        ? random.weighted(FUTURE_OUTCOMES)
        : random.weighted([
            ['completed', 91],
            ['cancelled', 9],
          ]);
  }
}

/** Fills in created time, outcome and any reschedule; returns the records the plan needs. */
function settle(random: Random, plan: MeetingPlan, nowMs: number, clock: ZoneClock): void {
  plan.createdMs = Math.min(
    plan.startMs - leadTime(random, plan.kind),
    nowMs - random.between(1, 48) * HOUR,
  );
  plan.outcome = pickOutcome(random, plan, nowMs);
  const simple = plan.kind === 'webinar' || plan.kind === 'external' || plan.seriesKey !== null;
  const movable =
    !simple &&
    plan.outcome !== 'rejected' &&
    plan.outcome !== 'pending' &&
    plan.outcome !== 'expired_pending';
  if (movable && random.chance(0.08)) {
    const originalStartMs = clock.slot(random, plan.startMs + random.between(-10, 10) * DAY);
    const latest = Math.min(originalStartMs, plan.startMs, nowMs) - HOUR;
    if (latest > plan.createdMs + HOUR)
      plan.reschedule = { atMs: random.between(plan.createdMs + HOUR, latest), originalStartMs };
  }
  const since = plan.reschedule?.atMs ?? plan.createdMs;
  switch (plan.outcome) {
    case 'cancelled':
    case 'rejected':
      plan.changedAtMs = random.between(
        since,
        Math.max(since, Math.min(plan.startMs, nowMs) - MINUTE),
      );
      break;
    case 'no_show':
      plan.changedAtMs = Math.min(
        nowMs,
        plan.startMs + plan.durationMin * MINUTE + random.between(10, 1440) * MINUTE,
      );
      break;
    case 'completed':
    case 'upcoming':
    case 'pending':
    case 'expired_pending':
    case 'awaiting_host':
      plan.changedAtMs = null;
      break;
  }
  plan.records = plan.reschedule && plan.source !== 'tidycal' ? 2 : 1;
}

export function buildSchedule(
  random: Random,
  people: People,
  options: ScheduleOptions,
): MeetingPlan[] {
  const { fromMs, nowMs, toMs, clock } = options;
  const plans: MeetingPlan[] = [];
  let seq = 0;
  const years = (toMs - fromMs) / (365 * DAY);
  const prospectCount = Math.max(6, Math.round(people.clients.length * 0.3 * years));

  // When a smaller count is wanted than the calendar would naturally hold, thin every kind of
  // meeting alike as it is planned (cheaper than planning them all and dropping most);
  // fitToTarget then trims or tops up to the exact number.
  const reviewsPerYear = people.clients.reduce((sum, c) => sum + (c.tier === 'Top' ? 4 : 1), 0);
  const naturalEstimate =
    (reviewsPerYear * 0.8 + (people.clients.length * 365) / 280) * years + prospectCount * 1.25;
  const keepShare =
    options.targetRecords === null
      ? 1
      : Math.min(1, (1.1 * options.targetRecords) / Math.max(1, naturalEstimate));
  const thinning = random.fork('thinning');
  const kept = () => keepShare >= 1 || thinning.chance(keepShare);

  const make = (
    r: Random,
    kind: MeetingKind,
    attendee: Person,
    aroundMs: number,
    extra: Partial<Pick<MeetingPlan, 'guests' | 'invitees' | 'seriesKey'>> & {
      place?: readonly [BookingSource, string];
    } = {},
  ): MeetingPlan | null => {
    const startMs = clock.slot(r, aroundMs);
    if (startMs < fromMs || startMs > toMs) return null;
    const [source, slug] = extra.place ?? placeFor(r, kind);
    const duration = kind === 'external' ? 45 : catalogEntry(source, slug).duration;
    const plan: MeetingPlan = {
      seq: seq++,
      kind,
      source,
      slug,
      startMs,
      durationMin: duration,
      createdMs: startMs,
      outcome: 'completed',
      reschedule: null,
      changedAtMs: null,
      attendee,
      guests: extra.guests ?? [],
      invitees: extra.invitees ?? [],
      seriesKey: extra.seriesKey ?? null,
      records: 1,
    };
    return plan;
  };
  const add: typeof make = (...args) => {
    if (args[4]?.seriesKey === undefined && !kept()) return null;
    const plan = make(...args);
    if (plan) plans.push(plan);
    return plan;
  };

  const spouseGuest = (r: Random, person: Person, probability: number): Person[] =>
    person.spouse && r.chance(probability) ? [person.spouse] : [];

  // Reviews on each client's cadence; joint clients usually come together.
  const reviews = random.fork('reviews');
  const seenHouseholds = new Set<string>();
  for (const client of people.clients) {
    const household = [client.id, client.spouse?.id ?? ''].sort().join('+');
    const jointClient = client.spouse?.kind === 'client';
    if (jointClient && seenHouseholds.has(household)) continue;
    seenHouseholds.add(household);
    const period = client.tier === 'Top' ? 91 * DAY : 365 * DAY;
    const stopAt = Math.min(toMs, client.lapsedAfterMs ?? toMs);
    let t =
      Math.max(fromMs - period, client.sinceMs + reviews.between(20, 90) * DAY) +
      reviews.between(0, period);
    let count = 0;
    for (; t < stopAt; t += period * reviews.between(0.85, 1.15), count += 1) {
      if (t < fromMs) continue;
      const kind: MeetingKind =
        client.tier === 'Top'
          ? count % 4 === 3
            ? 'annual_review'
            : 'quarterly_review'
          : reviews.chance(0.5)
            ? 'annual_review'
            : 'portfolio_review';
      // Either spouse may be the one who books; the other often comes along as a guest.
      const booker = jointClient && reviews.chance(0.3) ? client.spouse! : client;
      add(reviews, kind, booker, t, { guests: spouseGuest(reviews, booker, 0.45) });
    }
  }

  // General meetings: check-ins, tax and estate planning, the odd insurance review.
  const general = random.fork('general');
  for (const client of people.clients) {
    const startFrom = Math.max(fromMs, client.sinceMs);
    for (
      let t = startFrom + general.exponential(280 * DAY);
      t < toMs;
      t += general.exponential(280 * DAY)
    ) {
      const kind = general.weighted<MeetingKind>([
        ['check_in', 45],
        ['tax_planning', 25],
        ['estate_planning', 8],
        ['retirement_planning', 10],
        ['insurance_review', 6],
      ]);
      const guests: Person[] = spouseGuest(general, client, 0.15);
      if (kind === 'tax_planning' && people.professionals.length > 0 && general.chance(0.2))
        guests.push(general.pick(people.professionals));
      add(general, kind, client, t, { guests });
    }
  }

  // Clients who joined during the window had an intro call first, before they were in the CRM.
  const intros = random.fork('intros');
  for (const client of people.clients)
    if (client.sinceMs > fromMs)
      add(intros, 'intro_call', client, client.sinceMs - intros.between(7, 45) * DAY);

  // Prospects who never became clients: mostly not in the CRM at all.
  const prospects = random.fork('prospects');
  const crmProspects = people.crmNonClients.filter((p) => p.role === 'Prospect');
  for (let i = 0; i < prospectCount; i += 1) {
    const at = prospects.between(fromMs, toMs);
    const person =
      crmProspects.length > 0 && prospects.chance(0.25)
        ? prospects.pick(crmProspects)
        : people.newProspect(prospects, at);
    add(prospects, 'intro_call', person, at);
    if (prospects.chance(0.25))
      add(
        prospects,
        prospects.chance(0.5) ? 'check_in' : 'retirement_planning',
        person,
        at + prospects.between(7, 60) * DAY,
      );
  }

  // Professionals and family in the CRM book the odd meeting themselves.
  const others = random.fork('others');
  for (const person of people.crmNonClients) {
    if (person.role === 'Prospect' || !others.chance(0.3)) continue;
    add(
      others,
      person.role === 'Family' ? 'estate_planning' : 'check_in',
      person,
      others.between(fromMs, toMs),
    );
  }

  // A quarterly webinar on Calendly, with a crowd of clients.
  const webinars = random.fork('webinars');
  if (people.clients.length > 0)
    for (let t = fromMs + 30 * DAY; t < toMs; t += 91 * DAY) {
      const size = webinars.int(3, Math.min(12, people.clients.length));
      const crowd = webinars.shuffle([...people.clients]).slice(0, size);
      add(webinars, 'webinar', crowd[0]!, t, {
        invitees: crowd.map((person) => ({ person, cancelled: webinars.chance(0.15) })),
      });
    }

  // The advisor books a professional's Cal.com page: the advisor is the attendee there.
  const external = random.fork('external');
  if (people.professionals.length > 0)
    for (
      let t = fromMs + external.between(0, 180 * DAY);
      t < toMs;
      t += external.between(120, 240) * DAY
    )
      add(external, 'external', external.pick(people.professionals), t);

  // A few top clients keep a monthly recurring check-in (a Cal.com series).
  const series = random.fork('series');
  const seriesClients = people.clients
    .filter((c) => c.tier === 'Top')
    .slice(0, Math.max(1, Math.round(people.clients.length / 75)));
  for (const client of seriesClients) {
    const first = series.between(fromMs, Math.max(fromMs, toMs - 200 * DAY));
    const key = `series-${client.id}`;
    for (let i = 0; i < 6; i += 1)
      add(series, 'check_in', client, first + i * 30 * DAY, {
        seriesKey: key,
        place: ['calcom', 'check-in'],
      });
  }

  const outcomes = random.fork('outcomes');
  for (const plan of plans) settle(outcomes, plan, nowMs, clock);

  const fitted =
    options.targetRecords === null
      ? plans
      : fitToTarget(random.fork('fit'), plans, options, people, make, (p) =>
          settle(outcomes, p, nowMs, clock),
        );
  return fitted.sort((a, b) => a.createdMs - b.createdMs || a.seq - b.seq);
}

/** Drops random meetings (keeping the mix) or adds check-ins until the record count is exact. */
function fitToTarget(
  random: Random,
  plans: MeetingPlan[],
  options: ScheduleOptions,
  people: People,
  make: (r: Random, kind: MeetingKind, attendee: Person, aroundMs: number) => MeetingPlan | null,
  settlePlan: (plan: MeetingPlan) => void,
): MeetingPlan[] {
  const target = options.targetRecords!;
  let total = plans.reduce((sum, p) => sum + p.records, 0);
  let kept = [...plans];
  if (total > target) {
    // Series occurrences go or stay together so a series is never half there.
    const order = random.shuffle(plans.map((_, i) => i));
    const dropped = new Set<number>();
    for (const i of order) {
      if (total <= target) break;
      const plan = plans[i]!;
      if (plan.seriesKey !== null) continue;
      dropped.add(i);
      total -= plan.records;
    }
    kept = plans.filter((_, i) => !dropped.has(i));
  }
  const pool = people.clients.length > 0 ? people.clients : people.crmNonClients;
  let guard = 0;
  while (total < target && guard < target * 4) {
    guard += 1;
    const person = random.pick(pool);
    const plan = make(
      random,
      random.chance(0.7) ? 'check_in' : 'tax_planning',
      person,
      random.between(options.fromMs, options.toMs),
    );
    if (!plan) continue;
    settlePlan(plan);
    if (total + plan.records > target) {
      plan.reschedule = null;
      plan.records = 1;
    }
    kept.push(plan);
    total += plan.records;
  }
  // Series that alone exceed a tiny target are trimmed last.
  while (total > target) {
    const index = kept.findIndex((p) => p.seriesKey !== null);
    if (index < 0) break;
    total -= kept[index]!.records;
    kept.splice(index, 1);
  }
  return kept;
}
