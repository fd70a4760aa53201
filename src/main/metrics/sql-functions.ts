// The review-date arithmetic as SQLite functions, so next-due dates and statuses are computed in
// the store's queries rather than by loops in JavaScript:
//
//   add_months_in_zone(iso_or_date, months, zone) → yyyy-mm-dd   (sqlAddMonths: month-end clamped)
//   local_date(iso, zone)                          → yyyy-mm-dd   (the calendar date in the zone)
//
// Both are deterministic and run once per listed row, so both remember recent answers:
// local_date caches the zone's UTC offset per UTC day (a day whose two ends have the same offset
// has it throughout, since zones change offset at most once a day; a day with a change is worked
// out exactly for each instant), and add_months_in_zone caches by its arguments.
import { DateTime } from 'luxon';
import type { Db } from '../db/open';
import { localDate, sqlAddMonths } from './review-dates';

const DAY_MS = 86_400_000;
/** Cached entries per cache; bounded so a long-running app never grows without limit. */
const MAX_CACHED = 100_000;

const offsetCaches = new Map<string, Map<number, number>>();

function offsetMinutesAt(millis: number, zone: string): number {
  return DateTime.fromMillis(millis, { zone }).offset;
}

/** The UTC offset of `zone` at `millis`, from the per-day cache when the day is uniform. */
function offsetMinutes(millis: number, zone: string): number {
  let cache = offsetCaches.get(zone);
  if (cache === undefined) {
    cache = new Map();
    offsetCaches.set(zone, cache);
  }
  const day = Math.floor(millis / DAY_MS);
  const cached = cache.get(day);
  if (cached !== undefined) return cached;
  const atStart = offsetMinutesAt(day * DAY_MS, zone);
  const atEnd = offsetMinutesAt(day * DAY_MS + DAY_MS - 1, zone);
  if (atStart !== atEnd) return offsetMinutesAt(millis, zone);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(day, atStart);
  return atStart;
}

const addMonthsCache = new Map<string, string | null>();

/** sqlAddMonths, remembered: the dashboard asks for the same few thousand dates again and again. */
export function cachedAddMonths(
  isoOrDate: string | null,
  months: number | bigint | null,
  zone: string | null,
): string | null {
  if (isoOrDate === null || months === null || zone === null) return null;
  const key = `${isoOrDate}|${months}|${zone}`;
  const cached = addMonthsCache.get(key);
  if (cached !== undefined) return cached;
  const result = sqlAddMonths(isoOrDate, months, zone);
  if (addMonthsCache.size >= MAX_CACHED) addMonthsCache.clear();
  addMonthsCache.set(key, result);
  return result;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The yyyy-mm-dd of `instantIso` in `zone`; the same answer as `localDate` (tested against it),
 * faster on repeated calls. NULL in, NULL out.
 */
export function fastLocalDate(instantIso: string | null, zone: string | null): string | null {
  if (instantIso === null || zone === null) return null;
  const millis = ISO_INSTANT.test(instantIso) ? Date.parse(instantIso) : Number.NaN;
  // Anything unusual (a bare date, an unknown zone, years outside 0000–9999) takes the careful
  // path, which also throws the readable error for bad input.
  if (!Number.isFinite(millis) || !offsetCaches.has(zone)) {
    const exact = localDate(instantIso, zone);
    if (Number.isFinite(millis)) offsetMinutes(millis, zone);
    return exact;
  }
  const local = new Date(millis + offsetMinutes(millis, zone) * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1 || year > 9999) return localDate(instantIso, zone);
  return local.toISOString().slice(0, 10);
}

function textOrNull(value: unknown, what: string): string | null {
  if (value === null || typeof value === 'string') return value;
  throw new TypeError(`${what} must be text, got ${typeof value}`);
}

function monthsOrNull(value: unknown): number | bigint | null {
  if (value === null || typeof value === 'number' || typeof value === 'bigint') return value;
  throw new TypeError(`add_months_in_zone: the months must be a number, got ${typeof value}`);
}

const registered = new WeakSet<Db>();

/** Registers the functions on this connection (once; later calls do nothing). */
export function registerSqlFunctions(db: Db): void {
  if (registered.has(db)) return;
  db.function(
    'add_months_in_zone',
    { deterministic: true },
    (isoOrDate: unknown, months: unknown, zone: unknown) =>
      cachedAddMonths(
        textOrNull(isoOrDate, 'add_months_in_zone: the date'),
        monthsOrNull(months),
        textOrNull(zone, 'add_months_in_zone: the zone'),
      ),
  );
  db.function('local_date', { deterministic: true }, (instant: unknown, zone: unknown) =>
    fastLocalDate(
      textOrNull(instant, 'local_date: the instant'),
      textOrNull(zone, 'local_date: the zone'),
    ),
  );
  registered.add(db);
}
