import { describe, expect, it } from 'vitest';
import { matchingLine, matchingText } from './match-progress';

describe('the Matching line', () => {
  it('counts the bookings while it runs and says when it is done', () => {
    expect(matchingLine({ done: 5000, total: 12000 }, null)).toEqual({
      state: 'running',
      detail: `${(5000).toLocaleString()} of ${(12000).toLocaleString()} bookings so far`,
    });
    expect(matchingLine({ done: 1, total: 1 }, null)).toEqual({
      state: 'done',
      detail: 'attendees of 1 booking compared with your contacts',
    });
  });

  it('says why it stopped, and that the next sync picks up the rest', () => {
    expect(matchingLine({ done: 2, total: 3 }, { state: 'cancelled', error: null })).toEqual({
      state: 'cancelled',
      detail: 'after 2 of 3 bookings · the next sync matches the rest',
    });
    expect(matchingLine(null, { state: 'cancelled', error: null }).detail).toBe(
      'before it began · the next sync matches the rest',
    );
    expect(matchingLine({ done: 2, total: 3 }, { state: 'failed', error: 'disk full' })).toEqual({
      state: 'failed',
      detail: 'disk full · the bookings are stored, and the next sync matches them again',
    });
  });

  it('is printed by the commands with what the matching ran after', () => {
    expect(matchingText({ done: 2, total: 2 }, null)).toBe(
      'Matching: done · attendees of 2 bookings compared with your contacts',
    );
    expect(matchingText(null, { state: 'failed', error: 'disk full', after: 'webhook' })).toBe(
      'Matching (after a booking arrived by webhook): FAILED · disk full · the bookings are stored, and the next sync matches them again',
    );
  });
});
