// Person-name handling for matching: fold accents and case, take a free-text booking name apart
// ("Smith, Robert J. Jr.", "Dr. José García-López", "Bob & Linda Smith", `Robert "Bob" Smith`)
// and a LACRM contact's name fields into the same shape, so the scorer compares like with like.
// Also the phonetic key and typo neighbourhood used for blocking.
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { givenNameGroup, nicknamesOf } from './nicknames';

export type PersonName = Readonly<{
  /** Given names the person may go by, best first: first name, a quoted nickname, a middle name
   * used as first name ("J. Michael Reyes"), the whole of a double first name ("maryann"). */
  givens: readonly string[];
  /** Display form of `givens[0]`, for reasons. */
  givenDisplay: string | null;
  /** The first given name is only an initial ("J. Smith"). */
  givenIsInitial: boolean;
  /** Middle names or initials, folded. */
  middles: readonly string[];
  /** Surname with spaces, hyphens and particles joined ("garcialopez", "vandenberg"). */
  surname: string | null;
  /** Other forms the surname can appear as: the parts of a compound, the name without particles. */
  surnameParts: readonly string[];
  surnameDisplay: string | null;
  /** Generational suffix: jr, sr, ii, iii, iv. */
  suffix: string | null;
  /** What matching compares over and over, computed once when the name is parsed. */
  derived: NameDerived;
}>;

export type NameDerived = Readonly<{
  /** givenNameGroup of each given name (same order as `givens`). */
  givenGroups: readonly (readonly string[])[];
  /** phoneticKey of each given name. */
  givenSounds: readonly (string | null)[];
  /** The distinct phonetic codes among `givenSounds`. */
  distinctGivenSounds: readonly string[];
  surnameSound: string | null;
  /** phoneticKey of each surname part. */
  partSounds: readonly (string | null)[];
  /** First letters of the given names and of the formal names they stand for. */
  initials: readonly string[];
  /** Every distinct member of the given names' groups (full names only). */
  givenMembers: readonly string[];
  /** Surname and its parts. */
  surnameForms: readonly string[];
  /** The same plus full middle names (a maiden name kept as a middle name). */
  surnameFormsWithMiddles: readonly string[];
}>;

type PersonNameCore = Omit<PersonName, 'derived'>;

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

/** Plain ASCII text takes the fast paths (no Unicode normalization or property classes). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Lower-case, accents removed (NFKD), letters that do not decompose spelled out: "Søren" → "soren". */
export function foldText(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđðþıħ]/g, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

/** A folded name token: letters and inner hyphens only ("o'brien" → "obrien"). */
function foldToken(token: string): string {
  const letters = isAscii(token)
    ? /^[A-Za-z]+$/.test(token)
      ? token.toLowerCase()
      : token.toLowerCase().replace(/[^a-z-]/g, '')
    : foldText(token).replace(/[^\p{L}-]/gu, '');
  return letters.includes('-') ? letters.replace(/-{2,}/g, '-').replace(/^-|-$/g, '') : letters;
}

const TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'rev',
  'sir',
  'dame',
  'hon',
  'fr',
]);
const GENERATIONAL: ReadonlySet<string> = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);
const CREDENTIALS: ReadonlySet<string> = new Set([
  'cfp',
  'cpa',
  'phd',
  'md',
  'esq',
  'mba',
  'dds',
  'dmd',
  'jd',
  'rn',
  'cfa',
  'chfc',
  'clu',
  'ricp',
  'pe',
  'ea',
  'retired',
  'ret',
]);
// Lower-case surname particles that belong to the surname ("van den Berg", "de la Cruz").
const PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'da',
  'di',
  'du',
  'la',
  'le',
  'dos',
  'das',
  'st',
  'ter',
  'ten',
  'bin',
  'ni',
  'mac',
  'mc',
]);

type Token = Readonly<{ folded: string; display: string }>;

