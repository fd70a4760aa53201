// Slug globs: the hand-written matcher against the obvious RegExp translation (safe here: the test
// builds it from generated patterns, never from user input), plus the cases advisors will write.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from './glob';

function globAsRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.\-\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 's');
}

describe('compileGlob', () => {
  it.each([
    ['*review*', 'annual-review', true],
    ['*review*', 'review', true],
    ['*review*', 'reviews-2026', true],
    ['*review*', 'revie', false],
    ['annual-review', 'annual-review', true],
    ['annual-review', 'annual-review-60', false],
    ['annual-review', 'ANNUAL-Review', true],
    ['*-review', 'quarterly-review', true],
    ['*-review', 'quarterly-review-2', false],
    ['review-*', 'review-', true],
    ['review-*', 'review', false],
    ['q?-review', 'q1-review', true],
    ['q?-review', 'q-review', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*a*b*c*', 'xaxbxcx', true],
    ['*a*b*c*', 'xcxbxax', false],
    ['**', '', true],
    ['*', 'anything', true],
  ])('%s against %s → %s', (glob, slug, expected) => {
    expect(compileGlob(glob)(slug)).toBe(expected);
  });

  it('agrees with a RegExp translation on arbitrary patterns and slugs', () => {
    const slugChar = fc.constantFrom('a', 'b', '-', '.');
    const globChar = fc.constantFrom('a', 'b', '-', '.', '*', '?');
    fc.assert(
      fc.property(
        fc.string({ unit: globChar, maxLength: 8 }),
        fc.string({ unit: slugChar, maxLength: 12 }),
        (glob, slug) => {
          expect(compileGlob(glob)(slug)).toBe(globAsRegExp(glob).test(slug));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays fast on patterns that make backtracking RegExps explode', () => {
    const glob = `${'*a'.repeat(40)}*b*`;
    const slug = 'a'.repeat(2000);
    const started = performance.now();
    expect(compileGlob(glob)(slug)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
