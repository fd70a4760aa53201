// Status boundaries against the due dates themselves: for any held date, cadence and day, "held
// before the boundary" is exactly "due before that day", across month ends and leap years; and a
// status read from the boundaries is the status reviewStatus gives from the due date, in any zone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsInZone, localDate, nextReviewDue, reviewStatus } from './review-dates';
import {
  CADENCES,
  firstDateDueOnOrAfter,
  overdueBoundaries,
  startOfLocalDay,
  statusBoundaries,
} from './thresholds';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];

/** Dates 1950–2100, biased towards month ends and the end of February. */
const dateArb = fc
  .record({
    year: fc.integer({ min: 1950, max: 2100 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(28, 29, 30, 31)),
  })
  .map(({ year, month, day }) => {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
  });

const cadenceArb = fc.constantFrom(...CADENCES);

describe('firstDateDueOnOrAfter', () => {
  it('splits held dates into due before the day and not', () => {
    fc.assert(
      fc.property(dateArb, dateArb, cadenceArb, (held, target, months) => {
        const boundary = firstDateDueOnOrAfter(target, months);
        const due = addMonthsInZone(held, months, 'UTC');
        expect(due < target).toBe(held < boundary);
      }),
      { numRuns: 3000 },
    );
  });

  it('handles the month ends by hand', () => {
    // Due before 31 March with 1 month: held up to 28 February (due 28 March); 1 March is due 1 April.
    expect(firstDateDueOnOrAfter('2026-03-31', 1)).toBe('2026-03-01');
    // Due before 28 February 2026: 31 January is due 28 February (not before), so the boundary is
    // the first January day due on or after it: 28 January.
    expect(firstDateDueOnOrAfter('2026-02-28', 1)).toBe('2026-01-28');
    // Leap year: 29 February 2028 + 12 months = 28 February 2029.
    expect(firstDateDueOnOrAfter('2029-02-28', 12)).toBe('2028-02-28');
    expect(addMonthsInZone('2028-02-29', 12, 'UTC')).toBe('2029-02-28');
  });
});

describe('statusBoundaries', () => {
  it('gives reviewStatus’s answer for any last review, cadence, zone and window', () => {
    const instantArb = fc
      .integer({ min: Date.UTC(2015, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 })
      .map((seconds) => new Date(seconds * 1000).toISOString());
    fc.assert(
      fc.property(
        instantArb,
        instantArb,
        fc.constantFrom(...ZONES),
        fc.constantFrom(1, 3, 6, 12, 24, 60),
        fc.integer({ min: 0, max: 365 }),
        (held, now, zone, cadence, dueSoonDays) => {
          const today = localDate(now, zone);
          const [boundary] = statusBoundaries(today, dueSoonDays, zone, [cadence]);
          const fromBoundaries =
            held < boundary!.overdueBefore
              ? 'overdue'
              : held < boundary!.soonBefore
                ? 'due_soon'
                : 'on_track';
          const expected = reviewStatus({
            nextDue: nextReviewDue(held, cadence, zone),
            today,
            dueSoonDays,
          });
          expect(fromBoundaries).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('covers every cadence by default, in order', () => {
    const boundaries = statusBoundaries('2026-03-15', 30, 'America/New_York');
    expect(boundaries.map((b) => b.cadence)).toEqual(CADENCES);
    for (const b of boundaries) expect(b.overdueBefore <= b.soonBefore).toBe(true);
  });
});

describe('overdueBoundaries', () => {
  it('gives, per cadence, one boundary per day, at the start of that local day', () => {
    const [twelve] = overdueBoundaries(['2026-01-31', '2026-02-28'], 'America/New_York', [12]);
    expect(twelve).toEqual({
      cadence: 12,
      overdueBefore: [
        startOfLocalDay(firstDateDueOnOrAfter('2026-01-31', 12), 'America/New_York'),
        startOfLocalDay('2025-02-28', 'America/New_York'),
      ],
    });
    expect(twelve!.overdueBefore[1]).toBe('2025-02-28T05:00:00.000Z');
  });
});

describe('startOfLocalDay', () => {
  it('is midnight where the advisor is, across a DST change', () => {
    expect(startOfLocalDay('2026-03-08', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(() => startOfLocalDay('2026-02-30', 'UTC')).toThrow(/not a date/);
  });
});
