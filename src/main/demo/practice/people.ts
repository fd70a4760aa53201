// The people of a generated practice: clients in households (spouses, shared family addresses),
// CRM contacts who are not clients (prospects, professionals, family), prospects who never made
// it into the CRM, their LACRM records — and how each of them shows up on a booking form, with
// the nicknames, typos, dropped accents, married names, plus-addresses and unlisted addresses a
// matcher has to see through.
import type { LacrmContact, LacrmTyped } from '../../crm/lacrm/types';
import {
  companyPool,
  emailToken,
  hasAccents,
  PERSONAL_DOMAINS,
  PROFESSIONAL_FIRMS,
  randomFirstName,
  randomSurname,
  stripAccents,
  TIME_ZONES,
  typo,
  type Company,
} from './names';
import type { Random } from './random';
import { DAY, type ZoneClock } from './time';
import type { EmailVariant, NameVariant, PersonKind } from './types';

type EmailHabit =
  | 'crm_work'
  | 'crm_personal'
  | 'shared_family'
  | 'unlisted_personal'
  | 'plus_address'
  | 'gmail_dots';

export type Person = {
  readonly id: string;
  readonly kind: PersonKind;
  readonly first: string;
  readonly last: string;
  readonly nicknames: readonly string[];
  /** Whether the CRM spelling has accents (or letters like ø) people often type without. */
  readonly accented: boolean;
  /** A married or maiden surname the person books under, not the one in the CRM. */
  readonly altLast: string | null;
  readonly timeZone: string;
  readonly phone: string;
  readonly company: Company | null;
  readonly role: 'Client' | 'Prospect' | 'Professional' | 'Family' | null;
  readonly jobTitle: string;
  contactId: string | null;
  workEmail: string | null;
  personalEmail: string | null;
  familyEmail: string | null;
  /** An address the person uses that the CRM does not have. */
  readonly unlistedEmail: string;
  readonly tier: 'Top' | 'Standard' | null;
  /** When the person became a contact (DateCreated), or a prospect first appeared. */
  readonly sinceMs: number;
  /** A client who stopped booking reviews at this time (overdue at `now`), if any. */
  lapsedAfterMs: number | null;
  spouse: Person | null;
  habit: Readonly<{
    email: EmailHabit;
    name: 'formal' | 'nickname' | 'accents_dropped' | 'alt_surname' | 'hyphen_part';
    nickname: string | null;
  }>;
};

export type Presentation = Readonly<{
  /** Who it really is: null for the advisor. */
  person: Person | null;
  personId: string;
  contactId: string | null;
  name: string;
  /** The two halves as a split first/last-name form would have collected them. */
  firstName: string;
  lastName: string;
  email: string;
  nameVariants: readonly NameVariant[];
  emailVariant: EmailVariant;
}>;

export type PeopleOptions = Readonly<{
  clients: number;
  crmNonClients: number;
  fromMs: number;
  nowMs: number;
}>;

export type People = Readonly<{
  clients: readonly Person[];
  crmNonClients: readonly Person[];
  professionals: readonly Person[];
  /** Everyone in the CRM, in the order their records were created. */
  inCrm: readonly Person[];
  newProspect(random: Random, sinceMs: number): Person;
}>;

