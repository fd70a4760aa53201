// The blocking table and the candidate tally: plain data structures, so their contracts are
// checked against a Map-based model with random inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BlockKind,
  BlockTable,
  CandidateTally,
  SurnameFilter,
  blockHash,
  blockHashPrefix,
  finishBlockHash,
} from './blocks';

describe('blockHash', () => {
  it('is a stable 32-bit unsigned hash that separates kinds and field boundaries', () => {
    const hash = blockHash(BlockKind.surnameInitial, 'smith', 'j');
    expect(hash).toBe(blockHash(BlockKind.surnameInitial, 'smith', 'j'));
    expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
    expect(hash).not.toBe(blockHash(BlockKind.surnameGiven, 'smith', 'j'));
    expect(blockHash(BlockKind.surname, 'ab', 'c')).not.toBe(
      blockHash(BlockKind.surname, 'a', 'bc'),
    );
  });
});

describe('blockHashPrefix', () => {
  it('finished with the second part gives the same key as blockHash', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(BlockKind)),
        fc.string(),
        fc.string(),
        (kind, a, b) => {
          expect(finishBlockHash(blockHashPrefix(kind, a), b)).toBe(blockHash(kind, a, b));
        },
      ),
    );
  });
});

describe('SurnameFilter', () => {
  const word = fc.stringMatching(/^[a-z]{3,12}$/);

  it('never rules out a surname at the start or the end of a word', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 50 }),
        word,
        word,
        (surnames, before, after) => {
          const filter = new SurnameFilter();
          for (const surname of surnames) filter.add(surname);
          for (const surname of surnames) {
            expect(filter.mayEndWith(before + surname, before.length)).toBe(true);
            expect(filter.mayStartWith(surname + after, surname.length)).toBe(true);
          }
        },
      ),
    );
  });

  it('rules out most pieces that are not surnames', () => {
    const filter = new SurnameFilter();
    for (const surname of ['smith', 'johnson', 'lindqvist']) filter.add(surname);
    const pieces = ['mith', 'ith', 'ohnson', 'dqvist', 'smit', 'johns', 'lindq', 'robert'];
    const passed = pieces.filter(
      (piece) => filter.mayEndWith(piece, 0) || filter.mayStartWith(piece, piece.length),
    );
    expect(passed.length).toBeLessThanOrEqual(1);
  });
});

describe('BlockTable', () => {
  it('returns exactly the positions added under each key, ascending and without repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 2000 })), { maxLength: 400 }),
        (pairs) => {
          const builder = BlockTable.builder();
          const model = new Map<number, Set<number>>();
          for (const [key, position] of pairs) {
            const hash = blockHash(BlockKind.surname, `k${key}`);
            builder.add(hash, position);
            model.set(hash, (model.get(hash) ?? new Set()).add(position));
          }
          const table = builder.build();
          expect(table.size).toBe(model.size);
          for (const [hash, positions] of model) {
            expect([...table.get(hash)]).toEqual([...positions].sort((a, b) => a - b));
          }
          expect(table.get(blockHash(BlockKind.surname, 'absent')).length).toBe(0);
        },
      ),
    );
  });

  it('keeps keys apart even when they share a hash-table slot', () => {
    const builder = BlockTable.builder();
    // 16 slots for up to 8 keys: these all land in slot 3 and must probe past each other.
    const keys = [3, 19, 35, 51, 67];
    keys.forEach((key, i) => builder.add(key, i));
    const table = builder.build();
    keys.forEach((key, i) => expect([...table.get(key)]).toEqual([i]));
    expect(table.get(83).length).toBe(0);
  });
});

describe('CandidateTally', () => {
  it('ranks by total weight, ties to the lower position, and resets after take', () => {
    const tally = new CandidateTally(10);
    tally.add(Int32Array.from([1, 2, 3]), 4, 64, 128);
    tally.add(Int32Array.from([3, 7]), 3, 64, 128);
    tally.add(Int32Array.from([2]), 1, 64, 128);
    expect(tally.size).toBe(4);
    expect(tally.take(3)).toEqual([3, 2, 1]);
    expect(tally.size).toBe(0);
    tally.add(Int32Array.from([9]), 1, 64, 128);
    expect(tally.take(5)).toEqual([9]);
  });

  it('honours the scan limit and the cap on distinct contacts', () => {
    const tally = new CandidateTally(100);
    tally.add(Int32Array.from([1, 2, 3, 4, 5]), 1, 2, 3);
    tally.add(Int32Array.from([6, 7, 1]), 1, 64, 3);
    // 1 and 2 from the first block (limit 2), 6 as the third distinct; 7 is over the cap.
    expect(tally.take(10)).toEqual([1, 2, 6]);
  });

  it('takes the same contacts a full sort would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.integer({ min: 1, max: 5 })), { maxLength: 200 }),
        fc.integer({ min: 1, max: 12 }),
        (hits, count) => {
          const tally = new CandidateTally(61);
          const model = new Map<number, number>();
          for (const [position, weight] of hits) {
            tally.add(Int32Array.from([position]), weight, 64, 1000);
            model.set(position, (model.get(position) ?? 0) + weight);
          }
          const expected = [...model.entries()]
            .sort((a, b) => b[1] - a[1] || a[0] - b[0])
            .slice(0, count)
            .map(([position]) => position);
          expect(tally.take(count)).toEqual(expected);
        },
      ),
    );
  });
});
