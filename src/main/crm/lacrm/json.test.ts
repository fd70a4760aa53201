// Ids must survive parsing digit for digit, and nothing else may change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingIds, quoteUnsafeIntegers } from './json';

const bigInteger = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 16, maxLength: 40 }),
  )
  .map(([head, tail]) => `${head}${tail.join('')}`);

describe('parseJsonKeepingIds', () => {
  it('keeps integers too big for a double as exact strings, wherever they sit', () => {
    fc.assert(
      fc.property(bigInteger, fc.boolean(), (digits, negative) => {
        const literal = negative ? `-${digits}` : digits;
        const parsed = parseJsonKeepingIds(
          `{"ContactId":${literal},"list":[ ${literal} ,1],"nested":{"x":${literal}}}`,
        );
        expect(parsed).toEqual({
          ContactId: literal,
          list: [literal, 1],
          nested: { x: literal },
        });
      }),
    );
  });

  it('changes nothing in JSON without unsafe integers (strings with digits included)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.stringMatching(/^[\d":,\\[\]{} ]{0,40}$/),
        fc.maxSafeInteger(),
        // A whole double beyond 2^53 (e.g. -9007199254740992) is written as an unsafe integer,
        // which is exactly what gets kept as a string: not part of this property.
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const text = JSON.stringify(v);
        expect(parseJsonKeepingIds(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('leaves exponents and fractions alone', () => {
    expect(quoteUnsafeIntegers('[12345678901234567890.5, 1e400, 98765432109876543210e2]')).toBe(
      '[12345678901234567890.5, 1e400, 98765432109876543210e2]',
    );
  });
});
