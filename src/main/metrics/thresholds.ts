// Status boundaries as instants, so the store can tell every client's status by comparing the
// start of their last held review with a boundary, without working out each client's due date.
//
// Month arithmetic with month-end clamping (addMonthsInZone) never decreases when its date grows:
// a later review is never due earlier. So for a cadence c and a day X, the reviews whose due date
// falls before X are exactly those held before one boundary day T(c, X), the first day whose due
// date is not before X. "Overdue today" is "due before today", and "due soon" is "due before the
// day after the due-soon window ends". Reviews held before the start of T in the advisor's zone
// are the ones held on a local date before T. thresholds.test.ts checks every boundary against the
// due dates themselves, across month ends and leap years.
import { DateTime } from 'luxon';
import { addMonthsInZone, daysUntil, type IsoDate } from './review-dates';

/** The cadences a policy may set (CadenceMonths in the contract). */
export const CADENCES = Array.from({ length: 60 }, (_, index) => index + 1);

const DAY_MS = 86_400_000;

/** The calendar date `days` after `date`. */
export function plusDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

function dueDate(held: IsoDate, months: number): IsoDate {
  // A bare date is already local: the zone plays no part.
  return addMonthsInZone(held, months, 'UTC');
}

/**
 * The first local date whose review, `months` later, is due on or after `target`. Every review
 * held before it is due before `target`; every review held on or after it is not.
 */
export function firstDateDueOnOrAfter(target: IsoDate, months: number): IsoDate {
  let candidate = addMonthsInZone(target, -months, 'UTC');
  // Clamping can leave the candidate a few days off in either direction; each step is one day.
  while (dueDate(candidate, months) < target) candidate = plusDays(candidate, 1);
  for (;;) {
    const before = plusDays(candidate, -1);
    if (dueDate(before, months) < target) return candidate;
    candidate = before;
  }
}

/** The instant `date` begins in `zone`, as the store writes instants (toISOString). */
export function startOfLocalDay(date: IsoDate, zone: string): string {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  if (!start.isValid) throw new RangeError(`${date} is not a date in ${zone}`);
  return start.toUTC().toJSDate().toISOString();
}

export type StatusBoundary = Readonly<{
  cadence: number;
  /** Last held review started before this: overdue (due before today). */
  overdueBefore: string;
  /** Otherwise, before this: due soon (due on or before today + the due-soon window). */
  soonBefore: string;
}>;

/** Boundaries for each cadence (every possible one by default), for today and the due-soon window. */
export function statusBoundaries(
  today: IsoDate,
  dueSoonDays: number,
  zone: string,
  cadences: readonly number[] = CADENCES,
): StatusBoundary[] {
  daysUntil(today, today); // a readable error for a malformed date, before anything else
  const afterWindow = plusDays(today, dueSoonDays + 1);
  return cadences.map((cadence) => ({
    cadence,
    overdueBefore: startOfLocalDay(firstDateDueOnOrAfter(today, cadence), zone),
    soonBefore: startOfLocalDay(firstDateDueOnOrAfter(afterWindow, cadence), zone),
  }));
}

export type PointBoundaries = Readonly<{
  cadence: number;
  /** For each of the days given, in order: a last review held before this was overdue then. */
  overdueBefore: readonly string[];
}>;

/** For each cadence, and each day in `dates`: reviews held before the instant are overdue then. */
export function overdueBoundaries(
  dates: readonly IsoDate[],
  zone: string,
  cadences: readonly number[] = CADENCES,
): PointBoundaries[] {
  return cadences.map((cadence) => ({
    cadence,
    overdueBefore: dates.map((date) => startOfLocalDay(firstDateDueOnOrAfter(date, cadence), zone)),
  }));
}
