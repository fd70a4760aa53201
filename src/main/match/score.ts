// Fuzzy scoring of one attendee against the contacts its blocking keys found. Each piece of
// evidence (last name, first name, the email's mailbox name and domain, the booking's other
// attendees, earlier confirmations) adds to a 0..1 score and leaves a short phrase, so the advisor
// reads why a contact was suggested. Fuzzy scores stay below 1: only an exact email or a confirmed
// alias is certain.
//
// Phrases are kept as small functions and only turned into text for the candidates that are
// shown: most scored contacts are rejected, and building their sentences was most of the cost.
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { BlockKind, blockHash, blockHashPrefix, finishBlockHash } from './blocks';
import type { ContactIndex, IndexedContact } from './contact-index';
import { domainStem, mailboxName } from './contact-index';
import type { NormalizedEmail } from './email';
import { isPersonalDomain, isRoleMailbox } from './email';
import type { GivenFacts, PersonName } from './names';
import {
  compactCompanyName,
  deletionNeighbourhood,
  foldText,
  parseAttendeeName,
  phoneticKey,
} from './names';
import type { GivenNameRelation } from './nicknames';
import { givenNameGroup, relateGivenNames } from './nicknames';
import type { ContactStore, Words } from './store';
import {
  NONE,
  R,
  formsAt,
  initialsAt,
  mailboxesAt,
  middlesAt,
  partsAt as partsAtOf,
  workDomainsAt,
} from './store';

/** Highest score fuzzy evidence can reach; 1 is reserved for exact email and aliases. */
export const MAX_FUZZY_SCORE = 0.99;

/** A reason phrase, rendered only when the candidate is shown. */
export type Phrase = () => string;

/** Everything about one attendee the scorer needs, computed once. */
export type AttendeeProfile = Readonly<{
  /** The index the profile was made for: scoring reads its packed contact records. */
  index: ContactIndex;
  people: readonly PersonName[];
  /** The raw name when it looks like a company ("Harbor Logistics LLC"), compacted. */
  nameAsCompany: string | null;
  email: NormalizedEmail | null;
  /** Letters-only tokens of the local part (without +tag), [] for role mailboxes. */
  mailboxTokens: readonly string[];
  /** The local part without separators, for "same mailbox name" comparisons. */
  mailbox: string | null;
  /** The email's domain when it is not a consumer provider, and its registrable label. */
  workDomain: string | null;
  workDomainStem: string | null;
}>;

/** Facts about the booking the attendee is on, resolved against the index. */
export type ScoringContext = Readonly<{
  coAttendees: readonly IndexedContact[];
  priorCounts: ReadonlyMap<string, number>;
}>;

export type ScoredCandidate = Readonly<{
  entry: IndexedContact;
  position: number;
  contactId: string;
  lastUpdateMs: number;
  score: number;
  phrases: readonly Phrase[];
}>;

/** The reason text of a scored candidate: its phrases joined by "; ". */
export function explain(phrases: readonly Phrase[]): string {
  let text = '';
  for (let k = 0; k < phrases.length; k += 1)
    text += k === 0 ? phrases[k]!() : `; ${phrases[k]!()}`;
  return text;
}

export function buildAttendeeProfile(
  index: ContactIndex,
  name: string | null,
  email: NormalizedEmail | null,
): AttendeeProfile {
  const people = parseAttendeeName(name);
  let mailboxTokens: string[] = [];
  let mailbox: string | null = null;
  if (email !== null && !isRoleMailbox(email.local)) {
    // As written: Gmail's key drops the dots that separate the names ("noah.jones.home").
    const untagged = email.writtenLocal;
    mailboxTokens = foldText(untagged).split(/[^a-z]+/);
    if (mailboxTokens.includes('')) mailboxTokens = mailboxTokens.filter((token) => token !== '');
    const compacted = mailboxName(untagged);
    mailbox = compacted.length > 0 ? compacted : null;
  }
  const workDomain =
    email !== null && !isPersonalDomain(email.domain, index.personalDomains) ? email.domain : null;
  const nameAsCompany =
    index.hasCompanies && name !== null && !name.includes('@') ? compactCompanyName(name) : null;
  return {
    index,
    people,
    nameAsCompany,
    email,
    mailboxTokens,
    mailbox,
    workDomain,
    workDomainStem: workDomain === null ? null : domainStem(workDomain),
  };
}

type MailboxGuess = Readonly<{ given: string | null; surname: string }>;

/** Possible (given, surname) readings of a mailbox name, using the surnames the index knows. */
function guessNamesFromMailbox(
  tokens: readonly string[],
  index: ContactIndex,
  scanInsideTokens: boolean,
): MailboxGuess[] {
  const surnames = index.surnames;
  const filter = index.surnameFilter;
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
    if (!scanInsideTokens) continue;
    for (let cut = 1; cut <= token.length - 3; cut += 1) {
      if (!filter.mayEndWith(token, cut)) continue;
      const suffix = token.slice(cut);
      if (surnames.has(suffix)) guesses.push({ given: token.slice(0, cut), surname: suffix });
    }
    for (let cut = 1; cut <= 2 && token.length - cut >= 3; cut += 1) {
      if (!filter.mayStartWith(token, token.length - cut)) continue;
      const prefix = token.slice(0, token.length - cut);
      if (surnames.has(prefix)) guesses.push({ given: token.slice(-cut), surname: prefix });
    }
  }
  return guesses.length > 12 ? guesses.slice(0, 12) : guesses;
}

/** At most this many contacts are scored per attendee, the best-supported first; more when only
 * typo and sound-alike keys found them, because those rank candidates less sharply. */
