// What scoring reads of each contact, packed into one typed array. Scoring looks at five or so
// contacts per attendee, drawn from 20,000; as objects, each contact's names, parts, domains and
// mailbox names were a dozen small objects scattered over the heap, and fetching them from memory
// was a good part of the time scoring took. Here a contact is one record of a few dozen integers:
// the counts of its lists, then the lists themselves as word ids. A word's length and first and
// last letters sit in one small table, so most comparisons with the attendee's words are settled
// without reading the word's text; the text is read when those agree (the same surname) or when two
// different words must be compared letter by letter (typos, sound-alikes). Given-name facts are
// shared by every contact with the same given names (names.ts givenFactsOf) and referenced by index.

import type { GivenFacts, PersonName } from './names';

/** A field that is empty (a contact without a surname, a company without a name). */
export const NONE = -1;

/**
 * The words of the contacts (name parts, forms, sounds, domains, mailbox names), by id, with the
 * lengths and end letters that settle most comparisons without reading the text. A word gets an
 * id per occurrence: interning them through a map cost more at build time than it saved.
 */
export class Words {
  readonly texts: string[] = [];
  /** Four ints per word: its length, charCodeAt(0) and that of its last letter (-1 for the
   * empty word), and one unused; side by side, so one memory access reads all three. */
  meta: Int32Array = new Int32Array(4096);

  add(word: string): number {
    const id = this.texts.length;
    if (4 * id === this.meta.length) this.meta = grown(this.meta);
    this.texts.push(word);
    this.meta[4 * id] = word.length;
    this.meta[4 * id + 1] = word.length === 0 ? -1 : word.charCodeAt(0);
    this.meta[4 * id + 2] = word.length === 0 ? -1 : word.charCodeAt(word.length - 1);
    return id;
  }

  get size(): number {
    return this.texts.length;
  }
}

function grown(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** Offsets within a record. The lists follow the header in this order. */
export const R = {
  /** 1 for a person, 0 for a company record. */
  person: 0,
  surname: 1,
  surnameSound: 2,
  suffix: 3,
  /** Index into ContactStore.facts (given-name facts, shared by every contact with those names). */
  facts: 4,
  company: 5,
  partCount: 6,
  middleCount: 7,
  /** The contact's own surname forms, longest first. */
  formCount: 8,
  workDomainCount: 9,
  mailboxCount: 10,
  initialCount: 11,
  /** Surname part ids, then their sound ids, middles, forms, work domains, mailbox names,
   * initials (as character codes). */
  lists: 12,
} as const;

// Where each list of the record at offset r starts: each follows the one before it.
export const partsAt = (r: number): number => r + R.lists;
export const middlesAt = (records: Int32Array, r: number): number =>
  partsAt(r) + 2 * records[r + R.partCount]!;
export const formsAt = (records: Int32Array, r: number): number =>
  middlesAt(records, r) + records[r + R.middleCount]!;
export const workDomainsAt = (records: Int32Array, r: number): number =>
  formsAt(records, r) + records[r + R.formCount]!;
export const mailboxesAt = (records: Int32Array, r: number): number =>
  workDomainsAt(records, r) + records[r + R.workDomainCount]!;
export const initialsAt = (records: Int32Array, r: number): number =>
  mailboxesAt(records, r) + records[r + R.mailboxCount]!;

export type StoredContact = Readonly<{
  name: PersonName | null;
  /** First letters of the given names, of the formal names they stand for, of full middles. */
  initials: readonly string[];
  surnameForms: readonly string[];
  workDomains: readonly string[];
  mailboxNames: readonly string[];
  company: string | null;
}>;

export class ContactStore {
  private constructor(
    readonly words: Words,
    readonly records: Int32Array,
    /** Position → offset of its record in `records`. */
    readonly recordAt: Int32Array,
    readonly facts: readonly GivenFacts[],
  ) {}

  static builder(): ContactStoreBuilder {
    return new ContactStoreBuilder();
  }

  /** @internal used by the builder. */
  static of(
    words: Words,
    records: Int32Array,
    recordAt: Int32Array,
    facts: readonly GivenFacts[],
  ): ContactStore {
    return new ContactStore(words, records, recordAt, facts);
  }
}

export class ContactStoreBuilder {
  private readonly words = new Words();
  private records: Int32Array = new Int32Array(4096);
  private length = 0;
  private readonly recordAt: number[] = [];
  private readonly facts: GivenFacts[] = [];
  private readonly factsIndex = new Map<GivenFacts, number>();

  /** Adds the next position's record. */
  add(
    contact: StoredContact,
    facts: GivenFacts | null,
    surnameSound: string | null,
    partSounds: readonly (string | null)[],
  ): void {
    const name = contact.name;
    const words = this.words;
    const id = (word: string | null): number => (word === null ? NONE : words.add(word));
    const parts = name?.surnameParts ?? [];
    const middles = name?.middles ?? [];
    const values: number[] = [
      name === null ? 0 : 1,
      id(name?.surname ?? null),
      id(surnameSound),
      id(name?.suffix ?? null),
      facts === null ? NONE : this.factsOf(facts),
      id(contact.company),
      parts.length,
      middles.length,
      contact.surnameForms.length,
      contact.workDomains.length,
      contact.mailboxNames.length,
      contact.initials.length,
    ];
    for (const part of parts) values.push(id(part));
    for (let at = 0; at < parts.length; at += 1) values.push(id(partSounds[at] ?? null));
    for (const middle of middles) values.push(id(middle));
    for (const form of contact.surnameForms) values.push(id(form));
    for (const domain of contact.workDomains) values.push(id(domain));
    for (const mailbox of contact.mailboxNames) values.push(id(mailbox));
    for (const initial of contact.initials) values.push(initial.charCodeAt(0));
    while (this.length + values.length > this.records.length) this.records = grown(this.records);
    this.recordAt.push(this.length);
    this.records.set(values, this.length);
    this.length += values.length;
  }

  private factsOf(facts: GivenFacts): number {
    const known = this.factsIndex.get(facts);
    if (known !== undefined) return known;
    this.facts.push(facts);
    this.factsIndex.set(facts, this.facts.length - 1);
    return this.facts.length - 1;
  }

  build(): ContactStore {
    return ContactStore.of(
      this.words,
      this.records.slice(0, this.length),
      Int32Array.from(this.recordAt),
      this.facts,
    );
  }
}
