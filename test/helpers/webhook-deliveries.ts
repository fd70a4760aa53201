// Webhook deliveries as the schedulers send them (../shared/api: Cal.com and Calendly), for the
// receiver's tests and the fuzzing that breaks them one field at a time.

/** A Calendly scheduled event and one of its invitees, by URI. */
export const CALENDLY_EVENT =
  'https://api.calendly.com/scheduled_events/3f1c2b9e-6a7d-4b1e-9c2a-1d2e3f4a5b6c';
export const CALENDLY_INVITEE = `${CALENDLY_EVENT}/invitees/7e6d5c4b-3a29-4818-a7b6-c5d4e3f2a1b0`;

/** Calendly's invitee.created delivery for CALENDLY_INVITEE. */
export function calendlyInviteeCreated(createdAt: string) {
  return {
    event: 'invitee.created',
    created_at: createdAt,
    created_by: 'https://api.calendly.com/users/u1',
    payload: {
      uri: CALENDLY_INVITEE,
      event: CALENDLY_EVENT,
      email: 'ivy@example.org',
      scheduled_event: { uri: CALENDLY_EVENT },
    },
  };
}

/** A Cal.com booking delivery (BOOKING_CREATED, BOOKING_RESCHEDULED, …) for one attendee. */
export function calcomBookingDelivery(
  triggerEvent: string,
  createdAt: string,
  payload: Readonly<{ uid: string } & Record<string, unknown>>,
) {
  return {
    triggerEvent,
    createdAt,
    payload: { title: 'Portfolio review', attendees: [{ email: 'pat@example.com' }], ...payload },
  };
}
