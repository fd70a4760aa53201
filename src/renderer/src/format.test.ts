import { describe, expect, it } from 'vitest';
import { matchBacklogText, questionLabel } from './format';

describe('questionLabel', () => {
  it("reads a Cal.com answer's field slug as words, and its notes field as Cal.com labels it", () => {
    expect(questionLabel('notes')).toBe('Additional notes');
    expect(questionLabel('company-size')).toBe('Company size');
    expect(questionLabel('how_did_you_hear')).toBe('How did you hear');
  });

  it('keeps a question that is already words as it was asked', () => {
    expect(questionLabel('What would you like to cover?')).toBe('What would you like to cover?');
    expect(questionLabel('Notes')).toBe('Notes');
  });
});

describe('matchBacklogText', () => {
  const leftOut = {
    pending: (it: string, its: string) => `${its} attendees are missing; Sync now matches ${it}`,
    everything: 'this may be out of date',
  };

  it('says how many bookings wait, in the grammar of their number', () => {
    expect(matchBacklogText({ pending: 1, bookings: 9 }, leftOut)).toBe(
      '1 booking has not been compared with your contacts yet: the last matching stopped before it reached it, so its attendees are missing; Sync now matches it.',
    );
    expect(matchBacklogText({ pending: 2, bookings: 9 }, leftOut)).toBe(
      '2 bookings have not been compared with your contacts yet: the last matching stopped before it reached them, so their attendees are missing; Sync now matches them.',
    );
  });

  it('says a run over every booking is due when none waits on its own', () => {
    expect(matchBacklogText({ pending: 0, bookings: 3 }, leftOut)).toBe(
      'Matching has to go over your 3 bookings again: your contacts, your own addresses or Cadence itself changed since it last finished, so this may be out of date.',
    );
  });
});
