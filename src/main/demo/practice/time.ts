// Time for the practice generator: business-hour slots in the advisor's zone and fast timestamp
// formatting. A 100k-booking practice formats about a million timestamps; Date#toISOString and
// luxon per call made that the slowest part of generation, so day prefixes and zone offsets are
// cached per day here. The outputs are the same strings the simulators' formatters produce.
import { DateTime } from 'luxon';
import type { Random } from './random';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const dayPrefixes = new Map<number, string>();

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `new Date(ms).toISOString()`, for non-negative epochs, with the date part cached per day.
 * Fractions of a millisecond are cut off, as the Date constructor does. */
export function isoUtc(epochMs: number): string {
  const ms = Math.trunc(epochMs);
  const day = Math.floor(ms / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}

/** Calendly's microsecond timestamps (same output as the simulator's calendlyTime). */
export function calendlyStamp(ms: number, micros = 0): string {
  return `${isoUtc(ms).slice(0, 23)}${pad(micros % 1000, 3)}Z`;
}

/** TidyCal's microsecond timestamps (same output as the simulator's tidycalTime). */
export function tidycalStamp(ms: number): string {
  return `${isoUtc(ms).slice(0, 23)}000Z`;
}

/** Local business hours in one zone, with the UTC offset cached per day (luxon is slow in bulk). */
export class ZoneClock {
  private offsets = new Map<number, number>();
  constructor(readonly zone: string) {}

  /** The zone's UTC offset in minutes at noon UTC of a day (DST changes happen at night). */
  offsetMinutes(dayIndex: number): number {
    let offset = this.offsets.get(dayIndex);
    if (offset === undefined) {
      offset = DateTime.fromMillis(dayIndex * DAY + 12 * HOUR, { zone: this.zone }).offset;
      this.offsets.set(dayIndex, offset);
    }
    return offset;
  }

  /** A weekday slot between `fromHour` and the last half hour before `toHour`, local time, on
   * or just after the day of `aroundMs`. */
  slot(random: Random, aroundMs: number, fromHour = 9, toHour = 17): number {
    let day = Math.floor(aroundMs / DAY);
    const weekday = new Date(day * DAY).getUTCDay();
    if (weekday === 6) day += 2;
    else if (weekday === 0) day += 1;
    const localMinutes = fromHour * 60 + random.int(0, (toHour - fromHour) * 2 - 1) * 30;
    return day * DAY + localMinutes * MINUTE - this.offsetMinutes(day) * MINUTE;
  }

  /** ISO 8601 local time with the zone's offset and no milliseconds (LACRM's DateTime). Exact for
   * daytime instants, which is all the generator asks for. */
  localIso(ms: number): string {
    const offset = this.offsetMinutes(Math.floor(ms / DAY));
    const local = isoUtc(Math.floor((ms + offset * MINUTE) / 1000) * 1000).slice(0, 19);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${local}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
  }
}
