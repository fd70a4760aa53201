// The matching rules the product promises, one by one: what is automatic (exact email owned by one
// contact, a confirmed alias), what never is (a shared address, a +tag outside Gmail, anything
// fuzzy), what "ignore" does, how a booking's attendees inform each other — and that blocking
// finds what a scan of every contact would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIXTURE_PERSONAL_DOMAINS,
  fixtureContacts,
} from '../../../test/fixtures/matching/contacts';
import { matchCases } from '../../../test/fixtures/matching/cases';
import { buildContactIndex } from './contact-index';
import { normalizeEmail } from './email';
import type { ContactForMatching } from './index';
import {
  MAX_CANDIDATES,
  SUGGESTION_THRESHOLD,
  advisorKeysOf,
  matchAttendee,
  matchBookingAttendees,
} from './matcher';
import { buildAttendeeProfile, scoreCandidate } from './score';

const person = (
  contactId: string,
  firstName: string,
  lastName: string,
  emails: readonly string[],
  extra: Partial<ContactForMatching> = {},
): ContactForMatching => ({
  contactId,
  isCompany: false,
  firstName,
  middleName: null,
  lastName,
  companyName: null,
  emails,
  ...extra,
});

const smiths = [
  person('101', 'Robert', 'Smith', ['rsmith@harbor.example', 'family@smith-home.example']),
  person('102', 'Linda', 'Smith', ['linda@smith-home.example', 'family@smith-home.example']),
  person('103', 'Jane', 'Doe', ['jane.doe+crm@acme.example', 'jane.doe@gmail.com']),
];
const index = buildContactIndex(smiths);
const none: ReadonlyMap<string, string | null> = new Map();

describe('automatic matches', () => {
  it('matches an exact address owned by one contact, whatever its case and spacing', () => {
    const outcome = matchAttendee(index, { email: '  RSmith@Harbor.Example ', name: null }, none);
    expect(outcome).toMatchObject({ state: 'auto', contactId: '101', via: 'email', score: 1 });
    expect(outcome.reason).toBe('exact email rsmith@harbor.example on the contact');
  });

  it('matches Gmail dot and +tag variants automatically, and says why', () => {
    const outcome = matchAttendee(
      index,
      { email: 'Jane.D.O.E+x@googlemail.com', name: 'Jane' },
      none,
    );
    expect(outcome).toMatchObject({ state: 'auto', contactId: '103', via: 'email' });
    expect(outcome.reason).toContain('Gmail ignores dots and +tags');
    const asStored = matchAttendee(index, { email: 'jane.doe@gmail.com', name: 'Jane' }, none);
    expect(asStored.reason).toBe('exact email janedoe@gmail.com on the contact');
  });

  it('still matches an exact address when the booking name differs, but says so', () => {
    const outcome = matchAttendee(
      index,
      { email: 'rsmith@harbor.example', name: 'Margaret Oakes' },
      none,
    );
    expect(outcome.state).toBe('auto');
    expect(outcome.reason).toContain('the booking name differs from Robert Smith');
  });

  it('matches an address the advisor confirmed before', () => {
    const aliases = new Map([['bob.golf@links.example', '101']]);
    const outcome = matchAttendee(index, { email: 'Bob.Golf@links.example', name: 'Bob' }, aliases);
    expect(outcome).toMatchObject({ state: 'auto', contactId: '101', via: 'alias', score: 1 });
  });
});

