// The generator's fast timestamp formatters must write exactly what the slow, obvious ones write
// (Date#toISOString, the simulators' calendlyTime and tidycalTime, luxon for zoned local times).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendlyTime } from '../sim/calendly';
import { tidycalTime } from '../sim/tidycal';
import { Random } from './random';
import { calendlyStamp, DAY, HOUR, isoUtc, tidycalStamp, ZoneClock } from './time';

const instant = fc.integer({ min: 0, max: Date.parse('2200-01-01T00:00:00Z') });

describe('practice timestamps', () => {
  it('formats like Date#toISOString and the simulators’ formatters', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 999_999 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (ms, micros, fraction) => {
          expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
          expect(isoUtc(ms + fraction)).toBe(new Date(ms + fraction).toISOString());
          expect(calendlyStamp(ms, micros)).toBe(calendlyTime(ms, micros));
          expect(tidycalStamp(ms)).toBe(tidycalTime(ms));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('writes zoned local times with the offset luxon gives, for daytime instants', () => {
    const clock = new ZoneClock('America/New_York');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 8, max: 20 }),
        (day, hour) => {
          const ms = day * DAY + hour * HOUR; // 03:00–15:00 in New York: never inside a DST jump
          const expected = DateTime.fromMillis(ms, { zone: 'America/New_York' }).toISO({
            suppressMilliseconds: true,
          });
          expect(clock.localIso(ms)).toBe(expected);
        },
      ),
    );
  });

  it('puts slots on weekdays inside business hours, on the half hour', () => {
    const clock = new ZoneClock('America/Los_Angeles');
    const random = new Random(3);
    fc.assert(
      fc.property(instant, (around) => {
        const slot = clock.slot(random, around);
        const local = DateTime.fromMillis(slot, { zone: 'America/Los_Angeles' });
        expect(local.weekday).toBeLessThanOrEqual(5);
        expect(local.hour).toBeGreaterThanOrEqual(9);
        expect(local.hour * 60 + local.minute).toBeLessThanOrEqual(16 * 60 + 30);
        expect(local.minute % 30).toBe(0);
        expect(slot - around).toBeLessThan(3 * DAY);
      }),
    );
  });
});
