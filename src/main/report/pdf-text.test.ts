import { describe, expect, it } from 'vitest';
import { toWinAnsi } from './pdf-text';

describe('toWinAnsi', () => {
  it("spells Cadence's own signs the font lacks, without calling it a substitution", () => {
    expect(toWinAnsi('event type matches *portfolio-review*; 60 min ≥ 20')).toEqual({
      text: 'event type matches *portfolio-review*; 60 min >= 20',
      substituted: false,
    });
    expect(toWinAnsi('15 ≤ attendees → review')).toEqual({
      text: '15 <= attendees -> review',
      substituted: false,
    });
  });

  it('keeps what WinAnsi has, and owns up to a name it had to change', () => {
    expect(toWinAnsi('Françoise “Fran” Lévi – 12 €')).toEqual({
      text: 'Françoise “Fran” Lévi – 12 €',
      substituted: false,
    });
    expect(toWinAnsi('Łukasz Wójcik')).toEqual({ text: 'Lukasz Wójcik', substituted: true });
    expect(toWinAnsi('王')).toEqual({ text: '?', substituted: true });
  });
});
