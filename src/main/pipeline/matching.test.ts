// Rejections applied to the engine's outcomes: a rejected contact is never put forward again for
// the address, whatever the outcome looked like; the next candidate steps up only if it is good
// enough; outcomes without a rejected contact pass through untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUGGESTION_THRESHOLD, type MatchOutcome } from '../match';
import { emailKeyOf, nameKeyOf, withoutRejected } from './matching';

const contactIds = ['101', '102', '103', '104', '105', '106'];

const candidateArb = fc.record({
  contactId: fc.constantFrom(...contactIds),
  score: fc.double({ min: 0.3, max: 0.99, noNaN: true }),
  reason: fc.constantFrom('same last name', 'Bob is a nickname of Robert', 'same email domain'),
});

const outcomeArb: fc.Arbitrary<MatchOutcome> = fc
  .tuple(
    fc.uniqueArray(candidateArb, { selector: (c) => c.contactId, maxLength: 5 }),
    fc.constantFrom('auto', 'suggested', 'unmatched', 'ignored' as const),
  )
  .map(([unsorted, state]) => {
    const candidates = [...unsorted].sort((a, b) => b.score - a.score);
    const top = candidates[0];
    switch (state) {
      case 'auto':
        return {
          state,
          contactId: top?.contactId ?? '101',
          via: 'email',
          score: 1,
          reason: 'exact email',
          candidates: [{ contactId: top?.contactId ?? '101', score: 1, reason: 'exact email' }],
        } satisfies MatchOutcome;
      case 'suggested':
        return top && top.score >= SUGGESTION_THRESHOLD
          ? ({
              state,
              contactId: top.contactId,
              via: 'fuzzy',
              score: top.score,
              reason: top.reason,
              candidates,
            } satisfies MatchOutcome)
          : ({
              state: 'unmatched',
              contactId: null,
              via: 'none',
              score: top?.score ?? null,
              reason: 'no name close enough',
              candidates,
            } satisfies MatchOutcome);
      case 'unmatched':
        return {
          state,
          contactId: null,
          via: 'none',
          score: top?.score ?? null,
          reason: 'no name close enough',
          candidates,
        } satisfies MatchOutcome;
      case 'ignored':
        return {
          state,
          contactId: null,
          via: 'alias',
          score: null,
          reason: 'you chose to ignore this address',
          candidates: [],
        } satisfies MatchOutcome;
    }
  });

const rejectedArb = fc.uniqueArray(fc.constantFrom(...contactIds), { maxLength: 4 });

describe('withoutRejected', () => {
  it('never puts a rejected contact forward', () => {
    fc.assert(
      fc.property(outcomeArb, rejectedArb, (outcome, rejectedList) => {
        const rejected = new Set(rejectedList);
        const result = withoutRejected(outcome, rejected);
        if (result.contactId !== null) expect(rejected.has(result.contactId)).toBe(false);
        for (const c of result.candidates) expect(rejected.has(c.contactId)).toBe(false);
        if (result.state === 'suggested') {
          expect(result.contactId).toBe(result.candidates[0]?.contactId);
          expect(result.score).toBeGreaterThanOrEqual(SUGGESTION_THRESHOLD);
        }
        if (result.state === 'auto') expect(result).toBe(outcome);
      }),
    );
  });

  it('leaves an outcome alone when none of its contacts was rejected', () => {
    fc.assert(
      fc.property(outcomeArb, (outcome) => {
        const involved = new Set(outcome.candidates.map((c) => c.contactId));
        const others = new Set(contactIds.filter((id) => !involved.has(id)));
        expect(withoutRejected(outcome, others)).toBe(outcome);
        expect(withoutRejected(outcome, undefined)).toBe(outcome);
      }),
    );
  });

  it('suggests the runner-up when the top suggestion was rejected, and says why', () => {
    const outcome: MatchOutcome = {
      state: 'suggested',
      contactId: '101',
      via: 'fuzzy',
      score: 0.93,
      reason: 'Bob is a nickname of Robert',
      candidates: [
        { contactId: '101', score: 0.93, reason: 'Bob is a nickname of Robert' },
        { contactId: '102', score: 0.81, reason: 'same last name; initial R' },
        { contactId: '103', score: 0.4, reason: 'same last name' },
      ],
    };
    expect(withoutRejected(outcome, new Set(['101']))).toMatchObject({
      state: 'suggested',
      contactId: '102',
      score: 0.81,
      reason: 'same last name; initial R; you rejected the earlier suggestion for this address',
    });
    expect(withoutRejected(outcome, new Set(['101', '102']))).toMatchObject({
      state: 'unmatched',
      contactId: null,
      score: 0.4,
      candidates: [{ contactId: '103' }],
    });
  });
});

describe('keys', () => {
  it('groups an address as Gmail delivers it and a name without case or accents', () => {
    expect(emailKeyOf(' J.Smith+cadence@GoogleMail.com ')).toBe('jsmith@gmail.com');
    expect(emailKeyOf('not an address')).toBeNull();
    expect(emailKeyOf(null)).toBeNull();
    expect(nameKeyOf('  José   Álvarez ')).toBe('jose alvarez');
    expect(nameKeyOf(null)).toBe('');
  });
});