function tokenize(text: string): Token[] {
  if (isAscii(text)) return tokenizeAscii(text);
  const tokens: Token[] = [];
  for (const piece of text.split(/[\s.,;:_/\\|]+/)) {
    const display = piece.replace(/[^\p{L}\p{M}'’-]/gu, '').replace(/^['’-]+|['’-]+$/g, '');
    const folded = foldToken(display);
    if (folded.length > 0) tokens.push({ folded, display });
  }
  return tokens;
}

const APOSTROPHE = 39;
const HYPHEN = 45;

/** The common case without regular expressions: ASCII letters, apostrophes and hyphens kept. */
function tokenizeAscii(text: string): Token[] {
  const tokens: Token[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i += 1) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    const joiner = code === APOSTROPHE || code === HYPHEN;
    const separator =
      code <= 32 ||
      code === 46 ||
      code === 44 ||
      code === 59 ||
      code === 58 ||
      code === 95 ||
      code === 47 ||
      code === 92 ||
      code === 124;
    if (start === -1) {
      if (letter || joiner) start = i;
      continue;
    }
    if (!separator) continue;
    const piece = text.slice(start, i);
    start = -1;
    const display = /^[A-Za-z]+$/.test(piece)
      ? piece
      : piece.replace(/[^A-Za-z'-]/g, '').replace(/^['-]+|['-]+$/g, '');
    const folded = foldToken(display);
    if (folded.length > 0) tokens.push({ folded, display });
  }
  return tokens;
}

const isInitial = (token: string): boolean => token.length === 1;
const compact = (token: string): string => token.replaceAll('-', '');

function isSuffixOrCredential(token: string): boolean {
  return GENERATIONAL.has(token) || CREDENTIALS.has(token);
}

function uniqueNonEmpty(values: readonly string[]): string[] {
  const unique: string[] = [];
  for (const value of values) if (value.length > 0 && !unique.includes(value)) unique.push(value);
  return unique;
}

function buildName(
  givenTokens: readonly Token[],
  middleTokens: readonly Token[],
  surnameTokens: readonly Token[],
  extraGivens: readonly string[],
  suffix: string | null,
  options: Readonly<{ doubleFirstName: boolean }>,
): PersonName {
  const [first, ...restOfGiven] = givenTokens;
  const givens: string[] = [];
  let middles = [...middleTokens.map((token) => compact(token.folded))];
  if (first !== undefined) {
    givens.push(compact(first.folded));
    if (first.folded.includes('-')) givens.push(...first.folded.split('-'));
  }
  if (restOfGiven.length > 0) {
    if (options.doubleFirstName && !isInitial(first?.folded ?? '')) {
      givens.push(compact(givenTokens.map((token) => token.folded).join('')));
    }
    middles = [...restOfGiven.map((token) => compact(token.folded)), ...middles];
  }
  const givenIsInitial = first !== undefined && isInitial(first.folded);
  // "J. Michael Reyes" goes by Michael.
  const firstFullMiddle = middles.find((middle) => !isInitial(middle));
  if (givenIsInitial && firstFullMiddle !== undefined) givens.push(firstFullMiddle);
  givens.push(...extraGivens);

  const surnameFolded = surnameTokens.map((token) => token.folded);
  const surname = surnameFolded.length > 0 ? compact(surnameFolded.join('')) : null;
  const parts: string[] = [];
  for (const token of surnameFolded) {
    if (PARTICLES.has(token)) continue;
    parts.push(compact(token));
    if (token.includes('-')) parts.push(...token.split('-'));
  }
  const surnameParts = uniqueNonEmpty(parts).filter(
    (part) => part !== surname && part.length >= 2 && !PARTICLES.has(part),
  );
  return withDerived({
    givens: uniqueNonEmpty(givens),
    givenDisplay: first?.display ?? null,
    givenIsInitial,
    middles: uniqueNonEmpty(middles),
    surname: surname !== null && surname.length > 0 ? surname : null,
    surnameParts,
    surnameDisplay:
      surnameTokens.length > 0 ? surnameTokens.map((token) => token.display).join(' ') : null,
    suffix,
  });
}

/** First letters of the given names, of the formal names they stand for, and of full middles. */
export function initialsOf(
  name: Pick<PersonNameCore, 'givens' | 'middles'>,
  includeMiddles: boolean,
): string[] {
  // Started as a one-element literal: most names have one initial, and an array grown from empty
  // reserves seventeen slots (these arrays live as long as the index or the name memo).
  const firstInitial = name.givens[0]?.[0];
  const initials: string[] = firstInitial === undefined ? [] : [firstInitial];
  for (const given of name.givens) {
    addOnce(initials, given[0]);
    if (given.length > 1) for (const member of givenNameGroup(given)) addOnce(initials, member[0]);
  }
  if (includeMiddles) {
    for (const middle of name.middles) if (middle.length > 1) addOnce(initials, middle[0]);
  }
  return initials;
}

function addOnce(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

/** The surname forms a name can be found under: full, its parts, and (optionally) full middles. */
export function surnameFormsOf(name: PersonNameCore, includeMiddles: boolean): string[] {
  const forms: string[] = name.surname === null ? [] : [name.surname];
  for (const part of name.surnameParts) if (!forms.includes(part)) forms.push(part);
  if (includeMiddles) {
    for (const middle of name.middles) {
      if (middle.length > 2 && !forms.includes(middle)) forms.push(middle);
    }
  }
  return forms;
}

export type GivenFacts = Pick<
  NameDerived,
  'givenGroups' | 'givenSounds' | 'distinctGivenSounds' | 'givenMembers' | 'initials'
> &
  Readonly<{
    /** The given names these facts are of. */
    givens: readonly string[];
    /** Every form the first name can take: spellings, formal names, their nicknames. */
    forms: ReadonlySet<string>;
    /** The forms of three letters or more, for "robertj"-style mailbox names. */
    prefixForms: readonly string[];
  }>;

/**
 * What follows from the given names alone, shared by every name with the same given names (a
 * practice has thousands of Roberts): computed once, and one copy in memory instead of one per
 * contact and attendee, which keeps what scoring reads in the processor's cache. Never mutated.
 */
export function givenFactsOf(givens: readonly string[]): GivenFacts {
  const key = givens.length === 1 ? givens[0]! : givens.join(' ');
  const cached = givenFactsCache.get(key);
  if (cached !== undefined) return cached;
  const givenSounds = givens.map((given) => phoneticKey(given));
  const givenGroups = givens.map((given) => givenNameGroup(given));
  let distinctGivenSounds: string[];
  let givenMembers: string[];
  const only = givens.length === 1 ? givens[0]! : null;
  if (only !== null) {
    // One given name (most people): sized exactly; a group's members are already distinct.
    const sound = givenSounds[0]!;
    distinctGivenSounds = sound === null ? [] : [sound];
    givenMembers = only.length < 2 ? [] : givenGroups[0]!.slice();
  } else {
    distinctGivenSounds = [];
    for (const sound of givenSounds) {
      if (sound !== null && !distinctGivenSounds.includes(sound)) distinctGivenSounds.push(sound);
    }
    givenMembers = [];
    givens.forEach((given, at) => {
      if (given.length < 2) return;
      for (const member of givenGroups[at]!) {
        if (!givenMembers.includes(member)) givenMembers.push(member);
      }
    });
  }
  const forms = givenFormsOf(givens);
  const facts: GivenFacts = {
    givens,
    givenGroups,
    givenSounds,
    distinctGivenSounds,
    givenMembers,
    initials: initialsOf({ givens, middles: [] }, false),
    forms,
    prefixForms: [...forms].filter((form) => form.length >= 3),
  };
  if (givenFactsCache.size >= GIVEN_FACTS_LIMIT) givenFactsCache.clear();
  givenFactsCache.set(key, facts);
  return facts;
}

const GIVEN_FACTS_LIMIT = 20_000;
const givenFactsCache = new Map<string, GivenFacts>();

function givenFormsOf(givens: readonly string[]): Set<string> {
  const forms = new Set<string>();
  for (const given of givens) {
    if (given.length < 2) continue;
    for (const member of givenNameGroup(given)) {
      forms.add(member);
      for (const nickname of nicknamesOf(member)) forms.add(nickname);
    }
    forms.add(given);
  }
  return forms;
}

const NO_WORDS: readonly string[] = [];
const NO_SOUNDS: readonly (string | null)[] = [];

function withDerived(core: PersonNameCore): PersonName {
  const given = givenFactsOf(core.givens);
  const surnameForms = surnameFormsOf(core, false);
  // Most names have no middle name worth a surname form: then both lists are the same one.
  const withMiddles = core.middles.some((middle) => middle.length > 2)
    ? surnameFormsOf(core, true)
    : surnameForms;
  // Spelled out rather than `{ ...core, derived }`: the spread went through V8's generic clone
  // (cores come in two shapes) and was the costliest line of parsing a name.
  return {
    givens: core.givens,
    givenDisplay: core.givenDisplay,
    givenIsInitial: core.givenIsInitial,
    middles: core.middles,
    surname: core.surname,
    surnameParts: core.surnameParts,
    surnameDisplay: core.surnameDisplay,
    suffix: core.suffix,
    derived: {
      givenGroups: given.givenGroups,
      givenMembers: given.givenMembers,
      givenSounds: given.givenSounds,
      distinctGivenSounds: given.distinctGivenSounds,
      surnameSound: core.surname === null ? null : phoneticKey(core.surname),
      partSounds:
        core.surnameParts.length === 0
          ? NO_SOUNDS
          : core.surnameParts.map((part) => phoneticKey(part)),
      initials: given.initials,
      surnameForms,
      surnameFormsWithMiddles: withMiddles,
    },
  };
}

const PLAIN_WORD = /^[A-Za-z]+$/;
const PLAIN_TWO_WORDS = /^([A-Za-z]+) ([A-Za-z]+)$/;
const PLAIN_INITIAL_AND_WORD = /^([A-Za-z])\. ([A-Za-z]+)$/;
const PLAIN_LAST_COMMA_FIRST = /^([A-Za-z]+), ([A-Za-z]+)$/;

/**
 * Most names are plain ASCII words: "Robert Smith" on a booking, "Robert" / "Smith" (and perhaps a
 * middle name) on a contact. Those are built here directly, exactly as the general path would
 * build them (one given name, the middle name as a given only after an initial, no surname parts
 * since a single word has none), without its tokenizing, title and suffix handling; that path cost
 * several times more and most of its allocations. The callers check what makes a name plain
 * ("Robert Smith", "R. Smith", "Smith, Robert").
 */
function plainName(given: string, middle: string | null, surname: string): PersonName {
  const first = given.toLowerCase();
  const middleFolded = middle === null ? null : middle.toLowerCase();
  const givenIsInitial = first.length === 1;
  const givens = [first];
  // "J. Michael Reyes" goes by Michael.
  if (givenIsInitial && middleFolded !== null && middleFolded.length > 1) givens.push(middleFolded);
  return withDerived({
    givens,
    givenDisplay: given,
    givenIsInitial,
    middles: middleFolded === null ? NO_WORDS : [middleFolded],
    surname: surname.toLowerCase(),
    surnameParts: NO_WORDS,
    surnameDisplay: surname,
    suffix: null,
  });
}

/** Pulls generational suffixes and credentials out of a token list; returns what is left. */
function stripSuffixes(tokens: readonly Token[]): { rest: Token[]; suffix: string | null } {
  let suffix: string | null = null;
  const rest: Token[] = [];
  tokens.forEach((token, position) => {
    if (position > 0 && isSuffixOrCredential(token.folded)) {
      if (GENERATIONAL.has(token.folded)) suffix = token.folded;
      return;
    }
    rest.push(token);
  });
  return { rest, suffix };
}

const QUOTED_NICKNAME = /\(([^)]*)\)|"([^"]*)"|“([^”]*)”|‘([^’]*)’/g;
const QUOTE_HINT = /["(“‘]/;
const COUPLE_HINT = /&|\sand\s|\s\+\s|\s\/\s/i;

/** One person's name in free text: "Robert J. Smith", "Smith, Robert", "Dr. Ann Lee, CFP". */
function parseOnePerson(text: string): PersonName | null {
  const extraGivens: string[] = [];
  const withoutNicknames = !QUOTE_HINT.test(text)
    ? text
    : text.replace(QUOTED_NICKNAME, (...groups: unknown[]) => {
        const inner = groups.slice(1, 5).find((group) => typeof group === 'string');
        if (typeof inner === 'string') {
          extraGivens.push(...tokenize(inner).map((token) => compact(token.folded)));
        }
        return ' ';
      });

  let pieces = withoutNicknames
    .split(',')
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0);
  let commaSuffix: string | null = null;
  // Trailing ", Jr." / ", CFP" pieces are not the given-name half of "Last, First".
  while (pieces.length > 1) {
    const lastTokens = tokenize(pieces[pieces.length - 1] ?? '');
    if (!lastTokens.every((token) => isSuffixOrCredential(token.folded))) break;
    const generational = lastTokens.find((token) => GENERATIONAL.has(token.folded));
    if (generational !== undefined) commaSuffix = generational.folded;
    pieces = pieces.slice(0, -1);
  }

  let givenTokens: Token[];
  let surnameTokens: Token[];
  let suffix: string | null;
  if (pieces.length === 2) {
    const surnamePart = stripSuffixes(tokenize(pieces[0] ?? ''));
    const givenPart = stripSuffixes(dropTitles(tokenize(pieces[1] ?? '')));
    givenTokens = givenPart.rest;
    surnameTokens = dropTitles(surnamePart.rest);
    suffix = surnamePart.suffix ?? givenPart.suffix ?? commaSuffix;
  } else {
    const { rest, suffix: found } = stripSuffixes(dropTitles(tokenize(pieces.join(' '))));
    suffix = found ?? commaSuffix;
    if (rest.length <= 1) {
      givenTokens = rest;
      surnameTokens = [];
    } else {
      let surnameStart = rest.length - 1;
      while (surnameStart > 1 && PARTICLES.has(rest[surnameStart - 1]?.folded ?? '')) {
        surnameStart -= 1;
      }
      givenTokens = rest.slice(0, surnameStart);
      surnameTokens = rest.slice(surnameStart);
    }
  }
  if (givenTokens.length === 0 && surnameTokens.length === 0 && extraGivens.length === 0) {
    return null;
  }
  const [first, ...middles] = givenTokens;
  return buildName(
    first === undefined ? [] : [first],
    middles,
    surnameTokens,
    extraGivens,
    suffix,
    {
      doubleFirstName: false,
    },
  );
}

function dropTitles(tokens: readonly Token[]): Token[] {
  let start = 0;
  while (start < tokens.length - 1 && TITLES.has(tokens[start]?.folded ?? '')) start += 1;
  return tokens.slice(start);
}

/**
 * The people named in a booking's free-text name field. Usually one; a couple booking together
 * ("Bob & Linda Smith", "Bob Smith and Linda Jones") gives one entry per person, the surname
 * shared when only the last one has it. Empty when the field holds no name (blank, an address).
 */
export function parseAttendeeName(raw: string | null): readonly PersonName[] {
  if (raw === null) return [];
  const cached = parsedNames.get(raw);
  if (cached !== undefined) return cached;
  const people = parseAttendeeNameUncached(raw);
  // The same people book again and again; a bounded memo saves re-parsing them.
  if (parsedNames.size >= PARSED_NAMES_LIMIT) parsedNames.clear();
  parsedNames.set(raw, people);
  return people;
}

const PARSED_NAMES_LIMIT = 50_000;
const parsedNames = new Map<string, readonly PersonName[]>();

function parseAttendeeNameUncached(raw: string): readonly PersonName[] {
  const text = (isAscii(raw) ? raw : raw.normalize('NFC')).trim();
  if (text.length === 0 || text.includes('@')) return [];
  const plain = PLAIN_TWO_WORDS.exec(text) ?? PLAIN_INITIAL_AND_WORD.exec(text);
  if (plain !== null) {
    const [, given = '', surname = ''] = plain;
    // Not "Dr Smith" (a title is dropped) nor "Smith Jr" (a suffix is pulled out).
    if (!TITLES.has(given.toLowerCase()) && !isSuffixOrCredential(surname.toLowerCase())) {
      return [plainName(given, null, surname)];
    }
  }
  const reversed = PLAIN_LAST_COMMA_FIRST.exec(text);
  if (reversed !== null) {
    const [, surname = '', given = ''] = reversed;
    // Not "Smith, Jr" or "Lee, CFP": a trailing suffix or credential is not the first name.
    if (!isSuffixOrCredential(given.toLowerCase())) return [plainName(given, null, surname)];
  }
  const parts = COUPLE_HINT.test(text)
    ? text
        .split(/\s+(?:&|and|\+)\s+|\s*&\s*|\s+\/\s+/i)
        .map((part) => part.trim())
        .filter((part) => part.length > 0)
    : [text];
  const people = parts
    .map((part) => parseOnePerson(part))
    .filter((person): person is PersonName => person !== null);
  const shared = [...people].reverse().find((person) => person.surname !== null);
  if (people.length < 2 || shared === undefined) return people;
  return people.map((person) =>
    person.surname === null
      ? withDerived({
          ...person,
          surname: shared.surname,
          surnameParts: shared.surnameParts,
          surnameDisplay: shared.surnameDisplay,
        })
      : person,
  );
}

/** A contact's name fields in the same shape ("Robert (Bob)" / "Smith Jr." are handled). */
export function parseContactName(
  firstName: string,
  middleName: string | null,
  lastName: string,
  suffixField: string | null,
): PersonName {
  if (
    suffixField === null &&
    PLAIN_WORD.test(firstName) &&
    PLAIN_WORD.test(lastName) &&
    (middleName === null || PLAIN_WORD.test(middleName))
  ) {
    return plainName(firstName, middleName, lastName);
  }
  const extraGivens: string[] = [];
  const firstText = firstName.normalize('NFC').replace(QUOTED_NICKNAME, (...groups: unknown[]) => {
    const inner = groups.slice(1, 5).find((group) => typeof group === 'string');
    if (typeof inner === 'string') {
      extraGivens.push(...tokenize(inner).map((token) => compact(token.folded)));
    }
    return ' ';
  });
  const givenTokens = dropTitles(tokenize(firstText));
  const middleTokens = tokenize((middleName ?? '').normalize('NFC'));
  const surname = stripSuffixes(tokenize(lastName.normalize('NFC')));
  const surnameTokens = surname.rest;
  const suffixFromField = tokenize(suffixField ?? '').find((token) =>
    GENERATIONAL.has(token.folded),
  );
  return buildName(
    givenTokens,
    middleTokens,
    surnameTokens,
    extraGivens,
    suffixFromField?.folded ?? surname.suffix,
    { doubleFirstName: true },
  );
}

const LEGAL_FORMS: ReadonlySet<string> = new Set([
  'inc',
  'llc',
  'llp',
  'ltd',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'pllc',
  'pc',
  'gmbh',
  'the',
]);

/** A company name as one comparable string: "The Harbor Group, LLC" → "harborgroup". */
export function compactCompanyName(name: string | null): string | null {
  if (name === null) return null;
  const words = foldText(name)
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !LEGAL_FORMS.has(word));
  const joined = words.join('');
  return joined.length > 0 ? joined : null;
}

