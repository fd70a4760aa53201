// Name material for the practice generator: first names with the nicknames people book under,
// surnames with accents, particles, apostrophes and hyphens, invented companies on example
// domains, and the small distortions (typos, dropped accents, initials) a booking form collects.
// All of it is invented; every domain is an example domain except the personal-mail ones whose
// normalization rules matter (gmail.com), and those use obviously invented local parts.
import type { Random } from './random';

/** Formal first name → the short forms people type into booking forms. */
export const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Robert: ['Bob', 'Rob', 'Bobby'],
  William: ['Bill', 'Will', 'Billy'],
  Elizabeth: ['Liz', 'Beth', 'Betsy', 'Eliza'],
  Katherine: ['Kate', 'Katie', 'Kathy'],
  Margaret: ['Maggie', 'Peggy', 'Meg'],
  James: ['Jim', 'Jimmy'],
  Richard: ['Rick', 'Rich', 'Dick'],
  Michael: ['Mike', 'Mick'],
  Thomas: ['Tom', 'Tommy'],
  Joseph: ['Joe', 'Joey'],
  Charles: ['Charlie', 'Chuck'],
  Christopher: ['Chris', 'Topher'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Anthony: ['Tony'],
  Jennifer: ['Jen', 'Jenny'],
  Patricia: ['Pat', 'Patty', 'Trish'],
  Susan: ['Sue', 'Susie'],
  Deborah: ['Deb', 'Debbie'],
  Rebecca: ['Becky', 'Becca'],
  Alexander: ['Alex', 'Xander'],
  Benjamin: ['Ben', 'Benny'],
  Jonathan: ['Jon', 'Jonny'],
  Nicholas: ['Nick', 'Nicky'],
  Samuel: ['Sam', 'Sammy'],
  Edward: ['Ed', 'Ted', 'Eddie'],
  Theodore: ['Ted', 'Theo'],
  Victoria: ['Vicky', 'Tori'],
  Jacqueline: ['Jackie'],
  Abigail: ['Abby'],
  Samantha: ['Sam', 'Sammie'],
  Stephanie: ['Steph'],
  Gregory: ['Greg'],
  Timothy: ['Tim'],
  Andrew: ['Andy', 'Drew'],
  Steven: ['Steve'],
  Kenneth: ['Ken', 'Kenny'],
  Ronald: ['Ron', 'Ronnie'],
  Lawrence: ['Larry'],
  Frederick: ['Fred', 'Freddie'],
  Catherine: ['Cathy', 'Cat'],
  Alexandra: ['Alex', 'Sasha'],
  Dorothy: ['Dot', 'Dottie'],
  Eleanor: ['Ellie', 'Nora'],
  Francis: ['Frank'],
  Gerald: ['Jerry'],
  Harold: ['Harry', 'Hal'],
  Henry: ['Hank', 'Harry'],
  Jeffrey: ['Jeff'],
  Joshua: ['Josh'],
  Kimberly: ['Kim'],
  Leonard: ['Len', 'Leo'],
  Madeline: ['Maddie'],
  Nathaniel: ['Nate', 'Nat'],
  Pamela: ['Pam'],
  Philip: ['Phil'],
  Raymond: ['Ray'],
  Sandra: ['Sandy'],
  Zachary: ['Zach'],
  Cynthia: ['Cindy'],
};

/** First names with no common short form (or none people use). */
const PLAIN_FIRST_NAMES = [
  'Priya',
  'Wei',
  'Olga',
  'Aisha',
  'Mateo',
  'Hiroshi',
  'Fatima',
  'Ingrid',
  'Kwame',
  'Leila',
  'Tariq',
  'Mei',
  'Anders',
  'Nadia',
  'Omar',
  'Rosa',
  'Diego',
  'Yuki',
  'Grace',
  'Laura',
  'Emma',
  'Olivia',
  'Noah',
  'Liam',
  'Ethan',
  'Mark',
  'Paul',
  'Carl',
  'Diane',
  'Helen',
  'Ruth',
  'Joan',
  'Janet',
  'Karen',
  'Anne',
  'Sean',
  'Ravi',
  'Sunita',
  'Tomasz',
  'Marta',
  'Ivan',
  'Lucia',
] as const;

