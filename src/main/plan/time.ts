// Meeting times as LACRM takes them (ISO 8601 with the booking zone's offset, seconds precision),
// fast: the planner formats two per meeting on every sync, and luxon's zone conversion was most of
// its time for a practice's history. The zone's offset is remembered per UTC day (zones change
// offset at most once a day, so a day whose two ends agree has that offset throughout; a day with
// a change is worked out exactly). Same answers as formatLacrmDateTime (time.test.ts checks).
import { DateTime } from 'luxon';
import { formatLacrmDateTime } from '../crm/lacrm/client';

const DAY_MS = 86_400_000;
const MAX_DAYS_CACHED = 50_000;
const MIN_MS = Date.UTC(1000, 0, 2);
const MAX_MS = Date.UTC(9999, 11, 30);

const offsets = new Map<string, Map<number, number>>();

function exactOffset(millis: number, zone: string): number {
  return DateTime.fromMillis(millis, { zone }).offset;
}

function offsetMinutes(millis: number, zone: string): number {
  let days = offsets.get(zone);
  if (days === undefined) {
    days = new Map();
    offsets.set(zone, days);
  }
  const day = Math.floor(millis / DAY_MS);
  const known = days.get(day);
  if (known !== undefined) return known;
  const atStart = exactOffset(day * DAY_MS, zone);
  if (atStart !== exactOffset(day * DAY_MS + DAY_MS - 1, zone)) return exactOffset(millis, zone);
  if (days.size >= MAX_DAYS_CACHED) days.clear();
  days.set(day, atStart);
  return atStart;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `instantIso` (any ISO instant with Z or an offset) in `zone`: 2026-03-14T10:00:00-05:00. */
export function zonedDateTime(instantIso: string, zone: string): string {
  const millis = Date.parse(instantIso);
  // Anything unusual (no offset, far-off years) takes the careful path, which explains failures.
  if (
    !Number.isFinite(millis) ||
    millis < MIN_MS ||
    millis > MAX_MS ||
    !/(Z|[+-]\d{2}:?\d{2})$/i.test(instantIso)
  )
    return formatLacrmDateTime(instantIso, zone);
  const offset = offsetMinutes(millis, zone);
  if (!Number.isFinite(offset)) return formatLacrmDateTime(instantIso, zone); // an unknown zone
  const local = new Date(millis + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}