const MAX_SCORED = 6;
const MAX_SCORED_LOOSE = 10;
/** At most this many distinct contacts are weighed per attendee. */
const MAX_WEIGHED = 128;
/** Only the first entries of a large block are considered; a much larger one is skipped. */
const BLOCK_SCAN_LIMIT = 48;
const BLOCK_SKIP_SIZE = 192;
/** Broad blocks (a surname alone, a first name alone, a domain) are used only when this small. */
const BROAD_BLOCK_LIMIT = 50;
/** Typo and sound-alike keys are looked up only when exact keys found fewer contacts than this. */
const FEW_EXACT_CANDIDATES = 4;

// How strongly a shared blocking key suggests the same person; candidates are taken best first.
const WEIGHT = {
  surnameGiven: 5,
  exactSurnameInitial: 4,
  mailbox: 4,
  company: 4,
  surnameGivenSound: 3,
  mailboxSurnameInitial: 3,
  sound: 2,
  typo: 2,
  broad: 1,
} as const;

function selective(index: ContactIndex, hash: number, weight: number): void {
  index.blocks.tallyInto(hash, BLOCK_SKIP_SIZE, index.tally, weight, BLOCK_SCAN_LIMIT, MAX_WEIGHED);
}

function broad(index: ContactIndex, hash: number): void {
  index.blocks.tallyInto(
    hash,
    BROAD_BLOCK_LIMIT,
    index.tally,
    WEIGHT.broad,
    BROAD_BLOCK_LIMIT,
    MAX_WEIGHED,
  );
}

/**
 * The contacts worth scoring for this attendee: every contact under the attendee's blocking keys,
 * weighed by how many and which keys they share, best MAX_SCORED first. Typo and sound-alike keys
 * are consulted only when the exact ones found little. `mustInclude` (an address equal apart from
 * a +tag) and earlier confirmations always make the list.
 */
export function collectCandidates(
  index: ContactIndex,
  profile: AttendeeProfile,
  context: ScoringContext,
  mustInclude: readonly number[],
): number[] {
  const people = profile.people;
  // Exact keys: surname (or a middle name used as one) with an initial or a sound-alike first name.
  // Each key family's hash is started once per surname and finished per second part.
  for (const person of people) {
    const derived = person.derived;
    const initials = derived.initials;
    for (const surname of derived.surnameFormsWithMiddles) {
      if (derived.givenMembers.length > 0) {
        const prefix = blockHashPrefix(BlockKind.surnameGiven, surname);
        for (const member of derived.givenMembers) {
          selective(index, finishBlockHash(prefix, member), WEIGHT.surnameGiven);
        }
      }
      if (initials.length > 0) {
        const prefix = blockHashPrefix(BlockKind.surnameInitial, surname);
        for (const initial of initials) {
          selective(index, finishBlockHash(prefix, initial), WEIGHT.exactSurnameInitial);
        }
      }
      if (derived.distinctGivenSounds.length > 0) {
        const prefix = blockHashPrefix(BlockKind.surnameGivenSound, surname);
        for (const sound of derived.distinctGivenSounds) {
          selective(index, finishBlockHash(prefix, sound), WEIGHT.surnameGivenSound);
        }
      }
      // Keys are tallied in this order: once MAX_WEIGHED contacts are in, order decides.
      if (initials.length === 0) broad(index, blockHash(BlockKind.surname, surname));
    }
  }
  // Surnames inside the mailbox ("sarah.miller.johnson", "jsmith"). Looking for a known surname
  // inside an unsplit mailbox is the costly part, so only when the name alone found little.
  const guesses = guessNamesFromMailbox(
    profile.mailboxTokens,
    index,
    index.tally.size < FEW_EXACT_CANDIDATES,
  );
  // Married or maiden name: the booking's first name with a surname from the mailbox.
  if (guesses.length > 0) {
    for (const person of people) {
      const initials = person.derived.initials;
      if (initials.length === 0) continue;
      for (let g = 0; g < guesses.length; g += 1) {
        const surname = guesses[g]!.surname;
        if (person.surname === surname || guessedBefore(guesses, g, surname)) continue;
        const prefix = blockHashPrefix(BlockKind.surnameInitial, surname);
        for (const initial of initials) {
          selective(index, finishBlockHash(prefix, initial), WEIGHT.mailboxSurnameInitial);
        }
      }
    }
  }
  for (const guess of guesses) {
    if (guess.given === null) {
      broad(index, blockHash(BlockKind.surname, guess.surname));
      continue;
    }
    const initial = guess.given[0]!;
    const prefix = blockHashPrefix(BlockKind.surnameInitial, guess.surname);
    selective(index, finishBlockHash(prefix, initial), WEIGHT.mailboxSurnameInitial);
    // A nickname in the mailbox ("bob.smith") also stands for its formal name's initial.
    if (guess.given.length > 2) {
      for (const member of givenNameGroup(guess.given)) {
        if (member[0] !== initial) {
          selective(index, finishBlockHash(prefix, member[0]!), WEIGHT.mailboxSurnameInitial);
        }
      }
    }
  }
  if (profile.mailbox !== null && profile.mailbox.length >= 5) {
    selective(index, blockHash(BlockKind.mailbox, profile.mailbox), WEIGHT.mailbox);
  }
  if (profile.nameAsCompany !== null && index.hasCompanies) {
    selective(index, blockHash(BlockKind.company, profile.nameAsCompany), WEIGHT.company);
  }

  // Typos and sound-alikes, only when the exact keys found (almost) nobody.
  const loose = index.tally.size < FEW_EXACT_CANDIDATES;
  if (loose) {
    for (const person of people) {
      const initials = person.derived.initials;
      if (initials.length === 0) continue;
      for (const surname of person.derived.surnameForms) {
        const keys = looseKeysOf(surname);
        for (const initial of initials) {
          for (let k = 0; k < keys.prefixes.length; k += 1) {
            selective(index, finishBlockHash(keys.prefixes[k]!, initial), keys.weights[k]!);
          }
        }
      }
    }
  }

  // Broad keys: a name with no surname, a mailbox with only a first name, the work domain.
  for (const person of people) {
    if (person.surname !== null) continue;
    for (const given of person.givens) {
      if (given.length < 2) continue;
      for (const member of givenNameGroup(given)) broad(index, blockHash(BlockKind.given, member));
    }
    for (const co of context.coAttendees) {
      const coSurname = co.name?.surname;
      if (coSurname) broad(index, blockHash(BlockKind.surname, coSurname));
    }
  }
  // "hiroshi.t@…": a first name in the mailbox, when nothing else names the person.
  if (people.length === 0) {
    for (const token of profile.mailboxTokens) {
      if (token.length < 3 || index.surnames.has(token)) continue;
      for (const member of givenNameGroup(token)) broad(index, blockHash(BlockKind.given, member));
    }
  }
  if (profile.workDomain !== null) broad(index, blockHash(BlockKind.domain, profile.workDomain));

  const chosen = index.tally.take(loose ? MAX_SCORED_LOOSE : MAX_SCORED);
  for (const position of mustInclude) if (!chosen.includes(position)) chosen.push(position);
  if (context.priorCounts.size > 0) {
    for (const [contactId] of context.priorCounts) {
      const entry = index.byId.get(contactId);
      if (entry !== undefined && !chosen.includes(entry.position)) chosen.push(entry.position);
    }
  }
  return chosen;
}

