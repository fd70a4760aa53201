// The demo practice generator: a deterministic (per seed) independent advisor's book of business —
// LACRM contacts, two years of meetings spread over Cal.com, Calendly and TidyCal in each API's own
// shapes, and the ground truth behind them — for the simulators, the demo and the tests that
// measure matching and classification. Scale it up ({ contacts: 20000, bookings: 100000,
// years: 5 }) for benchmarks. Everything in it is invented, on example domains.
import { Random } from './practice/random';
import { buildContacts, createPeople } from './practice/people';
import { renderPractice } from './practice/render';
import { buildSchedule } from './practice/schedule';
import { DAY, ZoneClock } from './practice/time';
import type {
  Practice,
  PracticeAdvisor,
  PracticeCustomField,
  PracticeOptions,
} from './practice/types';
import type { BookingSource } from '../../shared/domain';

export type {
  AttendeeTruth,
  EmailVariant,
  MeetingCategory,
  MeetingKind,
  MeetingOutcome,
  MeetingTruth,
  NameVariant,
  PersonKind,
  Practice,
  PracticeAdvisor,
  PracticeCustomField,
  PracticeOptions,
  PracticeStats,
} from './practice/types';
export { emailVariants, nameVariants } from './practice/types';

/** Fixed so that a seed alone reproduces a practice; the live demo passes Date.now(). */
export const DEFAULT_PRACTICE_NOW = '2026-11-20T15:00:00.000Z';

/** The custom fields the generated contacts carry, for setting up the LACRM simulator. */
export const PRACTICE_CUSTOM_FIELDS: readonly PracticeCustomField[] = [
  { name: 'Last portfolio review', type: 'Date' },
  { name: 'Next review due', type: 'Date' },
  { name: 'Meetings last 12 months', type: 'Number' },
  { name: 'Client tier', type: 'Dropdown', options: ['Top', 'Standard'] },
  {
    name: 'Contact type',
    type: 'Dropdown',
    options: ['Client', 'Prospect', 'Professional', 'Family'],
  },
];

export const PRACTICE_ADVISOR: PracticeAdvisor = {
  firstName: 'Morgan',
  lastName: 'Ellery',
  name: 'Morgan Ellery',
  company: 'Harbor Wealth Partners',
  timeZone: 'America/New_York',
  emails: {
    calcom: 'morgan@harborwealth.example',
    calendly: 'morgan.ellery@harborwealth.example',
    tidycal: 'scheduling@harborwealth.example',
    lacrm: 'morgan@harborwealth.example',
    all: [
      'morgan@harborwealth.example',
      'morgan.ellery@harborwealth.example',
      'scheduling@harborwealth.example',
    ],
  },
};

const LACRM_USER_ID = 483_823;
/** How far past `now` the calendar runs (upcoming and pending bookings). */
const HORIZON_DAYS = 42;

/** The key a truth entry is found by: source, booking id and the address as the service shows it. */
export function truthKey(source: BookingSource, bookingId: string, email: string): string {
  return `${source}|${bookingId}|${email}`;
}

function instant(value: string | number | Date): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms))
    throw new Error(`generatePractice: now is not a valid instant (${String(value)})`);
  return Math.floor(ms / 60_000) * 60_000;
}

function wholeNumber(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min))
    throw new Error(`generatePractice: ${name} must be an integer ≥ ${min} (got ${value})`);
}

export function generatePractice(options: PracticeOptions = {}): Practice {
  wholeNumber('seed', options.seed, 0);
  wholeNumber('clients', options.clients, 1);
  wholeNumber('contacts', options.contacts, 1);
  wholeNumber('bookings', options.bookings, 0);
  if (options.years !== undefined && !(options.years > 0 && options.years <= 30))
    throw new Error(`generatePractice: years must be in (0, 30] (got ${options.years})`);

  const seed = options.seed ?? 1;
  const nowMs = instant(options.now ?? DEFAULT_PRACTICE_NOW);
  const years = options.years ?? 2;
  const clients =
    options.clients ??
    (options.contacts !== undefined ? Math.max(1, Math.round(options.contacts * 0.8)) : 150);
  const contacts = options.contacts ?? Math.round(clients / 0.8);
  if (contacts < clients)
    throw new Error(
      `generatePractice: contacts (${contacts}) cannot be fewer than clients (${clients})`,
    );
  const fromMs = instant(nowMs - years * 365.25 * DAY);
  const toMs = nowMs + HORIZON_DAYS * DAY;
  const advisor = PRACTICE_ADVISOR;
  const random = new Random(seed);

  const people = createPeople(random.fork('people'), {
    clients,
    crmNonClients: contacts - clients,
    fromMs,
    nowMs,
  });
  const clock = new ZoneClock(advisor.timeZone);
  const lacrmContacts = buildContacts(random.fork('crm'), people, {
    userId: LACRM_USER_ID,
    fromMs,
    nowMs,
    clock,
  });
  const plans = buildSchedule(random.fork('schedule'), people, {
    fromMs,
    nowMs,
    toMs,
    clock,
    targetRecords: options.bookings ?? null,
  });
  const rendered = renderPractice(random.fork('render'), plans, {
    advisor,
    nowMs,
    accountsSinceMs: fromMs - 400 * DAY,
  });

  const bookings = {
    calcom: rendered.calcom.bookings.length,
    calendly: rendered.calendly.events.length,
    tidycal: rendered.tidycal.bookings.length,
  };
  return {
    seed,
    now: new Date(nowMs).toISOString(),
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    advisor,
    lacrm: {
      user: {
        UserId: LACRM_USER_ID,
        FirstName: advisor.firstName,
        LastName: advisor.lastName,
        Email: advisor.emails.lacrm,
        Timezone: advisor.timeZone,
      },
      contacts: lacrmContacts,
      customFields: PRACTICE_CUSTOM_FIELDS,
    },
    calcom: rendered.calcom,
    calendly: rendered.calendly,
    tidycal: rendered.tidycal,
    truth: { attendees: rendered.attendees, meetings: rendered.meetings },
    stats: {
      contacts: people.inCrm.length,
      clients: people.clients.length,
      companies: lacrmContacts.length - people.inCrm.length,
      bookings: { ...bookings, total: bookings.calcom + bookings.calendly + bookings.tidycal },
      meetings: rendered.meetings.length,
      attendees: rendered.attendees.length,
    },
  };
}
