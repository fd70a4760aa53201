// Reading verified webhook bodies: the bookings named, the replay key, and refusals that name the
// field. Bodies are documented shapes (calcom.md §5, calendly-tidycal.md §A5).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventUriOfInvitee,
  parseJsonBody,
  readCalcomDelivery,
  readCalendlyDelivery,
  type ReadDelivery,
} from './payloads';

const CREATED_AT = '2026-11-25T15:00:00.000Z';
const EVENT = 'https://api.calendly.com/scheduled_events/3f1c2b9e-6a7d-4b1e-9c2a-1d2e3f4a5b6c';
const INVITEE = `${EVENT}/invitees/7e6d5c4b-3a29-4818-a7b6-c5d4e3f2a1b0`;
const OLD_EVENT = 'https://api.calendly.com/scheduled_events/aaaa1111-6a7d-4b1e-9c2a-1d2e3f4a5b6c';
const OLD_INVITEE = `${OLD_EVENT}/invitees/bbbb2222-3a29-4818-a7b6-c5d4e3f2a1b0`;

function hintOf(read: ReadDelivery) {
  if (read.kind !== 'hint') throw new Error(`expected a hint, got ${JSON.stringify(read)}`);
  return read;
}

describe('Cal.com bodies', () => {
  it('names the booking uid of the documented envelope', () => {
    const read = hintOf(
      readCalcomDelivery({
        triggerEvent: 'BOOKING_CREATED',
        createdAt: CREATED_AT,
        payload: { uid: 'bk1', title: 'anything', attendees: [{ email: 'a@example.com' }] },
      }),
    );
    expect(read).toMatchObject({ trigger: 'BOOKING_CREATED', sourceIds: ['bk1'] });
  });

  it('names the new and the old booking of a reschedule, new first', () => {
    const read = hintOf(
      readCalcomDelivery({
        triggerEvent: 'BOOKING_RESCHEDULED',
        createdAt: CREATED_AT,
        payload: { uid: 'new1', rescheduleUid: 'old1', rescheduleId: 4 },
      }),
    );
    expect(read.sourceIds).toEqual(['new1', 'old1']);
  });

  it('reads the flat MEETING_* shape and the no-show payload', () => {
    expect(
      hintOf(
        readCalcomDelivery({ triggerEvent: 'MEETING_ENDED', createdAt: CREATED_AT, uid: 'm1' }),
      ).sourceIds,
    ).toEqual(['m1']);
    expect(
      hintOf(
        readCalcomDelivery({
          triggerEvent: 'BOOKING_NO_SHOW_UPDATED',
          createdAt: CREATED_AT,
          payload: { bookingUid: 'ns1', attendees: [] },
        }),
      ).sourceIds,
    ).toEqual(['ns1']);
  });

  it('ignores triggers that are not about a booking', () => {
    expect(
      readCalcomDelivery({ triggerEvent: 'OOO_CREATED', createdAt: CREATED_AT, payload: {} }),
    ).toEqual({ kind: 'ignored', trigger: 'OOO_CREATED' });
  });

  it('refuses a body without a booking, naming the field', () => {
    const read = readCalcomDelivery({
      triggerEvent: 'BOOKING_CANCELLED',
      createdAt: CREATED_AT,
      payload: {},
    });
    expect(read).toMatchObject({ kind: 'malformed' });
    expect(read.kind === 'malformed' && read.reason).toContain('payload.uid');
  });

  it('refuses wrong types and odd ids, naming where', () => {
    const cases: [unknown, string][] = [
      [null, 'body'],
      [[], 'body'],
      [{ createdAt: CREATED_AT, payload: { uid: 'x' } }, 'body.triggerEvent'],
      [{ triggerEvent: 'BOOKING_CREATED', payload: { uid: 'x' } }, 'body.createdAt'],
      [
        { triggerEvent: 'BOOKING_CREATED', createdAt: 'yesterday', payload: { uid: 'x' } },
        'body.createdAt',
      ],
      [{ triggerEvent: 'BOOKING_CREATED', createdAt: CREATED_AT, payload: 'x' }, 'body.payload'],
      [
        { triggerEvent: 'BOOKING_CREATED', createdAt: CREATED_AT, payload: { uid: '../x' } },
        'body.payload.uid',
      ],
      [
        { triggerEvent: 'BOOKING_CREATED', createdAt: CREATED_AT, payload: { uid: 7 } },
        'body.payload.uid',
      ],
    ];
    for (const [body, where] of cases) {
      const read = readCalcomDelivery(body);
      expect(read.kind, JSON.stringify(body)).toBe('malformed');
      expect(read.kind === 'malformed' && read.reason, JSON.stringify(body)).toContain(where);
    }
  });

  it('keys replays on trigger + uid + createdAt', () => {
    const base = { triggerEvent: 'BOOKING_CREATED', createdAt: CREATED_AT, payload: { uid: 'k1' } };
    const key = hintOf(readCalcomDelivery(base)).dedupeKey;
    expect(
      hintOf(readCalcomDelivery({ ...base, payload: { uid: 'k1', title: 'other' } })).dedupeKey,
    ).toBe(key);
    expect(
      hintOf(readCalcomDelivery({ ...base, createdAt: '2026-11-25T15:00:01.000Z' })).dedupeKey,
    ).not.toBe(key);
    expect(
      hintOf(readCalcomDelivery({ ...base, triggerEvent: 'BOOKING_CANCELLED' })).dedupeKey,
    ).not.toBe(key);
    expect(hintOf(readCalcomDelivery({ ...base, payload: { uid: 'k2' } })).dedupeKey).not.toBe(key);
  });
});