/** Whether guesses before `at` already named this surname. */
function guessedBefore(guesses: readonly MailboxGuess[], at: number, surname: string): boolean {
  for (let g = 0; g < at; g += 1) if (guesses[g]!.surname === surname) return true;
  return false;
}

/** A surname's typo and sound-alike keys, each still to be finished with an initial. */
type LooseKeys = Readonly<{ prefixes: Int32Array; weights: Uint8Array }>;

/**
 * The loose keys of a surname, in the order they are tallied: its sound-alike key, then for each
 * form of its one-deletion neighbourhood the typo key and (for the other forms) the plain key.
 * Kept per surname (bounded): the same surnames come back attendee after attendee, and hashing the
 * neighbourhood again for each was a good part of finding candidates for a misspelled name.
 */
function looseKeysOf(surname: string): LooseKeys {
  const cached = looseKeys.get(surname);
  if (cached !== undefined) return cached;
  const prefixes: number[] = [];
  const weights: number[] = [];
  const sound = phoneticKey(surname);
  if (sound !== null) {
    prefixes.push(blockHashPrefix(BlockKind.surnameSoundInitial, sound));
    weights.push(WEIGHT.sound);
  }
  for (const form of deletionNeighbourhood(surname)) {
    prefixes.push(blockHashPrefix(BlockKind.surnameTypoInitial, form));
    weights.push(WEIGHT.typo);
    if (form !== surname) {
      prefixes.push(blockHashPrefix(BlockKind.surnameInitial, form));
      weights.push(WEIGHT.typo);
    }
  }
  const keys: LooseKeys = {
    prefixes: Int32Array.from(prefixes),
    weights: Uint8Array.from(weights),
  };
  if (looseKeys.size >= LOOSE_KEYS_LIMIT) looseKeys.clear();
  looseKeys.set(surname, keys);
  return keys;
}

const LOOSE_KEYS_LIMIT = 50_000;
const looseKeys = new Map<string, LooseKeys>();

type Evidence = Readonly<{ value: number; phrase: Phrase | null }>;
const NO_EVIDENCE: Evidence = { value: 0, phrase: null };

// Phrases are anonymous arrows created only when the evidence improves: a named closure per call
// (`const f = () =>`) costs a property definition under the bundler's keep-names helper, and an
// unused closure is garbage, on the hottest path we have.
function evidence(value: number, phrase: Phrase): Evidence {
  return { value, phrase };
}

const fixed =
  (text: string): Phrase =>
  () =>
    text;
const SAME_LAST_NAME = fixed('same last name');
const SAME_FIRST_NAME = fixed('same first name');
const SAME_LAST_NAME_EVIDENCE: Evidence = { value: 1, phrase: SAME_LAST_NAME };
// The same first name, as the first given name (1) or a later one (0.97): made once.
const SAME_FIRST_NAME_EVIDENCE: Evidence = { value: 1, phrase: SAME_FIRST_NAME };
const SAME_LATER_NAME_EVIDENCE: Evidence = { value: 0.97, phrase: SAME_FIRST_NAME };

function sameFirstName(weight: number): Evidence {
  return weight === 1 ? SAME_FIRST_NAME_EVIDENCE : SAME_LATER_NAME_EVIDENCE;
}

function titleCase(text: string): string {
  let out = '';
  let atWordStart = true;
  for (const char of text) {
    out += atWordStart ? char.toUpperCase() : char;
    atWordStart = char === ' ' || char === '-';
  }
  return out;
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
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) {
    start += 1;
  }
  if (lengthGap === 0) {
    // One substitution at `start`, or a swap of `start` and `start + 1`.
    if (sameFrom(a, start + 1, b, start + 1)) return true;
    return (
      a.charCodeAt(start) === b.charCodeAt(start + 1) &&
      a.charCodeAt(start + 1) === b.charCodeAt(start) &&
      sameFrom(a, start + 2, b, start + 2)
    );
  }
  // One letter inserted in the longer word at `start`.
  return lengthGap > 0 ? sameFrom(a, start + 1, b, start) : sameFrom(a, start, b, start + 1);
}

