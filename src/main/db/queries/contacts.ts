// LACRM contacts at rest: idempotent upsert by ContactId (a content hash tells updated from
// unchanged), every address under its normalized key, "removed" marks for records a full pull no
// longer finds, and the reads matching and the review queue need (the contacts for the index,
// summaries by id, search). Every write runs inside the caller's transaction.
import { createHash } from 'node:crypto';
import type { ContactSummary } from '../../../shared/contract-match';
import type { NormalizedLacrmContact } from '../../crm/lacrm/normalize';
import { normalizeEmail, type ContactForMatching } from '../../match';
import type { Db } from '../open';
import { stmt } from '../statements';

export type ContactUpsertOutcome = 'created' | 'updated' | 'unchanged';

/** What is stored per contact: LACRM's record reduced by normalizeContact, plus the name suffix. */
export type StoredContactInput = NormalizedLacrmContact & Readonly<{ suffix: string }>;

/** A contact as the UI shows it next to an attendee. */
export type { ContactSummary };

/** Lower case without accents, so "bjorn" finds "Björn". */
export function foldForSearch(text: string): string {
  // Most names are plain ASCII: skip the Unicode decomposition for them.
  if (/^[\x20-\x7e]*$/.test(text)) return text.toLowerCase().replace(/\s+/g, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

function contactHash(contact: StoredContactInput): string {
  return createHash('sha256').update(JSON.stringify(contact)).digest('hex');
}

function searchTextOf(contact: StoredContactInput): string {
  return foldForSearch(
    [
      contact.firstName,
      contact.middleName,
      contact.lastName,
      contact.companyName,
      ...contact.emails,
    ].join(' '),
  );
}

export function upsertContact(
  db: Db,
  contact: StoredContactInput,
  nowIso: string,
): ContactUpsertOutcome {
  const hash = contactHash(contact);
  const existing = stmt(db, 'SELECT content_hash, removed FROM contacts WHERE contact_id = ?').get(
    contact.contactId,
  ) as { content_hash: string; removed: number } | undefined;
  if (existing && existing.content_hash === hash && existing.removed === 0) {
    stmt(db, 'UPDATE contacts SET last_seen_at = ? WHERE contact_id = ?').run(
      nowIso,
      contact.contactId,
    );
    return 'unchanged';
  }
  const values = {
    contact_id: contact.contactId,
    is_company: contact.isCompany ? 1 : 0,
    first_name: contact.firstName,
    middle_name: contact.middleName,
    last_name: contact.lastName,
    suffix: contact.suffix,
    company_name: contact.companyName,
    emails_json: JSON.stringify(contact.emails),
    custom_fields_json: JSON.stringify(contact.customFields),
    search_text: searchTextOf(contact),
    last_update: contact.lastUpdate,
    content_hash: hash,
    now: nowIso,
  };
  stmt(
    db,
    `INSERT INTO contacts (contact_id, is_company, first_name, middle_name, last_name, suffix, company_name,
       emails_json, custom_fields_json, search_text, last_update, content_hash, removed, first_seen_at,
       last_seen_at, changed_at)
     VALUES (@contact_id, @is_company, @first_name, @middle_name, @last_name, @suffix, @company_name,
       @emails_json, @custom_fields_json, @search_text, @last_update, @content_hash, 0, @now, @now, @now)
     ON CONFLICT(contact_id) DO UPDATE SET is_company = excluded.is_company, first_name = excluded.first_name,
       middle_name = excluded.middle_name, last_name = excluded.last_name, suffix = excluded.suffix,
       company_name = excluded.company_name, emails_json = excluded.emails_json,
       custom_fields_json = excluded.custom_fields_json, search_text = excluded.search_text,
       last_update = excluded.last_update, content_hash = excluded.content_hash, removed = 0,
       last_seen_at = excluded.last_seen_at, changed_at = excluded.changed_at`,
  ).run(values);
  stmt(db, 'DELETE FROM contact_emails WHERE contact_id = ?').run(contact.contactId);
  const insertEmail = stmt(
    db,
    'INSERT OR IGNORE INTO contact_emails (email_key, contact_id, email) VALUES (?, ?, ?)',
  );
  for (const email of contact.emails) {
    const key = normalizeEmail(email)?.key;
    if (key !== undefined) insertEmail.run(key, contact.contactId, email);
  }
  return existing ? 'updated' : 'created';
}

/**
 * After a complete full pull: every stored contact the pull did not return is marked removed
 * (kept, since matches and decisions may name it). Returns how many were newly marked.
 */
export function markContactsRemovedExcept(
  db: Db,
  seenIds: ReadonlySet<string>,
  nowIso: string,
): number {
  const live = stmt(db, 'SELECT contact_id FROM contacts WHERE removed = 0')
    .pluck()
    .all() as string[];
  const mark = stmt(db, 'UPDATE contacts SET removed = 1, changed_at = ? WHERE contact_id = ?');
  let count = 0;
  for (const id of live) {
    if (seenIds.has(id)) continue;
    mark.run(nowIso, id);
    count++;
  }
  return count;
}

type ContactRow = {
  contact_id: string;
  is_company: number;
  first_name: string;
  middle_name: string;
  last_name: string;
  suffix: string;
  company_name: string;
  emails_json: string;
  last_update: string;
  removed: number;
};

/** The live contacts, shaped for buildContactIndex. */
export function contactsForMatching(db: Db): ContactForMatching[] {
  const rows = stmt(
    db,
    `SELECT contact_id, is_company, first_name, middle_name, last_name, suffix, company_name, emails_json,
         last_update, removed FROM contacts WHERE removed = 0 ORDER BY contact_id`,
  ).all() as ContactRow[];
  return rows.map((r) => ({
    contactId: r.contact_id,
    isCompany: r.is_company === 1,
    firstName: r.first_name,
    middleName: r.middle_name || null,
    lastName: r.last_name,
    suffix: r.suffix || null,
    companyName: r.company_name || null,
    emails: JSON.parse(r.emails_json) as string[],
    lastUpdate: r.last_update,
  }));
}

/**
 * A cheap fingerprint of the contact list: it changes whenever a contact is added, changed or
 * removed, so a cached contact index can tell it is stale (another process may have synced).
 */
export function contactsRevision(db: Db): string {
  const row = stmt(
    db,
    "SELECT count(*) AS n, coalesce(max(changed_at), '') AS changed, coalesce(sum(removed), 0) AS removed FROM contacts",
  ).get() as { n: number; changed: string; removed: number };
  return `${row.n}|${row.changed}|${row.removed}`;
}

export function liveContactCount(db: Db): number {
  return (stmt(db, 'SELECT count(*) AS n FROM contacts WHERE removed = 0').get() as { n: number })
    .n;
}

function displayName(r: ContactRow): string {
  if (r.is_company === 1) return r.company_name || 'Unnamed company';
  const name = [r.first_name, r.middle_name, r.last_name, r.suffix]
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
  return name || r.company_name || 'Unnamed contact';
}

function toSummary(r: ContactRow): ContactSummary {
  return {
    contactId: r.contact_id,
    name: displayName(r),
    isCompany: r.is_company === 1,
    company: r.is_company === 1 ? null : r.company_name || null,
    emails: JSON.parse(r.emails_json) as string[],
    removed: r.removed === 1,
  };
}

const SUMMARY_COLUMNS = `contact_id, is_company, first_name, middle_name, last_name, suffix, company_name,
  emails_json, last_update, removed`;

export function contactSummaries(
  db: Db,
  contactIds: Iterable<string>,
): Map<string, ContactSummary> {
  const out = new Map<string, ContactSummary>();
  const ids = [...new Set(contactIds)];
  const CHUNK = 500;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM contacts WHERE contact_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as ContactRow[];
    for (const r of rows) out.set(r.contact_id, toSummary(r));
  }
  return out;
}

export function contactExists(db: Db, contactId: string): ContactSummary | null {
  return contactSummaries(db, [contactId]).get(contactId) ?? null;
}

/**
 * Contacts whose name, company or any address contains every word of `query` (case and accents
 * ignored), best first: a word that starts the last or first name ranks above one found inside.
 */
export function searchContacts(db: Db, query: string, limit: number): ContactSummary[] {
  const words = foldForSearch(query).split(' ').filter(Boolean).slice(0, 6);
  if (words.length === 0) return [];
  const params: Record<string, string | number> = {};
  const clauses = words.map((word, i) => {
    params[`w${i}`] = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return `search_text LIKE @w${i} ESCAPE '\\'`;
  });
  const rows = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM contacts WHERE removed = 0 AND ${clauses.join(' AND ')}
       ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, contact_id LIMIT 500`,
    )
    .all(params) as ContactRow[];
  const rank = (r: ContactRow): number => {
    const names = [r.first_name, r.last_name, r.company_name].map(foldForSearch);
    let score = 0;
    for (const word of words) {
      if (names.some((n) => n === word)) score += 3;
      else if (names.some((n) => n.startsWith(word))) score += 2;
    }
    return score;
  };
  return rows
    .map((r) => ({ r, score: rank(r) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ r }) => toSummary(r));
}
