// The fast meeting-time formatter gives exactly what formatLacrmDateTime gives, for any instant in
// zones with DST, half-hour and odd offsets, around transitions and at the ends of days.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLacrmDateTime } from '../crm/lacrm/client';
import { zonedDateTime } from './time';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'UTC',
];

describe('zonedDateTime', () => {
  it('matches formatLacrmDateTime for generated instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...ZONES),
        fc.boolean(),
        (millis, zone, withMillis) => {
          const iso = new Date(withMillis ? millis : millis - (millis % 1000)).toISOString();
          expect(zonedDateTime(iso, zone)).toBe(formatLacrmDateTime(iso, zone));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches it around DST changes and for offsets written in the input', () => {
    const instants = [
      '2026-03-08T06:59:59.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-11-01T05:59:59.999Z',
      '2026-11-01T06:00:00.000Z',
      '2026-03-29T00:59:59.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-04-05T14:59:59.000Z',
      '2026-04-05T15:00:00.000Z',
      '2026-03-14T10:00:00-05:00',
      '2026-03-14T10:00:00+0530',
    ];
    for (const zone of ZONES)
      for (const iso of instants)
        expect(zonedDateTime(iso, zone), `${iso} in ${zone}`).toBe(formatLacrmDateTime(iso, zone));
  });

  it('leaves odd input to the careful formatter, which explains what is wrong', () => {
    expect(() => zonedDateTime('not a date', 'UTC')).toThrow(RangeError);
    expect(() => zonedDateTime('2026-01-01T00:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
  });
});