/** a from aStart equals b from bStart, to the end of both. */
function sameFrom(a: string, aStart: number, b: string, bStart: number): boolean {
  if (a.length - aStart !== b.length - bStart) return false;
  for (let i = 0; aStart + i < a.length; i += 1) {
    if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  }
  return true;
}

/** Similarity of two folded words that are not equal: one typo, a sound-alike, or close. */
function closeness(
  a: string,
  b: string,
  soundA: string | null,
  soundB: string | null,
): 'typo' | 'sound' | 'close' | null {
  if (a.length < 4 || b.length < 4) return null;
  if (a.length >= 5 && b.length >= 5 && withinOneEdit(a, b)) return 'typo';
  const lengthGap = Math.abs(a.length - b.length);
  const soundAlike = lengthGap <= 3 && soundA !== null && soundA === soundB;
  // Without the same sound, only "close" is left, which needs the same first letter (Jaro–Winkler
  // rewards the prefix) and a length within one: skip the costly comparison otherwise.
  if (!soundAlike && (lengthGap > 1 || a[0] !== b[0])) return null;
  const similarity = jaroWinkler(a, b);
  // Sound-alikes (Write/Wright), and looser ones that also end alike (Reid/Reed, Nielsen/Nelson);
  // a different ending usually means another name even when the consonants agree (Andrews/Anderson).
  if (
    soundAlike &&
    (similarity >= 0.88 || (similarity >= 0.8 && a[a.length - 1] === b[b.length - 1]))
  ) {
    return 'sound';
  }
  return similarity >= 0.92 && lengthGap <= 1 ? 'close' : null;
}

/** Whether records[from..from+count) holds `id`. */
function hasId(records: Int32Array, from: number, count: number, id: number): boolean {
  for (let k = 0; k < count; k += 1) if (records[from + k] === id) return true;
  return false;
}

/**
 * Whether word `id` is `text`. The attendee's words are compared as text rather than looked up as
 * ids: a lookup in a map of every contact's words cost more than comparing with the few words a
 * contact has, where the length settles most and the text is read only when the lengths agree.
 */
function isWord(words: Words, id: number, text: string): boolean {
  return id >= 0 && words.meta[4 * id] === text.length && words.texts[id] === text;
}

/** Whether one of the words records[from..from+count) is `text`. */
function hasWord(
  records: Int32Array,
  words: Words,
  from: number,
  count: number,
  text: string,
): boolean {
  for (let k = 0; k < count; k += 1) if (isWord(words, records[from + k]!, text)) return true;
  return false;
}

/** The contact's surname as shown in reasons (read from the contact only when a reason is). */
function theirSurname(entry: IndexedContact): string {
  const name = entry.name!;
  return surnameDisplay(name, name.surname!);
}

function lastNameEvidence(
  person: PersonName,
  store: ContactStore,
  r: number,
  entry: IndexedContact,
): Evidence {
  const surname = person.surname;
  const records = store.records;
  const theirs = records[r + R.surname]!;
  if (surname === null || theirs === NONE) return NO_EVIDENCE;
  const words = store.words;
  if (isWord(words, theirs, surname)) return SAME_LAST_NAME_EVIDENCE;
  const partCount = records[r + R.partCount]!;
  const partsAt = partsAtOf(r);
  if (hasWord(records, words, partsAt, partCount, surname)) {
    return evidence(
      0.92,
      () => `${surnameDisplay(person, surname)} is part of the last name ${theirSurname(entry)}`,
    );
  }
  const parts = person.surnameParts;
  if (parts.length > 0 && parts.includes(words.texts[theirs]!)) {
    return evidence(
      0.92,
      () =>
        `the contact's last name ${theirSurname(entry)} is part of ${surnameDisplay(person, surname)}`,
    );
  }
  for (const sharedPart of parts) {
    if (hasWord(records, words, partsAt, partCount, sharedPart)) {
      return evidence(0.86, () => `last names share ${titleCase(sharedPart)}`);
    }
  }
  if (
    person.middles.length > 0 &&
    words.meta[4 * theirs]! > 2 &&
    person.middles.includes(words.texts[theirs]!)
  ) {
    return evidence(0.84, () => `${theirSurname(entry)} is a middle name on the booking`);
  }
  let best: Evidence = NO_EVIDENCE;
  for (let at = -1; at < partCount; at += 1) {
    const form = at === -1 ? theirs : records[partsAt + at]!;
    const formSound = at === -1 ? records[r + R.surnameSound]! : records[partsAt + partCount + at]!;
    // Under four letters nothing is close (closeness): no need to read the word.
    if (surname.length < 4 || words.meta[4 * form]! < 4) continue;
    const theirSound = formSound === NONE ? null : words.texts[formSound]!;
    switch (closeness(surname, words.texts[form]!, person.derived.surnameSound, theirSound)) {
      case 'typo':
        if (0.86 > best.value)
          best = evidence(
            0.86,
            () =>
              `last name ${surnameDisplay(person, surname)} is one letter off ${theirSurname(entry)}`,
          );
        break;
      case 'sound':
        if (0.82 > best.value)
          best = evidence(
            0.82,
            () => `last name ${surnameDisplay(person, surname)} sounds like ${theirSurname(entry)}`,
          );
        break;
      case 'close':
        if (0.8 > best.value)
          best = evidence(
            0.8,
            () => `last name ${surnameDisplay(person, surname)} is close to ${theirSurname(entry)}`,
          );
        break;
      case null:
        break;
    }
  }
  if (
    best.value === 0 &&
    surname.length > 2 &&
    hasWord(records, words, middlesAt(records, r), records[r + R.middleCount]!, surname)
  ) {
    return evidence(
      0.8,
      () =>
        `last name ${surnameDisplay(person, surname)} is the contact's middle name (maiden name?)`,
    );
  }
  return best;
}

