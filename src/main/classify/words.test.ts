// Word matching for title keywords: whole words, case- and accent-insensitive, plurals allowed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKeyword, slugFromName, wordsOf } from './words';

function titleHas(keyword: string, title: string): boolean {
  return compileKeyword(keyword)(wordsOf(title));
}

describe('wordsOf', () => {
  it('lowercases, strips accents and drops punctuation', () => {
    expect(wordsOf('  Révision — ANNUAL-Review (2026)! ')).toEqual([
      'revision',
      'annual',
      'review',
      '2026',
    ]);
    expect(wordsOf('...')).toEqual([]);
  });
});

describe('compileKeyword', () => {
  it.each([
    ['review', 'Annual Review', true],
    ['review', 'annual-review with Jo', true],
    ['review', 'Portfolio reviews 2026', true],
    ['review', 'REVIEW', true],
    ['review', 'Preview of the new website', false],
    ['review', 'Reviewer onboarding', false],
    ['review', 'Reviewed documents', false],
    ['review', '', false],
    ['annual review', 'Annual   review', true],
    ['annual review', 'annual-reviews', true],
    ['annual review', 'Review (annual)', false],
    ['annual review', 'annual portfolio review', false],
    ['401k', '401k rollover', true],
    ['révision', 'Revision annuelle', true],
  ])('%s in %s → %s', (keyword, title, expected) => {
    expect(titleHas(keyword, title)).toBe(expected);
  });

  it('a keyword with no letters or digits matches nothing', () => {
    expect(titleHas('—', 'anything — at all')).toBe(false);
  });

  it('finds any word of a title however it is surrounded by punctuation', () => {
    const word = fc.stringMatching(/^[a-z]{1,10}$/);
    const separator = fc.constantFrom(' ', '-', ', ', ' / ', ': ', '(');
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        separator,
        (words, pick, sep) => {
          const keyword = words[pick % words.length] ?? '';
          expect(titleHas(keyword.toUpperCase(), words.join(sep))).toBe(true);
        },
      ),
    );
  });
});

describe('slugFromName', () => {
  it('reads an event-type name as a slug', () => {
    expect(slugFromName('Annual Review (60 min)')).toBe('annual-review-60-min');
    expect(slugFromName('   ')).toBe('');
  });
});
