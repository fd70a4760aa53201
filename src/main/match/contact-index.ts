// The contact index: every LACRM contact prepared once for matching, with a hash map from each
// normalized email and a blocking table from name keys (surname + first initial, phonetic codes,
// one-typo neighbourhoods, mailbox names, work domains) to the contacts that carry them. Matching
// an attendee then looks up a handful of keys and scores only the contacts found there, never the
// whole list.
import type { BlockTableBuilder } from './blocks';
import { BlockKind, BlockTable, CandidateTally, SurnameFilter, blockHash } from './blocks';
import type { NormalizedEmail } from './email';
import { isPersonalDomain, isRoleMailbox, normalizeEmail } from './email';
import type { PersonName } from './names';
import {
  compactCompanyName,
  deletionNeighbourhood,
  foldText,
  givenFactsOf,
  initialsOf,
  parseContactName,
  phoneticKey,
  surnameFormsOf,
} from './names';
import { givenNameGroup } from './nicknames';
import { ContactStore } from './store';
import type { ContactForMatching } from './types';

export type IndexedContact = Readonly<{
  contact: ContactForMatching;
  /** Position in ContactIndex.contacts (blocks store positions, not objects). */
  position: number;
  /** Null for company records. */
  name: PersonName | null;
  /** "Robert Smith", "Harbor Logistics" — for reasons. */
  displayName: string;
  /** Every form the first name can take: spellings, formal names, their nicknames. */
  givenForms: ReadonlySet<string>;
  /** The contact's own surname forms (full, parts), longest first. */
  surnameForms: readonly string[];
  emails: readonly NormalizedEmail[];
}>;
// Scoring reads the rest (initials, work domains, mailbox names, company) from the packed
// record in ContactIndex.store, and LastUpdate from ContactIndex.lastUpdateMs.

export type ContactIndexOptions = Readonly<{
  /** Consumer mailbox domains besides the built-in list (a regional ISP, a test domain). */
  personalEmailDomains?: readonly string[];
}>;

export type ContactIndex = Readonly<{
  contacts: readonly IndexedContact[];
  byId: ReadonlyMap<string, IndexedContact>;
  /** Normalized email key → positions of the contacts that have it (2+ = a shared address). */
  byEmailKey: ReadonlyMap<string, readonly number[]>;
  /** For contact addresses that carry a +tag: the untagged key → positions. */
  byUntaggedKey: ReadonlyMap<string, readonly number[]>;
  /** Blocking key hash (see blockHash) → positions. */
  blocks: BlockTable;
  /** Every surname form in the index, to find surnames inside mailbox names ("jsmith"). */
  surnames: ReadonlySet<string>;
  /** The same surnames as a filter for searching inside mailbox names. */
  surnameFilter: SurnameFilter;
  personalDomains: ReadonlySet<string>;
  /** Whether any company records exist (else company-name lookups are skipped). */
  hasCompanies: boolean;
  /** Scratch space for candidate selection, reused by every match against this index. */
  tally: CandidateTally;
  /** What scoring reads of each contact, by position, packed (store.ts). */
  store: ContactStore;
  /** By position: contactId and LastUpdate, for ranking without visiting the contact. */
  contactIds: readonly string[];
  lastUpdateMs: Float64Array;
}>;

/** A local part without separators, folded: "J.Smith-82" → "jsmith82" (digits stay: jsmith1951
 * and jsmith are different people as often as not). */
export function mailboxName(local: string): string {
  return foldText(local).replace(/[^a-z0-9]/g, '');
}

// Second-level labels under country codes ("co.uk", "com.au"): part of the public suffix.
const SECOND_LEVEL_SUFFIXES: ReadonlySet<string> = new Set([
  'co',
  'com',
  'org',
  'net',
  'ac',
  'gov',
  'edu',
  'ltd',
  'plc',
]);

