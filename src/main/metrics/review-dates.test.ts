// Review-date arithmetic: month-end clamping, leap years, the advisor's zone across DST changes,
// status boundaries, and "only held meetings count".
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { bookingStatuses, type BookingStatus } from '../../shared/domain';
import {
  addMonthsInZone,
  daysUntil,
  instantMillis,
  isHeldMeeting,
  isHeldReview,
  lastHeldReviewStart,
  localDate,
  nextReviewDue,
  reviewStatus,
  sqlAddMonths,
  type HeldReviewCandidate,
} from './review-dates';

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney'] as const;
const zoneArb = fc.constantFrom(...ZONES);

/** Instants from 1970 to 2110, whole seconds, written with a Z. */
const instantArb = fc
  .integer({ min: 0, max: Date.UTC(2110, 0, 1) / 1000 })
  .map((seconds) => new Date(seconds * 1000).toISOString());

/** A local wall time in `zone`, written as an instant with that zone's offset (as APIs send it). */
const localInstantArb = fc
  .record({
    zone: zoneArb,
    year: fc.integer({ min: 1990, max: 2105 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
  })
  .map((fields) => {
    const { zone, ...parts } = fields;
    const day = Math.min(parts.day, DateTime.local(parts.year, parts.month).daysInMonth ?? 28);
    const local = DateTime.fromObject({ ...parts, day }, { zone });
    return { zone, local, iso: local.toISO({ suppressMilliseconds: true }) ?? '' };
  });

describe('localDate', () => {
  it('is the calendar date in the zone, not in UTC', () => {
    expect(localDate('2026-02-01T04:30:00Z', 'America/New_York')).toBe('2026-01-31');
    expect(localDate('2026-01-31T23:30:00-05:00', 'America/New_York')).toBe('2026-01-31');
    expect(localDate('2026-01-31T23:30:00-05:00', 'UTC')).toBe('2026-02-01');
    expect(localDate('2026-05-31T23:30:00.000Z', 'Europe/London')).toBe('2026-06-01');
    expect(localDate('2026-08-30T23:00:00Z', 'Australia/Sydney')).toBe('2026-08-31');
  });

  it('gives back the local date of any wall time, across DST changes', () => {
    fc.assert(
      fc.property(localInstantArb, ({ zone, local, iso }) => {
        expect(localDate(iso, zone)).toBe(local.toISODate());
        expect(localDate(local.toUTC().toISO() ?? '', zone)).toBe(local.toISODate());
      }),
    );
  });

  it('refuses instants without a zone, bad dates and unknown zones, saying what was wrong', () => {
    expect(() => localDate('2026-01-31T10:00:00', 'UTC')).toThrow(/with Z or an offset/);
    expect(() => localDate('2026-02-30', 'UTC')).toThrow(/calendar date yyyy-mm-dd.*2026-02-30/);
    expect(() => localDate('2026-01-31T10:00:00Z', 'Mars/Olympus')).toThrow(/IANA zone/);
    expect(() => localDate('2026-01-31T10:00:00Z', 'local')).toThrow(/IANA zone/);
  });
});

describe('addMonthsInZone', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-30', 1, '2026-02-28'],
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-31', 12, '2027-12-31'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2096-02-29', 48, '2100-02-28'],
    ['2000-02-29', 1200, '2100-02-28'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2026-05-31', 0, '2026-05-31'],
  ])('%s + %i months = %s', (start, months, expected) => {
    expect(addMonthsInZone(start, months, 'UTC')).toBe(expected);
  });

  it('works on the local date in the zone', () => {
    // 23:30 on 31 January in New York is 04:30 on 1 February UTC.
    expect(addMonthsInZone('2026-01-31T23:30:00-05:00', 1, 'America/New_York')).toBe('2026-02-28');
    expect(addMonthsInZone('2026-01-31T23:30:00-05:00', 1, 'UTC')).toBe('2026-03-01');
    // 00:30 BST on 1 June is 23:30 UTC on 31 May.
    expect(addMonthsInZone('2026-05-31T23:30:00Z', 1, 'Europe/London')).toBe('2026-07-01');
    expect(addMonthsInZone('2026-05-31T23:30:00Z', 1, 'UTC')).toBe('2026-06-30');
    // Sydney is a day ahead for most of the morning.
    expect(addMonthsInZone('2026-08-30T23:00:00Z', 2, 'Australia/Sydney')).toBe('2026-10-31');
    // Reviews on DST change days keep their date.
    expect(addMonthsInZone('2026-03-08T03:30:00-04:00', 12, 'America/New_York')).toBe('2027-03-08');
    expect(addMonthsInZone('2026-10-25T01:30:00+00:00', 1, 'Europe/London')).toBe('2026-11-25');
    expect(addMonthsInZone('2026-04-05T02:30:00+10:00', 1, 'Australia/Sydney')).toBe('2026-05-05');
  });

  it('always lands on a valid date in the right month, clamped to its end (property)', () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 600 }), zoneArb, (iso, months, zone) => {
        const start = DateTime.fromISO(localDate(iso, zone), { zone: 'UTC' });
        const result = addMonthsInZone(iso, months, zone);
        const parsed = DateTime.fromISO(result, { zone: 'UTC' });
        expect(result).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(parsed.isValid).toBe(true);
        expect(parsed.toISODate()).toBe(result);
        // Never spills into the following month.
        const monthIndex = start.year * 12 + start.month - 1 + months;
        expect(parsed.year * 12 + parsed.month - 1).toBe(monthIndex);
        // Day kept when the target month has it, else the month's last day.
        expect(parsed.day).toBe(Math.min(start.day, parsed.daysInMonth ?? 0));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the day of month whenever it exists (property)', () => {
    fc.assert(
      fc.property(localInstantArb, fc.integer({ min: 0, max: 240 }), ({ zone, local, iso }, m) => {
        fc.pre(local.day <= 28);
        expect(addMonthsInZone(iso, m, zone).slice(8)).toBe(String(local.day).padStart(2, '0'));
      }),
    );
  });

  it('is strictly increasing in months (property)', () => {
    fc.assert(
      fc.property(
        instantArb,
        zoneArb,
        fc.integer({ min: -120, max: 600 }),
        fc.integer({ min: 1, max: 600 }),
        (iso, zone, months, step) => {
          expect(
            addMonthsInZone(iso, months, zone) < addMonthsInZone(iso, months + step, zone),
          ).toBe(true);
        },
      ),
    );
  });

  it('takes Feb 29 to Feb 28 a year later, and back to Feb 29 only in leap years (property)', () => {
    const leapYear = fc
      .integer({ min: 1, max: 2399 })
      .filter((y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
    fc.assert(
      fc.property(leapYear, zoneArb, (year, zone) => {
        const feb29 = `${String(year).padStart(4, '0')}-02-29`;
        expect(addMonthsInZone(feb29, 12, zone)).toBe(`${String(year + 1).padStart(4, '0')}-02-28`);
        const fourYears = addMonthsInZone(feb29, 48, zone);
        const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        expect(fourYears.slice(8)).toBe(isLeap(year + 4) ? '29' : '28');
      }),
    );
  });

  it('agrees with luxon calendar arithmetic on the local date (property)', () => {
    fc.assert(
      fc.property(localInstantArb, fc.integer({ min: 0, max: 240 }), ({ zone, local, iso }, m) => {
        const expected = DateTime.fromISO(local.toISODate() ?? '', { zone: 'UTC' })
          .plus({ months: m })
          .toISODate();
        expect(addMonthsInZone(iso, m, zone)).toBe(expected);
      }),
    );
  });

  it('refuses fractional or absurd month counts', () => {
    expect(() => addMonthsInZone('2026-01-31', 1.5, 'UTC')).toThrow(/whole number of months/);
    expect(() => addMonthsInZone('2026-01-31', Number.NaN, 'UTC')).toThrow(/whole number/);
    expect(() => addMonthsInZone('9999-12-01', 1, 'UTC')).toThrow(/years 0001–9999/);
  });
});

