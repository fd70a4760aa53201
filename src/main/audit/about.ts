// Whom and what an audit entry concerns, looked up when the log is listed so the Audit screen can
// say "Jane Doe · Annual review, Mar 3" instead of "match_decision 2". The log itself keeps ids
// only (it is handed to examiners, and it is hash-chained: nothing here is stored or exported).
// Names are read as they are today; a contact renamed or a booking gone since reads as such.
import type { AuditAbout } from '../../shared/contract-changes';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { contactName } from '../plan/gather';
import type { AuditEntry } from './audit-log';

type ContactRow = {
  is_company: number;
  first_name: string;
  middle_name: string;
  last_name: string;
  company_name: string;
};
type BookingRow = { title: string; start_utc: string };

/** One lookup per record per listing: a page of 100 entries often names the same contact often. */
class Lookups {
  private readonly contacts = new Map<string, string | null>();
  private readonly bookings = new Map<number, BookingRow | null>();

  constructor(private readonly db: Db) {}

  contactName(contactId: string): string | null {
    if (!this.contacts.has(contactId)) {
      const row = stmt(
        this.db,
        'SELECT is_company, first_name, middle_name, last_name, company_name FROM contacts WHERE contact_id = ?',
      ).get(contactId) as ContactRow | undefined;
      this.contacts.set(contactId, row ? contactName(row) : null);
    }
    return this.contacts.get(contactId) ?? null;
  }

  booking(bookingId: number): BookingRow | null {
    if (!this.bookings.has(bookingId)) {
      const row = stmt(this.db, 'SELECT title, start_utc FROM bookings WHERE id = ?').get(
        bookingId,
      ) as BookingRow | undefined;
      this.bookings.set(bookingId, row ?? null);
    }
    return this.bookings.get(bookingId) ?? null;
  }

  bookingBySource(ref: string): number | null {
    // Push entries name the booking as `source:sourceId` (a Calendly id is itself a URL).
    const colon = ref.indexOf(':');
    if (colon <= 0) return null;
    const id = stmt(this.db, 'SELECT id FROM bookings WHERE source = ? AND source_id = ?')
      .pluck()
      .get(ref.slice(0, colon), ref.slice(colon + 1)) as number | undefined;
    return id ?? null;
  }

  change(changeId: number) {
    return stmt(
      this.db,
      'SELECT contact_id, booking_id, booking_source, booking_source_id, summary FROM changes WHERE id = ?',
    ).get(changeId) as
      | {
          contact_id: string | null;
          booking_id: number | null;
          booking_source: string | null;
          booking_source_id: string | null;
          summary: string;
        }
      | undefined;
  }

  decision(decisionId: number) {
    return stmt(
      this.db,
      'SELECT action, contact_id, attendee_id FROM match_decisions WHERE id = ?',
    ).get(decisionId) as
      { action: string; contact_id: string | null; attendee_id: number | null } | undefined;
  }

  attendee(attendeeId: number) {
    return stmt(this.db, 'SELECT booking_id, name FROM attendees WHERE id = ?').get(attendeeId) as
      { booking_id: number; name: string | null } | undefined;
  }
}

function positiveInt(text: string | null): number | null {
  if (text === null || !/^[1-9]\d{0,15}$/.test(text)) return null;
  return Number(text);
}

function about(lookups: Lookups, entry: AuditEntry): AuditAbout {
  const detail = entry.detail ?? {};
  let contactId = typeof detail.contactId === 'string' ? detail.contactId : null;
  let attendeeId = typeof detail.attendeeId === 'number' ? detail.attendeeId : null;
  let bookingId: number | null = null;
  let bookingRef = typeof detail.booking === 'string' ? detail.booking : null;
  let changeSummary: string | null = null;
  let undoneDecision: string | null = null;

  const subjectNumber = positiveInt(entry.subjectId);
  switch (entry.subjectType) {
    case 'change': {
      const change = subjectNumber === null ? undefined : lookups.change(subjectNumber);
      if (change) {
        contactId ??= change.contact_id;
        bookingId = change.booking_id;
        if (change.booking_source && change.booking_source_id)
          bookingRef ??= `${change.booking_source}:${change.booking_source_id}`;
        changeSummary = change.summary;
      }
      break;
    }
    case 'match_decision': {
      const decision = subjectNumber === null ? undefined : lookups.decision(subjectNumber);
      if (decision) {
        contactId ??= decision.contact_id;
        attendeeId ??= decision.attendee_id;
        if (entry.action === 'match.undo') undoneDecision = decision.action;
      }
      break;
    }
    case 'booking':
      bookingId = subjectNumber;
      break;
    case 'contact':
      contactId ??= entry.subjectId;
      break;
    default:
      break;
  }

  let attendeeName: string | null = null;
  if (attendeeId !== null) {
    const attendee = lookups.attendee(attendeeId);
    if (attendee) {
      attendeeName = attendee.name;
      bookingId ??= attendee.booking_id;
    }
  }
  if (bookingId === null && bookingRef !== null) bookingId = lookups.bookingBySource(bookingRef);
  const meeting = bookingId === null ? null : lookups.booking(bookingId);

  return {
    contactId,
    contactName: contactId === null ? null : lookups.contactName(contactId),
    attendeeName,
    meetingTitle: meeting?.title ?? null,
    meetingStart: meeting?.start_utc ?? null,
    changeSummary,
    undoneDecision,
  };
}

/** The `about` of each entry, in the same order. Call inside one read (the listing's). */
export function auditAbout(db: Db, entries: readonly AuditEntry[]): AuditAbout[] {
  const lookups = new Lookups(db);
  return entries.map((entry) => about(lookups, entry));
}
