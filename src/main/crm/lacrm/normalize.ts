// Turns a LACRM contact record into what the contact index needs for matching attendees: the id,
// name parts, company, every email address, the last update and the custom fields by label.
// Pure: no I/O, so it is tested with generated records (normalize.test.ts).
import type { LacrmContact } from './types';

export type NormalizedFieldValue = string | number | boolean | null | readonly string[];

export type NormalizedLacrmContact = Readonly<{
  contactId: string;
  isCompany: boolean;
  firstName: string;
  middleName: string;
  lastName: string;
  companyName: string;
  /** Every address as LACRM stores it (trimmed), first occurrence kept, case-insensitive dedupe. */
  emails: readonly string[];
  lastUpdate: string;
  customFields: Readonly<Record<string, NormalizedFieldValue>>;
}>;

/** Keys of a contact record that are not custom fields. */
const BUILT_IN_KEYS = new Set([
  'ContactId',
  'IsCompany',
  'AssignedTo',
  'CompanyId',
  'Name',
  'Email',
  'Phone',
  'Website',
  'Address',
  'Company Name',
  'Job Title',
  'Background Info',
  'Birthday',
  'CompanyMetaData',
  'UserMetaData',
  'AssignedToMetaData',
  'DateCreated',
  'LastUpdate',
]);

function fieldValue(value: unknown): NormalizedFieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...value];
  // Option objects and the like: keep something readable rather than dropping it.
  return JSON.stringify(value);
}

/**
 * `customFieldLabels` (from GetCustomFields) picks exactly those fields, null when absent;
 * without it, every top-level key that is not a built-in field counts as a custom field.
 */
export function normalizeContact(
  contact: LacrmContact,
  customFieldLabels?: readonly string[],
): NormalizedLacrmContact {
  const name = contact.Name;
  let firstName = '';
  let middleName = '';
  let lastName = '';
  let companyName = (contact['Company Name'] ?? '').trim();
  if (typeof name === 'string') {
    if (contact.IsCompany) {
      companyName ||= name.trim();
    } else {
      const words = name.trim().split(/\s+/).filter(Boolean);
      lastName = words.length > 1 ? words.pop()! : '';
      firstName = words.join(' ');
    }
  } else {
    firstName = (name.FirstName ?? '').trim();
    middleName = (name.MiddleName ?? '').trim();
    lastName = (name.LastName ?? '').trim();
  }

  const emails: string[] = [];
  const seen = new Set<string>();
  for (const entry of contact.Email) {
    const text = entry.Text.trim();
    if (!text || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    emails.push(text);
  }

  const customFields: Record<string, NormalizedFieldValue> = {};
  const record = contact as Readonly<Record<string, unknown>>;
  const labels = customFieldLabels ?? Object.keys(record).filter((k) => !BUILT_IN_KEYS.has(k));
  for (const label of labels) customFields[label] = fieldValue(record[label]);

  return {
    contactId: contact.ContactId,
    isCompany: contact.IsCompany,
    firstName,
    middleName,
    lastName,
    companyName,
    emails,
    lastUpdate: contact.LastUpdate,
    customFields,
  };
}
