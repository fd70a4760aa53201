// Fuzzy scoring of one attendee against the contacts its blocking keys found. Each piece of
// evidence (last name, first name, the email's mailbox name and domain, the booking's other
// attendees, earlier confirmations) adds to a 0..1 score and leaves a short phrase, so the advisor
// reads why a contact was suggested. Fuzzy scores stay below 1: only an exact email or a confirmed
// alias is certain.
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import type { ContactIndex, IndexedContact } from './contact-index';
import { blockKey, domainStem, initialsOf, mailboxName, surnameFormsOf } from './contact-index';
import type { NormalizedEmail } from './email';
import { isPersonalDomain, isRoleMailbox } from './email';
import type { PersonName } from './names';
import {
  compactCompanyName,
  deletionNeighbourhood,
  foldText,
  parseAttendeeName,
  phoneticKey,
} from './names';
import { givenNameGroup, relateGivenNames } from './nicknames';

/** Highest score fuzzy evidence can reach; 1 is reserved for exact email and aliases. */
export const MAX_FUZZY_SCORE = 0.99;

/** Everything about one attendee the scorer needs, computed once. */
export type AttendeeProfile = Readonly<{
  people: readonly PersonName[];
  /** The raw name when it looks like a company ("Harbor Logistics LLC"), compacted. */
  nameAsCompany: string | null;
  email: NormalizedEmail | null;
  /** Letters-only tokens of the local part (without +tag), [] for role mailboxes. */
  mailboxTokens: readonly string[];
  /** The local part without separators, for "same mailbox name" comparisons. */
  mailbox: string | null;
  /** The email's domain when it is not a consumer provider. */
  workDomain: string | null;
}>;

/** Facts about the booking the attendee is on, resolved against the index. */
export type ScoringContext = Readonly<{
  coAttendees: readonly IndexedContact[];
  priorCounts: ReadonlyMap<string, number>;
}>;

export type ScoredCandidate = Readonly<{
  entry: IndexedContact;
  score: number;
  phrases: readonly string[];
}>;

export function buildAttendeeProfile(
  index: ContactIndex,
  name: string | null,
  email: NormalizedEmail | null,
): AttendeeProfile {
  const people = parseAttendeeName(name);
  let mailboxTokens: string[] = [];
  let mailbox: string | null = null;
  if (email !== null && !isRoleMailbox(email.local)) {
    const untagged = email.local.split('+')[0] ?? '';
    mailboxTokens = foldText(untagged)
      .split(/[^a-z]+/)
      .filter((token) => token.length > 0);
    const name = mailboxName(untagged);
    mailbox = name.length > 0 ? name : null;
  }
  const workDomain =
    email !== null && !isPersonalDomain(email.domain, index.personalDomains) ? email.domain : null;
  const nameAsCompany = name !== null && !name.includes('@') ? compactCompanyName(name) : null;
  return { people, nameAsCompany, email, mailboxTokens, mailbox, workDomain };
}

type MailboxGuess = Readonly<{ given: string | null; surname: string }>;

/** Possible (given, surname) readings of a mailbox name, using the surnames the index knows. */
function guessNamesFromMailbox(
  tokens: readonly string[],
  surnames: ReadonlySet<string>,
): MailboxGuess[] {
  const guesses: MailboxGuess[] = [];
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (tokens.length >= 2 && first !== undefined && last !== undefined) {
    if (last.length >= 2) guesses.push({ given: first, surname: last });
    if (first.length >= 2) guesses.push({ given: last, surname: first });
    const second = tokens[1];
    if (tokens.length >= 3 && second !== undefined && second.length >= 2) {
      guesses.push({ given: first, surname: second });
    }
  }
  for (const token of tokens) {
    if (token.length < 3) continue;
    if (surnames.has(token)) guesses.push({ given: null, surname: token });
    for (let cut = 1; cut <= token.length - 3; cut += 1) {
      const suffix = token.slice(cut);
      if (surnames.has(suffix)) guesses.push({ given: token.slice(0, cut), surname: suffix });
    }
    for (let cut = 1; cut <= 2 && token.length - cut >= 3; cut += 1) {
      const prefix = token.slice(0, token.length - cut);
      if (surnames.has(prefix)) guesses.push({ given: token.slice(-cut), surname: prefix });
    }
  }
  return guesses.slice(0, 12);
}

const MAX_SCORED = 60;
const BLOCK_CAP = 40;
const BROAD_BLOCK_LIMIT = 50;

