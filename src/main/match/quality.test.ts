// Measured matching quality on the labelled set (test/fixtures/matching): the product's promises
// as assertions — no wrong automatic match, no non-client matched automatically, the right contact
// ranked first in at least 95% of the cases that have one — plus precision/recall and a per-kind
// table printed for whoever tunes the scorer.
import { describe, expect, it } from 'vitest';
import type { MatchCase } from '../../../test/fixtures/matching/cases';
import { caseKinds, matchCases } from '../../../test/fixtures/matching/cases';
import {
  FIXTURE_PERSONAL_DOMAINS,
  fixtureContacts,
  handleOf,
} from '../../../test/fixtures/matching/contacts';
import type { MatchOutcome } from './index';
import { buildContactIndex, matchAttendee } from './index';

type Scored = Readonly<{ testCase: MatchCase; outcome: MatchOutcome }>;

const index = buildContactIndex(fixtureContacts, {
  personalEmailDomains: FIXTURE_PERSONAL_DOMAINS,
});
const noAliases: ReadonlyMap<string, string | null> = new Map();
const results: readonly Scored[] = matchCases.map((testCase) => ({
  testCase,
  outcome: matchAttendee(index, testCase.attendee, testCase.aliases ?? noAliases, testCase.context),
}));

/** The contact the engine puts forward: automatic, or the top suggestion. */
const proposed = (outcome: MatchOutcome): string | null =>
  outcome.state === 'auto' || outcome.state === 'suggested' ? outcome.contactId : null;

function describeCase({ testCase, outcome }: Scored): string {
  const { attendee } = testCase;
  return (
    `#${testCase.id} [${testCase.kind}] ${JSON.stringify(attendee.name)} <${attendee.email}> ` +
    `expected ${handleOf(testCase.expected)}, got ${outcome.state} ${handleOf(outcome.contactId)}` +
    ` (${outcome.score ?? '-'}): ${outcome.reason}`
  );
}

const ratio = (part: number, whole: number): string =>
  whole === 0 ? '   –  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

describe('matching quality on the labelled set', () => {
  it('has at least 300 labelled cases covering every kind', () => {
    expect(matchCases.length).toBeGreaterThanOrEqual(300);
    for (const kind of caseKinds) {
      expect(
        matchCases.filter((testCase) => testCase.kind === kind).length,
        kind,
      ).toBeGreaterThanOrEqual(5);
    }
  });

  it('never matches automatically to the wrong contact', () => {
    const wrong = results.filter(
      ({ testCase, outcome }) =>
        outcome.state === 'auto' && outcome.contactId !== testCase.expected,
    );
    expect(wrong.map(describeCase)).toEqual([]);
  });

  it('never matches a non-client automatically', () => {
    const nonClients = results.filter(({ testCase }) => testCase.expected === null);
    expect(nonClients.length).toBeGreaterThanOrEqual(40);
    const matched = nonClients.filter(({ outcome }) => outcome.state === 'auto');
    expect(matched.map(describeCase)).toEqual([]);
  });

  it('ranks the right contact first in at least 95% of the cases that have one', () => {
    const withContact = results.filter(({ testCase }) => testCase.expected !== null);
    const misses = withContact.filter(
      ({ testCase, outcome }) => proposed(outcome) !== testCase.expected,
    );
    const hitRate = 1 - misses.length / withContact.length;
    if (misses.length > 0) console.info(`misses:\n${misses.map(describeCase).join('\n')}`);
    expect(hitRate).toBeGreaterThanOrEqual(0.95);
  });

  it('prints precision and recall, overall and per kind', () => {
    const withContact = results.filter(({ testCase }) => testCase.expected !== null);
    const autos = results.filter(({ outcome }) => outcome.state === 'auto');
    const autoRight = autos.filter(
      ({ testCase, outcome }) => outcome.contactId === testCase.expected,
    );
    const proposals = results.filter(({ outcome }) => proposed(outcome) !== null);
    const proposalsRight = proposals.filter(
      ({ testCase, outcome }) => proposed(outcome) === testCase.expected,
    );
    const lines = [
      `cases: ${results.length} (${withContact.length} with a contact, ${results.length - withContact.length} non-clients)`,
      `automatic:   precision ${ratio(autoRight.length, autos.length)}  recall ${ratio(autoRight.length, withContact.length)}  (${autos.length} auto)`,
      `top-1:       precision ${ratio(proposalsRight.length, proposals.length)}  recall ${ratio(proposalsRight.length, withContact.length)}  (${proposals.length} auto or suggested)`,
      '',
      'kind                  cases  auto  sugg  unm/ign  top-1 right  wrong proposals',
    ];
    for (const kind of caseKinds) {
      const ofKind = results.filter(({ testCase }) => testCase.kind === kind);
      const count = (state: MatchOutcome['state']): number =>
        ofKind.filter(({ outcome }) => outcome.state === state).length;
      const right = ofKind.filter(
        ({ testCase, outcome }) => proposed(outcome) === testCase.expected,
      ).length;
      const wrongProposals = ofKind.filter(
        ({ testCase, outcome }) =>
          proposed(outcome) !== null && proposed(outcome) !== testCase.expected,
      ).length;
      lines.push(
        `${kind.padEnd(20)}  ${String(ofKind.length).padStart(5)}  ${String(count('auto')).padStart(4)}  ` +
          `${String(count('suggested')).padStart(4)}  ${String(count('unmatched') + count('ignored')).padStart(7)}  ` +
          `${ratio(right, ofKind.length).padStart(11)}  ${String(wrongProposals).padStart(15)}`,
      );
    }
    const wrongProposals = proposals.filter(
      ({ testCase, outcome }) => proposed(outcome) !== testCase.expected,
    );
    lines.push('', 'wrong proposals (suggestions the advisor would reject):');
    lines.push(...wrongProposals.map(describeCase));
    console.info(lines.join('\n'));
    expect(autos.length).toBeGreaterThan(0);
    expect(proposals.length).toBeGreaterThan(autos.length);
  });
});