/** Keeps every generated address unique (except the deliberate shared family ones). */
class AddressBook {
  private used = new Set<string>();
  claim(local: string, domain: string): string {
    let candidate = `${local}@${domain}`;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n += 1)
      candidate = `${local}${n}@${domain}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

function personalLocal(random: Random, first: string, last: string): string {
  const f = emailToken(first) || 'x';
  const l = emailToken(last) || 'y';
  // "zz" + digits marks every personal local part as invented.
  switch (random.int(0, 3)) {
    case 0:
      return `${f}.${l}.zz${random.digits(3)}`;
    case 1:
      return `${f[0]}${l}zz${random.digits(2)}`;
    case 2:
      return `${f}${l}.zz${random.digits(2)}`;
    default:
      return `${l}.${f}.zz${random.digits(3)}`;
  }
}

function phoneNumber(random: Random): string {
  // 555-0100..0199 is reserved for fiction.
  return `${random.pick(['617', '212', '312', '415', '303', '512'])}-555-01${random.digits(2)}`;
}

export function createPeople(random: Random, options: PeopleOptions): People {
  const book = new AddressBook();
  const companies = companyPool(
    random.fork('companies'),
    Math.max(8, Math.ceil(options.clients / 12)),
  );
  let nextId = 1;
  const span = options.nowMs - options.fromMs;

  const makePerson = (
    r: Random,
    kind: PersonKind,
    init: Partial<Pick<Person, 'last' | 'company' | 'role' | 'tier' | 'jobTitle'>> & {
      sinceMs: number;
    },
  ): Person => {
    const { first, nicknames } = randomFirstName(r);
    let last = init.last ?? randomSurname(r);
    if (init.last === undefined && r.chance(0.06)) last = `${last}-${randomSurname(r)}`;
    const altLast = r.chance(0.07) ? randomSurname(r) : null;
    const inCrm = kind === 'client' || kind === 'crm_non_client';
    const company =
      init.company !== undefined ? init.company : r.chance(0.7) ? r.pick(companies) : null;
    const unlistedDomain = r.pick(PERSONAL_DOMAINS);
    const person: Person = {
      id: `p${nextId++}`,
      kind,
      first,
      last,
      nicknames,
      accented: hasAccents(first) || hasAccents(last),
      altLast,
      timeZone: r.weighted(TIME_ZONES),
      phone: phoneNumber(r),
      company,
      role: init.role ?? null,
      jobTitle: init.jobTitle ?? '',
      contactId: null,
      workEmail: null,
      personalEmail: null,
      familyEmail: null,
      unlistedEmail: book.claim(personalLocal(r, first, altLast ?? last), unlistedDomain),
      tier: init.tier ?? null,
      sinceMs: init.sinceMs,
      lapsedAfterMs: null,
      spouse: null,
      habit: { email: 'crm_personal', name: 'formal', nickname: null },
    };
    if (inCrm) {
      const hasWork = company !== null && r.chance(0.75);
      const hasPersonal = !hasWork || r.chance(0.7);
      // A few records have no address at all: only a name to match on.
      const noEmail = kind === 'client' && r.chance(0.03);
      if (!noEmail && hasWork)
        person.workEmail = book.claim(
          `${emailToken(first)}.${emailToken(last.split('-')[0]!)}`,
          company.domain,
        );
      if (!noEmail && hasPersonal)
        person.personalEmail = book.claim(personalLocal(r, first, last), r.pick(PERSONAL_DOMAINS));
    }
    return person;
  };

  const chooseHabit = (r: Random, person: Person): Person['habit'] => {
    const emails: (readonly [EmailHabit, number])[] = [];
    if (person.kind === 'client' || person.kind === 'crm_non_client') {
      if (person.workEmail) emails.push(['crm_work', 25]);
      if (person.personalEmail) {
        emails.push(['crm_personal', 40], ['plus_address', 5]);
        if (person.personalEmail.endsWith('@gmail.com')) emails.push(['gmail_dots', 5]);
      }
      if (person.familyEmail) emails.push(['shared_family', 80]);
      emails.push(['unlisted_personal', 9]);
    } else {
      emails.push(['unlisted_personal', 1]);
    }
    const names: (readonly [Person['habit']['name'], number])[] = [['formal', 50]];
    if (person.nicknames.length > 0) names.push(['nickname', 45]);
    if (person.accented) names.push(['accents_dropped', 50]);
    if (person.altLast) names.push(['alt_surname', 60]);
    if (person.last.includes('-')) names.push(['hyphen_part', 40]);
    return {
      email: r.weighted(emails),
      name: r.weighted(names),
      nickname: person.nicknames.length > 0 ? r.pick(person.nicknames) : null,
    };
  };

  const finish = (r: Random, person: Person): Person => {
    person.habit = chooseHabit(r, person);
    return person;
  };

  const clientsRandom = random.fork('clients');
  const clients: Person[] = [];
  while (clients.length < options.clients) {
    const r = clientsRandom;
    // Some clients predate the window; others joined during it (after an intro call).
    const sinceMs = r.chance(0.7)
      ? options.fromMs - r.between(0, 6 * 365 * DAY)
      : options.fromMs + r.between(0, span - 60 * DAY);
    const tier = r.chance(0.2) ? 'Top' : 'Standard';
    const primary = makePerson(r, 'client', { sinceMs, tier, role: 'Client' });
    clients.push(primary);
    if (r.chance(0.4)) {
      const jointClient = clients.length < options.clients && r.chance(0.55);
      const spouseLast = r.chance(0.75) ? primary.last : randomSurname(r);
      const spouse = makePerson(r, jointClient ? 'client' : 'spouse_not_in_crm', {
        sinceMs,
        tier: jointClient ? tier : null,
        role: jointClient ? 'Client' : null,
        last: spouseLast,
      });
      primary.spouse = spouse;
      spouse.spouse = primary;
      if (jointClient) {
        clients.push(spouse);
        if (r.chance(0.3)) {
          // One address for the household, on both records.
          const family = book.claim(
            `the${emailToken(primary.last)}s.zz${r.digits(2)}`,
            r.pick(PERSONAL_DOMAINS),
          );
          primary.familyEmail = family;
          spouse.familyEmail = family;
        }
      }
    }
  }
  for (const client of clients) {
    client.lapsedAfterMs = clientsRandom.chance(0.12)
      ? options.nowMs - clientsRandom.between(420, 700) * DAY
      : null;
    finish(clientsRandom, client);
    if (client.spouse && client.spouse.kind === 'spouse_not_in_crm')
      finish(clientsRandom, client.spouse);
  }

  const othersRandom = random.fork('non-clients');
  const crmNonClients: Person[] = [];
  const professionals: Person[] = [];
  for (let i = 0; i < options.crmNonClients; i += 1) {
    const r = othersRandom;
    const sinceMs = options.fromMs + r.between(-3 * 365 * DAY, span - 14 * DAY);
    const roll = r.next();
    let person: Person;
    if (roll < 0.3) {
      const firm = r.pick(PROFESSIONAL_FIRMS);
      person = makePerson(r, 'crm_non_client', {
        sinceMs,
        company: firm,
        role: 'Professional',
        jobTitle: firm.role,
      });
      professionals.push(person);
    } else if (roll < 0.65) {
      person = makePerson(r, 'crm_non_client', { sinceMs, role: 'Prospect' });
    } else {
      // Adult children and parents of clients, kept in the CRM for estate planning.
      const relative = clients.length > 0 ? r.pick(clients) : null;
      person = makePerson(r, 'crm_non_client', {
        sinceMs,
        role: 'Family',
        ...(relative ? { last: relative.last } : {}),
      });
    }
    crmNonClients.push(finish(r, person));
  }

  const inCrm = [...clients, ...crmNonClients].sort((a, b) => a.sinceMs - b.sinceMs);
  return {
    clients,
    crmNonClients,
    professionals,
    inCrm,
    newProspect(r, sinceMs) {
      return finish(r, makePerson(r, 'prospect', { sinceMs }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// How a person shows up on a booking

const NO_VARIANTS: readonly NameVariant[] = Object.freeze([]);

function gmailDots(address: string, random: Random): string {
  const [local, domain] = address.split('@') as [string, string];
  if (local.includes('.')) return `${local.replace(/\./g, '')}@${domain}`;
  const at = random.int(1, Math.max(1, local.length - 1));
  return `${local.slice(0, at)}.${local.slice(at)}@${domain}`;
}

function plusAddress(address: string, random: Random): string {
  const [local, domain] = address.split('@') as [string, string];
  return `${local}+${random.pick(['advisor', 'finance', 'money', 'harbor', 'cal'])}@${domain}`;
}

/** Shouty, lower-case or Title.Case text; never returns the input unchanged. */
function caseNoise(text: string, random: Random): string {
  const candidates = [
    text.toUpperCase(),
    text.toLowerCase(),
    text.replace(/(^|[.\s])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase()),
  ].filter((c) => c !== text);
  return candidates.length > 0 ? random.pick(candidates) : text;
}

function availableEmails(person: Person): EmailHabit[] {
  const out: EmailHabit[] = ['unlisted_personal'];
  if (person.kind !== 'client' && person.kind !== 'crm_non_client') return out;
  if (person.workEmail) out.push('crm_work');
  if (person.personalEmail) out.push('crm_personal', 'plus_address');
  if (person.personalEmail?.endsWith('@gmail.com')) out.push('gmail_dots');
  if (person.familyEmail) out.push('shared_family');
  return out;
}

function emailFor(
  person: Person,
  habit: EmailHabit,
  random: Random,
): { email: string; variant: EmailVariant } {
  const inCrm = person.kind === 'client' || person.kind === 'crm_non_client';
  switch (habit) {
    case 'crm_work':
      return { email: person.workEmail!, variant: 'crm_work' };
    case 'crm_personal':
      return { email: person.personalEmail!, variant: 'crm_personal' };
    case 'shared_family':
      return { email: person.familyEmail!, variant: 'shared_family' };
    case 'plus_address':
      return { email: plusAddress(person.personalEmail!, random), variant: 'plus_address' };
    case 'gmail_dots':
      return { email: gmailDots(person.personalEmail!, random), variant: 'gmail_dots' };
    case 'unlisted_personal':
      return { email: person.unlistedEmail, variant: inCrm ? 'unlisted_personal' : 'not_in_crm' };
  }
}

/** The name and address a person types into a booking form this time. */
export function present(person: Person, random: Random): Presentation {
  const habitual = random.chance(0.8);
  const emailHabit = habitual ? person.habit.email : random.pick(availableEmails(person));
  let { email, variant: emailVariant } = emailFor(person, emailHabit, random);
  if ((emailVariant === 'crm_work' || emailVariant === 'crm_personal') && random.chance(0.05)) {
    const noisy = caseNoise(email, random);
    if (noisy !== email) {
      email = noisy;
      emailVariant = 'case_noise';
    }
  }

  const variants: NameVariant[] = [];
  let first = person.first;
  let last = person.last;
  const nameHabit = random.chance(0.85) ? person.habit.name : 'formal';
  switch (nameHabit) {
    case 'nickname':
      first = person.habit.nickname ?? first;
      if (first !== person.first) variants.push('nickname');
      break;
    case 'alt_surname':
      last = person.altLast ?? last;
      if (last !== person.last) variants.push('surname_changed');
      break;
    case 'hyphen_part': {
      const parts = last.split('-');
      last = random.chance(0.25) ? parts.join(' ') : random.pick(parts);
      variants.push('hyphen_part');
      break;
    }
    case 'accents_dropped':
    case 'formal':
      break;
  }
  if (person.accented && (nameHabit === 'accents_dropped' || random.chance(0.1))) {
    first = stripAccents(first);
    last = stripAccents(last);
    variants.push('accents_dropped');
  }
  if (random.chance(0.035)) {
    if (random.chance(0.5)) first = typo(random, first);
    else last = typo(random, last);
    variants.push('typo');
  }
  if (random.chance(0.03)) {
    if (random.chance(0.5)) first = `${first[0]}.`;
    else last = `${last[0]}.`;
    variants.push('initial');
  }
  if (random.chance(0.035)) {
    const shouted = random.chance(0.5);
    const noisyFirst = shouted ? first.toUpperCase() : first.toLowerCase();
    const noisyLast = shouted ? last.toUpperCase() : last.toLowerCase();
    if (noisyFirst !== first || noisyLast !== last) {
      first = noisyFirst;
      last = noisyLast;
      variants.push('case_noise');
    }
  }
  let name = `${first} ${last}`;
  if (random.chance(0.035)) {
    name = random.chance(0.5) ? ` ${first}  ${last} ` : `${first} ${last} `;
    variants.push('whitespace_noise');
  }
  return {
    person,
    personId: person.id,
    contactId: person.contactId,
    name,
    firstName: first,
    lastName: last,
    email,
    nameVariants: variants.length === 0 ? NO_VARIANTS : variants,
    emailVariant,
  };
}

// ---------------------------------------------------------------------------------------------
// LACRM records

export type CrmBuildOptions = Readonly<{
  userId: number;
  fromMs: number;
  nowMs: number;
  /** The advisor's zone: LACRM DateTimes carry its offset. */
  clock: ZoneClock;
}>;

function lacrmDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Assigns 31-digit ContactIds and builds the GetContacts records (people and companies). */
export function buildContacts(
  random: Random,
  people: People,
  options: CrmBuildOptions,
): LacrmContact[] {
  // Records are created and edited during the working day, in the advisor's zone.
  const lacrmDateTime = (ms: number) =>
    options.clock.localIso(
      Math.min(options.clock.slot(random, ms, 8, 18) + random.int(0, 29) * 60_000, options.nowMs),
    );
  let counter = 0;
  const contactId = () => {
    counter += 1;
    return `3${String(counter).padStart(9, '0')}${random.digits(21)}`;
  };
  const companyIds = new Map<string, string>();
  const companyRecords: LacrmContact[] = [];
  const usedCompanies = new Map<string, Company>();
  for (const person of people.inCrm)
    if (person.company) usedCompanies.set(person.company.name, person.company);
  for (const company of usedCompanies.values()) {
    const id = contactId();
    companyIds.set(company.name, id);
    const created = options.fromMs - random.between(200, 2000) * DAY;
    companyRecords.push({
      ContactId: id,
      IsCompany: true,
      AssignedTo: options.userId,
      CompanyId: null,
      Name: company.name,
      Email: random.chance(0.5) ? [{ Text: `info@${company.domain}`, Type: 'Work' }] : [],
      Phone: [{ Text: phoneNumber(random), Type: 'Work' }],
      'Company Name': company.name,
      'Background Info': '',
      DateCreated: lacrmDateTime(created),
      LastUpdate: lacrmDateTime(created + random.between(0, 300) * DAY),
    });
  }

  const people31 = people.inCrm.map((person): LacrmContact => {
    const id = contactId();
    person.contactId = id;
    const emails: LacrmTyped[] = [];
    if (person.workEmail) emails.push({ Text: person.workEmail, Type: 'Work' });
    if (person.personalEmail) emails.push({ Text: person.personalEmail, Type: 'Personal' });
    if (person.familyEmail) emails.push({ Text: person.familyEmail, Type: 'Personal' });
    const lastUpdate = Math.min(options.nowMs, person.sinceMs + random.between(0, 900) * DAY);
    const isClient = person.kind === 'client';
    // Review fields as a busy advisor leaves them: often empty, otherwise out of date.
    const lastReview =
      isClient && random.chance(0.55)
        ? lacrmDate(Math.min(options.fromMs, person.sinceMs + random.between(30, 400) * DAY))
        : '';
    const nextDue =
      lastReview !== '' && random.chance(0.6)
        ? lacrmDate(Date.parse(lastReview) + (person.tier === 'Top' ? 91 : 365) * DAY)
        : '';
    return {
      ContactId: id,
      IsCompany: false,
      AssignedTo: options.userId,
      CompanyId: person.company ? (companyIds.get(person.company.name) ?? null) : null,
      Name: {
        Salutation: '',
        FirstName: person.first,
        MiddleName: '',
        LastName: person.last,
        Suffix: '',
      },
      Email: emails,
      Phone: [{ Text: person.phone, Type: 'Mobile' }],
      'Company Name': person.company?.name ?? '',
      'Job Title': person.jobTitle,
      'Background Info': '',
      'Client tier': person.tier ?? '',
      'Contact type': person.role ?? '',
      'Last portfolio review': lastReview,
      'Next review due': nextDue,
      DateCreated: lacrmDateTime(person.sinceMs),
      LastUpdate: lacrmDateTime(lastUpdate),
    };
  });
  return [...companyRecords, ...people31];
}
