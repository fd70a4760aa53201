// TidyCal booking → NormalizedBooking. TidyCal has no status field (cancelled_at decides) and no
// reschedule link (a moved booking keeps its id; the change shows up as history).
import { minutesBetween, nonEmpty, toUtcIso } from '../parse';
import type { NormalizedBooking } from '../types';
import type { TidycalBooking, TidycalBookingType } from './schemas';

export function normalizeTidycalBooking(
  b: TidycalBooking,
  type: TidycalBookingType | null,
): NormalizedBooking {
  const startUtc = toUtcIso(b.starts_at);
  const endUtc = toUtcIso(b.ends_at);
  const title = nonEmpty(b.booking_type?.title) ?? nonEmpty(type?.title) ?? 'TidyCal booking';
  return {
    source: 'tidycal',
    sourceId: String(b.id),
    sourceAltId: null,
    title,
    eventTypeSlug: nonEmpty(b.booking_type?.url_slug) ?? nonEmpty(type?.url_slug),
    eventTypeName: title,
    startUtc,
    endUtc,
    timeZone: nonEmpty(b.timezone) ?? nonEmpty(b.contact?.timezone),
    durationMinutes: minutesBetween(startUtc, endUtc),
    status: b.cancelled_at ? 'cancelled' : 'scheduled',
    location: nonEmpty(b.meeting_url),
    hosts: [],
    attendees: b.contact
      ? [
          {
            email: nonEmpty(b.contact.email),
            name: nonEmpty(b.contact.name),
            role: 'attendee',
            timeZone: nonEmpty(b.contact.timezone),
            noShow: false,
            cancelled: false,
            sourceRef: null,
          },
        ]
      : [],
    customAnswers: (b.questions ?? [])
      .filter((q) => nonEmpty(q.answer))
      .map((q) => ({ question: q.question, answer: q.answer!.trim() })),
    cancellationReason: null,
    rescheduledFromId: null,
    rescheduledToId: null,
    sourceCreatedAt: b.created_at ? toUtcIso(b.created_at) : null,
    sourceUpdatedAt: b.updated_at ? toUtcIso(b.updated_at) : null,
    changeKey: null,
    // Contact data is personal (it includes the booker's IP address): keep only what Cadence uses.
    raw: { ...b, contact: b.contact ? { ...b.contact, ip_address: undefined } : b.contact },
  };
}