describe('never automatic', () => {
  it('suggests, never auto-matches, an address shared by two contacts; the name ranks them', () => {
    const outcome = matchAttendee(
      index,
      { email: 'family@smith-home.example', name: 'Linda Smith' },
      none,
    );
    expect(outcome.state).toBe('suggested');
    expect(outcome.contactId).toBe('102');
    expect(outcome.candidates.map((candidate) => candidate.contactId)).toEqual(['102', '101']);
    expect(outcome.reason).toContain('is shared by 2 contacts');
  });

  it('keeps a shared address a suggestion even with an alias for it', () => {
    const aliases = new Map([['family@smith-home.example', '102']]);
    const outcome = matchAttendee(
      index,
      { email: 'family@smith-home.example', name: null },
      aliases,
    );
    expect(outcome).toMatchObject({ state: 'suggested', contactId: '102' });
  });

  it('never auto-matches a shared address, whatever the name', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ maxLength: 30 }), { nil: null }), (name) => {
        const outcome = matchAttendee(index, { email: 'family@smith-home.example', name }, none);
        expect(outcome.state).toBe('suggested');
        expect(['101', '102']).toContain(outcome.contactId);
      }),
    );
  });

  it('suggests, not matches, an address that differs only by a +tag outside Gmail', () => {
    const tagged = matchAttendee(index, { email: 'rsmith+zoom@harbor.example', name: null }, none);
    expect(tagged).toMatchObject({ state: 'suggested', contactId: '101', via: 'fuzzy' });
    expect(tagged.reason).toContain('apart from the +tag');
    const untagged = matchAttendee(index, { email: 'jane.doe@acme.example', name: null }, none);
    expect(untagged).toMatchObject({ state: 'suggested', contactId: '103' });
  });

  it('never matches automatically without an exact address or alias', () => {
    const known = new Set(
      fixtureContacts.flatMap((c) => c.emails.map((e) => normalizeEmail(e)?.key)),
    );
    const fixtureIndex = buildContactIndex(fixtureContacts, {
      personalEmailDomains: FIXTURE_PERSONAL_DOMAINS,
    });
    const names = fixtureContacts.map((c) => `${c.firstName} ${c.lastName}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.string({ maxLength: 3 }),
        fc.constantFrom('mail.example', 'gmail.com', 'acme.example', 'harbor-logistics.example'),
        (name, noise, domain) => {
          const local =
            name.toLowerCase().replace(/[^a-z]/g, '.') + noise.replace(/[^a-z0-9]/gi, '');
          const email = `${local.replace(/^\.+|\.+$/g, '') || 'x'}@${domain}`;
          if (known.has(normalizeEmail(email)?.key)) return;
          const outcome = matchAttendee(fixtureIndex, { email, name: `${name}${noise}` }, none);
          expect(outcome.state).not.toBe('auto');
          expect(outcome.score ?? 0).toBeLessThan(1);
        },
      ),
    );
  });
});

describe('advisor decisions', () => {
  it('ignores an address the advisor chose to ignore', () => {
    const aliases = new Map([['noreply@calendar.example', null]]);
    const outcome = matchAttendee(
      index,
      { email: 'noreply@calendar.example', name: 'Robert Smith' },
      aliases,
    );
    expect(outcome).toMatchObject({
      state: 'ignored',
      contactId: null,
      via: 'alias',
      candidates: [],
    });
  });

  it('falls back to fuzzy matching, and says so, when an alias points to a deleted contact', () => {
    const aliases = new Map([['old@home.example', '999']]);
    const outcome = matchAttendee(
      index,
      { email: 'old@home.example', name: 'Linda Smith' },
      aliases,
    );
    expect(outcome).toMatchObject({ state: 'suggested', contactId: '102', via: 'fuzzy' });
    expect(outcome.reason).toContain('no longer in the CRM');
  });

  it('turns a conflict between the CRM and an earlier decision into a suggestion', () => {
    const aliases = new Map([['rsmith@harbor.example', '102']]);
    const outcome = matchAttendee(index, { email: 'rsmith@harbor.example', name: null }, aliases);
    expect(outcome.state).toBe('suggested');
    expect(outcome.candidates.map((candidate) => candidate.contactId).slice(0, 2)).toEqual([
      '101',
      '102',
    ]);
    expect(outcome.reason).toContain('you confirmed it for Linda Smith before');
  });
});

describe('fuzzy suggestions', () => {
  it('explains a nickname suggestion in words', () => {
    const outcome = matchAttendee(
      index,
      { email: 'bob.smith@mail.example', name: 'Bob Smith' },
      none,
    );
    expect(outcome).toMatchObject({ state: 'suggested', contactId: '101', via: 'fuzzy' });
    expect(outcome.reason).toBe(
      "same last name; Bob is a nickname of Robert; email name matches the contact's name",
    );
  });

  it('suggests Raymond for a booking as Ray from a new address', () => {
    const raymond = buildContactIndex([
      person('201', 'Raymond', 'Bennett', ['raymondbennett@lakeside.example']),
      person('202', 'Rachel', 'Bennett', ['rachel.bennett@lakeside.example']),
    ]);
    const outcome = matchAttendee(
      raymond,
      { email: 'raymond.bennett.78@mail.example', name: 'Ray Bennett' },
      none,
    );
    expect(outcome).toMatchObject({ state: 'suggested', contactId: '201', via: 'fuzzy' });
    expect(outcome.reason).toContain('Ray is a nickname of Raymond');
    expect(outcome.score).toBeGreaterThanOrEqual(0.9);
  });

  it('reads the names in a Gmail address as written, dots and all', () => {
    const jones = buildContactIndex([
      person('301', 'Noah', 'Jones', ['noah.jones@harbor.example']),
      person('302', 'Mary', 'Jones', ['mjones@harbor.example']),
    ]);
    // Gmail ignores the dots, so the key is "noahjoneshome"; the names are still in the address.
    for (const email of ['noah.jones.home@gmail.com', 'noahjones.home+cal@gmail.com']) {
      const outcome = matchAttendee(jones, { email, name: null }, none);
      expect(outcome, email).toMatchObject({ state: 'suggested', contactId: '301', via: 'fuzzy' });
      expect(outcome.reason).toBe("email name matches the contact's name");
    }
  });

  it('forgives a slip in the first name that the address spells out, for less', () => {
    const stewarts = buildContactIndex([
      person('401', 'Cynthia', 'Stewart', ['cstewart@harbor.example']),
      person('402', 'Mary', 'Stewart', ['mstewart@harbor.example']),
    ]);
    const slip = matchAttendee(
      stewarts,
      { email: 'cynthia.stewart.home@mail.example', name: 'Cinndy Stewart' },
      none,
    );
    expect(slip).toMatchObject({ state: 'suggested', contactId: '401', via: 'fuzzy' });
    expect(slip.reason).toContain('first name Cinndy looks like a typo of Cindy');
    // Below the bulk-accept line: the advisor looks at each one.
    expect(slip.score).toBeLessThan(0.9);
    // Another real name with only an initial in the address still contradicts it.
    const other = matchAttendee(
      stewarts,
      { email: 'mstewart77@mail.example', name: 'Mark Stewart' },
      none,
    );
    expect(other.state).toBe('unmatched');
  });

  it('leaves a stranger unmatched, and one with neither email nor name too', () => {
    expect(
      matchAttendee(index, { email: 'mark@else.example', name: 'Mark Jones' }, none),
    ).toMatchObject({
      state: 'unmatched',
      contactId: null,
      via: 'none',
    });
    expect(matchAttendee(index, { email: null, name: '  ' }, none).reason).toBe(
      'no email or name on the booking to match on',
    );
  });

  it('notes an invalid address and still matches on the name', () => {
    const outcome = matchAttendee(index, { email: 'linda at home', name: 'Linda Smith' }, none);
    expect(outcome).toMatchObject({ state: 'suggested', contactId: '102' });
    expect(outcome.reason).toMatch(/^the email on the booking is not a valid address; /);
  });

  it('returns at most MAX_CANDIDATES, ranked, with scores in 0..1 and fuzzy below 1', () => {
    const fixtureIndex = buildContactIndex(fixtureContacts, {
      personalEmailDomains: FIXTURE_PERSONAL_DOMAINS,
    });
    for (const testCase of matchCases) {
      const outcome = matchAttendee(
        fixtureIndex,
        testCase.attendee,
        testCase.aliases ?? none,
        testCase.context,
      );
      expect(outcome.candidates.length).toBeLessThanOrEqual(MAX_CANDIDATES);
      const scores = outcome.candidates.map((candidate) => candidate.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
      if (outcome.via === 'fuzzy') expect(outcome.score).toBeLessThan(1);
      if (outcome.state === 'suggested')
        expect(outcome.contactId).toBe(outcome.candidates[0]?.contactId);
      if (outcome.state === 'suggested' && outcome.via === 'fuzzy') {
        expect(outcome.score).toBeGreaterThanOrEqual(SUGGESTION_THRESHOLD);
      }
    }
  });

  it('prefers the contact the advisor confirmed before when names tie', () => {
    const twins = buildContactIndex([
      person('201', 'Chris', 'Lane', ['chris.a@one.example']),
      person('202', 'Chris', 'Lane', ['chris.b@two.example']),
    ]);
    const prior = new Map([['202', 2]]);
    const outcome = matchAttendee(twins, { email: 'cl@new.example', name: 'Chris Lane' }, none, {
      priorContactIds: prior,
    });
    expect(outcome.contactId).toBe('202');
    expect(outcome.reason).toContain('confirmed for this person 2 times before');
  });
});

describe('matchBookingAttendees', () => {
  it('skips the advisor, matches everyone else, and lets a certain match inform the rest', () => {
    const results = matchBookingAttendees(
      index,
      [
        { email: 'Advisor@MyFirm.example', name: 'Ann Advisor' },
        { email: 'rsmith@harbor.example', name: 'Robert Smith' },
        { email: null, name: 'Linda' },
      ],
      none,
      { advisorEmails: ['advisor@myfirm.example'] },
    );
    expect(results.map((result) => result.outcome?.state ?? 'advisor')).toEqual([
      'advisor',
      'auto',
      'suggested',
    ]);
    expect(results[2]?.outcome?.contactId).toBe('102');
    expect(results[2]?.outcome?.reason).toContain('same last name as Robert Smith on this booking');
  });

  it("takes the advisor's addresses normalized once for a run (advisorKeys) as it takes them raw", () => {
    const attendees = [
      { email: ' ADVISOR@myfirm.example ', name: 'Ann Advisor' },
      { email: 'assistant+cal@MyFirm.example', name: 'Sam Assistant' },
      { email: 'rsmith@harbor.example', name: 'Robert Smith' },
    ];
    const own = ['advisor@myfirm.example', 'Assistant+cal@myfirm.example', 'not an address'];
    const keys = advisorKeysOf(own);
    expect([...keys].sort()).toEqual(['advisor@myfirm.example', 'assistant+cal@myfirm.example']);
    const byKeys = matchBookingAttendees(index, attendees, none, { advisorKeys: keys });
    expect(byKeys).toEqual(matchBookingAttendees(index, attendees, none, { advisorEmails: own }));
    expect(byKeys.map((result) => result.outcome?.state ?? 'advisor')).toEqual([
      'advisor',
      'advisor',
      'auto',
    ]);
  });

  it('without the household context a bare first name is not enough', () => {
    expect(matchAttendee(index, { email: null, name: 'Linda' }, none).state).toBe('unmatched');
  });

  it('is deterministic', () => {
    const attendees = matchCases.slice(0, 40).map((testCase) => testCase.attendee);
    const fixtureIndex = buildContactIndex(fixtureContacts);
    expect(matchBookingAttendees(fixtureIndex, attendees, none)).toEqual(
      matchBookingAttendees(buildContactIndex([...fixtureContacts].reverse()), attendees, none),
    );
  });
});

describe('blocking', () => {
  it('finds the same best contact a scan of every contact would', () => {
    const fixtureIndex = buildContactIndex(fixtureContacts, {
      personalEmailDomains: FIXTURE_PERSONAL_DOMAINS,
    });
    const scoring = { coAttendees: [], priorCounts: new Map<string, number>() };
    let compared = 0;
    for (const testCase of matchCases) {
      if (testCase.context !== undefined || testCase.aliases !== undefined) continue;
      const outcome = matchAttendee(fixtureIndex, testCase.attendee, none);
      if (outcome.via !== 'fuzzy' && outcome.via !== 'none') continue;
      const email =
        testCase.attendee.email === null ? null : normalizeEmail(testCase.attendee.email);
      const profile = buildAttendeeProfile(fixtureIndex, testCase.attendee.name, email);
      const scanned = fixtureIndex.contacts
        .map((entry) => scoreCandidate(profile, entry, scoring))
        .sort((a, b) => b.score - a.score)[0]!;
      if (scanned.score < SUGGESTION_THRESHOLD || outcome.candidates[0] === undefined) {
        expect(outcome.state, JSON.stringify(testCase.attendee)).not.toBe('suggested');
        expect(scanned.score, JSON.stringify(testCase.attendee)).toBeLessThan(SUGGESTION_THRESHOLD);
        continue;
      }
      compared += 1;
      expect(outcome.candidates[0].score, JSON.stringify(testCase.attendee)).toBeGreaterThanOrEqual(
        scanned.score,
      );
    }
    expect(compared).toBeGreaterThan(200);
  });
});