describe('nextReviewDue', () => {
  it('is the last held review’s local date plus the cadence; null when never reviewed', () => {
    expect(nextReviewDue('2026-01-31T23:30:00-05:00', 12, 'America/New_York')).toBe('2027-01-31');
    expect(nextReviewDue('2025-11-30T15:00:00Z', 3, 'Europe/London')).toBe('2026-02-28');
    expect(nextReviewDue(null, 12, 'UTC')).toBeNull();
    expect(() => nextReviewDue('2026-01-01T00:00:00Z', 0, 'UTC')).toThrow(/cadence/);
  });

  it('does not roll forward when a due date passes without a held review', () => {
    const now = '2026-06-01T12:00:00Z';
    const meetings: HeldReviewCandidate[] = [
      review('completed', '2025-03-15T15:00:00Z'),
      review('scheduled', '2024-03-10T15:00:00Z'),
      review('cancelled', '2026-03-10T15:00:00Z'), // cancelled instead of held
      review('no_show', '2026-04-10T15:00:00Z'),
      review('scheduled', '2026-07-01T15:00:00Z'), // booked, not yet held
      { ...review('scheduled', '2026-05-01T15:00:00Z'), category: 'general' },
    ];
    const last = lastHeldReviewStart(meetings, now);
    expect(last).toBe('2025-03-15T15:00:00Z');
    const due = nextReviewDue(last, 12, 'America/New_York');
    expect(due).toBe('2026-03-15');
    expect(
      reviewStatus({ nextDue: due, today: localDate(now, 'America/New_York'), dueSoonDays: 30 }),
    ).toBe('overdue');
  });
});