/** The contacts worth scoring for this attendee: a union of small blocks, capped. */
export function collectCandidates(
  index: ContactIndex,
  profile: AttendeeProfile,
  context: ScoringContext,
  mustInclude: readonly number[],
): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  const take = (positions: readonly number[] | undefined, cap: number): void => {
    if (positions === undefined) return;
    const limit = Math.min(positions.length, cap);
    for (let i = 0; i < limit && order.length < MAX_SCORED; i += 1) {
      const position = positions[i]!;
      if (!seen.has(position)) {
        seen.add(position);
        order.push(position);
      }
    }
  };
  const selective = (key: string): void => take(index.blocks.get(key), BLOCK_CAP);
  const broad = (key: string): void => {
    const positions = index.blocks.get(key);
    if (positions !== undefined && positions.length <= BROAD_BLOCK_LIMIT) {
      take(positions, BROAD_BLOCK_LIMIT);
    }
  };

  take(mustInclude, mustInclude.length);
  for (const [contactId] of context.priorCounts) {
    const entry = index.byId.get(contactId);
    if (entry !== undefined) take([entry.position], 1);
  }

  const guesses = guessNamesFromMailbox(profile.mailboxTokens, index.surnames);
  const broadKeys: string[] = [];
  for (const person of profile.people) {
    const initials = initialsOf(person, false);
    const surnameForms = surnameFormsOf(person, true);
    for (const surname of surnameForms) {
      for (const initial of initials) selective(blockKey('surname+initial', surname, initial));
      for (const given of person.givens) {
        const sound = phoneticKey(given);
        if (sound !== null) selective(blockKey('surname+given-sound', surname, sound));
      }
      if (initials.length === 0) broadKeys.push(blockKey('surname', surname));
    }
    for (const surname of surnameFormsOf(person, false)) {
      const sound = phoneticKey(surname);
      for (const initial of initials) {
        if (sound !== null) selective(blockKey('surname-sound+initial', sound, initial));
        selective(blockKey('surname-typo+initial', surname, initial));
        for (const form of deletionNeighbourhood(surname)) {
          if (form === surname) continue;
          selective(blockKey('surname-typo+initial', form, initial));
          selective(blockKey('surname+initial', form, initial));
        }
      }
    }
    // Married or maiden name: the booking's first name with a surname from the mailbox.
    for (const guess of guesses) {
      for (const initial of initials)
        selective(blockKey('surname+initial', guess.surname, initial));
    }
    if (person.surname === null) {
      for (const given of person.givens) {
        if (given.length < 2) continue;
        for (const member of givenNameGroup(given)) broadKeys.push(blockKey('given', member));
      }
      for (const co of context.coAttendees) {
        const coSurname = co.name?.surname;
        if (coSurname) broadKeys.push(blockKey('surname', coSurname));
      }
    }
  }
  for (const guess of guesses) {
    if (guess.given === null) {
      broadKeys.push(blockKey('surname', guess.surname));
      continue;
    }
    const initials =
      guess.given.length <= 2
        ? [guess.given[0]!]
        : initialsOf({ ...EMPTY_NAME, givens: [guess.given] }, false);
    for (const initial of initials) selective(blockKey('surname+initial', guess.surname, initial));
  }
  if (profile.mailbox !== null && profile.mailbox.length >= 5) {
    selective(blockKey('mailbox', profile.mailbox));
  }
  // "hiroshi.t@…": a first name in the mailbox, when nothing else names the person.
  if (profile.people.length === 0) {
    for (const token of profile.mailboxTokens) {
      if (token.length < 3 || index.surnames.has(token)) continue;
      for (const member of givenNameGroup(token)) broadKeys.push(blockKey('given', member));
    }
  }
  if (profile.nameAsCompany !== null) selective(blockKey('company', profile.nameAsCompany));
  if (profile.workDomain !== null) broadKeys.push(blockKey('domain', profile.workDomain));
  for (const key of broadKeys) broad(key);
  return order;
}

const EMPTY_NAME: PersonName = {
  givens: [],
  givenDisplay: null,
  givenIsInitial: false,
  middles: [],
  surname: null,
  surnameParts: [],
  surnameDisplay: null,
  suffix: null,
};

type Evidence = Readonly<{ value: number; phrase: string | null }>;
const NO_EVIDENCE: Evidence = { value: 0, phrase: null };

function better(a: Evidence, b: Evidence): Evidence {
  return b.value > a.value ? b : a;
}

