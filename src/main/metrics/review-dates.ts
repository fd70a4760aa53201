// Review-date arithmetic: when a client's next review is due and what state they are in, computed
// only from meetings that were actually held. Everything works on calendar dates in the advisor's
// zone: a review at 23:30 in New York on 31 January is a 31 January review even though it is
// 1 February in UTC. Month arithmetic clamps to month end (31 Jan + 1 month = 28/29 Feb, never
// 3 Mar), and due dates never roll forward on their own: no held review, no new due date.
import { DateTime } from 'luxon';
import { assertNever } from '../../shared/result';
import type { BookingStatus } from '../../shared/domain';
import type { Category } from '../../shared/classification';
import { isValidTimeZone } from '../../shared/settings';

/** A calendar date, yyyy-mm-dd. */
export type IsoDate = string;

export type ReviewStatus = 'on_track' | 'due_soon' | 'overdue' | 'never_reviewed';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An instant must say where it is: Z or ±hh:mm (or ±hhmm). */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

type CalendarDate = Readonly<{ year: number; month: number; day: number }>;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

function formatDate({ year, month, day }: CalendarDate): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseDate(text: string, what: string): CalendarDate {
  const match = DATE_RE.exec(text);
  const [year, month, day] = match ? [match[1], match[2], match[3]].map(Number) : [];
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new RangeError(`${what} must be a calendar date yyyy-mm-dd, got ${JSON.stringify(text)}`);
  }
  return { year, month, day };
}

const knownZones = new Set<string>();

function assertZone(zone: string): void {
  if (knownZones.has(zone)) return;
  // Both checks: Intl rejects luxon's machine-dependent "local"/"system", luxon must be able to use it.
  if (typeof zone !== 'string' || !isValidTimeZone(zone) || !DateTime.now().setZone(zone).isValid) {
    throw new RangeError(
      `time zone must be an IANA zone such as America/New_York, got ${JSON.stringify(zone)}`,
    );
  }
  knownZones.add(zone);
}

function parseInstant(text: string, what: string): DateTime {
  const parsed = INSTANT_RE.test(text) ? DateTime.fromISO(text, { setZone: true }) : null;
  if (!parsed?.isValid) {
    throw new RangeError(
      `${what} must be an ISO 8601 instant with Z or an offset (2026-01-31T23:30:00-05:00), got ${JSON.stringify(text)}`,
    );
  }
  return parsed;
}

// The form every stored instant has (Date#toISOString, with or without milliseconds).
const UTC_INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Epoch milliseconds of an instant: parseInstant's answer, without luxon for the UTC form the
 * store keeps. A plan or a metric reads two instants per meeting, and making a luxon DateTime for
 * each was most of the time of reading 100,000 meetings. A text Date.parse reads differently from
 * its face ("2026-02-30", "24:00" roll over) goes to parseInstant, which says what is wrong.
 */
export function instantMillis(text: string, what: string): number {
  if (UTC_INSTANT_RE.test(text)) {
    const millis = Date.parse(text);
    if (!Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 19) === text.slice(0, 19))
      return millis;
  }
  return parseInstant(text, what).toMillis();
}

/** The calendar date of an instant in `zone`. A bare yyyy-mm-dd is already a local date. */
function localCalendarDate(instantOrDate: string, zone: string, what: string): CalendarDate {
  if (typeof instantOrDate !== 'string') {
    throw new TypeError(`${what} must be a string, got ${typeof instantOrDate}`);
  }
  assertZone(zone);
  if (DATE_RE.test(instantOrDate)) return parseDate(instantOrDate, what);
  const local = parseInstant(instantOrDate, what).setZone(zone);
  return { year: local.year, month: local.month, day: local.day };
}

/** yyyy-mm-dd of `instantIso` as a calendar in `zone` shows it. */
export function localDate(instantIso: string, zone: string): IsoDate {
  return formatDate(localCalendarDate(instantIso, zone, 'instant'));
}

const MAX_MONTHS = 12 * 1000;

function addMonthsToDate(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isSafeInteger(months) || Math.abs(months) > MAX_MONTHS) {
    throw new RangeError(`months must be a whole number of months, got ${String(months)}`);
  }
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  if (year < 1 || year > 9999) {
    throw new RangeError(`adding ${months} months to ${formatDate(date)} leaves years 0001–9999`);
  }
  // Clamp rather than overflow: 31 Aug + 6 months is the last day of February, not 3 March.
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/**
 * The local calendar date `months` after the local date of `instantIso` in `zone`, clamped to the
 * end of the target month. `instantIso` may also be a bare yyyy-mm-dd (taken as that local date).
 */
export function addMonthsInZone(instantIso: string, months: number, zone: string): IsoDate {
  return formatDate(addMonthsToDate(localCalendarDate(instantIso, zone, 'instant'), months));
}

/** Next review due: last held review's local date + cadence; null if the client never had one. */
export function nextReviewDue(
  lastHeldReviewIso: string | null,
  cadenceMonths: number,
  zone: string,
): IsoDate | null {
  if (!Number.isSafeInteger(cadenceMonths) || cadenceMonths < 1) {
    throw new RangeError(
      `cadence must be a whole number of months ≥ 1, got ${String(cadenceMonths)}`,
    );
  }
  if (lastHeldReviewIso === null) return null;
  return addMonthsInZone(lastHeldReviewIso, cadenceMonths, zone);
}

