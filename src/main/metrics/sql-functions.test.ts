// The SQL functions: local_date agrees with localDate everywhere (its offset cache included,
// across DST changes), and add_months_in_zone is addMonthsInZone inside a real SQLite statement,
// NULL-safe and loud about bad input.
import Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addMonthsInZone, localDate } from './review-dates';
import { fastLocalDate, registerSqlFunctions } from './sql-functions';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'UTC',
];

describe('fastLocalDate', () => {
  it('agrees with localDate for any instant and zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) / 1000 }),
        fc.constantFrom(...ZONES),
        (seconds, zone) => {
          const iso = new Date(seconds * 1000).toISOString();
          expect(fastLocalDate(iso, zone)).toBe(localDate(iso, zone));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is right minute by minute around DST changes, cached or not', () => {
    for (const [zone, day] of [
      ['America/New_York', '2026-03-08'],
      ['America/New_York', '2026-11-01'],
      ['Europe/London', '2026-03-29'],
      ['Australia/Lord_Howe', '2026-04-05'],
    ] as const) {
      const start = DateTime.fromISO(day, { zone: 'utc' }).minus({ hours: 12 });
      for (let minute = 0; minute < 48 * 60; minute += 7) {
        const iso = start.plus({ minutes: minute }).toJSDate().toISOString();
        expect(fastLocalDate(iso, zone), `${iso} in ${zone}`).toBe(localDate(iso, zone));
      }
    }
  });

  it('passes NULL through and refuses what localDate refuses', () => {
    expect(fastLocalDate(null, 'UTC')).toBeNull();
    expect(fastLocalDate('2026-01-01T00:00:00Z', null)).toBeNull();
    expect(() => fastLocalDate('2026-01-01T00:00:00', 'UTC')).toThrow(/with Z or an offset/);
    expect(() => fastLocalDate('2026-01-01T00:00:00Z', 'Mars/Olympus')).toThrow(/IANA zone/);
  });
});

describe('registerSqlFunctions', () => {
  function db() {
    const handle = new Database(':memory:');
    registerSqlFunctions(handle);
    registerSqlFunctions(handle); // twice is harmless
    return handle;
  }

  it('computes next due dates in SQL as addMonthsInZone does', () => {
    const handle = db();
    const statement = handle
      .prepare('SELECT add_months_in_zone(local_date(?, ?), ?, ?) AS due')
      .pluck();
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 60 }),
        (seconds, zone, months) => {
          const iso = new Date(seconds * 1000).toISOString();
          expect(statement.get(iso, zone, months, zone)).toBe(addMonthsInZone(iso, months, zone));
        },
      ),
      { numRuns: 2000 },
    );
    // 23:30 on 31 January in New York is 1 February in UTC; + 1 month is 28 February.
    expect(
      statement.get('2026-02-01T04:30:00.000Z', 'America/New_York', 1, 'America/New_York'),
    ).toBe('2026-02-28');
    handle.close();
  });

  it('returns NULL for NULL and fails the statement on bad input', () => {
    const handle = db();
    expect(handle.prepare('SELECT add_months_in_zone(NULL, 3, ?)').pluck().get('UTC')).toBeNull();
    expect(handle.prepare('SELECT local_date(NULL, ?)').pluck().get('UTC')).toBeNull();
    expect(() => handle.prepare("SELECT add_months_in_zone('2026-02-30', 1, 'UTC')").get()).toThrow(
      /calendar date/,
    );
    expect(() =>
      handle.prepare("SELECT add_months_in_zone('2026-02-01', 'x', 'UTC')").get(),
    ).toThrow(/months must be a number/);
    handle.close();
  });
});