function titleCase(text: string): string {
  return text.replace(/(^|[\s-])(\p{L})/gu, (_, separator: string, letter: string) => {
    return separator + letter.toUpperCase();
  });
}

/** A display form: as typed, unless typed all in one case ("bob" → "Bob"). */
function tidy(display: string): string {
  const mixed = display !== display.toLowerCase() && display !== display.toUpperCase();
  return mixed ? display : titleCase(display.toLowerCase());
}

function givenDisplay(name: PersonName, folded: string): string {
  if (name.givenDisplay !== null && folded === name.givens[0]) return tidy(name.givenDisplay);
  return titleCase(folded);
}

function surnameDisplay(name: PersonName, folded: string): string {
  if (name.surnameDisplay !== null && folded === name.surname) return tidy(name.surnameDisplay);
  return titleCase(folded);
}

/** True when a and b are one insertion, deletion, substitution or adjacent swap apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const lengthGap = a.length - b.length;
  if (lengthGap > 1 || lengthGap < -1) return false;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  if (lengthGap === 0) {
    if (a.slice(start + 1) === b.slice(start + 1)) return true;
    return (
      a[start] === b[start + 1] &&
      a[start + 1] === b[start] &&
      a.slice(start + 2) === b.slice(start + 2)
    );
  }
  return lengthGap > 0
    ? a.slice(start + 1) === b.slice(start)
    : a.slice(start) === b.slice(start + 1);
}

/** Similarity of two folded words that are not equal: one typo, a sound-alike, or close. */
function closeness(a: string, b: string): 'typo' | 'sound' | 'close' | null {
  if (a.length < 4 || b.length < 4) return null;
  if (a.length >= 5 && b.length >= 5 && withinOneEdit(a, b)) return 'typo';
  const similarity = jaroWinkler(a, b);
  // Sound-alikes (Write/Wright), and looser ones that also end alike (Reid/Reed, Nielsen/Nelson);
  // a different ending usually means another name even when the consonants agree (Andrews/Anderson).
  if (
    (similarity >= 0.88 || (similarity >= 0.8 && a[a.length - 1] === b[b.length - 1])) &&
    phoneticKey(a) !== null &&
    phoneticKey(a) === phoneticKey(b)
  ) {
    return 'sound';
  }
  return similarity >= 0.92 && Math.abs(a.length - b.length) <= 1 ? 'close' : null;
}

function lastNameEvidence(person: PersonName, contact: PersonName): Evidence {
  const surname = person.surname;
  const theirs = contact.surname;
  if (surname === null || theirs === null) return NO_EVIDENCE;
  if (surname === theirs) return { value: 1, phrase: 'same last name' };
  const mine = surnameDisplay(person, surname);
  const their = surnameDisplay(contact, theirs);
  if (contact.surnameParts.includes(surname)) {
    return { value: 0.92, phrase: `${mine} is part of the last name ${their}` };
  }
  if (person.surnameParts.includes(theirs)) {
    return { value: 0.92, phrase: `the contact's last name ${their} is part of ${mine}` };
  }
  const sharedPart = person.surnameParts.find((part) => contact.surnameParts.includes(part));
  if (sharedPart !== undefined) {
    return { value: 0.86, phrase: `last names share ${titleCase(sharedPart)}` };
  }
  if (person.middles.includes(theirs) && theirs.length > 2) {
    return { value: 0.84, phrase: `${their} is a middle name on the booking` };
  }
  let best: Evidence = NO_EVIDENCE;
  for (const form of [theirs, ...contact.surnameParts]) {
    switch (closeness(surname, form)) {
      case 'typo':
        best = better(best, {
          value: 0.86,
          phrase: `last name ${mine} is one letter off ${their}`,
        });
        break;
      case 'sound':
        best = better(best, { value: 0.82, phrase: `last name ${mine} sounds like ${their}` });
        break;
      case 'close':
        best = better(best, { value: 0.8, phrase: `last name ${mine} is close to ${their}` });
        break;
      case null:
        break;
    }
  }
  if (best.value === 0 && contact.middles.includes(surname) && surname.length > 2) {
    return { value: 0.8, phrase: `last name ${mine} is the contact's middle name (maiden name?)` };
  }
  return best;
}

