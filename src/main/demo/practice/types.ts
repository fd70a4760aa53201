// The shapes a generated practice comes in: the advisor, LACRM contacts, per-source data in each
// API's own shapes (ready for the simulators), and the ground truth that lets tests and the demo
// measure matching and classification. Re-exported by ../practice.ts.
import type { BookingSource } from '../../../shared/domain';
import type { LacrmContact, LacrmUser } from '../../crm/lacrm/types';
import type { CalcomSimData } from '../sim/calcom';
import type { CalendlySimData } from '../sim/calendly';
import type { TidyCalSimData } from '../sim/tidycal';

export type PracticeOptions = Readonly<{
  /** Same seed and options → the same practice (default 1). */
  seed?: number;
  /** The instant the practice's history ends around (default 2026-11-20T15:00:00Z, fixed so a
   * seed stays reproducible). Meetings run up to ~6 weeks after it. */
  now?: string | number | Date;
  /** Clients (people the advisor reviews). Default 150, or 80% of `contacts` when that is set. */
  clients?: number;
  /** People in the CRM, clients included (non-clients: prospects, professionals, family). */
  contacts?: number;
  /** Booking records across the three sources (a reschedule on Cal.com/Calendly is two). When
   * unset, the natural count for the clients and years. */
  bookings?: number;
  /** Years of history before `now` (default 2). */
  years?: number;
}>;

export type PracticeAdvisor = Readonly<{
  firstName: string;
  lastName: string;
  name: string;
  company: string;
  timeZone: string;
  /** The advisor's own address on each service; all of them are hosts, never attendees to match. */
  emails: Readonly<{
    calcom: string;
    calendly: string;
    tidycal: string;
    lacrm: string;
    all: readonly string[];
  }>;
}>;

/** A custom field the practice's CRM has, in the shape the LACRM simulator takes. */
export type PracticeCustomField = Readonly<{
  name: string;
  type: 'Date' | 'Dropdown' | 'Text' | 'Number';
  options?: readonly string[];
}>;

/** How the name on a booking differs from the CRM record (empty: exactly as in the CRM). */
export const nameVariants = [
  'nickname',
  'typo',
  'accents_dropped',
  'initial',
  'surname_changed',
  'hyphen_part',
  'case_noise',
  'whitespace_noise',
  'no_name',
  /** TidyCal: another person's name, the one this (shared) address was first booked under. */
  'shared_contact_name',
] as const;
export type NameVariant = (typeof nameVariants)[number];

/** Which address the attendee used, relative to their CRM record. */
export const emailVariants = [
  'crm_work',
  'crm_personal',
  'shared_family',
  'plus_address',
  'gmail_dots',
  'case_noise',
  'unlisted_personal',
  'not_in_crm',
  'advisor_own',
] as const;
export type EmailVariant = (typeof emailVariants)[number];

export type PersonKind = 'client' | 'crm_non_client' | 'prospect' | 'spouse_not_in_crm' | 'advisor';

/** Who an attendee on a booking really is. */
export type AttendeeTruth = Readonly<{
  source: BookingSource;
  /** The booking's id as NormalizedBooking.sourceId has it: Cal.com uid, Calendly event URI,
   * TidyCal id as a string. */
  bookingId: string;
  /** Exactly as the service shows it. */
  email: string;
  name: string | null;
  role: 'attendee' | 'guest';
  /** The Calendly invitee URI, when there is one. */
  sourceRef: string | null;
  /** The LACRM ContactId this person is, or null when they are not in the CRM. */
  contactId: string | null;
  /** A stable id for the person across bookings and sources. */
  personId: string;
  kind: PersonKind;
  nameVariants: readonly NameVariant[];
  emailVariant: EmailVariant;
}>;

export type MeetingKind =
  | 'portfolio_review'
  | 'annual_review'
  | 'quarterly_review'
  | 'intro_call'
  | 'check_in'
  | 'tax_planning'
  | 'estate_planning'
  | 'insurance_review'
  | 'retirement_planning'
  | 'webinar'
  | 'external';

export type MeetingCategory = 'portfolio_review' | 'general';

/** What happened, as far as the source can say it (TidyCal cannot record a no-show, etc.). */
export type MeetingOutcome =
  | 'completed'
  | 'upcoming'
  | 'cancelled'
  | 'no_show'
  | 'rejected'
  | 'pending'
  | 'expired_pending'
  | 'awaiting_host';

/** One real-world meeting, which may be several booking records (a reschedule chain). */
export type MeetingTruth = Readonly<{
  meetingId: string;
  source: BookingSource;
  /** Every record of the meeting, oldest first; the last is where it finally stands. */
  bookingIds: readonly string[];
  kind: MeetingKind;
  category: MeetingCategory;
  eventTypeSlug: string | null;
  title: string;
  /** Where the meeting finally is (UTC ISO). */
  start: string;
  end: string;
  outcome: MeetingOutcome;
  /** 'new_booking': Cal.com/Calendly chain; 'in_place': TidyCal moved the same booking. */
  rescheduled: 'no' | 'new_booking' | 'in_place';
  /** The CRM contacts this meeting was with (attendees and guests who are in the CRM). */
  contactIds: readonly string[];
  /** Part of a Cal.com recurring series. */
  recurringSeriesUid: string | null;
}>;

export type PracticeStats = Readonly<{
  contacts: number;
  clients: number;
  companies: number;
  bookings: Readonly<Record<BookingSource, number> & { total: number }>;
  meetings: number;
  attendees: number;
}>;

export type Practice = Readonly<{
  seed: number;
  now: string;
  /** The span meetings were generated over (UTC ISO). */
  from: string;
  to: string;
  advisor: PracticeAdvisor;
  lacrm: Readonly<{
    user: LacrmUser;
    contacts: readonly LacrmContact[];
    customFields: readonly PracticeCustomField[];
  }>;
  calcom: CalcomSimData;
  calendly: CalendlySimData;
  tidycal: TidyCalSimData;
  truth: Readonly<{
    attendees: readonly AttendeeTruth[];
    meetings: readonly MeetingTruth[];
  }>;
  stats: PracticeStats;
}>;
