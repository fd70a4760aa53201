// The one Booking + Attendee model every scheduler is normalized into (DESIGN.md, "Domain model").
// Connectors produce NormalizedBooking; the sync engine stores it; nothing downstream knows which
// API a booking came from except through `source`.
import type { BookingSource, BookingStatus } from '../../shared/domain';

export type NormalizedPerson = Readonly<{
  /** As the service gave it (trimmed); null when the service gave none. */
  email: string | null;
  name: string | null;
}>;

export type NormalizedAttendee = NormalizedPerson &
  Readonly<{
    /** 'attendee' booked or was invited through the booking form; 'guest' was added by an attendee. */
    role: 'attendee' | 'guest';
    timeZone: string | null;
    noShow: boolean;
    /** Whether this person is still on the booking (a Calendly invitee can cancel alone). */
    cancelled: boolean;
    /** The service's own id for this attendee, if any (a Calendly invitee URI). */
    sourceRef: string | null;
  }>;

export type CustomAnswer = Readonly<{ question: string; answer: string }>;

export type NormalizedBooking = Readonly<{
  source: BookingSource;
  /** Stable id at the source: Cal.com uid, Calendly event URI, TidyCal id (as a string). */
  sourceId: string;
  /** A secondary id some services have (Cal.com's numeric id). */
  sourceAltId: string | null;
  title: string;
  eventTypeSlug: string | null;
  eventTypeName: string | null;
  /** ISO 8601 UTC with milliseconds, e.g. 2026-10-05T09:00:00.000Z. */
  startUtc: string;
  endUtc: string;
  /** IANA zone the booking was made in (the attendee's or host's), if known. */
  timeZone: string | null;
  durationMinutes: number;
  /**
   * Stored status. A held meeting stays 'scheduled' here; 'completed' is derived when read
   * (scheduled and already ended), so a re-sync of an unchanged booking changes nothing.
   */
  status: BookingStatus;
  location: string | null;
  hosts: readonly NormalizedPerson[];
  attendees: readonly NormalizedAttendee[];
  customAnswers: readonly CustomAnswer[];
  cancellationReason: string | null;
  /** sourceId of the booking this one replaced (a reschedule), if the source says so. */
  rescheduledFromId: string | null;
  /** sourceId of the booking that replaced this one, if the source says so. */
  rescheduledToId: string | null;
  sourceCreatedAt: string | null;
  sourceUpdatedAt: string | null;
  /**
   * What a connector compares to tell, without fetching details, whether the booking changed
   * (Calendly: updated_at and the invitee counter). Null when the connector always has details.
   */
  changeKey: string | null;
  /** The payload as received, kept for lineage and support. */
  raw: unknown;
}>;