function epochDay({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Whole calendar days from `today` until `due` (negative once it has passed). */
export function daysUntil(due: IsoDate, today: IsoDate): number {
  return epochDay(parseDate(due, 'due date')) - epochDay(parseDate(today, 'today'));
}

export type ReviewStatusInput = Readonly<{
  nextDue: IsoDate | null;
  /** The advisor's today, as a calendar date in their zone (see `localDate`). */
  today: IsoDate;
  /** How many days before the due date a client turns "due soon". */
  dueSoonDays: number;
}>;

/**
 * - never_reviewed: no held review, so no due date;
 * - overdue: from the day after the due date;
 * - due_soon: from `dueSoonDays` days before the due date up to and including the due date;
 * - on_track: earlier than that.
 */
export function reviewStatus({ nextDue, today, dueSoonDays }: ReviewStatusInput): ReviewStatus {
  if (!Number.isSafeInteger(dueSoonDays) || dueSoonDays < 0) {
    throw new RangeError(
      `due-soon window must be a whole number of days ≥ 0, got ${String(dueSoonDays)}`,
    );
  }
  if (nextDue === null) {
    parseDate(today, 'today');
    return 'never_reviewed';
  }
  const remaining = daysUntil(nextDue, today);
  if (remaining < 0) return 'overdue';
  if (remaining <= dueSoonDays) return 'due_soon';
  return 'on_track';
}

// ---------------------------------------------------------------------------------------------
// Held meetings

export type HeldMeetingCandidate = Readonly<{
  status: BookingStatus;
  startUtc: string;
  endUtc: string;
  /** When given: a meeting every attendee missed or left was not held, whatever its status says. */
  attendees?: readonly Readonly<{ noShow: boolean; cancelled: boolean }>[];
}>;

export type HeldReviewCandidate = HeldMeetingCandidate &
  Readonly<{
    /** When given, only 'portfolio_review' counts; leave it out if the caller already filtered. */
    category?: Category;
  }>;

function statusCanBeHeld(status: BookingStatus): boolean {
  switch (status) {
    case 'scheduled':
    case 'completed':
      return true;
    case 'pending':
    case 'cancelled':
    case 'rejected':
    case 'no_show':
      return false;
    default:
      return assertNever(status, 'booking status');
  }
}

/**
 * Whether the meeting actually took place: a status that can be held (scheduled or completed, not
 * pending, cancelled, rejected or no-show), ended at or before `nowIso`, and (when attendees are
 * given) at least one attendee neither marked no-show nor cancelled.
 */
export function isHeldMeeting(booking: HeldMeetingCandidate, nowIso: string): boolean {
  if (!statusCanBeHeld(booking.status)) return false;
  const now = instantMillis(nowIso, 'now');
  const end = instantMillis(booking.endUtc, 'meeting end');
  if (end > now) return false;
  if (booking.attendees && booking.attendees.length > 0) {
    return booking.attendees.some((attendee) => !attendee.noShow && !attendee.cancelled);
  }
  return true;
}

/** A held meeting that counts as a review (see `isHeldMeeting`; category checked when given). */
export function isHeldReview(booking: HeldReviewCandidate, nowIso: string): boolean {
  if (booking.category !== undefined && booking.category !== 'portfolio_review') return false;
  return isHeldMeeting(booking, nowIso);
}

/** Start of the latest held review among `bookings`, or null: the input to `nextReviewDue`. */
export function lastHeldReviewStart(
  bookings: Iterable<HeldReviewCandidate>,
  nowIso: string,
): string | null {
  let latest: { iso: string; millis: number } | null = null;
  for (const booking of bookings) {
    if (!isHeldReview(booking, nowIso)) continue;
    const millis = instantMillis(booking.startUtc, 'meeting start');
    if (latest === null || millis > latest.millis) latest = { iso: booking.startUtc, millis };
  }
  return latest?.iso ?? null;
}

// ---------------------------------------------------------------------------------------------
// SQLite

/**
 * `addMonthsInZone` shaped for registration as a deterministic SQLite scalar function, e.g.
 * `db.function('add_months_in_zone', { deterministic: true }, sqlAddMonths)`. NULL in gives NULL
 * out (SQL's convention); integer arguments may arrive as bigint (better-sqlite3 `safeIntegers`);
 * bad input throws, which SQLite reports as an error of the statement.
 */
export function sqlAddMonths(isoOrDate: string, months: number, zone: string): string;
export function sqlAddMonths(
  isoOrDate: string | null,
  months: number | bigint | null,
  zone: string | null,
): string | null;
export function sqlAddMonths(
  isoOrDate: string | null,
  months: number | bigint | null,
  zone: string | null,
): string | null {
  if (isoOrDate === null || months === null || zone === null) return null;
  const wholeMonths = typeof months === 'bigint' ? Number(months) : months;
  return addMonthsInZone(isoOrDate, wholeMonths, zone);
}