/** First names that carry accents (or letters that NFD alone does not strip). */
const ACCENTED_FIRST_NAMES = [
  'José',
  'Zoë',
  'Chloé',
  'Renée',
  'André',
  'Françoise',
  'Inés',
  'Jürgen',
  'Søren',
  'Björn',
  'Noémie',
  'Raúl',
  'Sofía',
  'Łukasz',
  'Agnès',
  'Hélène',
] as const;

const PLAIN_SURNAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Martin',
  'Jackson',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Hill',
  'Green',
  'Adams',
  'Baker',
  'Nelson',
  'Carter',
  'Mitchell',
  'Roberts',
  'Turner',
  'Phillips',
  'Campbell',
  'Parker',
  'Evans',
  'Edwards',
  'Collins',
  'Stewart',
  'Morris',
  'Murphy',
  'Cook',
  'Rogers',
  'Morgan',
  'Peterson',
  'Cooper',
  'Reed',
  'Bailey',
  'Bell',
  'Kelly',
  'Howard',
  'Ward',
  'Cox',
  'Richardson',
  'Wood',
  'Watson',
  'Brooks',
  'Bennett',
  'Gray',
  'Hughes',
  'Price',
  'Sanders',
  'Myers',
  'Long',
  'Ross',
  'Foster',
  'Kowalski',
  'Nowak',
  'Chen',
  'Wang',
  'Nguyen',
  'Patel',
  'Shah',
  'Kim',
  'Park',
  'Tanaka',
  'Sato',
  'Okafor',
  'Mensah',
  'Haddad',
  'Cohen',
  'Levi',
  'Schmidt',
  'Fischer',
  'Rossi',
  'Russo',
  'Bianchi',
  'Novak',
  'Horvat',
  'Lindqvist',
  'Larsen',
  'Hansen',
  'Kowalczyk',
  'Ivanova',
  'Petrov',
  'Dubois',
  'Laurent',
  'Moreau',
  'Fitzgerald',
  'Gallagher',
  'Sullivan',
  'Kennedy',
  'Hartley',
  'Whitfield',
  'Ashworth',
  'Pemberton',
  'Calloway',
  'Thornton',
  'Winslow',
] as const;

const ACCENTED_SURNAMES = [
  'Peña',
  'García',
  'Muñoz',
  'Núñez',
  'Müller',
  'Köhler',
  'Lefèvre',
  'Bergström',
  'Jiménez',
  'Pérez',
  'Ramírez',
  'Gonçalves',
  'Søndergaard',
  'Wójcik',
] as const;

/** Surnames with particles and punctuation that tokenizers trip on. */
const PUNCTUATED_SURNAMES = [
  "O'Brien",
  "D'Angelo",
  "O'Connor",
  'De la Cruz',
  'Van Dyke',
  'St. Clair',
  'McDonald',
  'MacLeod',
  'Van der Berg',
] as const;

export function randomFirstName(random: Random): { first: string; nicknames: readonly string[] } {
  const roll = random.next();
  if (roll < 0.5) {
    const first = random.pick(Object.keys(NICKNAMES));
    return { first, nicknames: NICKNAMES[first]! };
  }
  if (roll < 0.6) return { first: random.pick(ACCENTED_FIRST_NAMES), nicknames: [] };
  return { first: random.pick(PLAIN_FIRST_NAMES), nicknames: [] };
}

export function randomSurname(random: Random): string {
  const roll = random.next();
  if (roll < 0.1) return random.pick(ACCENTED_SURNAMES);
  if (roll < 0.16) return random.pick(PUNCTUATED_SURNAMES);
  return random.pick(PLAIN_SURNAMES);
}

/** Letters NFD decomposition leaves alone but people still type without the mark. */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
};

export function stripAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[øØłŁßæÆ]/g, (c) => UNDECOMPOSABLE[c] ?? c);
}

export function hasAccents(text: string): boolean {
  return stripAccents(text) !== text;
}

