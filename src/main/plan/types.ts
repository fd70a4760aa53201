// The change plan's vocabulary: the facts the planner reads (meetings with their matched contacts,
// contacts with their custom fields, what Cadence already wrote to LACRM) and the changes it wants.
// Plain data, so the planner itself (./desired.ts) is a pure function tested without a database.
import type { ChangeKind } from '../../shared/contract-changes';
import type { BookingSource } from '../../shared/domain';

/** A value as LACRM holds it: text (dates as yyyy-mm-dd or ISO with offset), a number, a list. */
export type FieldValue = string | number | boolean | readonly string[] | null;
export type FieldMap = Readonly<Record<string, FieldValue>>;

/** One meeting: the current booking of a reschedule chain, with what the plan needs of it. */
export type Meeting = Readonly<{
  /** Row id of the current booking (the head of its reschedule chain). */
  bookingId: number;
  source: BookingSource;
  /** The current booking's id at its source. */
  sourceId: string;
  /**
   * Source ids of the chain, oldest first (the current one last). The change key and marker use
   * the oldest, so a reschedule keeps the event it already has in LACRM.
   */
  chainSourceIds: readonly string[];
  title: string;
  eventTypeName: string | null;
  startUtc: string;
  endUtc: string;
  /** IANA zone of the booking; the plan falls back to the advisor's zone. */
  timeZone: string | null;
  location: string | null;
  durationMinutes: number;
  /** Held: not cancelled, pending, rejected or a no-show, ended, and someone came. */
  held: boolean;
  /** Classified as a portfolio review (the effective category, overrides included). */
  isReview: boolean;
  /** Matched, live contacts of its attendees, in attendee order, each once. */
  contactIds: readonly string[];
}>;

export type PlanContact = Readonly<{
  contactId: string;
  name: string;
  firstName: string;
  lastName: string;
  removed: boolean;
  /** Custom fields by label as the last contact refresh stored them. */
  customFields: FieldMap;
  /** When the contact refresh last saw the record (ISO). */
  lastSeenAt: string;
}>;

/** A record Cadence created in LACRM and what it last wrote to it. */
export type LedgerRecord = Readonly<{
  recordKey: string;
  recordType: 'event' | 'note' | 'contact';
  lacrmId: string;
  contactId: string | null;
  written: FieldMap;
  deleted: boolean;
}>;

export type PushedField = Readonly<{ value: FieldValue; pushedAt: string }>;

export type ContactRequest = Readonly<{
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  emailKey: string | null;
}>;

/** Review facts per contact (see ./review-facts.ts). */
export type ContactFacts = Readonly<{
  /** Local date (advisor's zone) of the latest held portfolio review. */
  lastReview: string | null;
  nextReviewDue: string | null;
  /** Held meetings in the twelve months before now. */
  meetings12m: number;
}>;

export type FieldMapping = Readonly<{
  lastReview: string;
  nextReviewDue: string;
  meetings12m: string;
}>;

export type PlanSettings = Readonly<{
  notesEnabled: boolean;
  noteTemplate: string;
  fields: FieldMapping;
  /** The advisor's zone: dates of reviews, and events whose booking has no zone. */
  zone: string;
}>;

export type PlanInputs = Readonly<{
  now: Date;
  settings: PlanSettings;
  meetings: readonly Meeting[];
  contacts: ReadonlyMap<string, PlanContact>;
  facts: ReadonlyMap<string, ContactFacts>;
  records: ReadonlyMap<string, LedgerRecord>;
  pushedFields: ReadonlyMap<string, ReadonlyMap<string, PushedField>>;
  requests: readonly ContactRequest[];
  /** Of the requests' addresses, those a live contact has by now. */
  existingEmailKeys: ReadonlySet<string>;
  /** Keys (e.g. `event:calcom:abc`) that already have a change or a record, to keep a chain's key. */
  knownKeys: ReadonlySet<string>;
  /** Distinguishes this data folder's markers for contacts it asked to create. */
  profileTag: string;
}>;

/** A write the plan wants to exist (as an open change) right now. */
export type DesiredChange = Readonly<{
  key: string;
  recordKey: string;
  kind: ChangeKind;
  contactId: string | null;
  bookingId: number | null;
  bookingSource: BookingSource | null;
  bookingSourceId: string | null;
  requestId: number | null;
  targetId: string | null;
  marker: string | null;
  summary: string;
  before: FieldMap;
  after: FieldMap;
}>;

/** Key namespaces the planner owns: open changes under them that it no longer wants are withdrawn. */
export const PLANNED_KEY_PREFIXES = ['event:', 'note:', 'fields:', 'contact:'] as const;