/** Whether two given-name groups share a member: the names are related through the table. */
function groupsMeet(a: readonly string[], b: readonly string[]): boolean {
  for (const member of a) if (b.includes(member)) return true;
  return false;
}

function firstNameEvidence(
  person: PersonName,
  their: GivenFacts,
  store: ContactStore,
  r: number,
  entry: IndexedContact,
): Evidence {
  let best: Evidence = NO_EVIDENCE;
  const derived = person.derived;
  const theirGivens = their.givens;
  for (let rank = 0; rank < person.givens.length; rank += 1) {
    const given = person.givens[rank]!;
    const weight = rank === 0 ? 1 : 0.97;
    if (given.length === 1) {
      const first = theirGivens[0];
      if (first !== undefined && first[0] === given) {
        if (0.7 * weight > best.value)
          best = evidence(
            0.7 * weight,
            () => `initial ${given.toUpperCase()} fits ${givenDisplay(entry.name!, first)}`,
          );
      }
      continue;
    }
    for (let at = 0; at < theirGivens.length; at += 1) {
      const theirs = theirGivens[at]!;
      if (theirs.length === 1) {
        if (given[0] === theirs) {
          if (0.7 * weight > best.value)
            best = evidence(
              0.7 * weight,
              () =>
                `${givenDisplay(person, given)} fits the initial ${givenDisplay(entry.name!, theirs)}`,
            );
        }
        continue;
      }
      if (given === theirs) {
        if (weight > best.value) best = sameFirstName(weight);
        continue;
      }
      // Related through the nickname table exactly when their groups meet; only then is the
      // (slower) relation worked out.
      if (groupsMeet(derived.givenGroups[rank]!, their.givenGroups[at]!)) {
        const relation = relateGivenNames(given, theirs);
        if (relation !== null) {
          best = relationEvidence(best, relation, weight, person, given, entry, theirs);
          continue;
        }
      }
      // "Paul"/"Paula", "Daniel"/"Daniela": a letter added at the end is usually another name.
      if (
        given.length !== theirs.length &&
        (given.startsWith(theirs) || theirs.startsWith(given))
      ) {
        continue;
      }
      switch (closeness(given, theirs, derived.givenSounds[rank]!, their.givenSounds[at]!)) {
        case 'typo':
          if (0.84 * weight > best.value)
            best = evidence(
              0.84 * weight,
              () =>
                `first name ${givenDisplay(person, given)} is one letter off ${givenDisplay(entry.name!, theirs)}`,
            );
          break;
        case 'sound':
          if (0.82 * weight > best.value)
            best = evidence(
              0.82 * weight,
              () =>
                `first name ${givenDisplay(person, given)} sounds like ${givenDisplay(entry.name!, theirs)}`,
            );
          break;
        case 'close':
          if (0.78 * weight > best.value)
            best = evidence(
              0.78 * weight,
              () =>
                `first name ${givenDisplay(person, given)} is close to ${givenDisplay(entry.name!, theirs)}`,
            );
          break;
        case null:
          break;
      }
    }
    // Goes by the middle name ("Michael Reyes" for James Michael Reyes).
    if (
      best.value < 0.85 &&
      given.length > 2 &&
      hasWord(
        store.records,
        store.words,
        middlesAt(store.records, r),
        store.records[r + R.middleCount]!,
        given,
      )
    ) {
      best = evidence(
        0.85 * weight,
        () => `goes by the middle name ${givenDisplay(person, given)}`,
      );
    }
  }
  return best;
}

function relationEvidence(
  best: Evidence,
  relation: GivenNameRelation,
  weight: number,
  person: PersonName,
  given: string,
  entry: IndexedContact,
  theirs: string,
): Evidence {
  switch (relation.kind) {
    case 'same':
      return weight > best.value ? sameFirstName(weight) : best;
    case 'spelling':
      return 0.97 * weight > best.value
        ? evidence(
            0.97 * weight,
            () =>
              `${givenDisplay(person, given)} and ${givenDisplay(entry.name!, theirs)} are spellings of one name`,
          )
        : best;
    case 'nickname':
      return 0.93 * weight > best.value
        ? evidence(0.93 * weight, () =>
            relation.nickname === given
              ? `${givenDisplay(person, given)} is a nickname of ${givenDisplay(entry.name!, theirs)}`
              : `${givenDisplay(entry.name!, theirs)} is a nickname of ${givenDisplay(person, given)}`,
          )
        : best;
    case 'shared-formal':
      return 0.88 * weight > best.value
        ? evidence(
            0.88 * weight,
            () =>
              `${givenDisplay(person, given)} and ${givenDisplay(entry.name!, theirs)} are both short for ${titleCase(relation.formal)}`,
          )
        : best;
  }
}

/** first: 1 a given name, 0.85 a given name plus letters, 0.7 an initial; last: 1 the surname,
 * 0.6 its initial after a full first name ("hiroshi.t"). */
type MailboxEvidence = Readonly<{ first: number; last: number }>;
const NO_MAILBOX_EVIDENCE: MailboxEvidence = { first: 0, last: 0 };

