// Reads what the planner needs from the store: current meetings with their reschedule chains,
// matched contacts and category; contacts; the ledger of what Cadence wrote; pending contact
// requests. One read transaction, so a sync committing a page cannot leave the plan half old.
import type { Settings } from '../../shared/settings';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { readTransaction } from '../db/transactions';
import { isHeldMeeting } from '../metrics/review-dates';
import { defaultReviewFacts, type ReviewFactsProvider } from './review-facts';
import type {
  ContactRequest,
  FieldMap,
  LedgerRecord,
  Meeting,
  PlanContact,
  PlanInputs,
  PushedField,
} from './types';

function tableExists(db: Db, name: string): boolean {
  return (
    stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

type BookingRow = {
  id: number;
  source: Meeting['source'];
  source_id: string;
  title: string;
  event_type_name: string | null;
  event_type_slug: string | null;
  start_utc: string;
  end_utc: string;
  time_zone: string | null;
  location: string | null;
  duration_minutes: number;
  status: Parameters<typeof isHeldMeeting>[0]['status'];
  category: string | null;
};

/** "annual-review" → "Annual review", for sources that give an event type's slug only. */
function humanizeSlug(slug: string | null): string | null {
  const words = slug?.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : null;
}

type AttendeeRow = {
  booking_id: number;
  no_show: number;
  cancelled: number;
  contact_id: string | null;
};

/** Each current booking's reschedule chain, oldest first, by walking superseded_by backwards. */
function chains(db: Db): Map<number, string[]> {
  const rows = stmt(
    db,
    'SELECT id, source_id, superseded_by FROM bookings WHERE superseded_by IS NOT NULL',
  ).all() as { id: number; source_id: string; superseded_by: number }[];
  const previous = new Map<number, { id: number; sourceId: string }[]>();
  for (const row of rows) {
    const list = previous.get(row.superseded_by) ?? [];
    list.push({ id: row.id, sourceId: row.source_id });
    previous.set(row.superseded_by, list);
  }
  const out = new Map<number, string[]>();
  const oldestFirst = (id: number, seen: Set<number>): string[] => {
    const earlier = (previous.get(id) ?? []).filter((p) => !seen.has(p.id));
    const ids: string[] = [];
    for (const p of earlier.sort((a, b) => a.id - b.id)) {
      seen.add(p.id);
      ids.push(...oldestFirst(p.id, seen), p.sourceId);
    }
    return ids;
  };
  for (const head of previous.keys()) out.set(head, oldestFirst(head, new Set([head])));
  return out;
}

export function readMeetings(db: Db, now: Date): Meeting[] {
  const withCategory = tableExists(db, 'booking_classifications');
  const bookings = stmt(
    db,
    `SELECT b.id, b.source, b.source_id, b.title, b.event_type_name, b.event_type_slug, b.start_utc,
            b.end_utc, b.time_zone, b.location, b.duration_minutes, b.status,
            ${withCategory ? 'c.effective_category' : 'NULL'} AS category
       FROM bookings b
       ${withCategory ? 'LEFT JOIN booking_classifications c ON c.booking_id = b.id' : ''}
      WHERE b.superseded_by IS NULL
      ORDER BY b.start_utc, b.id`,
  ).all() as BookingRow[];
  const attendees = stmt(
    db,
    `SELECT a.booking_id, a.no_show, a.cancelled,
            CASE WHEN m.state IN ('auto', 'confirmed') AND c.removed = 0 THEN m.contact_id END AS contact_id
       FROM attendees a
       JOIN bookings b ON b.id = a.booking_id AND b.superseded_by IS NULL
       LEFT JOIN matches m ON m.attendee_id = a.id
       LEFT JOIN contacts c ON c.contact_id = m.contact_id
      ORDER BY a.booking_id, a.position`,
  ).all() as AttendeeRow[];
  const byBooking = new Map<number, AttendeeRow[]>();
  for (const row of attendees) {
    const list = byBooking.get(row.booking_id) ?? [];
    list.push(row);
    byBooking.set(row.booking_id, list);
  }
  const chainOf = chains(db);
  const nowIso = now.toISOString();
  return bookings.map((b) => {
    const people = byBooking.get(b.id) ?? [];
    const contactIds: string[] = [];
    for (const p of people)
      if (p.contact_id !== null && !contactIds.includes(p.contact_id))
        contactIds.push(p.contact_id);
    const held = isHeldMeeting(
      {
        status: b.status,
        startUtc: b.start_utc,
        endUtc: b.end_utc,
        attendees: people.map((p) => ({ noShow: p.no_show === 1, cancelled: p.cancelled === 1 })),
      },
      nowIso,
    );
    return {
      bookingId: b.id,
      source: b.source,
      sourceId: b.source_id,
      chainSourceIds: [...(chainOf.get(b.id) ?? []), b.source_id],
      title: b.title,
      eventTypeName: b.event_type_name?.trim() || humanizeSlug(b.event_type_slug),
      startUtc: b.start_utc,
      endUtc: b.end_utc,
      timeZone: b.time_zone,
      location: b.location,
      durationMinutes: b.duration_minutes,
      held,
      isReview: b.category === 'portfolio_review',
      contactIds,
    };
  });
}

type ContactRow = {
  contact_id: string;
  is_company: number;
  first_name: string;
  middle_name: string;
  last_name: string;
  company_name: string;
  custom_fields_json: string;
  last_seen_at: string;
  removed: number;
};

export function contactName(
  row: Pick<ContactRow, 'is_company' | 'first_name' | 'middle_name' | 'last_name' | 'company_name'>,
): string {
  if (row.is_company === 1) return row.company_name || 'Unnamed company';
  const name = [row.first_name, row.middle_name, row.last_name]
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' ');
  return name || row.company_name || 'Unnamed contact';
}

export function readContacts(db: Db): Map<string, PlanContact> {
  const rows = stmt(
    db,
    `SELECT contact_id, is_company, first_name, middle_name, last_name, company_name,
            custom_fields_json, last_seen_at, removed FROM contacts`,
  ).all() as ContactRow[];
  const out = new Map<string, PlanContact>();
  for (const row of rows)
    out.set(row.contact_id, {
      contactId: row.contact_id,
      name: contactName(row),
      firstName: row.first_name,
      lastName: row.last_name,
      removed: row.removed === 1,
      customFields: parseJson<FieldMap>(row.custom_fields_json, {}),
      lastSeenAt: row.last_seen_at,
    });
  return out;
}

export function readRecords(db: Db): Map<string, LedgerRecord> {
  const rows = stmt(
    db,
    'SELECT record_key, record_type, lacrm_id, contact_id, written_json, deleted_at FROM lacrm_records',
  ).all() as {
    record_key: string;
    record_type: LedgerRecord['recordType'];
    lacrm_id: string;
    contact_id: string | null;
    written_json: string;
    deleted_at: string | null;
  }[];
  return new Map(
    rows.map((r) => [
      r.record_key,
      {
        recordKey: r.record_key,
        recordType: r.record_type,
        lacrmId: r.lacrm_id,
        contactId: r.contact_id,
        written: parseJson<FieldMap>(r.written_json, {}),
        deleted: r.deleted_at !== null,
      },
    ]),
  );
}

export function readPushedFields(db: Db): Map<string, Map<string, PushedField>> {
  const rows = stmt(
    db,
    'SELECT contact_id, field, value_json, pushed_at FROM pushed_fields',
  ).all() as { contact_id: string; field: string; value_json: string; pushed_at: string }[];
  const out = new Map<string, Map<string, PushedField>>();
  for (const row of rows) {
    const fields = out.get(row.contact_id) ?? new Map<string, PushedField>();
    fields.set(row.field, { value: parseJson(row.value_json, null), pushedAt: row.pushed_at });
    out.set(row.contact_id, fields);
  }
  return out;
}

function readRequests(db: Db): ContactRequest[] {
  return (
    stmt(
      db,
      `SELECT id, first_name, last_name, email, email_key FROM contact_requests
        WHERE state IN ('pending', 'proposed') ORDER BY id`,
    ).all() as {
      id: number;
      first_name: string;
      last_name: string;
      email: string | null;
      email_key: string | null;
    }[]
  ).map((r) => ({
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    emailKey: r.email_key,
  }));
}

function existingEmailKeys(db: Db, requests: readonly ContactRequest[]): Set<string> {
  const found = new Set<string>();
  const lookup = stmt(
    db,
    `SELECT 1 FROM contact_emails e JOIN contacts c ON c.contact_id = e.contact_id
      WHERE e.email_key = ? AND c.removed = 0 LIMIT 1`,
  );
  for (const r of requests)
    if (r.emailKey !== null && lookup.get(r.emailKey) !== undefined) found.add(r.emailKey);
  return found;
}

export type GatherOptions = Readonly<{
  now: Date;
  settings: Settings;
  profileTag: string;
  facts?: ReviewFactsProvider;
}>;

export function gatherPlanInputs(db: Db, options: GatherOptions): PlanInputs {
  return readTransaction(db, (): PlanInputs => {
    const { settings, now } = options;
    const meetings = readMeetings(db, now);
    const requests = readRequests(db);
    const records = readRecords(db);
    const knownKeys = new Set<string>(records.keys());
    for (const key of stmt(
      db,
      "SELECT DISTINCT change_key FROM changes WHERE change_key LIKE 'event:%'",
    )
      .pluck()
      .all() as string[])
      knownKeys.add(key);
    const facts = (options.facts ?? defaultReviewFacts)({ db, now, settings });
    return {
      now,
      settings: {
        notesEnabled: settings['lacrm.notes.enabled'],
        noteTemplate: settings['lacrm.notes.template'],
        fields: {
          lastReview: settings['lacrm.fields.lastReview'],
          nextReviewDue: settings['lacrm.fields.nextReviewDue'],
          meetings12m: settings['lacrm.fields.meetings12m'],
        },
        zone: settings['review.timezone'],
      },
      meetings,
      contacts: readContacts(db),
      facts,
      records,
      pushedFields: readPushedFields(db),
      requests,
      existingEmailKeys: existingEmailKeys(db, requests),
      knownKeys,
      profileTag: options.profileTag,
    };
  });
}