function firstNameEvidence(person: PersonName, contact: PersonName): Evidence {
  let best: Evidence = NO_EVIDENCE;
  person.givens.forEach((given, givenRank) => {
    const weight = givenRank === 0 ? 1 : 0.97;
    const mine = givenDisplay(person, given);
    if (given.length === 1) {
      const first = contact.givens[0];
      if (first !== undefined && first[0] === given) {
        best = better(best, {
          value: 0.7 * weight,
          phrase: `initial ${given.toUpperCase()} fits ${givenDisplay(contact, first)}`,
        });
      }
      return;
    }
    for (const theirs of contact.givens) {
      const their = givenDisplay(contact, theirs);
      if (theirs.length === 1) {
        if (given[0] === theirs) {
          best = better(best, { value: 0.7 * weight, phrase: `${mine} fits the initial ${their}` });
        }
        continue;
      }
      const relation = relateGivenNames(given, theirs);
      if (relation !== null) {
        switch (relation.kind) {
          case 'same':
            best = better(best, { value: 1 * weight, phrase: 'same first name' });
            break;
          case 'spelling':
            best = better(best, {
              value: 0.97 * weight,
              phrase: `${mine} and ${their} are spellings of one name`,
            });
            break;
          case 'nickname': {
            const nickname = relation.nickname === given ? mine : their;
            const formal = relation.nickname === given ? their : mine;
            best = better(best, {
              value: 0.93 * weight,
              phrase: `${nickname} is a nickname of ${formal}`,
            });
            break;
          }
          case 'shared-formal':
            best = better(best, {
              value: 0.88 * weight,
              phrase: `${mine} and ${their} are both short for ${titleCase(relation.formal)}`,
            });
            break;
        }
        continue;
      }
      // "Paul"/"Paula", "Daniel"/"Daniela": a letter added at the end is usually another name.
      if (
        given.length !== theirs.length &&
        (given.startsWith(theirs) || theirs.startsWith(given))
      ) {
        continue;
      }
      switch (closeness(given, theirs)) {
        case 'typo':
          best = better(best, {
            value: 0.84 * weight,
            phrase: `first name ${mine} is one letter off ${their}`,
          });
          break;
        case 'sound':
          best = better(best, {
            value: 0.82 * weight,
            phrase: `first name ${mine} sounds like ${their}`,
          });
          break;
        case 'close':
          best = better(best, {
            value: 0.78 * weight,
            phrase: `first name ${mine} is close to ${their}`,
          });
          break;
        case null:
          break;
      }
    }
    // Goes by the middle name ("Michael Reyes" for James Michael Reyes).
    if (best.value < 0.85 && contact.middles.includes(given) && given.length > 2) {
      best = { value: 0.85 * weight, phrase: `goes by the middle name ${mine}` };
    }
  });
  return best;
}

/** first: 1 a given name, 0.85 a given name plus letters, 0.7 an initial; last: 1 the surname,
 * 0.6 its initial after a full first name ("hiroshi.t"). */
type MailboxEvidence = Readonly<{ first: number; last: number }>;
const NO_MAILBOX_EVIDENCE: MailboxEvidence = { first: 0, last: 0 };

/** What the attendee's mailbox name says about a contact: "rsmith", "bob.smith", "smithj". */
function mailboxEvidence(tokens: readonly string[], entry: IndexedContact): MailboxEvidence {
  const name = entry.name;
  if (name === null || tokens.length === 0) return NO_MAILBOX_EVIDENCE;
  const rest = [...tokens];
  let last = false;
  for (const surname of surnameFormsOf(name, false)) {
    if (surname.length < 2) continue;
    for (let i = 0; i < rest.length && !last; i += 1) {
      const token = rest[i]!;
      if (token === surname) {
        last = true;
        rest[i] = '';
      } else if (surname.length >= 3 && token.startsWith(surname)) {
        last = true;
        rest[i] = token.slice(surname.length);
      } else if (surname.length >= 3 && token.endsWith(surname)) {
        last = true;
        rest[i] = token.slice(0, token.length - surname.length);
      }
    }
    if (last) break;
  }
  let first = 0;
  let fullGiven = false;
  for (const token of rest) {
    if (token.length === 0) continue;
    if (token.length >= 2 && entry.givenForms.has(token)) {
      first = 1;
      fullGiven = true;
      continue;
    }
    if (last && token.length >= 4) {
      for (const form of entry.givenForms) {
        if (form.length >= 3 && token.startsWith(form)) first = Math.max(first, 0.85);
      }
    }
    if (last && token.length <= 2 && entry.initials.includes(token[0]!))
      first = Math.max(first, 0.7);
  }
  if (last) return { first, last: 1 };
  // "hiroshi.t": a full first name and the surname's initial.
  const surnameInitial = name.surname?.[0];
  if (fullGiven && surnameInitial !== undefined) {
    const initialToken = rest.find((token) => token.length === 1);
    if (initialToken === surnameInitial) return { first, last: 0.6 };
  }
  return { first, last: 0 };
}

