// The vocabulary shared by the webhook receiver, hint processing and delivery health: which
// services can call us, what became of each request, and the hint a genuine delivery turns into.
import type { BookingSource } from '../../shared/domain';

/** The schedulers that send webhooks (TidyCal has none: calendly-tidycal.md §B4). */
export const webhookSources = ['calcom', 'calendly'] as const satisfies readonly BookingSource[];
export type WebhookSource = (typeof webhookSources)[number];

/**
 * What became of one request to a webhook route.
 * - accepted: signed, well formed, names a booking; a re-fetch was scheduled (202).
 * - duplicate: a replay of an accepted delivery; nothing scheduled (200).
 * - ignored: signed and well formed but about something other than a booking (200).
 * - rejected_signature: missing, wrong, stale or future-dated signature, or no secret set (401).
 * - malformed: not JSON, or not the documented shape (400).
 * - too_large: the body passed the size cap (413).
 * - timed_out: the body did not arrive in time (408).
 * - error: the receiver itself failed, e.g. the keychain could not be read (500).
 */
export const deliveryOutcomes = [
  'accepted',
  'duplicate',
  'ignored',
  'rejected_signature',
  'malformed',
  'too_large',
  'timed_out',
  'error',
] as const;
export type DeliveryOutcome = (typeof deliveryOutcomes)[number];

/** Outcomes of a request that really came from the service (its signature checked out). */
export const genuineOutcomes: readonly DeliveryOutcome[] = ['accepted', 'duplicate', 'ignored'];

/** A verified delivery reduced to what Cadence acts on: which bookings to re-fetch. */
export type WebhookHint = Readonly<{
  /** Assigned by the receiver; the same id is on the delivery's DeliveryReport. */
  deliveryId: string;
  source: WebhookSource;
  /** The service's own trigger name, e.g. BOOKING_RESCHEDULED or invitee.canceled. */
  trigger: string;
  receivedAt: string;
  /**
   * Booking ids at the source, primary first: a Cal.com uid (then rescheduleUid), or a Calendly
   * scheduled-event URI (then the events of old_invitee / new_invitee). Never empty.
   */
  sourceIds: readonly string[];
}>;

/** One line of the delivery log: safe to log and to store (no body, no header values, no PII). */
export type DeliveryReport = Readonly<{
  deliveryId: string;
  source: WebhookSource;
  receivedAt: string;
  outcome: DeliveryOutcome;
  /** The HTTP status we answered with. */
  status: number;
  trigger: string | null;
  sourceIds: readonly string[];
  /** Why the request was refused, in words fit for a log; null when accepted. */
  reason: string | null;
}>;
