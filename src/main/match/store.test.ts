// The packed contact records scoring reads (store.ts): each field and list of a record reads back
// what the contact's parsed name, addresses and company say, so scoring from the record is scoring
// from the contact.
import { describe, expect, it } from 'vitest';
import type { ContactIndex } from './contact-index';
import { buildContactIndex } from './contact-index';
import { phoneticKey } from './names';
import { NONE, R } from './store';
import type { ContactForMatching } from './types';

const contacts: ContactForMatching[] = [
  {
    contactId: 'c-1',
    isCompany: false,
    firstName: 'José',
    middleName: 'Maria',
    lastName: 'García-López',
    suffix: 'Jr.',
    companyName: 'The Harbor Group, LLC',
    emails: ['Jose.Garcia@Harbor-Group.example', 'jgl@gmail.com', 'info@harbor-group.example'],
    lastUpdate: '2026-01-02T03:04:05Z',
  },
  {
    contactId: 'c-2',
    isCompany: true,
    firstName: '',
    middleName: null,
    lastName: '',
    companyName: 'Harbor Group',
    emails: ['office@harbor-group.example'],
  },
  {
    contactId: 'c-3',
    isCompany: false,
    firstName: 'Ann',
    middleName: null,
    lastName: 'Lee',
    companyName: null,
    emails: [],
  },
];

/** A record's fields and lists, read back as text. */
function decode(index: ContactIndex, position: number) {
  const { records, recordAt, words, facts } = index.store;
  const r = recordAt[position]!;
  const word = (id: number): string | null => (id === NONE ? null : words.texts[id]!);
  let at = r + R.lists;
  const take = (count: number): number[] => {
    const ids = [...records.subarray(at, at + count)];
    at += count;
    return ids;
  };
  const partCount = records[r + R.partCount]!;
  const parts = take(partCount).map(word);
  const partSounds = take(partCount).map(word);
  const middles = take(records[r + R.middleCount]!).map(word);
  const forms = take(records[r + R.formCount]!).map(word);
  const workDomains = take(records[r + R.workDomainCount]!).map(word);
  const mailboxes = take(records[r + R.mailboxCount]!).map(word);
  const initials = take(records[r + R.initialCount]!).map((code) => String.fromCharCode(code));
  const factsAt = records[r + R.facts]!;
  return {
    person: records[r + R.person],
    surname: word(records[r + R.surname]!),
    surnameSound: word(records[r + R.surnameSound]!),
    suffix: word(records[r + R.suffix]!),
    company: word(records[r + R.company]!),
    givens: factsAt === NONE ? null : facts[factsAt]!.givens,
    parts,
    partSounds,
    middles,
    forms,
    workDomains,
    mailboxes,
    initials,
  };
}

describe('contact store', () => {
  const index = buildContactIndex(contacts);

  it('packs a person: names, sounds, forms, work domains, mailbox names, initials', () => {
    expect(decode(index, 0)).toEqual({
      person: 1,
      surname: 'garcialopez',
      surnameSound: phoneticKey('garcialopez'),
      suffix: 'jr',
      company: 'harborgroup',
      givens: ['jose'],
      parts: ['garcia', 'lopez'],
      partSounds: [phoneticKey('garcia'), phoneticKey('lopez')],
      middles: ['maria'],
      forms: ['garcialopez', 'garcia', 'lopez'],
      workDomains: ['harbor-group.example'],
      // Role mailboxes (info@) are not a person's; names under five letters are too short.
      mailboxes: ['josegarcia'],
      initials: ['j', 'm'],
    });
    expect(index.contactIds[0]).toBe('c-1');
    expect(index.lastUpdateMs[0]).toBe(Date.parse('2026-01-02T03:04:05Z'));
  });

  it('packs a company record without a name, and a person without addresses', () => {
    expect(decode(index, 1)).toMatchObject({
      person: 0,
      surname: null,
      givens: null,
      company: 'harborgroup',
      workDomains: ['harbor-group.example'],
      mailboxes: [],
    });
    expect(decode(index, 2)).toMatchObject({
      person: 1,
      surname: 'lee',
      suffix: null,
      company: null,
      givens: ['ann'],
      parts: [],
      middles: [],
      forms: ['lee'],
      workDomains: [],
      mailboxes: [],
    });
    expect(index.lastUpdateMs[2]).toBe(0);
  });

  it("keeps each word's length and end letters beside it", () => {
    const { words } = index.store;
    for (let id = 0; id < words.size; id += 1) {
      const text = words.texts[id]!;
      expect(words.meta[4 * id]).toBe(text.length);
      expect(words.meta[4 * id + 1]).toBe(text.length === 0 ? -1 : text.charCodeAt(0));
      expect(words.meta[4 * id + 2]).toBe(
        text.length === 0 ? -1 : text.charCodeAt(text.length - 1),
      );
    }
  });
});
