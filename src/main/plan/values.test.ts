// Field values and markers: "empty" is one thing whatever LACRM sends, numbers compare as numbers,
// the inputs hash ignores key order but not values, and markers are safe, stable and never a
// substring of one another.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unknownNotePlaceholders } from '../../shared/contract-changes';
import { contactRequestMarker, hasMarker, markerId, meetingMarker } from './marker';
import { renderNote } from './note-template';
import {
  canonicalJson,
  displayValue,
  inputsHash,
  normalizeFieldValue,
  sameFieldValue,
} from './values';

describe('field values', () => {
  it('treats null, missing, blank text and an empty list as the same empty value', () => {
    for (const empty of [null, undefined, '', '   ', []]) {
      expect(normalizeFieldValue(empty)).toBeNull();
      expect(sameFieldValue(empty, null)).toBe(true);
    }
    expect(sameFieldValue('', '2026-01-01')).toBe(false);
  });

  it('compares numbers as numbers, and dates and text exactly', () => {
    expect(sameFieldValue(3, '3')).toBe(true);
    expect(sameFieldValue(3, '3.0')).toBe(true);
    expect(sameFieldValue(3, 4)).toBe(false);
    expect(sameFieldValue(0, null)).toBe(false);
    expect(sameFieldValue('2026-03-14', '2026-03-14')).toBe(true);
    expect(sameFieldValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameFieldValue(['a', 'b'], ['b', 'a'])).toBe(false);
  });

  it('hashes the same inputs the same whatever the key order, and any changed value differently', () => {
    const record = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    );
    fc.assert(
      fc.property(record, record, (before, after) => {
        const reversed = Object.fromEntries(Object.entries(after).reverse());
        const a = inputsHash({ kind: 'EditContact', key: 'fields:1', before, after });
        const b = inputsHash({ kind: 'EditContact', key: 'fields:1', before, after: reversed });
        expect(a).toBe(b);
        expect(canonicalJson(after)).toBe(canonicalJson(reversed));
        const changed = { ...after, __extra: 'x' };
        expect(
          inputsHash({ kind: 'EditContact', key: 'fields:1', before, after: changed }),
        ).not.toBe(a);
        expect(inputsHash({ kind: 'EditEvent', key: 'fields:1', before, after })).not.toBe(a);
      }),
    );
  });

  it('shows date-times with their offset and ids as names', () => {
    expect(displayValue('2026-03-14T10:00:00-05:00')).toBe('2026-03-14 10:00 UTC-05:00');
    expect(displayValue(['1', '2'], new Map([['1', 'Ann Example']]))).toBe('Ann Example, 2');
    expect(displayValue('')).toBeNull();
    expect(displayValue(0)).toBe('0');
  });
});

describe('markers', () => {
  it('keeps plain ids, shortens URIs to their last segment, digests anything else', () => {
    expect(markerId('x8RFVVncfHBsmK1SYJs1if')).toBe('x8RFVVncfHBsmK1SYJs1if');
    expect(markerId('https://api.calendly.com/scheduled_events/0f3c2a8e-1111')).toBe(
      '0f3c2a8e-1111',
    );
    expect(markerId('a b<c>&d')).toMatch(/^h[0-9a-f]{24}$/);
    expect(meetingMarker('tidycal', '12')).toBe('[cadence:tidycal:12]');
    expect(contactRequestMarker('abcd1234', 7)).toBe('[cadence:contact:abcd1234-7]');
  });

  it('uses only characters LACRM never escapes, and no marker is found inside another', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 }), (a, b) => {
        const ma = meetingMarker('calcom', a);
        expect(ma).toMatch(/^\[cadence:calcom:[A-Za-z0-9._-]+\]$/);
        expect(meetingMarker('calcom', a)).toBe(ma);
        const mb = meetingMarker('calcom', b);
        if (ma !== mb) expect(hasMarker(`Notes…\n${mb}`, ma)).toBe(false);
      }),
    );
    expect(hasMarker('x [cadence:tidycal:123]', '[cadence:tidycal:12]')).toBe(false);
  });
});

describe('review note template', () => {
  const meeting = {
    bookingId: 1,
    source: 'calendly' as const,
    sourceId: 'x',
    chainSourceIds: ['x'],
    title: 'Review with Ann',
    eventTypeName: 'Annual review',
    startUtc: '2026-01-31T04:30:00.000Z',
    endUtc: '2026-01-31T05:30:00.000Z',
    timeZone: null,
    location: null,
    durationMinutes: 60,
    held: true,
    isReview: true,
    contactIds: ['1'],
  };

  it('fills known placeholders in the advisor’s zone, keeps unknown ones, appends the marker', () => {
    const text = renderNote(
      '{client}: {type} on {date} at {time} ({duration} min, {source}, "{title}") {oops}',
      { meeting, clientName: 'Ann Example', zone: 'America/New_York' },
      '[cadence:calendly:x]',
    );
    expect(text).toBe(
      'Ann Example: Annual review on January 30, 2026 at 11:30 PM (60 min, Calendly, "Review with Ann") {oops}\n[cadence:calendly:x]',
    );
    expect(renderNote('   ', { meeting, clientName: '', zone: 'UTC' }, '[m]')).toBe('[m]');
    expect(unknownNotePlaceholders('{client} {oops} {date} {x y}')).toEqual(['oops']);
  });
});