describe('reviewStatus', () => {
  const status = (today: string, dueSoonDays = 30) =>
    reviewStatus({ nextDue: '2026-06-30', today, dueSoonDays });

  it('has precise boundaries: due soon through the due date, overdue the day after', () => {
    expect(status('2026-05-30')).toBe('on_track'); // 31 days to go
    expect(status('2026-05-31')).toBe('due_soon'); // 30 days to go
    expect(status('2026-06-30')).toBe('due_soon'); // the due date itself
    expect(status('2026-07-01')).toBe('overdue');
    expect(status('2026-06-29', 0)).toBe('on_track');
    expect(status('2026-06-30', 0)).toBe('due_soon');
    expect(reviewStatus({ nextDue: null, today: '2026-06-30', dueSoonDays: 30 })).toBe(
      'never_reviewed',
    );
  });

  it('counts calendar days across leap days and year ends', () => {
    expect(daysUntil('2028-03-01', '2028-02-28')).toBe(2);
    expect(daysUntil('2100-03-01', '2100-02-28')).toBe(1);
    expect(daysUntil('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysUntil('2026-01-01', '2026-01-02')).toBe(-1);
  });

  it('moves on_track → due_soon → overdue as days pass, never back (property)', () => {
    const order = { on_track: 0, due_soon: 1, overdue: 2, never_reviewed: -1 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 365 }),
        fc.integer({ min: 0, max: 800 }),
        (dueOffset, dueSoonDays, span) => {
          const due = DateTime.utc(2000, 1, 1).plus({ days: dueOffset });
          const nextDue = due.toISODate() ?? '';
          let previous = -1;
          for (let d = -span; d <= span; d += Math.max(1, Math.floor(span / 20))) {
            const today = due.plus({ days: d }).toISODate() ?? '';
            const current = order[reviewStatus({ nextDue, today, dueSoonDays })];
            expect(current).toBe(d > 0 ? 2 : d >= -dueSoonDays ? 1 : 0);
            expect(current).toBeGreaterThanOrEqual(previous);
            previous = current;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a bad window or date', () => {
    expect(() => status('2026-06-01', -1)).toThrow(/due-soon window/);
    expect(() => status('2026-6-1')).toThrow(/today must be a calendar date/);
  });
});

function review(status: BookingStatus, startUtc: string, minutes = 60): HeldReviewCandidate {
  const end = new Date(Date.parse(startUtc) + minutes * 60_000).toISOString();
  return { status, startUtc, endUtc: end };
}

describe('isHeldMeeting / isHeldReview', () => {
  const now = '2026-06-01T12:00:00Z';

  it('counts only scheduled or completed meetings that have ended', () => {
    const past = '2026-05-01T15:00:00Z';
    const held = Object.fromEntries(
      bookingStatuses.map((s) => [s, isHeldMeeting(review(s, past), now)]),
    );
    expect(held).toEqual({
      scheduled: true,
      completed: true,
      pending: false,
      cancelled: false,
      rejected: false,
      no_show: false,
    });
  });

  it('a meeting still running or in the future is not held; one ending exactly now is', () => {
    expect(isHeldMeeting(review('scheduled', '2026-06-01T11:30:00Z'), now)).toBe(false);
    expect(isHeldMeeting(review('scheduled', '2026-06-02T11:00:00Z'), now)).toBe(false);
    expect(isHeldMeeting(review('scheduled', '2026-06-01T11:00:00Z'), now)).toBe(true);
  });

  it('a meeting every attendee missed or left was not held', () => {
    const base = review('scheduled', '2026-05-01T15:00:00Z');
    const gone = { noShow: false, cancelled: true };
    const missed = { noShow: true, cancelled: false };
    const came = { noShow: false, cancelled: false };
    expect(isHeldMeeting({ ...base, attendees: [gone, missed] }, now)).toBe(false);
    expect(isHeldMeeting({ ...base, attendees: [missed, came] }, now)).toBe(true);
    expect(isHeldMeeting({ ...base, attendees: [] }, now)).toBe(true);
  });

  it('isHeldReview also checks the category when it is given', () => {
    const base = review('completed', '2026-05-01T15:00:00Z');
    expect(isHeldReview(base, now)).toBe(true);
    expect(isHeldReview({ ...base, category: 'portfolio_review' }, now)).toBe(true);
    expect(isHeldReview({ ...base, category: 'general' }, now)).toBe(false);
    expect(() => isHeldReview(base, '2026-06-01 12:00:00')).toThrow(/now must be an ISO 8601/);
  });

  it('lastHeldReviewStart compares instants, not strings', () => {
    const offsetLater = {
      ...review('completed', '2026-05-01T13:00:00Z'),
      startUtc: '2026-05-01T08:00:00-05:00',
    };
    const earlier = review('completed', '2026-05-01T12:00:00Z');
    expect(lastHeldReviewStart([earlier, offsetLater], now)).toBe('2026-05-01T08:00:00-05:00');
    expect(lastHeldReviewStart([], now)).toBeNull();
  });
});

describe('sqlAddMonths', () => {
  it('is addMonthsInZone for dates and instants, NULL-propagating, bigint-tolerant', () => {
    expect(sqlAddMonths('2026-01-31', 1, 'UTC')).toBe('2026-02-28');
    expect(sqlAddMonths('2026-01-31T23:30:00-05:00', 1, 'America/New_York')).toBe('2026-02-28');
    expect(sqlAddMonths('2026-08-31', 6n, 'Europe/London')).toBe('2027-02-28');
    expect(sqlAddMonths(null, 1, 'UTC')).toBeNull();
    expect(sqlAddMonths('2026-01-31', null, 'UTC')).toBeNull();
    expect(sqlAddMonths('2026-01-31', 1, null)).toBeNull();
  });

  it('throws a readable error for values SQLite might pass that are not dates', () => {
    const fromSql = sqlAddMonths as (a: unknown, b: unknown, c: unknown) => string | null;
    expect(() => fromSql(20260131, 1, 'UTC')).toThrow(/must be a string, got number/);
    expect(() => fromSql('2026-01-31 10:00:00', 1, 'UTC')).toThrow(/with Z or an offset/);
  });
});

describe('instantMillis', () => {
  const luxonMillis = (text: string) => DateTime.fromISO(text, { setZone: true }).toMillis();

  it('agrees with luxon on every instant, stored UTC form or with an offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2110, 0, 1) }), (millis) => {
        const iso = new Date(millis).toISOString();
        expect(instantMillis(iso, 'x')).toBe(luxonMillis(iso));
        const whole = `${iso.slice(0, 19)}Z`;
        expect(instantMillis(whole, 'x')).toBe(luxonMillis(whole));
      }),
    );
    fc.assert(
      fc.property(localInstantArb, ({ iso }) => {
        expect(instantMillis(iso, 'x')).toBe(luxonMillis(iso));
      }),
    );
  });

  it('reads what Date.parse would read otherwise as luxon does (24:00 is the next midnight)', () => {
    expect(instantMillis('2026-02-28T24:00:00Z', 'x')).toBe(luxonMillis('2026-02-28T24:00:00Z'));
  });

  it('refuses what is not a real instant, naming it, even where Date.parse would roll over', () => {
    for (const text of [
      '2026-02-30T10:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-06-01',
      'yesterday',
    ]) {
      expect(() => instantMillis(text, 'meeting end')).toThrow(
        `meeting end must be an ISO 8601 instant with Z or an offset (2026-01-31T23:30:00-05:00), got "${text}"`,
      );
    }
  });
});