/** The registrable label of a domain, compacted: "mail.harbor-logistics.co.uk" → "harborlogistics". */
export function domainStem(domain: string): string {
  const labels = domain.split('.');
  const suffixLength =
    labels.length > 2 && SECOND_LEVEL_SUFFIXES.has(labels[labels.length - 2] ?? '') ? 2 : 1;
  const stem = labels[labels.length - suffixLength - 1] ?? labels[0] ?? '';
  return stem.replace(/[^a-z0-9]/g, '');
}

function parseLastUpdate(value: string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

function displayNameOf(contact: ContactForMatching): string {
  if (contact.isCompany) return contact.companyName?.trim() || 'a company record';
  const text = [contact.firstName, contact.lastName]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
  return text.length > 0 ? text : (contact.companyName?.trim() ?? 'a contact without a name');
}

const NO_FORMS: ReadonlySet<string> = new Set();

/** Initials of the given names and of full middle names; the shared given-name ones without any. */
function contactInitials(name: PersonName): readonly string[] {
  return name.middles.some((middle) => middle.length > 1)
    ? initialsOf(name, true)
    : name.derived.initials;
}

class MultiMap {
  readonly map = new Map<string, number[]>();
  add(key: string, position: number): void {
    const list = this.map.get(key);
    if (list === undefined) this.map.set(key, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  }
}

/** Surname forms, longest first, so "garcialopez" is tried before "garcia" inside a mailbox. */
function ownSurnameForms(name: PersonName): string[] {
  return surnameFormsOf(name, false)
    .filter((form) => form.length >= 2)
    .sort((a, b) => b.length - a.length);
}

/** Builds the index once per contact pull. Contacts with a duplicate contactId are skipped. */
export function buildContactIndex(
  contacts: readonly ContactForMatching[],
  options: ContactIndexOptions = {},
): ContactIndex {
  const personalDomains = new Set(
    (options.personalEmailDomains ?? []).map((domain) => domain.trim().toLowerCase()),
  );
  const indexed: IndexedContact[] = [];
  const byId = new Map<string, IndexedContact>();
  const byEmailKey = new MultiMap();
  const byUntaggedKey = new MultiMap();
  const blocks = BlockTable.builder();
  const surnames = new Set<string>();
  const store = ContactStore.builder();
  const lastUpdates: number[] = [];

  for (const contact of contacts) {
    if (byId.has(contact.contactId)) continue;
    const position = indexed.length;
    const emails = uniqueEmails(contact.emails);
    const name = contact.isCompany
      ? null
      : parseContactName(
          contact.firstName,
          contact.middleName,
          contact.lastName,
          contact.suffix ?? null,
        );
    const workDomains = [
      ...new Set(
        emails.map((email) => email.domain).filter((d) => !isPersonalDomain(d, personalDomains)),
      ),
    ];
    const mailboxNames = [
      ...new Set(
        emails
          .filter((email) => !isRoleMailbox(email.local))
          .map((email) => mailboxName(email.local.split('+')[0] ?? ''))
          .filter((letters) => letters.length >= 5),
      ),
    ];
    // Shared by every contact with the same given names (names.ts givenFactsOf).
    const given = name === null ? null : givenFactsOf(name.givens);
    const initials = name === null ? [] : contactInitials(name);
    const company = compactCompanyName(contact.companyName);
    const entry: IndexedContact = {
      contact,
      position,
      name,
      displayName: displayNameOf(contact),
      givenForms: given?.forms ?? NO_FORMS,
      surnameForms: name === null ? [] : ownSurnameForms(name),
      emails,
    };
    indexed.push(entry);
    byId.set(contact.contactId, entry);
    lastUpdates.push(parseLastUpdate(contact.lastUpdate));
    store.add(
      { name, initials, surnameForms: entry.surnameForms, workDomains, mailboxNames, company },
      given,
      name?.derived.surnameSound ?? null,
      name?.derived.partSounds ?? [],
    );

    for (const email of emails) {
      byEmailKey.add(email.key, position);
      if (email.baseKey !== email.key) byUntaggedKey.add(email.baseKey, position);
    }
    for (const mailbox of mailboxNames) blocks.add(blockHash(BlockKind.mailbox, mailbox), position);
    for (const domain of workDomains) blocks.add(blockHash(BlockKind.domain, domain), position);
    if (company !== null && contact.isCompany) {
      blocks.add(blockHash(BlockKind.company, company), position);
    }
    if (name !== null) addNameBlocks(blocks, surnames, name, initials, position);
  }

  return {
    contacts: indexed,
    byId,
    byEmailKey: byEmailKey.map,
    byUntaggedKey: byUntaggedKey.map,
    blocks: blocks.build(),
    surnames,
    surnameFilter: filterOf(surnames),
    personalDomains,
    hasCompanies: indexed.some((entry) => entry.contact.isCompany),
    tally: new CandidateTally(indexed.length),
    store: store.build(),
    contactIds: indexed.map((entry) => entry.contact.contactId),
    lastUpdateMs: Float64Array.from(lastUpdates),
  };
}

function filterOf(surnames: ReadonlySet<string>): SurnameFilter {
  const filter = new SurnameFilter();
  for (const surname of surnames) filter.add(surname);
  return filter;
}

function uniqueEmails(raw: readonly string[]): NormalizedEmail[] {
  const seen = new Set<string>();
  const out: NormalizedEmail[] = [];
  for (const text of raw) {
    const email = normalizeEmail(text);
    if (email === null || seen.has(email.key)) continue;
    seen.add(email.key);
    out.push(email);
  }
  return out;
}

function addNameBlocks(
  blocks: BlockTableBuilder,
  surnames: Set<string>,
  name: PersonName,
  initials: readonly string[],
  position: number,
): void {
  const surnameForms = surnameFormsOf(name, true);
  const ownSurnames = surnameFormsOf(name, false);
  for (const surname of ownSurnames) surnames.add(surname);
  const givenSounds: string[] = [];
  for (const given of name.givens) {
    const sound = phoneticKey(given);
    if (sound !== null && !givenSounds.includes(sound)) givenSounds.push(sound);
  }
  // Every table name the given names stand for ("bob" → bob, robert): surname + one of these is
  // the most specific key, and it is what separates Robert Smith from Rachel Smith.
  const givenMembers: string[] = [];
  for (const given of name.givens) {
    if (given.length < 2) continue;
    for (const member of givenNameGroup(given)) {
      if (!givenMembers.includes(member)) givenMembers.push(member);
    }
  }
  for (const surname of surnameForms) {
    blocks.add(blockHash(BlockKind.surname, surname), position);
    for (const member of givenMembers) {
      blocks.add(blockHash(BlockKind.surnameGiven, surname, member), position);
    }
    for (const initial of initials) {
      blocks.add(blockHash(BlockKind.surnameInitial, surname, initial), position);
    }
    for (const sound of givenSounds) {
      blocks.add(blockHash(BlockKind.surnameGivenSound, surname, sound), position);
    }
  }
  // Typo keys carry only the first given name's initial: a typo and a nickname at once is rare,
  // and every extra initial multiplies the neighbourhood.
  const primaryInitial = name.givens[0]?.[0];
  for (const surname of ownSurnames) {
    const sound = phoneticKey(surname);
    if (sound !== null) {
      for (const initial of initials) {
        blocks.add(blockHash(BlockKind.surnameSoundInitial, sound, initial), position);
      }
    }
    if (primaryInitial === undefined) continue;
    for (const form of deletionNeighbourhood(surname)) {
      if (form === surname) continue;
      blocks.add(blockHash(BlockKind.surnameTypoInitial, form, primaryInitial), position);
    }
  }
  for (const given of name.givens) {
    if (given.length < 2) continue;
    for (const member of givenNameGroup(given)) {
      blocks.add(blockHash(BlockKind.given, member), position);
    }
  }
}