describe('Calendly bodies', () => {
  const created = (payload: Record<string, unknown>, event = 'invitee.created') => ({
    event,
    created_at: CREATED_AT,
    created_by: 'https://api.calendly.com/users/u1',
    payload,
  });

  it('names the scheduled event of the invitee', () => {
    const read = hintOf(
      readCalendlyDelivery(
        created({
          uri: INVITEE,
          event: EVENT,
          email: 'ivy@example.org',
          scheduled_event: { uri: EVENT },
        }),
      ),
    );
    expect(read).toMatchObject({ trigger: 'invitee.created', sourceIds: [EVENT] });
  });

  it('adds the events of old_invitee / new_invitee for reschedules', () => {
    const read = hintOf(
      readCalendlyDelivery(created({ uri: INVITEE, event: EVENT, old_invitee: OLD_INVITEE })),
    );
    expect(read.sourceIds).toEqual([EVENT, OLD_EVENT]);
    const cancelled = hintOf(
      readCalendlyDelivery(
        created({ uri: OLD_INVITEE, event: OLD_EVENT, new_invitee: INVITEE }, 'invitee.canceled'),
      ),
    );
    expect(cancelled.sourceIds).toEqual([OLD_EVENT, EVENT]);
  });

  it('derives the event from the invitee URI when only that is given (a no-show resource)', () => {
    expect(
      hintOf(
        readCalendlyDelivery(
          created(
            { uri: 'https://api.calendly.com/invitee_no_shows/n1', invitee: INVITEE },
            'invitee_no_show.created',
          ),
        ),
      ).sourceIds,
    ).toEqual([EVENT]);
    expect(eventUriOfInvitee(INVITEE)).toBe(EVENT);
    expect(eventUriOfInvitee(EVENT)).toBeNull();
  });

  it('ignores events that are not about invitees', () => {
    expect(readCalendlyDelivery(created({ uri: 'x' }, 'routing_form_submission.created'))).toEqual({
      kind: 'ignored',
      trigger: 'routing_form_submission.created',
    });
  });

  it('refuses payloads naming no event, or two different ones', () => {
    expect(readCalendlyDelivery(created({ uri: 'https://api.calendly.com/x/1' })).kind).toBe(
      'malformed',
    );
    const clash = readCalendlyDelivery(created({ uri: INVITEE, event: OLD_EVENT }));
    expect(clash.kind).toBe('malformed');
    const badUri = readCalendlyDelivery(
      created({ uri: INVITEE, event: 'http://evil.example/scheduled_events/1' }),
    );
    expect(badUri.kind === 'malformed' && badUri.reason).toContain('body.payload.event');
    const noCreatedAt = readCalendlyDelivery({
      event: 'invitee.created',
      payload: { uri: INVITEE },
    });
    expect(noCreatedAt.kind === 'malformed' && noCreatedAt.reason).toContain('body.created_at');
  });

  it('keys replays on event + payload.uri + created_at', () => {
    const key = hintOf(readCalendlyDelivery(created({ uri: INVITEE, event: EVENT }))).dedupeKey;
    expect(
      hintOf(readCalendlyDelivery(created({ uri: INVITEE, event: EVENT, name: 'x' }))).dedupeKey,
    ).toBe(key);
    expect(
      hintOf(readCalendlyDelivery(created({ uri: INVITEE, event: EVENT }, 'invitee.canceled')))
        .dedupeKey,
    ).not.toBe(key);
  });
});

describe('parseJsonBody', () => {
  it('parses UTF-8 JSON and refuses invalid UTF-8 or JSON', () => {
    expect(parseJsonBody(Buffer.from('{"a":"Zoë"}'))).toEqual({ ok: true, value: { a: 'Zoë' } });
    expect(parseJsonBody(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])).ok).toBe(false);
    expect(parseJsonBody(Buffer.from('{"a":')).ok).toBe(false);
    expect(parseJsonBody(Buffer.alloc(0)).ok).toBe(false);
  });
});

describe('any JSON value', () => {
  it('is read without throwing, and a hint always names at least one well-formed id', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        for (const body of [
          a,
          { triggerEvent: 'BOOKING_CREATED', createdAt: CREATED_AT, payload: a },
          { event: 'invitee.created', created_at: CREATED_AT, payload: b },
        ]) {
          for (const read of [readCalcomDelivery(body), readCalendlyDelivery(body)]) {
            if (read.kind === 'hint') {
              expect(read.sourceIds.length).toBeGreaterThan(0);
              for (const id of read.sourceIds) expect(id).toMatch(/^[A-Za-z0-9_:/.-]+$/);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