/** What the attendee's mailbox name says about a contact: "rsmith", "bob.smith", "smithj". */
function mailboxEvidence(
  tokens: readonly string[],
  store: ContactStore,
  r: number,
  facts: GivenFacts,
): MailboxEvidence {
  const records = store.records;
  if (records[r + R.person] === 0 || tokens.length === 0) return NO_MAILBOX_EVIDENCE;
  const words = store.words;
  const formsFrom = formsAt(records, r);
  const formCount = records[r + R.formCount]!;
  // Find the surname in one token; what is left of that token (and the others) may name the person.
  let surnameToken = -1;
  let remainder = '';
  for (let f = 0; f < formCount; f += 1) {
    const form = records[formsFrom + f]!;
    const formLength = words.meta[4 * form]!;
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i]!;
      if (token.length === formLength) {
        if (token !== words.texts[form]) continue;
        remainder = '';
      } else if (formLength < 3 || token.length < formLength) {
        continue;
      } else if (
        token.charCodeAt(0) === words.meta[4 * form + 1] &&
        token.startsWith(words.texts[form]!)
      ) {
        remainder = token.slice(formLength);
      } else if (
        token.charCodeAt(token.length - 1) === words.meta[4 * form + 2] &&
        token.endsWith(words.texts[form]!)
      ) {
        remainder = token.slice(0, token.length - formLength);
      } else {
        continue;
      }
      surnameToken = i;
      break;
    }
    if (surnameToken !== -1) break;
  }
  const last = surnameToken !== -1;
  const initialsFrom = initialsAt(records, r);
  const initialCount = records[r + R.initialCount]!;
  let first = 0;
  let fullGiven = false;
  let initialToken: string | null = null;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = i === surnameToken ? remainder : tokens[i]!;
    if (token.length === 0) continue;
    if (token.length === 1) initialToken = token;
    if (token.length >= 2 && facts.forms.has(token)) {
      first = 1;
      fullGiven = true;
      continue;
    }
    if (last && token.length >= 4 && first < 0.85) {
      for (const form of facts.prefixForms) {
        if (token.startsWith(form)) {
          first = 0.85;
          break;
        }
      }
    }
    if (
      last &&
      token.length <= 2 &&
      first < 0.7 &&
      hasId(records, initialsFrom, initialCount, token.charCodeAt(0))
    ) {
      first = 0.7;
    }
  }
  if (last) return mailboxResult(first, 1);
  // "hiroshi.t": a full first name and the surname's initial.
  const surname = records[r + R.surname]!;
  if (
    fullGiven &&
    initialToken !== null &&
    surname !== NONE &&
    initialToken.charCodeAt(0) === words.meta[4 * surname + 1]
  ) {
    return mailboxResult(first, 0.6);
  }
  return first === 0 ? NO_MAILBOX_EVIDENCE : mailboxResult(first, 0);
}

// The few possible results, allocated once: this runs for every scored contact.
const MAILBOX_RESULTS: readonly MailboxEvidence[] = [0, 0.7, 0.85, 1].flatMap((first) =>
  [0, 0.6, 1].map((last) => ({ first, last })),
);

function mailboxResult(first: number, last: number): MailboxEvidence {
  const firstIndex = first === 0 ? 0 : first === 0.7 ? 1 : first === 0.85 ? 2 : 3;
  const lastIndex = last === 0 ? 0 : last === 0.6 ? 1 : 2;
  return MAILBOX_RESULTS[firstIndex * 3 + lastIndex]!;
}

// How much a suffix mismatch weighs: "Jr." on the booking but not on the contact points to a son;
// a missing "Sr." is common (the father is often plain "John Smith" in the CRM).
function suffixPenalty(mine: string | null, theirs: string | null): number {
  if (mine === theirs) return 0;
  if (mine === null) return theirs === 'sr' ? 0 : 0.02;
  if (theirs === null) return mine === 'sr' ? 0.02 : 0.12;
  return 0.15;
}

function suffixLabel(suffix: string): string {
  return suffix === 'jr' || suffix === 'sr' ? `${titleCase(suffix)}.` : suffix.toUpperCase();
}

function suffixPhrase(mine: string | null, theirs: string | null): Phrase | null {
  if (mine === theirs) return mine === null ? null : () => `both ${suffixLabel(mine)}`;
  if (mine === null) return () => `the contact is ${suffixLabel(theirs!)}`;
  return theirs === null
    ? () => `${suffixLabel(mine)} on the booking, not on the contact`
    : () => `${suffixLabel(mine)} on the booking, ${suffixLabel(theirs)} on the contact`;
}

function middleInitialEvidence(person: PersonName, store: ContactStore, r: number): number {
  const records = store.records;
  const middleCount = records[r + R.middleCount]!;
  if (person.middles.length === 0 || middleCount === 0) return 0;
  const middlesFrom = middlesAt(records, r);
  const meta = store.words.meta;
  let sawInitial = false;
  for (const middle of person.middles) {
    if (middle.length !== 1) continue;
    sawInitial = true;
    const code = middle.charCodeAt(0);
    for (let k = 0; k < middleCount; k += 1) {
      if (meta[4 * records[middlesFrom + k]! + 1] === code) return 0.03;
    }
  }
  return sawInitial ? -0.08 : 0;
}

