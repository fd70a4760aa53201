// Reading a verified webhook body: which bookings it names and the key that tells a replay from a
// new delivery. Only ids are taken from a body; its booking fields (title, times, status,
// attendees) are never trusted or stored, because the hint is re-fetched from the API.
//
// Cal.com (calcom.md §5): {triggerEvent, createdAt, payload:{uid, rescheduleUid?, …}}; the
// MEETING_STARTED / MEETING_ENDED examples are flat (booking fields at the top level), and
// BOOKING_NO_SHOW_UPDATED names its booking as payload.bookingUid.
// Calendly (calendly-tidycal.md §A5): {event, created_at, created_by, payload}; for invitee.* the
// payload is the invitee (uri, event = the scheduled event's URI, old_invitee, new_invitee) with an
// embedded scheduled_event.
import { z } from 'zod';
import { describeZodError } from '../../shared/result';

export type ReadDelivery =
  | Readonly<{ kind: 'hint'; trigger: string; sourceIds: readonly string[]; dedupeKey: string }>
  | Readonly<{ kind: 'ignored'; trigger: string }>
  | Readonly<{ kind: 'malformed'; reason: string }>;

const IsoDateTime = z
  .string()
  .max(64)
  .refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO 8601 date-time');

/**
 * Parses raw bytes as JSON. Invalid UTF-8 is refused rather than replaced, so what is verified
 * is exactly what is read.
 */
export function parseJsonBody(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function malformed(error: z.ZodError): ReadDelivery {
  return { kind: 'malformed', reason: describeZodError(error, 'body') };
}

// ---------------------------------------------------------------------------------------------
// Cal.com

const CalcomUid = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a Cal.com booking uid (letters, digits, - or _)');

const CalcomBookingRef = z.looseObject({
  uid: CalcomUid.optional(),
  bookingUid: CalcomUid.optional(),
  rescheduleUid: CalcomUid.nullish(),
});

const CalcomEnvelope = z.looseObject({
  triggerEvent: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'must be a Cal.com trigger name such as BOOKING_CREATED'),
  createdAt: IsoDateTime,
  payload: CalcomBookingRef.optional(),
  // The flat MEETING_* shape carries the booking fields at the top level.
  uid: CalcomUid.optional(),
  rescheduleUid: CalcomUid.nullish(),
});

/** Triggers that are about something other than a booking: nothing to re-fetch. */
const CALCOM_NON_BOOKING_TRIGGERS: ReadonlySet<string> = new Set([
  'OOO_CREATED',
  'FORM_SUBMITTED',
  'FORM_SUBMITTED_NO_EVENT',
  'WRONG_ASSIGNMENT_REPORT',
  'DELEGATION_CREDENTIAL_ERROR',
  'ROUTING_FORM_FALLBACK_HIT',
]);

export function readCalcomDelivery(body: unknown): ReadDelivery {
  const parsed = CalcomEnvelope.safeParse(body);
  if (!parsed.success) return malformed(parsed.error);
  const envelope = parsed.data;
  const trigger = envelope.triggerEvent;
  if (CALCOM_NON_BOOKING_TRIGGERS.has(trigger)) return { kind: 'ignored', trigger };
  const ref = envelope.payload ?? envelope;
  const uid = envelope.payload
    ? (envelope.payload.uid ?? envelope.payload.bookingUid)
    : envelope.uid;
  if (uid === undefined) {
    return {
      kind: 'malformed',
      reason: envelope.payload
        ? `body.payload.uid: missing (a ${trigger} delivery names its booking)`
        : `body.payload: missing (a ${trigger} delivery names its booking)`,
    };
  }
  const sourceIds = [uid];
  if (ref.rescheduleUid && ref.rescheduleUid !== uid) sourceIds.push(ref.rescheduleUid);
  return {
    kind: 'hint',
    trigger,
    sourceIds,
    dedupeKey: JSON.stringify(['calcom', trigger, uid, envelope.createdAt]),
  };
}

// ---------------------------------------------------------------------------------------------
// Calendly

const ID = '[A-Za-z0-9_-]{1,100}';
const ORIGIN = 'https://[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?';
const EVENT_URI = new RegExp(`^${ORIGIN}/scheduled_events/${ID}$`);
const INVITEE_URI = new RegExp(`^(${ORIGIN}/scheduled_events/${ID})/invitees/${ID}$`);

const EventUri = z.string().regex(EVENT_URI, 'must be a Calendly scheduled-event URI');
const InviteeUri = z.string().regex(INVITEE_URI, 'must be a Calendly invitee URI');

/** The scheduled event an invitee URI belongs to (invitee URIs nest under their event). */
export function eventUriOfInvitee(inviteeUri: string): string | null {
  return INVITEE_URI.exec(inviteeUri)?.[1] ?? null;
}

const CalendlyInviteePayload = z.looseObject({
  uri: z.string().min(1).max(400),
  event: EventUri.optional(),
  scheduled_event: z.looseObject({ uri: EventUri }).nullish(),
  // A no-show resource names its invitee instead of being one.
  invitee: InviteeUri.optional(),
  old_invitee: InviteeUri.nullish(),
  new_invitee: InviteeUri.nullish(),
});

const CalendlyEnvelope = z.looseObject({
  event: z
    .string()
    .regex(
      /^[a-z_]{1,64}(\.[a-z_]{1,64}){1,3}$/,
      'must be a Calendly event name such as invitee.created',
    ),
  created_at: IsoDateTime,
  payload: z.looseObject({}),
});

function isInviteeEvent(name: string): boolean {
  return name.startsWith('invitee.') || name.startsWith('invitee_no_show.');
}

export function readCalendlyDelivery(body: unknown): ReadDelivery {
  const parsed = CalendlyEnvelope.safeParse(body);
  if (!parsed.success) return malformed(parsed.error);
  const trigger = parsed.data.event;
  // routing_form_submission.created, event types, recaps, contacts: not a booking to re-fetch.
  if (!isInviteeEvent(trigger)) return { kind: 'ignored', trigger };
  const payload = CalendlyInviteePayload.safeParse(parsed.data.payload);
  if (!payload.success)
    return { kind: 'malformed', reason: describeZodError(payload.error, 'body.payload') };
  const p = payload.data;
  const named = [
    p.event,
    p.scheduled_event?.uri,
    p.invitee ? eventUriOfInvitee(p.invitee) : undefined,
    eventUriOfInvitee(p.uri),
  ].filter((uri): uri is string => typeof uri === 'string');
  const primary = named[0];
  if (primary === undefined) {
    return {
      kind: 'malformed',
      reason: 'body.payload.event: missing (an invitee delivery names its scheduled event)',
    };
  }
  if (named.some((uri) => uri !== primary)) {
    return {
      kind: 'malformed',
      reason: 'body.payload: event, scheduled_event.uri and the invitee URI name different events',
    };
  }
  const sourceIds = [primary];
  for (const linked of [p.old_invitee, p.new_invitee]) {
    const eventUri = linked ? eventUriOfInvitee(linked) : null;
    if (eventUri && !sourceIds.includes(eventUri)) sourceIds.push(eventUri);
  }
  return {
    kind: 'hint',
    trigger,
    sourceIds,
    // created_at is when Calendly created the delivery, so its own retries (re-signed with a new
    // t) are recognised as the same delivery too.
    dedupeKey: JSON.stringify(['calendly', trigger, p.uri, parsed.data.created_at]),
  };
}
