// IPC methods for contacts, matching and the review queue (merged into contract.ts). Every input is
// parsed here before a handler sees it; every output is checked on the way out.
import { z } from 'zod';
import { BookingSource, BookingStatus, MatchState } from './domain';

// The same tiny helper as contract.ts (importing it from there would be an import cycle).
function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output } as const;
}

/** The share of suggestions "bulk accept" takes by default: those scoring 90% or more. */
export const BULK_ACCEPT_MIN_SCORE = 0.9;

/** A LACRM ContactId: a long string of digits (kept as text: ~31 digits do not fit a number). */
export const ContactId = z
  .string()
  .trim()
  .regex(/^\d{1,40}$/, 'must be a LACRM contact id (digits only)');

const AttendeeId = z.number().int().positive();

export const ContactSummary = z.object({
  contactId: z.string(),
  name: z.string(),
  isCompany: z.boolean(),
  company: z.string().nullable(),
  emails: z.array(z.string()),
  /** No longer in LACRM (a full pull did not find it). */
  removed: z.boolean(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;

export const CandidateView = z.object({
  contactId: z.string(),
  /** 0..1; only exact-email and confirmed-alias matches reach 1. */
  score: z.number(),
  reason: z.string(),
  /** Null when the contact is not in the synced list any more. */
  contact: ContactSummary.nullable(),
});
export type CandidateView = z.infer<typeof CandidateView>;

export const ReviewBooking = z.object({
  id: z.number().int(),
  source: BookingSource,
  sourceId: z.string(),
  title: z.string(),
  startUtc: z.string(),
  status: BookingStatus,
});
export type ReviewBooking = z.infer<typeof ReviewBooking>;

export const ContactRequestView = z.object({
  id: z.number().int(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  createdAt: z.string(),
});
export type ContactRequestView = z.infer<typeof ContactRequestView>;

/** One thing in the review queue: an address (and the name booked under it) needing a decision. */
export const ReviewItem = z.object({
  /** Stable while the item is open: the normalized address and name. */
  key: z.string(),
  kind: z.enum(['suggested', 'unmatched', 'rejected']),
  /** The attendee a decision is made on (its address carries the decision to the others). */
  attendeeId: z.number().int(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** Current bookings (reschedules counted once) under this address and name. */
  bookingsCount: z.number().int(),
  /** The attendee's most relevant booking: the suggestion's, or the latest. */
  booking: ReviewBooking,
  score: z.number().nullable(),
  reason: z.string(),
  candidates: z.array(CandidateView),
  /** A pending "create a new LACRM contact" for this address. */
  request: ContactRequestView.nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const DecisionAction = z.enum(['confirm', 'reject', 'ignore', 'request_contact']);
export type DecisionAction = z.infer<typeof DecisionAction>;

export const DecisionView = z.object({
  id: z.number().int(),
  /** Decisions made together (a bulk accept) share it and are undone together. */
  batchId: z.number().int().nullable(),
  action: DecisionAction,
  /** The normalized address the decision is about (null for an attendee without one). */
  emailKey: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  createdAt: z.string(),
  undoneAt: z.string().nullable(),
});
export type DecisionView = z.infer<typeof DecisionView>;

export const DecisionOutcome = z.object({
  decisions: z.array(DecisionView),
  /** Attendees whose match changed (this booking and others with the same address). */
  affected: z.number().int(),
});
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;

/**
 * Bookings the matching has not gone over yet, so the review queue and the figures are not the
 * whole story: a sync cancelled before matching reached them, or a run over every booking due.
 */
export const MatchBacklog = z.object({
  /** Bookings whose attendees were never compared with the contacts since they came in or changed. */
  pending: z.number().int().min(0),
  /** The next run goes over every booking: the contacts, own addresses or app changed, or the
   * last such run was cut short. */
  everything: z.boolean(),
  /** Every booking in the store (what a run over everything goes over). */
  bookings: z.number().int().min(0),
});
export type MatchBacklog = z.infer<typeof MatchBacklog>;

export const ReviewQueue = z.object({
  items: z.array(ReviewItem),
  /** Items in the queue (items may be cut at `limit`). */
  total: z.number().int(),
  counts: z.object({
    suggested: z.number().int(),
    unmatched: z.number().int(),
    requested: z.number().int(),
  }),
  /** Suggestions a bulk accept at `bulkThreshold` would confirm. */
  bulkEligible: z.number().int(),
  bulkThreshold: z.number(),
  /** Attendees by match state, for "1,204 matched automatically". */
  states: z.record(MatchState, z.number().int()),
  contacts: z.number().int(),
  contactsSyncedAt: z.string().nullable(),
  lastDecision: DecisionView.nullable(),
  /** What matching has yet to go over (null when nothing waits; absent from older cores). */
  matchBacklog: MatchBacklog.nullable().optional(),
});
export type ReviewQueue = z.infer<typeof ReviewQueue>;

export const AttendeeMatch = z.object({
  attendeeId: z.number().int(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** Null for the advisor's own address (a host, never matched) or before the first match run. */
  state: MatchState.nullable(),
  contact: ContactSummary.nullable(),
  score: z.number().nullable(),
  reason: z.string(),
  /** Without a match (no match, or the suggestion rejected): the closest candidate, if any. */
  closest: ContactSummary.nullable(),
  /** The attendee's item in the review queue, while it waits there for the advisor. */
  reviewKey: z.string().nullable(),
});
export type AttendeeMatch = z.infer<typeof AttendeeMatch>;

const Email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');
const PersonNamePart = z.string().trim().max(100);

/**
 * Which attendee a decision is about: by its id (the review queue), or by the booking's source
 * and id at that source plus the attendee's address (the CLI).
 */
const TargetFields = {
  attendeeId: AttendeeId.optional(),
  booking: z
    .object({ source: BookingSource, sourceId: z.string().trim().min(1).max(2000) })
    .strict()
    .optional(),
  email: Email.optional(),
};

function requireTarget(
  value: { attendeeId?: number; booking?: unknown; email?: string },
  ctx: z.RefinementCtx,
): void {
  if (value.attendeeId !== undefined) {
    if (value.booking !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['booking'],
        message: 'give attendeeId or booking, not both',
      });
    return;
  }
  if (value.booking === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['attendeeId'],
      message: 'give attendeeId, or booking and email',
    });
  else if (value.email === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['email'],
      message: 'the attendee’s email is needed with booking',
    });
}

export const matchMethods = {
  /** The review queue: suggestions first by score, then orphaned attendees by bookings count. */
  'review:list': method(
    z
      .object({
        limit: z.number().int().min(1).max(2000).default(500),
        /** An item's key to list even beyond `limit` (the item a booking's link opens). */
        include: z.string().min(1).max(1000).optional(),
      })
      .strict()
      .optional()
      .default({ limit: 500 }),
    ReviewQueue,
  ),
  /** Contacts whose name, company or address contains every word of the query. */
  'contacts:search': method(
    z
      .object({
        query: z.string().trim().min(1, 'type part of a name, company or address').max(200),
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    z.array(ContactSummary),
  ),
  /** Links the attendee (and from now on its address) to a contact. */
  'matches:confirm': method(
    z
      .object({ ...TargetFields, contactId: ContactId })
      .strict()
      .superRefine(requireTarget),
    DecisionOutcome,
  ),
  /** "Not this contact": never suggested again for this address; the attendee waits to be linked. */
  'matches:reject': method(
    z.object({ attendeeId: AttendeeId, contactId: ContactId.optional() }).strict(),
    DecisionOutcome,
  ),
  /** Ignores an address from now on: by an attendee's address, or by the address itself. */
  'matches:ignore': method(
    z
      .object({ attendeeId: AttendeeId.optional(), email: Email.optional() })
      .strict()
      .refine((v) => (v.attendeeId === undefined) !== (v.email === undefined), {
        message: 'give attendeeId or email (one of them)',
        path: ['attendeeId'],
      }),
    DecisionOutcome,
  ),
  /** Asks for a new LACRM contact: recorded as an intent for the change list, not written now. */
  'matches:requestContact': method(
    z
      .object({
        attendeeId: AttendeeId,
        firstName: PersonNamePart,
        lastName: PersonNamePart,
        email: Email.optional(),
      })
      .strict()
      .refine((v) => v.firstName.length + v.lastName.length > 0, {
        message: 'a first or last name is needed',
        path: ['lastName'],
      }),
    DecisionOutcome,
  ),
  /** Undoes one decision (with its batch), or the latest one when no id is given. */
  'matches:undo': method(
    z
      .object({ decisionId: z.number().int().positive().optional() })
      .strict()
      .optional()
      .default({}),
    DecisionOutcome,
  ),
  /** Confirms every open suggestion scoring at least minScore (only those in `keys`, if given). */
  'matches:bulkAccept': method(
    z
      .object({
        minScore: z.number().min(0.6).max(1).default(BULK_ACCEPT_MIN_SCORE),
        keys: z.array(z.string().min(1).max(600)).max(5000).optional(),
      })
      .strict(),
    DecisionOutcome,
  ),
  /** Each attendee of one booking with its match, for the Bookings detail panel. */
  'matches:forBooking': method(
    z.object({ bookingId: z.number().int().positive() }).strict(),
    z.array(AttendeeMatch),
  ),
} as const;

/** How far a matching run is: bookings matched so far, of those it goes over. */
export const MatchProgress = z.object({
  done: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type MatchProgress = z.infer<typeof MatchProgress>;

/**
 * A matching run after a sync that did not finish: cancelled with the sync (between two batches;
 * what was matched is kept) or failed (`error` says why). Either way the next run picks up the
 * bookings this one did not get to. `after` (added; absent: a sync) says whether the run was a
 * sync's or the one after a booking a webhook delivered.
 */
export const MatchStopped = z.object({
  state: z.enum(['cancelled', 'failed']),
  error: z.string().nullable(),
  after: z.enum(['sync', 'webhook']).optional(),
});
export type MatchStopped = z.infer<typeof MatchStopped>;

export const matchEvents = {
  /** A matching run after a sync, after each batch (the last one has done = total). Not sent for
   * the small runs after a booking a webhook delivered. */
  'match:progress': MatchProgress,
  /** The same run, when it stopped before the end. */
  'match:stopped': MatchStopped,
} as const;