const phoneticCache = new Map<string, string | null>();

/** Double Metaphone primary code of a folded name, memoized (names repeat a lot). */
export function phoneticKey(name: string): string | null {
  const cached = phoneticCache.get(name);
  if (cached !== undefined) return cached;
  const [primary] = /^[a-z]+$/.test(name) ? doubleMetaphone(name) : [''];
  const code = primary.length > 0 ? primary : null;
  if (phoneticCache.size > 200_000) phoneticCache.clear();
  phoneticCache.set(name, code);
  return code;
}

/**
 * The word itself and every form with one letter deleted. Two words share an entry when they are
 * one substitution, insertion, deletion or adjacent swap apart, so typos meet in a hash lookup.
 * Short words get no neighbourhood: at four letters and below a one-letter change is another name.
 */
export function deletionNeighbourhood(word: string): readonly string[] {
  const cached = neighbourhoods.get(word);
  if (cached !== undefined) return cached;
  const forms = [word];
  if (word.length >= 5) {
    for (let position = 0; position < word.length; position += 1) {
      const form = word.slice(0, position) + word.slice(position + 1);
      if (!forms.includes(form)) forms.push(form);
    }
  }
  // Surnames repeat across contacts and attendees; keep the answers (bounded).
  if (neighbourhoods.size >= NEIGHBOURHOODS_LIMIT) neighbourhoods.clear();
  neighbourhoods.set(word, forms);
  return forms;
}

const NEIGHBOURHOODS_LIMIT = 50_000;
const neighbourhoods = new Map<string, readonly string[]>();
