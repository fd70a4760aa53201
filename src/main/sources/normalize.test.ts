// Property tests for the three normalizers: any payload the fact sheets allow normalizes without
// throwing into a well-formed booking; a payload that breaks the shape is refused with an error
// naming the source, endpoint and field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bookingStatuses } from '../../shared/domain';
import { SchemaMismatchError } from '../net/errors';
import { normalizeCalcomBooking } from './calcom/normalize';
import { CalcomBooking, CalcomBookingList } from './calcom/schemas';
import { eventUriOfInvitee, normalizeCalendlyEvent } from './calendly/normalize';
import { CalendlyEvent, CalendlyInvitee, collectionOf } from './calendly/schemas';
import { parseJson } from './parse';
import { normalizeTidycalBooking } from './tidycal/normalize';
import { TidycalBooking, TidycalList } from './tidycal/schemas';
import type { NormalizedBooking } from './types';

const start = Date.parse('2020-01-01T00:00:00Z');
const span = 10 * 365 * 86_400_000;
const instant = fc.integer({ min: start, max: start + span });
const iso = instant.map((ms) => new Date(ms).toISOString());
const micro = instant.map((ms) => new Date(ms).toISOString().replace('Z', '000Z'));
const text = fc.string({ maxLength: 40 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const email = fc.emailAddress();
const zone = fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC');

function wellFormed(b: NormalizedBooking) {
  expect(b.startUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(b.endUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(b.durationMinutes).toBeGreaterThanOrEqual(0);
  expect(bookingStatuses).toContain(b.status);
  expect(b.sourceId.length).toBeGreaterThan(0);
  for (const a of b.attendees) expect(['attendee', 'guest']).toContain(a.role);
  expect(() => JSON.stringify(b)).not.toThrow();
}

const calcomBooking = fc
  .record({
    id: fc.nat(),
    uid: fc.string({ minLength: 1, maxLength: 24 }),
    title: text,
    description: maybe(text),
    status: fc.constantFrom('accepted', 'pending', 'cancelled', 'rejected', 'awaiting_host'),
    start: iso,
    minutes: fc.integer({ min: 0, max: 600 }),
    eventType: maybe(fc.record({ id: fc.nat(), slug: text })),
    hosts: fc.array(fc.record({ id: fc.nat(), name: text, email, timeZone: zone }), {
      maxLength: 2,
    }),
    attendees: fc.array(
      fc.record({ name: text, email: maybe(email), timeZone: zone, absent: fc.boolean() }),
      { maxLength: 4 },
    ),
    guests: fc.option(fc.array(email, { maxLength: 3 }), { nil: undefined }),
    bookingFieldsResponses: fc.option(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue()), {
      nil: undefined,
    }),
    location: maybe(text),
    absentHost: fc.boolean(),
    cancellationReason: fc.constantFrom('', 'Moved', null),
    rescheduledFromUid: maybe(fc.string({ minLength: 1, maxLength: 10 })),
    createdAt: iso,
    updatedAt: maybe(iso),
  })
  .map(({ minutes, ...b }) => ({
    ...b,
    end: new Date(Date.parse(b.start) + minutes * 60_000).toISOString(),
    duration: minutes,
  }));

describe('Cal.com normalizer', () => {
  it('normalizes every valid booking into a well-formed one', () => {
    fc.assert(
      fc.property(calcomBooking, (raw) => {
        const b = normalizeCalcomBooking(CalcomBooking.parse(raw));
        wellFormed(b);
        expect(b.source).toBe('calcom');
        expect(b.sourceId).toBe(raw.uid);
        if (raw.status === 'cancelled') expect(b.status).toBe('cancelled');
        if (raw.status === 'accepted' && !raw.absentHost && raw.attendees.some((a) => !a.absent))
          expect(b.status).toBe('scheduled');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a page whose booking lacks a field, naming the field', () => {
    fc.assert(
      fc.property(
        calcomBooking,
        fc.constantFrom('uid', 'start', 'status', 'title'),
        (raw, field) => {
          const broken = { ...raw, [field]: field === 'status' ? 'ACCEPTED' : undefined };
          const body = JSON.stringify({
            status: 'success',
            data: [broken],
            pagination: { totalItems: 1, hasNextPage: false },
          });
          let error: unknown;
          try {
            parseJson('calcom', 'GET /bookings', CalcomBookingList, {
              status: 200,
              headers: {},
              text: body,
            });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(SchemaMismatchError);
          expect((error as Error).message).toContain('Cal.com GET /bookings');
          expect((error as Error).message).toContain(`data.0.${field}`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('names truncated JSON as such', () => {
    expect(() =>
      parseJson('calcom', 'GET /bookings', CalcomBookingList, {
        status: 200,
        headers: {},
        text: '{"status":"succ',
      }),
    ).toThrow(/Cal\.com GET \/bookings: unexpected response shape: the body is not valid JSON/);
  });
});

const calendlyBase = 'https://api.calendly.com/scheduled_events/';
const calendlyPair = fc
  .record({
    uuid: fc.uuid(),
    name: maybe(text),
    status: fc.constantFrom('active', 'canceled'),
    start: micro,
    minutes: fc.integer({ min: 0, max: 600 }),
    invitees: fc.array(
      fc.record({
        id: fc.uuid(),
        email: maybe(email),
        name: maybe(text),
        status: fc.constantFrom('active', 'canceled'),
        timezone: maybe(zone),
        noShow: fc.boolean(),
        oldInvitee: maybe(fc.uuid()),
      }),
      { maxLength: 3 },
    ),
    guests: fc.array(email, { maxLength: 2 }),
  })
  .map((r) => {
    const uri = `${calendlyBase}${r.uuid}`;
    const event = {
      uri,
      name: r.name,
      status: r.status,
      start_time: r.start,
      end_time: new Date(Date.parse(r.start) + r.minutes * 60_000).toISOString(),
      event_type: 'https://api.calendly.com/event_types/x',
      invitees_counter: { total: r.invitees.length, active: r.invitees.length, limit: 1 },
      created_at: r.start,
      updated_at: r.start,
      event_memberships: [
        {
          user: 'https://api.calendly.com/users/u',
          user_email: 'host@example.com',
          user_name: 'Host',
        },
      ],
      event_guests: r.guests.map((g) => ({ email: g, created_at: r.start, updated_at: r.start })),
    };
    const invitees = r.invitees.map((i) => ({
      uri: `${uri}/invitees/${i.id}`,
      email: i.email,
      name: i.name,
      status: i.status,
      timezone: i.timezone,
      no_show: i.noShow ? { uri: 'x', created_at: r.start } : null,
      old_invitee: i.oldInvitee ? `${calendlyBase}${i.oldInvitee}/invitees/abc` : null,
      rescheduled: false,
    }));
    return { event, invitees };
  });

describe('Calendly normalizer', () => {
  it('normalizes every valid event + invitees into a well-formed booking', () => {
    fc.assert(
      fc.property(calendlyPair, ({ event, invitees }) => {
        const b = normalizeCalendlyEvent(
          CalendlyEvent.parse(event),
          invitees.map((i) => CalendlyInvitee.parse(i)),
          { slug: 'intro', name: 'Intro' },
        );
        wellFormed(b);
        expect(b.sourceId).toBe(event.uri);
        if (event.status === 'canceled') expect(b.status).toBe('cancelled');
        const from = invitees.find((i) => i.old_invitee)?.old_invitee;
        if (from) expect(b.rescheduledFromId).toBe(eventUriOfInvitee(from));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an event with an unknown status, naming the field', () => {
    const body = JSON.stringify({
      collection: [
        {
          uri: `${calendlyBase}x`,
          status: 'deleted',
          start_time: '2026-01-01T00:00:00Z',
          end_time: '2026-01-01T01:00:00Z',
        },
      ],
      pagination: { count: 1, next_page_token: null },
    });
    expect(() =>
      parseJson('calendly', 'GET /scheduled_events', collectionOf(CalendlyEvent), {
        status: 200,
        headers: {},
        text: body,
      }),
    ).toThrow(
      /Calendly GET \/scheduled_events: unexpected response shape: field collection\.0\.status/,
    );
  });
});

const tidycalBooking = fc
  .record({
    id: fc.nat(),
    starts_at: micro,
    minutes: fc.integer({ min: 0, max: 600 }),
    cancelled_at: maybe(micro),
    timezone: maybe(zone),
    contact: maybe(
      fc.record({
        name: maybe(text),
        email: maybe(email),
        timezone: maybe(zone),
        ip_address: fc.ipV4(),
      }),
    ),
    booking_type: fc.option(fc.record({ id: fc.nat(), title: text, duration_minutes: fc.nat() }), {
      nil: undefined,
    }),
    questions: fc.array(fc.record({ question: text, answer: maybe(text) }), { maxLength: 3 }),
  })
  .map(({ minutes, ...b }) => ({
    ...b,
    ends_at: new Date(Date.parse(b.starts_at) + minutes * 60_000).toISOString(),
  }));

describe('TidyCal normalizer', () => {
  it('normalizes every valid booking, derives status from cancelled_at, and drops the IP address', () => {
    fc.assert(
      fc.property(tidycalBooking, (raw) => {
        const b = normalizeTidycalBooking(TidycalBooking.parse(raw), null);
        wellFormed(b);
        expect(b.status).toBe(raw.cancelled_at ? 'cancelled' : 'scheduled');
        expect(JSON.stringify(b.raw)).not.toContain('ip_address');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a list item without starts_at, naming the field', () => {
    const body = JSON.stringify({ data: [{ id: 1, ends_at: '2026-01-01T00:00:00.000000Z' }] });
    expect(() =>
      parseJson('tidycal', 'GET /bookings', TidycalList(TidycalBooking), {
        status: 200,
        headers: {},
        text: body,
      }),
    ).toThrow(/TidyCal GET \/bookings: unexpected response shape: field data\.0\.starts_at/);
  });
});