// How much a suffix mismatch weighs: "Jr." on the booking but not on the contact points to a son;
// a missing "Sr." is common (the father is often plain "John Smith" in the CRM).
function suffixPenalty(mine: string | null, theirs: string | null): number {
  if (mine === theirs) return 0;
  if (mine === null) return theirs === 'sr' ? 0 : 0.02;
  if (theirs === null) return mine === 'sr' ? 0.02 : 0.12;
  return 0.15;
}

function suffixEvidence(person: PersonName, contact: PersonName): Evidence & { penalty: number } {
  const mine = person.suffix;
  const theirs = contact.suffix;
  const penalty = suffixPenalty(mine, theirs);
  if (mine === theirs) {
    return mine === null
      ? { value: 0, phrase: null, penalty }
      : { value: 0.05, phrase: `both ${suffixLabel(mine)}`, penalty };
  }
  if (mine === null) return { value: 0, phrase: `the contact is ${suffixLabel(theirs!)}`, penalty };
  return {
    value: 0,
    phrase:
      theirs === null
        ? `${suffixLabel(mine)} on the booking, not on the contact`
        : `${suffixLabel(mine)} on the booking, ${suffixLabel(theirs)} on the contact`,
    penalty,
  };
}

function suffixLabel(suffix: string): string {
  return suffix === 'jr' || suffix === 'sr' ? `${titleCase(suffix)}.` : suffix.toUpperCase();
}

function middleInitialEvidence(person: PersonName, contact: PersonName): number {
  const mine = person.middles.filter((middle) => middle.length === 1);
  if (mine.length === 0 || contact.middles.length === 0) return 0;
  const theirs = contact.middles.map((middle) => middle[0]);
  return mine.some((initial) => theirs.includes(initial)) ? 0.03 : -0.08;
}

type PersonScore = Readonly<{ score: number; phrases: string[] }>;

function scorePerson(
  profile: AttendeeProfile,
  person: PersonName | null,
  entry: IndexedContact,
  contact: PersonName,
  context: ScoringContext,
  mailbox: MailboxEvidence,
): PersonScore {
  const phrases: string[] = [];
  let last: Evidence = person === null ? NO_EVIDENCE : lastNameEvidence(person, contact);
  const first: Evidence = person === null ? NO_EVIDENCE : firstNameEvidence(person, contact);
  let adjustment = 0;

  if (person !== null && person.surname === null && contact.surname !== null) {
    const household = context.coAttendees.find((co) => co.name?.surname === contact.surname);
    if (household !== undefined) {
      last = { value: 0.8, phrase: `same last name as ${household.displayName} on this booking` };
    }
  }
  const marriedName =
    person !== null && person.surname !== null && last.value < 0.5 && mailbox.last === 1;
  if (marriedName) adjustment -= 0.06;
  // A first name on the booking that fits nothing outweighs the mailbox ("Paula" at paula.young@
  // is not Paul Young because "paula" starts with "paul").
  const givenContradicts =
    person !== null && person.givens.length > 0 && !person.givenIsInitial && first.value === 0;
  const emailLast = mailbox.last * 0.9;
  const emailFirst = givenContradicts ? 0 : mailbox.first * 0.9;
  const lastValue = Math.max(last.value, emailLast);
  const firstValue = Math.max(first.value, emailFirst);

  if (last.value >= emailLast && last.phrase !== null) phrases.push(last.phrase);
  if (first.value >= emailFirst && first.phrase !== null) phrases.push(first.phrase);
  if (mailbox.last === 1 && emailFirst > 0) {
    const agrees = last.value >= 0.9 && first.value >= 0.6;
    phrases.push(
      mailbox.first === 0.7
        ? "email name fits the contact's initial and last name"
        : "email name matches the contact's name",
    );
    if (agrees) adjustment += 0.03;
  } else if (mailbox.last === 1) {
    phrases.push('email name contains the last name');
    if (last.value >= 0.9) adjustment += 0.02;
  } else if (mailbox.last > 0 && emailFirst > 0) {
    if (last.value < emailLast)
      phrases.push("email name is the first name and the last name's initial");
  } else if (emailFirst > 0 && first.value < emailFirst) {
    phrases.push('email name contains the first name');
  }
  if (marriedName) phrases.push('a different last name on the booking (married name?)');

  if (person !== null) {
    const suffix = suffixEvidence(person, contact);
    adjustment += suffix.value - suffix.penalty;
    if (suffix.phrase !== null) phrases.push(suffix.phrase);
    const middle = middleInitialEvidence(person, contact);
    adjustment += middle;
    if (middle > 0) phrases.push('same middle initial');
    if (middle < 0) phrases.push('middle initial differs');
  }
  if (
    mailbox.last === 0 &&
    profile.workDomain !== null &&
    contact.surname !== null &&
    contact.surname.length >= 4 &&
    domainStem(profile.workDomain).includes(contact.surname)
  ) {
    // A family domain ("smithfamily.example") names the household.
    const value = Math.max(lastValue, 0.8);
    if (value > lastValue) phrases.push('email domain contains the last name');
    return finish(profile, entry, context, 0.5 * value + 0.4 * firstValue + adjustment, phrases);
  }
  return finish(profile, entry, context, 0.5 * lastValue + 0.4 * firstValue + adjustment, phrases);
}