/** One keyboard slip: a dropped, doubled or swapped letter, never on the first letter. */
export function typo(random: Random, word: string): string {
  if (word.length < 4) return `${word}${word[word.length - 1]}`;
  const i = random.int(1, word.length - 2);
  const dropped = word.slice(0, i) + word.slice(i + 1);
  let slipped: string;
  switch (random.int(0, 2)) {
    case 0:
      slipped = dropped;
      break;
    case 1:
      slipped = word.slice(0, i) + word[i] + word.slice(i);
      break;
    default:
      slipped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
  // Swapping two equal letters changes nothing; a slip must be visible.
  return slipped === word ? dropped : slipped;
}

/** A lower-case ASCII token for building email local parts from a name. */
export function emailToken(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export type Company = Readonly<{ name: string; domain: string }>;

const COMPANY_STEMS = [
  ['Northwind Logistics', 'northwind-logistics'],
  ['Bluefin Analytics', 'bluefin-analytics'],
  ['Cedar Ridge Dental', 'cedarridgedental'],
  ['Harborview Architects', 'harborview-arch'],
  ['Lakeside Orthopedics', 'lakeside-ortho'],
  ['Granite Peak Software', 'granitepeak'],
  ['Maple & Finch Law', 'maplefinch-law'],
  ['Summit Tool & Die', 'summit-tool'],
  ['Brightwater Brewing', 'brightwater-brewing'],
  ['Copperline Electric', 'copperline'],
  ['Silverleaf Pediatrics', 'silverleaf-peds'],
  ['Tidewater Marine Supply', 'tidewater-marine'],
  ['Ironwood Construction', 'ironwood-build'],
  ['Quillstone Publishing', 'quillstone'],
  ['Redwood Veterinary', 'redwood-vet'],
  ['Stonebridge Realty', 'stonebridge-realty'],
  ['Windward Aviation', 'windward-aviation'],
  ['Oakhaven University', 'oakhaven-u'],
  ['Pinecrest Hospital', 'pinecrest-health'],
  ['Larkspur Design Studio', 'larkspur-design'],
] as const;

const COMPANY_SUFFIXES = ['', ' Group', ' Partners', ' Co.', ' LLC'] as const;

/** A pool of invented employers on example domains, large enough for big practices. */
export function companyPool(random: Random, size: number): Company[] {
  const out: Company[] = [];
  for (let i = 0; i < size; i += 1) {
    const [name, domain] = COMPANY_STEMS[i % COMPANY_STEMS.length]!;
    const round = Math.floor(i / COMPANY_STEMS.length);
    const suffix = round === 0 ? '' : random.pick(COMPANY_SUFFIXES);
    out.push({
      name: round === 0 ? name : `${name}${suffix} ${round + 1}`.replace(/\s+/g, ' '),
      domain: round === 0 ? `${domain}.example` : `${domain}${round + 1}.example`,
    });
  }
  return out;
}

/** Professionals who work with an advisor's clients (CPAs, attorneys, insurance agents). */
export const PROFESSIONAL_FIRMS: readonly (Company & { role: string })[] = [
  { name: 'Ledgerline CPAs', domain: 'ledgerline-cpa.example', role: 'CPA' },
  { name: 'Whitmore Estate Law', domain: 'whitmore-law.example', role: 'Estate attorney' },
  { name: 'Anchor Mutual Insurance', domain: 'anchor-mutual.example', role: 'Insurance agent' },
  { name: 'Clearwater Tax Advisors', domain: 'clearwater-tax.test', role: 'Tax preparer' },
];

/** Personal-mail domains. gmail.com is here because its dot and plus rules matter to matching. */
export const PERSONAL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'mail.example',
  'inbox.test',
  'homebox.example',
] as const;

export const TIME_ZONES: readonly (readonly [string, number])[] = [
  ['America/New_York', 45],
  ['America/Chicago', 15],
  ['America/Denver', 7],
  ['America/Los_Angeles', 15],
  ['America/Phoenix', 3],
  ['Pacific/Honolulu', 1],
  ['America/Toronto', 4],
  ['Europe/London', 4],
  ['Europe/Berlin', 3],
  ['Asia/Tokyo', 1],
  ['Australia/Sydney', 1],
  ['America/Sao_Paulo', 1],
];