const EMAIL_NAME_MATCHES = fixed("email name matches the contact's name");
const EMAIL_NAME_INITIAL = fixed("email name fits the contact's initial and last name");
const EMAIL_HAS_LAST_NAME = fixed('email name contains the last name');
const EMAIL_FIRST_AND_INITIAL = fixed("email name is the first name and the last name's initial");
const EMAIL_HAS_FIRST_NAME = fixed('email name contains the first name');
const MARRIED_NAME = fixed('a different last name on the booking (married name?)');
const SAME_MIDDLE_INITIAL = fixed('same middle initial');
const MIDDLE_INITIAL_DIFFERS = fixed('middle initial differs');
const FAMILY_DOMAIN = fixed('email domain contains the last name');
const SAME_WORK_DOMAIN = fixed("same email domain as the contact's work address");
const COMPANY_DOMAIN = fixed('email domain matches the company');
const SAME_MAILBOX = fixed('same mailbox name as an address on the contact');
const CONFIRMED_BEFORE = fixed('confirmed for this person before');
const ALREADY_ON_BOOKING = fixed('already matched to another attendee of this booking');
const COMPANY_NAME = fixed('name matches the company record');

type PersonScore = Readonly<{ score: number; phrases: Phrase[] }>;

/** What a misspelt first name, corrected by the mailbox, counts for (a full match is 0.9). */
const MISSPELT_FIRST = 0.6;

/**
 * The booking's first name as a typo of one of the contact's given names or nicknames, when the
 * mailbox spells a given name of the contact out in full and nowhere spells the booking's: "Cinndy
 * Stewart" at cynthia.stewart@, "Ema Novak" at novak.emma@. Null otherwise; a name the mailbox
 * repeats ("Paula" at paula.young@) is the person's real name, not a slip.
 */
function misspeltGiven(
  person: PersonName,
  facts: GivenFacts,
  mailboxTokens: readonly string[],
): Phrase | null {
  const given = person.givens[0];
  if (given === undefined || given.length < 3 || mailboxTokens.includes(given)) return null;
  for (const form of facts.forms) {
    if (form.length >= 3 && withinOneEdit(given, form)) {
      return () =>
        `first name ${givenDisplay(person, given)} looks like a typo of ${titleCase(form)}`;
    }
  }
  return null;
}

function scorePerson(
  profile: AttendeeProfile,
  person: PersonName | null,
  facts: GivenFacts,
  r: number,
  position: number,
  entry: IndexedContact,
  context: ScoringContext,
  mailbox: MailboxEvidence,
): PersonScore {
  const store = profile.index.store;
  const records = store.records;
  const words = store.words;
  const phrases: Phrase[] = [];
  let last: Evidence = person === null ? NO_EVIDENCE : lastNameEvidence(person, store, r, entry);
  const first: Evidence =
    person === null ? NO_EVIDENCE : firstNameEvidence(person, facts, store, r, entry);
  let adjustment = 0;
  let household = false;
  const theirSurnameId = records[r + R.surname]!;

  if (person !== null && person.surname === null && theirSurnameId !== NONE) {
    const theirs = words.texts[theirSurnameId];
    const companion = context.coAttendees.find((co) => co.name?.surname === theirs);
    if (companion !== undefined) {
      household = true;
      last = evidence(0.8, () => `same last name as ${companion.displayName} on this booking`);
    }
  }
  const marriedName =
    person !== null && person.surname !== null && last.value < 0.5 && mailbox.last === 1;
  if (marriedName) adjustment -= 0.06;
  // A first name on the booking that fits nothing outweighs the mailbox ("Paula" at paula.young@
  // is not Paul Young because "paula" starts with "paul"), unless it is a slip of the keyboard
  // the mailbox corrects ("Cinndy" at cynthia.stewart@): then the mailbox counts, for less.
  const misspelt =
    person !== null && first.value === 0 && mailbox.first === 1 && !person.givenIsInitial
      ? misspeltGiven(person, facts, profile.mailboxTokens)
      : null;
  const givenContradicts =
    person !== null &&
    person.givens.length > 0 &&
    !person.givenIsInitial &&
    first.value === 0 &&
    misspelt === null;
  const emailLast = mailbox.last * 0.9;
  const emailFirst = givenContradicts
    ? 0
    : misspelt !== null
      ? MISSPELT_FIRST
      : mailbox.first * 0.9;
  let lastValue = Math.max(last.value, emailLast);
  const firstValue = Math.max(first.value, emailFirst);

  if (last.value >= emailLast && last.phrase !== null) phrases.push(last.phrase);
  if (first.value >= emailFirst && first.phrase !== null) phrases.push(first.phrase);
  if (misspelt !== null) phrases.push(misspelt);
  if (mailbox.last === 1 && emailFirst > 0) {
    phrases.push(mailbox.first === 0.7 ? EMAIL_NAME_INITIAL : EMAIL_NAME_MATCHES);
    if (last.value >= 0.9 && first.value >= 0.6) adjustment += 0.03;
  } else if (mailbox.last === 1) {
    phrases.push(EMAIL_HAS_LAST_NAME);
    if (last.value >= 0.9) adjustment += 0.02;
  } else if (mailbox.last > 0 && emailFirst > 0) {
    if (last.value < emailLast) phrases.push(EMAIL_FIRST_AND_INITIAL);
  } else if (emailFirst > 0 && first.value < emailFirst) {
    phrases.push(EMAIL_HAS_FIRST_NAME);
  }
  if (marriedName) phrases.push(MARRIED_NAME);

  if (person !== null) {
    const suffixId = records[r + R.suffix]!;
    const theirSuffix = suffixId === NONE ? null : words.texts[suffixId]!;
    const penalty = suffixPenalty(person.suffix, theirSuffix);
    adjustment += (person.suffix !== null && person.suffix === theirSuffix ? 0.05 : 0) - penalty;
    const suffix = suffixPhrase(person.suffix, theirSuffix);
    if (suffix !== null) phrases.push(suffix);
    const middle = middleInitialEvidence(person, store, r);
    adjustment += middle;
    if (middle > 0) phrases.push(SAME_MIDDLE_INITIAL);
    if (middle < 0) phrases.push(MIDDLE_INITIAL_DIFFERS);
  }
  // A family domain ("smithfamily.example") names the household.
  if (
    mailbox.last === 0 &&
    profile.workDomainStem !== null &&
    theirSurnameId !== NONE &&
    words.meta[4 * theirSurnameId]! >= 4 &&
    lastValue < 0.8 &&
    profile.workDomainStem.includes(words.texts[theirSurnameId]!)
  ) {
    lastValue = 0.8;
    phrases.push(FAMILY_DOMAIN);
  }
  const score = 0.5 * lastValue + 0.4 * firstValue + adjustment;
  return finish(profile, r, position, context, score, phrases, household);
}

