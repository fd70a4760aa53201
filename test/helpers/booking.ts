// A NormalizedBooking for tests that store bookings directly: a scheduled one-hour TidyCal
// meeting with one attendee, every optional field empty; callers override what they test.
import type { NormalizedBooking } from '../../src/main/sources/types';

type Attendee = NormalizedBooking['attendees'][number];

export function testAttendee(
  email: string | null,
  name: string | null,
  fields: Partial<Attendee> = {},
): Attendee {
  return {
    email,
    name,
    role: 'attendee',
    timeZone: null,
    noShow: false,
    cancelled: false,
    sourceRef: null,
    ...fields,
  };
}

export function testBooking(
  fields: Pick<NormalizedBooking, 'sourceId' | 'title' | 'startUtc'> & Partial<NormalizedBooking>,
): NormalizedBooking {
  const minutes = fields.durationMinutes ?? 60;
  return {
    source: 'tidycal',
    sourceAltId: null,
    eventTypeSlug: null,
    eventTypeName: null,
    endUtc: new Date(Date.parse(fields.startUtc) + minutes * 60_000).toISOString(),
    timeZone: 'America/New_York',
    durationMinutes: minutes,
    status: 'scheduled',
    location: null,
    hosts: [],
    attendees: [],
    customAnswers: [],
    cancellationReason: null,
    rescheduledFromId: null,
    rescheduledToId: null,
    sourceCreatedAt: null,
    sourceUpdatedAt: null,
    changeKey: null,
    raw: {},
    ...fields,
  };
}
