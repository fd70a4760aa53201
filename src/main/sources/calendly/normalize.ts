// Calendly scheduled event + its invitees → NormalizedBooking. A reschedule is a cancelled event
// plus a new one, linked through the invitees' old_invitee / new_invitee URIs.
import type { BookingStatus } from '../../../shared/domain';
import { minutesBetween, nonEmpty, toUtcIso } from '../parse';
import type { NormalizedAttendee, NormalizedBooking } from '../types';
import type { CalendlyEvent, CalendlyInvitee } from './schemas';

export type EventTypeInfo = Readonly<{ slug: string | null; name: string | null }>;

/** The event URI an invitee URI belongs to: …/scheduled_events/<uuid>/invitees/<id> → …/scheduled_events/<uuid>. */
export function eventUriOfInvitee(inviteeUri: string): string | null {
  const match = /^(.*\/scheduled_events\/[^/]+)\/invitees\/[^/]+\/?$/.exec(inviteeUri);
  return match ? match[1]! : null;
}

export function calendlyChangeKey(event: CalendlyEvent): string {
  const c = event.invitees_counter;
  return `${event.updated_at ?? ''}|${event.status}|${c?.total ?? ''}|${c?.active ?? ''}`;
}

function statusOf(event: CalendlyEvent, invitees: readonly CalendlyInvitee[]): BookingStatus {
  if (event.status === 'canceled') return 'cancelled';
  const active = invitees.filter((i) => i.status === 'active');
  if (active.length > 0 && active.every((i) => i.no_show)) return 'no_show';
  return 'scheduled';
}

export function normalizeCalendlyEvent(
  event: CalendlyEvent,
  invitees: readonly CalendlyInvitee[],
  eventType: EventTypeInfo | null,
): NormalizedBooking {
  const startUtc = toUtcIso(event.start_time);
  const endUtc = toUtcIso(event.end_time);
  const attendees: NormalizedAttendee[] = invitees.map((i) => ({
    email: nonEmpty(i.email),
    name: nonEmpty(i.name),
    role: 'attendee',
    timeZone: nonEmpty(i.timezone),
    noShow: !!i.no_show,
    cancelled: i.status === 'canceled',
    sourceRef: i.uri,
  }));
  const known = new Set(attendees.map((a) => a.email?.toLowerCase()).filter(Boolean));
  for (const guest of event.event_guests) {
    const email = nonEmpty(guest.email);
    if (!email || known.has(email.toLowerCase())) continue;
    known.add(email.toLowerCase());
    attendees.push({
      email,
      name: null,
      role: 'guest',
      timeZone: null,
      noShow: false,
      cancelled: false,
      sourceRef: null,
    });
  }
  const firstWithAnswers = invitees.find((i) => (i.questions_and_answers?.length ?? 0) > 0);
  const from =
    invitees.map((i) => (i.old_invitee ? eventUriOfInvitee(i.old_invitee) : null)).find(Boolean) ??
    null;
  const to =
    invitees.map((i) => (i.new_invitee ? eventUriOfInvitee(i.new_invitee) : null)).find(Boolean) ??
    null;
  const reason =
    event.cancellation?.reason ??
    invitees.find((i) => i.cancellation?.reason)?.cancellation?.reason;
  return {
    source: 'calendly',
    sourceId: event.uri,
    sourceAltId: null,
    title: nonEmpty(event.name) ?? nonEmpty(eventType?.name) ?? 'Calendly meeting',
    eventTypeSlug: eventType?.slug ?? null,
    eventTypeName: nonEmpty(eventType?.name) ?? nonEmpty(event.name),
    startUtc,
    endUtc,
    timeZone: nonEmpty(invitees[0]?.timezone),
    durationMinutes: minutesBetween(startUtc, endUtc),
    status: statusOf(event, invitees),
    location:
      nonEmpty(event.location?.join_url) ??
      nonEmpty(event.location?.location) ??
      nonEmpty(event.location?.type),
    hosts: event.event_memberships.map((m) => ({
      email: nonEmpty(m.user_email),
      name: nonEmpty(m.user_name),
    })),
    attendees,
    customAnswers: (firstWithAnswers?.questions_and_answers ?? [])
      .filter((qa) => nonEmpty(qa.answer))
      .map((qa) => ({ question: qa.question, answer: qa.answer!.trim() })),
    cancellationReason: nonEmpty(reason),
    rescheduledFromId: from,
    rescheduledToId: to,
    sourceCreatedAt: event.created_at ? toUtcIso(event.created_at) : null,
    sourceUpdatedAt: event.updated_at ? toUtcIso(event.updated_at) : null,
    changeKey: calendlyChangeKey(event),
    raw: { event, invitees },
  };
}
