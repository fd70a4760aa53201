// Cal.com v2 booking → NormalizedBooking.
import type { BookingStatus } from '../../../shared/domain';
import { minutesBetween, nonEmpty, toUtcIso } from '../parse';
import type { CustomAnswer, NormalizedAttendee, NormalizedBooking } from '../types';
import type { CalcomBooking } from './schemas';

// Form fields Cal.com itself fills in; everything else is an answer the attendee gave.
const SYSTEM_FIELDS = new Set([
  'name',
  'email',
  'guests',
  'displayEmail',
  'displayGuests',
  'location',
  'rescheduleReason',
]);

function answerText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return (
      value
        .map((v) => answerText(v) ?? '')
        .filter(Boolean)
        .join(', ') || null
    );
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('value' in v) return answerText(v.value);
    return JSON.stringify(value);
  }
  return null;
}

function statusOf(b: CalcomBooking): BookingStatus {
  switch (b.status) {
    case 'accepted': {
      const attendeesAbsent = b.attendees.length > 0 && b.attendees.every((a) => a.absent === true);
      return b.absentHost === true || attendeesAbsent ? 'no_show' : 'scheduled';
    }
    case 'pending':
    case 'awaiting_host':
      return 'pending';
    case 'cancelled':
      return 'cancelled';
    case 'rejected':
      return 'rejected';
  }
}

export function normalizeCalcomBooking(b: CalcomBooking): NormalizedBooking {
  const responses = b.bookingFieldsResponses ?? {};
  const startUtc = toUtcIso(b.start);
  const endUtc = toUtcIso(b.end);
  const attendees: NormalizedAttendee[] = b.attendees.map((a, index) => ({
    // Late-2024 responses sometimes left out the attendee email; the form answer still has it.
    email: nonEmpty(a.email) ?? (index === 0 ? answerText(responses.email) : null),
    name: nonEmpty(a.name),
    role: 'attendee',
    timeZone: nonEmpty(a.timeZone),
    noShow: a.absent === true,
    cancelled: false,
    sourceRef: null,
  }));
  const known = new Set(attendees.map((a) => a.email?.toLowerCase()).filter(Boolean));
  for (const guest of b.guests ?? []) {
    const email = nonEmpty(guest);
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
  const customAnswers: CustomAnswer[] = [];
  for (const [question, value] of Object.entries(responses)) {
    if (SYSTEM_FIELDS.has(question)) continue;
    const answer = answerText(value);
    if (answer) customAnswers.push({ question, answer });
  }
  return {
    source: 'calcom',
    sourceId: b.uid,
    sourceAltId: String(b.id),
    title: b.title,
    eventTypeSlug: nonEmpty(b.eventType?.slug),
    eventTypeName: null,
    startUtc,
    endUtc,
    timeZone: nonEmpty(b.attendees[0]?.timeZone) ?? nonEmpty(b.hosts[0]?.timeZone),
    durationMinutes: b.duration ?? minutesBetween(startUtc, endUtc),
    status: statusOf(b),
    location: nonEmpty(b.location),
    hosts: b.hosts.map((h) => ({ email: nonEmpty(h.email), name: nonEmpty(h.name) })),
    attendees,
    customAnswers,
    cancellationReason: nonEmpty(b.cancellationReason),
    rescheduledFromId: nonEmpty(b.rescheduledFromUid),
    rescheduledToId: nonEmpty(b.rescheduledToUid),
    sourceCreatedAt: b.createdAt ? toUtcIso(b.createdAt) : null,
    sourceUpdatedAt: b.updatedAt ? toUtcIso(b.updatedAt) : null,
    changeKey: null,
    raw: b,
  };
}
