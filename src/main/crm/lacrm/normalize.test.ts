// What the contact index gets from a LACRM record, for the shapes the fact sheet allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeContact } from './normalize';
import type { LacrmContact } from './types';

const base: LacrmContact = {
  ContactId: '3862515354732873260518907940136',
  IsCompany: false,
  AssignedTo: '483823',
  Name: { FirstName: ' Jane ', MiddleName: 'Q', LastName: 'Doe' },
  Email: [],
  Phone: [],
  DateCreated: '2023-01-05T09:12:00-06:00',
  LastUpdate: '2025-03-14T11:05:00-05:00',
};

describe('normalizeContact', () => {
  it('takes name parts, company and custom fields (everything that is not built in)', () => {
    const contact: LacrmContact = {
      ...base,
      'Company Name': 'Acme LLC',
      Website: [{ Text: 'https://acme.example', Type: 'Work' }],
      CompanyMetaData: { CompanyName: 'Acme LLC' },
      'Next review due': '2025-09-14',
      'Meetings last 12 months': 4,
      Interests: ['Bonds', 'ESG'],
      'Client tier': { OptionId: '1', Name: 'A' },
      Empty: null,
    };
    expect(normalizeContact(contact)).toEqual({
      contactId: base.ContactId,
      isCompany: false,
      firstName: 'Jane',
      middleName: 'Q',
      lastName: 'Doe',
      companyName: 'Acme LLC',
      emails: [],
      lastUpdate: base.LastUpdate,
      customFields: {
        'Next review due': '2025-09-14',
        'Meetings last 12 months': 4,
        Interests: ['Bonds', 'ESG'],
        'Client tier': '{"OptionId":"1","Name":"A"}',
        Empty: null,
      },
    });
  });

  it('picks exactly the labels it is given, null when a record lacks one', () => {
    const contact: LacrmContact = { ...base, 'Next review due': '2025-09-14', Stray: 'x' };
    expect(normalizeContact(contact, ['Next review due', 'Client tier']).customFields).toEqual({
      'Next review due': '2025-09-14',
      'Client tier': null,
    });
  });

  it('reads a company whose Name is text, and a person whose Name is text', () => {
    const company = normalizeContact({ ...base, IsCompany: true, Name: 'Acme LLC' });
    expect(company).toMatchObject({ isCompany: true, companyName: 'Acme LLC', firstName: '' });
    const person = normalizeContact({ ...base, Name: 'Mary Ann  Smith' });
    expect(person).toMatchObject({ firstName: 'Mary Ann', lastName: 'Smith' });
  });

  it('keeps every distinct email once, in order, trimmed, dropping blanks', () => {
    const email = fc
      .tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom('a.example', 'B.example'))
      .map(([local, domain]) => `${local}@${domain}`);
    const entry = fc.record({
      Text: fc.oneof(
        email,
        email.map((e) => ` ${e.toUpperCase()} `),
        fc.constant(''),
      ),
      Type: fc.constantFrom('Work', 'Personal'),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const { emails } = normalizeContact({ ...base, Email: entries });
        const lower = emails.map((e) => e.toLowerCase());
        expect(new Set(lower).size).toBe(emails.length);
        expect(emails.every((e) => e === e.trim() && e !== '')).toBe(true);
        const expected = [
          ...new Set(entries.map((e) => e.Text.trim().toLowerCase()).filter(Boolean)),
        ];
        expect(lower).toEqual(expected);
      }),
    );
  });
});