function finish(
  profile: AttendeeProfile,
  entry: IndexedContact,
  context: ScoringContext,
  nameScore: number,
  phrases: string[],
): PersonScore {
  let score = nameScore;
  if (profile.workDomain !== null) {
    if (entry.workDomains.includes(profile.workDomain)) {
      score += 0.06;
      phrases.push("same email domain as the contact's work address");
    } else if (entry.company !== null && entry.company.length >= 4) {
      const stem = domainStem(profile.workDomain);
      if (stem.length >= 4 && (entry.company.includes(stem) || stem.includes(entry.company))) {
        score += 0.05;
        phrases.push('email domain matches the company');
      }
    }
  }
  if (profile.mailbox !== null && profile.mailbox.length >= 5) {
    if (entry.mailboxNames.includes(profile.mailbox)) {
      score += 0.08;
      phrases.push('same mailbox name as an address on the contact');
    }
  }
  const prior = context.priorCounts.get(entry.contact.contactId) ?? 0;
  if (prior > 0) {
    score += 0.06 * Math.min(prior, 2);
    phrases.push(
      prior === 1
        ? 'confirmed for this person before'
        : `confirmed for this person ${prior} times before`,
    );
  }
  if (context.coAttendees.some((co) => co.position === entry.position)) {
    score -= 0.25;
    phrases.push('already matched to another attendee of this booking');
  } else {
    const companion = context.coAttendees.find(
      (co) =>
        co.name?.surname != null &&
        co.name.surname === entry.name?.surname &&
        co.position !== entry.position,
    );
    if (companion !== undefined && !phrases.some((phrase) => phrase.includes('on this booking'))) {
      score += 0.04;
      phrases.push(`booked together with ${companion.displayName}`);
    }
  }
  return { score, phrases };
}

/** Scores one contact for the attendee; the best reading wins when the name lists a couple. */
export function scoreCandidate(
  profile: AttendeeProfile,
  entry: IndexedContact,
  context: ScoringContext,
): ScoredCandidate {
  const contact = entry.name;
  if (contact === null) return scoreCompany(profile, entry, context);
  const mailbox = mailboxEvidence(profile.mailboxTokens, entry);
  const readings: readonly (PersonName | null)[] =
    profile.people.length > 0 ? profile.people : [null];
  let best: PersonScore | null = null;
  for (const person of readings) {
    const result = scorePerson(profile, person, entry, contact, context, mailbox);
    if (best === null || result.score > best.score) best = result;
  }
  const chosen = best ?? { score: 0, phrases: [] };
  return { entry, score: clampScore(chosen.score), phrases: chosen.phrases };
}

function scoreCompany(
  profile: AttendeeProfile,
  entry: IndexedContact,
  context: ScoringContext,
): ScoredCandidate {
  const phrases: string[] = [];
  let score = 0;
  if (profile.nameAsCompany !== null && profile.nameAsCompany === entry.company) {
    score = 0.75;
    phrases.push('name matches the company record');
  }
  const finished = finish(profile, entry, context, score, phrases);
  return { entry, score: clampScore(finished.score), phrases: finished.phrases };
}

export function clampScore(score: number): number {
  return Math.round(Math.min(MAX_FUZZY_SCORE, Math.max(0, score)) * 1000) / 1000;
}