function finish(
  profile: AttendeeProfile,
  r: number,
  position: number,
  context: ScoringContext,
  nameScore: number,
  phrases: Phrase[],
  householdSaid: boolean,
): PersonScore {
  const store = profile.index.store;
  const records = store.records;
  const words = store.words;
  const domainsFrom = workDomainsAt(records, r);
  const domainCount = records[r + R.workDomainCount]!;
  let score = nameScore;
  if (profile.workDomain !== null) {
    const stem = profile.workDomainStem ?? '';
    const company = records[r + R.company]!;
    if (hasWord(records, words, domainsFrom, domainCount, profile.workDomain)) {
      score += 0.06;
      phrases.push(SAME_WORK_DOMAIN);
    } else if (
      company !== NONE &&
      words.meta[4 * company]! >= 4 &&
      stem.length >= 4 &&
      (words.texts[company]!.includes(stem) || stem.includes(words.texts[company]!))
    ) {
      score += 0.05;
      phrases.push(COMPANY_DOMAIN);
    }
  }
  if (
    profile.mailbox !== null &&
    profile.mailbox.length >= 5 &&
    hasWord(records, words, mailboxesAt(records, r), records[r + R.mailboxCount]!, profile.mailbox)
  ) {
    score += 0.08;
    phrases.push(SAME_MAILBOX);
  }
  // Most bookings carry no earlier confirmations; skip reaching into the contact record then.
  const prior =
    context.priorCounts.size === 0
      ? 0
      : (context.priorCounts.get(profile.index.contactIds[position]!) ?? 0);
  if (prior > 0) {
    score += 0.06 * Math.min(prior, 2);
    phrases.push(
      prior === 1 ? CONFIRMED_BEFORE : () => `confirmed for this person ${prior} times before`,
    );
  }
  if (context.coAttendees.length > 0) {
    if (context.coAttendees.some((co) => co.position === position)) {
      score -= 0.25;
      phrases.push(ALREADY_ON_BOOKING);
    } else if (!householdSaid) {
      const surnameId = records[r + R.surname]!;
      const surname = surnameId === NONE ? undefined : words.texts[surnameId];
      const companion = context.coAttendees.find(
        (co) => co.name?.surname != null && co.name.surname === surname,
      );
      if (companion !== undefined) {
        score += 0.04;
        phrases.push(() => `booked together with ${companion.displayName}`);
      }
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
  return scoreContact(profile, entry.position, context);
}

/** scoreCandidate by position: the contact's record is read, not its objects. */
export function scoreContact(
  profile: AttendeeProfile,
  position: number,
  context: ScoringContext,
): ScoredCandidate {
  const index = profile.index;
  const r = index.store.recordAt[position]!;
  const entry = index.contacts[position]!;
  const best =
    index.store.records[r + R.person] === 0
      ? scoreCompany(profile, r, position, context)
      : scorePeople(profile, r, position, entry, context);
  return {
    entry,
    position,
    contactId: index.contactIds[position]!,
    lastUpdateMs: index.lastUpdateMs[position]!,
    score: clampScore(best.score),
    phrases: best.phrases,
  };
}

/** A person contact: the best reading when the booking names a couple. */
function scorePeople(
  profile: AttendeeProfile,
  r: number,
  position: number,
  entry: IndexedContact,
  context: ScoringContext,
): PersonScore {
  const store = profile.index.store;
  const facts = store.facts[store.records[r + R.facts]!]!;
  const mailbox = mailboxEvidence(profile.mailboxTokens, store, r, facts);
  const people = profile.people;
  if (people.length <= 1) {
    return scorePerson(profile, people[0] ?? null, facts, r, position, entry, context, mailbox);
  }
  let best: PersonScore | null = null;
  for (const person of people) {
    const result = scorePerson(profile, person, facts, r, position, entry, context, mailbox);
    if (best === null || result.score > best.score) best = result;
  }
  return best!;
}

/** A company record: its name against the booking's, then what the address says. */
function scoreCompany(
  profile: AttendeeProfile,
  r: number,
  position: number,
  context: ScoringContext,
): PersonScore {
  const store = profile.index.store;
  const phrases: Phrase[] = [];
  let score = 0;
  const company = store.records[r + R.company]!;
  if (profile.nameAsCompany !== null && isWord(store.words, company, profile.nameAsCompany)) {
    score = 0.75;
    phrases.push(COMPANY_NAME);
  }
  return finish(profile, r, position, context, score, phrases, false);
}

export function clampScore(score: number): number {
  return Math.round(Math.min(MAX_FUZZY_SCORE, Math.max(0, score)) * 1000) / 1000;
}
