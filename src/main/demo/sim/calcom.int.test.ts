// Conformance of the Cal.com simulator with /work/shared/api/calcom.md: auth and the v2 error
// envelope, cal-api-version routing (legacy fallback, 404 for a version without a controller),
// list validation, status semantics, sorting, the unstable unsorted order, paging formulas, single
// bookings and series, event types, the throttler, webhooks, state changes and injected faults.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startCalcomSim,
  type CalcomBooking,
  type CalcomEventType,
  type CalcomSim,
  type CalcomSimOptions,
} from './calcom';

const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const V2 = { 'cal-api-version': '2026-02-25' };

const host = {
  id: 7,
  name: 'Jane Host',
  email: 'jane@harborwealth.example',
  displayEmail: 'jane@harborwealth.example',
  username: 'jane',
  timeZone: 'America/New_York',
};

let seq = 0;
function booking(overrides: Partial<CalcomBooking> & { startMs: number }): CalcomBooking {
  const { startMs, ...rest } = overrides;
  seq += 1;
  const uid = rest.uid ?? `uid${String(seq).padStart(19, '0')}`;
  return {
    id: 100 + seq,
    uid,
    title: 'Portfolio Review between Jane Host and Alex Doe',
    description: '',
    hosts: [host],
    status: 'accepted',
    cancellationReason: '',
    cancelledByEmail: '',
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + HOUR).toISOString(),
    duration: 60,
    eventTypeId: 1001,
    eventType: { id: 1001, slug: 'portfolio-review' },
    location: 'integrations:daily',
    meetingUrl: 'integrations:daily',
    absentHost: false,
    createdAt: new Date(startMs - 10 * DAY + seq * 1000).toISOString(),
    updatedAt: null,
    metadata: {},
    icsUid: `${uid}@Cal.com`,
    attendees: [
      {
        name: 'Alex Doe',
        email: `alex${seq}@client.example`,
        displayEmail: `alex${seq}@client.example`,
        timeZone: 'America/Chicago',
        language: 'en',
        absent: false,
      },
    ],
    bookingFieldsResponses: { name: 'Alex Doe', email: `alex${seq}@client.example` },
    ...rest,
  };
}

const eventType: CalcomEventType = {
  id: 1001,
  title: 'Portfolio Review',
  slug: 'portfolio-review',
  lengthInMinutes: 60,
  description: '',
  locations: [],
  bookingFields: [],
  disableGuests: false,
  price: 0,
  currency: 'usd',
  recurrence: null,
  scheduleId: 1,
  metadata: {},
  isInstantEvent: false,
  requiresConfirmation: false,
  hidden: false,
  ownerId: 7,
  createdAt: '2024-01-01T00:00:00.000Z',
  users: [{ id: 7, name: 'Jane Host', username: 'jane' }],
};

const user = {
  id: 7,
  username: 'jane',
  email: host.email,
  name: host.name,
  timeZone: host.timeZone,
  weekStart: 'Sunday',
  timeFormat: 12,
  defaultScheduleId: 1,
  organizationId: null,
};

/** A small world with one booking of every status the sheet's filters distinguish. */
function world(): CalcomBooking[] {
  return [
    booking({ uid: 'pastAccepted000000000a', startMs: NOW - 5 * DAY }),
    booking({ uid: 'futureAccepted00000000', startMs: NOW + 2 * DAY }),
    booking({ uid: 'futurePending000000000', startMs: NOW + 3 * DAY, status: 'pending' }),
    booking({ uid: 'expiredPending00000000', startMs: NOW - 3 * DAY, status: 'pending' }),
    booking({
      uid: 'cancelled0000000000000',
      startMs: NOW + 4 * DAY,
      status: 'cancelled',
      updatedAt: new Date(NOW - DAY).toISOString(),
    }),
    booking({ uid: 'rejected00000000000000', startMs: NOW - 8 * DAY, status: 'rejected' }),
    booking({
      uid: 'series1occurrence00001',
      startMs: NOW + 7 * DAY,
      recurringBookingUid: 'seriesUid0000000000000',
    }),
    booking({
      uid: 'series1occurrence00002',
      startMs: NOW + 37 * DAY,
      recurringBookingUid: 'seriesUid0000000000000',
      status: 'pending',
    }),
    booking({ uid: 'awaitingHost0000000000', startMs: NOW + 1 * DAY, status: 'awaiting_host' }),
  ];
}

const sims: CalcomSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(options: Partial<CalcomSimOptions> = {}): Promise<CalcomSim> {
  const sim = await startCalcomSim({
    data: { user, eventTypes: [eventType], bookings: world() },
    now: () => NOW,
    rateLimit: false,
    ...options,
  });
  sims.push(sim);
  return sim;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

async function call(
  sim: CalcomSim,
  path: string,
  headers: Record<string, string> = V2,
  auth: string | null = sim.apiKey,
): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    headers: { ...(auth === null ? {} : { authorization: `Bearer ${auth}` }), ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Json) : {},
    headers: response.headers,
  };
}

const uidsOf = (body: Json): string[] => (body.data as CalcomBooking[]).map((b) => b.uid);

describe('Cal.com simulator: auth and errors', () => {
  it('answers a missing or wrong key with 401 in the v2 error envelope', async () => {
    const sim = await start();
    for (const auth of [null, 'cal_live_wrong']) {
      const { status, body } = await call(sim, '/bookings?take=5', V2, auth);
      expect(status).toBe(401);
      expect(body.status).toBe('error');
      expect(Date.parse(body.timestamp as string)).toBe(NOW);
      expect(body.path).toBe('/v2/bookings?take=5');
      expect(body.error.code).toBe('UnauthorizedException');
      expect(body.error.message).toMatch(/ApiAuthStrategy/);
      expect(body.error.details.statusCode).toBe(401);
    }
    expect((await call(sim, '/bookings')).status).toBe(200);
  });

  it('also refuses a non-Bearer Authorization header', async () => {
    const sim = await start();
    const response = await fetch(`${sim.baseUrl}/bookings`, {
      headers: { authorization: sim.apiKey, ...V2 },
    });
    expect(response.status).toBe(401);
  });
});

describe('Cal.com simulator: cal-api-version routing', () => {
  it('serves the v2 shape on 2026-02-25 and 2024-08-13', async () => {
    const sim = await start();
    for (const version of ['2026-02-25', '2024-08-13']) {
      const { status, body } = await call(sim, '/bookings', { 'cal-api-version': version });
      expect(status).toBe(200);
      expect(Array.isArray(body.data)).toBe(true);
      expect(body.pagination.totalItems).toBe(9);
      expect(body.data[0]).toHaveProperty('start');
      expect(body.data[0]).not.toHaveProperty('startTime');
    }
  });

  it('silently falls back to the legacy 2024-04-15 handler when the header is missing, quoted or unknown', async () => {
    const sim = await start();
    const variants: Record<string, string>[] = [
      {},
      { 'cal-api-version': '"2024-08-13"' },
      { 'cal-api-version': '2025-01-01' },
    ];
    for (const headers of variants) {
      const { status, body } = await call(
        sim,
        '/bookings?filters[status]=upcoming&limit=2',
        headers,
      );
      expect(status).toBe(200);
      expect(body.pagination).toBeUndefined();
      expect(Array.isArray(body.data.bookings)).toBe(true);
      expect(body.data.bookings).toHaveLength(2);
      expect(body.data.nextCursor).toBe(2);
      const first = body.data.bookings[0];
      expect(first).toHaveProperty('startTime');
      expect(first).not.toHaveProperty('start');
      expect(first.status).toMatch(/^[A-Z_]+$/);
    }
  });

  it('makes the legacy handler require filters[status] and refuse v2 parameters', async () => {
    const sim = await start();
    const { status, body } = await call(sim, '/bookings?take=10&skip=0', {});
    expect(status).toBe(400);
    expect(body.error.code).toBe('BadRequestException');
    const properties = (body.error.details.errors as Json[]).map((e) => e.property);
    expect(properties).toEqual(expect.arrayContaining(['take', 'skip', 'filters']));
  });

  it('answers 404 for a known version that has no bookings controller, before checking the key', async () => {
    const sim = await start();
    const { status, body } = await call(
      sim,
      '/bookings?take=1',
      { 'cal-api-version': '2024-09-04' },
      null,
    );
    expect(status).toBe(404);
    expect(body.error.code).toBe('NotFoundException');
    expect(body.error.message).toBe('Cannot GET /v2/bookings?take=1');
  });

  it('plays a self-hosted build without 2026-02-25: that value then gets the legacy shape', async () => {
    const sim = await start();
    sim.setKnownVersions(['2024-04-15', '2024-06-14', '2024-08-13', '2024-09-04']);
    const { body } = await call(sim, '/bookings?filters[status]=past', V2);
    expect(body.data.bookings).toBeDefined();
  });
});

describe('Cal.com simulator: GET /v2/bookings validation', () => {
  it('refuses take outside 1..250, a bad skip and unknown keys with class-validator details', async () => {
    const sim = await start();
    const cases: [string, string, string][] = [
      ['take=0', 'take', 'take must not be less than 1'],
      ['take=251', 'take', 'take must not be greater than 250'],
      ['take=abc', 'take', 'take must be a number conforming to the specified constraints'],
      ['skip=-1', 'skip', 'skip must not be less than 0'],
      ['sortUpdated=asc', 'sortUpdated', 'property sortUpdated should not exist'],
      [
        'status=active',
        'status',
        'Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed',
      ],
      ['afterStart=2026-02-30', 'afterStart', 'fromDate must be a valid ISO 8601 date.'],
      ['beforeEnd=yesterday', 'beforeEnd', 'toDate must be a valid ISO 8601 date.'],
      ['sortStart=up', 'sortStart', 'SortStart must be either "asc" or "desc".'],
      ['sortUpdatedAt=up', 'sortUpdatedAt', 'SortCreated must be either "asc" or "desc".'],
      ['eventTypeId=1.5', 'eventTypeId', 'eventTypeId must be an integer number'],
    ];
    for (const [query, property, message] of cases) {
      const { status, body } = await call(sim, `/bookings?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('BadRequestException');
      expect(body.error.message).toBe('Bad Request Exception');
      const entry = (body.error.details.errors as Json[]).find((e) => e.property === property);
      expect(Object.values(entry?.constraints ?? {}), query).toContain(message);
    }
  });

  it('accepts take=250 and defaults to 100 per page', async () => {
    const sim = await start();
    expect((await call(sim, '/bookings?take=250')).body.pagination.itemsPerPage).toBe(250);
    expect((await call(sim, '/bookings')).body.pagination.itemsPerPage).toBe(100);
  });

  it('can drop unknown keys silently instead, as the open-source ValidationPipe does', async () => {
    const sim = await start({ unknownQueryParams: 'ignore' });
    expect((await call(sim, '/bookings?sortUpdated=asc')).status).toBe(200);
  });
});

describe('Cal.com simulator: status semantics (2.2)', () => {
  it('evaluates upcoming, past, cancelled, unconfirmed and recurring against the clock', async () => {
    const sim = await start();
    const uids = async (status: string) =>
      (await call(sim, `/bookings?status=${status}&sortStart=asc`)).body.data.map(
        (b: CalcomBooking) => b.uid,
      );
    // upcoming includes one-off pending bookings but not a pending recurring occurrence.
    expect(await uids('upcoming')).toEqual([
      'awaitingHost0000000000',
      'futureAccepted00000000',
      'futurePending000000000',
      'series1occurrence00001',
    ]);
    // past includes expired pending bookings.
    expect(await uids('past')).toEqual(['pastAccepted000000000a', 'expiredPending00000000']);
    // cancelled includes rejected.
    expect(await uids('cancelled')).toEqual(['rejected00000000000000', 'cancelled0000000000000']);
    expect(await uids('unconfirmed')).toEqual(['futurePending000000000', 'series1occurrence00002']);
    expect(await uids('recurring')).toEqual(['series1occurrence00001', 'series1occurrence00002']);
    // A list of statuses is their union.
    expect(await uids('past,cancelled')).toHaveLength(4);
  });

  it('uses each single status filter’s default order: upcoming by start ascending, past descending', async () => {
    const sim = await start();
    const upcoming = (await call(sim, '/bookings?status=upcoming')).body.data as CalcomBooking[];
    const past = (await call(sim, '/bookings?status=past')).body.data as CalcomBooking[];
    expect(upcoming.map((b) => b.start)).toEqual([...upcoming.map((b) => b.start)].sort());
    expect(past.map((b) => b.start)).toEqual([...past.map((b) => b.start)].sort().reverse());
  });
});

describe('Cal.com simulator: filters, sorting and paging', () => {
  it('filters on start, end, created and updated bounds; null updatedAt never matches an updated bound', async () => {
    const sim = await start();
    const after = new Date(NOW).toISOString();
    const future = uidsOf((await call(sim, `/bookings?afterStart=${after}&sortStart=asc`)).body);
    expect(future).toHaveLength(6);
    const before = new Date(NOW).toISOString();
    expect(uidsOf((await call(sim, `/bookings?beforeEnd=${before}`)).body)).toHaveLength(3);
    const updated = uidsOf((await call(sim, `/bookings?afterUpdatedAt=2020-01-01T00:00:00Z`)).body);
    expect(updated).toEqual(['cancelled0000000000000']);
    const created = uidsOf(
      (await call(sim, `/bookings?afterCreatedAt=${new Date(NOW - 7 * DAY).toISOString()}`)).body,
    );
    expect(created.length).toBeGreaterThan(0);
    for (const uid of created)
      expect(Date.parse(sim.state.get(uid)!.createdAt)).toBeGreaterThanOrEqual(NOW - 7 * DAY);
  });

  it('turns a space in attendeeEmail back into "+" (an unencoded plus arrives as a space)', async () => {
    const sim = await start();
    sim.state.add(
      booking({
        uid: 'plusAddress00000000000',
        startMs: NOW + DAY,
        attendees: [
          {
            name: 'Pat Plus',
            email: 'pat+advisor@gmail.com',
            displayEmail: 'pat+advisor@gmail.com',
            timeZone: 'UTC',
            absent: false,
          },
        ],
      }),
    );
    const { body } = await call(sim, '/bookings?attendeeEmail=pat+advisor@gmail.com');
    expect(uidsOf(body)).toEqual(['plusAddress00000000000']);
  });

  it('sorts by sortUpdatedAt with nulls last ascending, and applies only the first sort flag', async () => {
    const sim = await start();
    sim.state.touch('pastAccepted000000000a');
    const asc = uidsOf((await call(sim, '/bookings?sortUpdatedAt=asc')).body);
    expect(asc.slice(0, 2)).toEqual(['cancelled0000000000000', 'pastAccepted000000000a']);
    const both = uidsOf((await call(sim, '/bookings?sortStart=desc&sortCreated=asc')).body);
    const byStart = [...sim.state.bookings()]
      .sort((a, b) => b.start.localeCompare(a.start))
      .map((b) => b.uid);
    expect(both).toEqual(byStart);
  });

  it('computes the pagination envelope with the sheet’s formulas', async () => {
    const sim = await start();
    const { body } = await call(sim, '/bookings?take=4&skip=4&sortCreated=asc');
    expect(body.pagination).toEqual({
      totalItems: 9,
      remainingItems: 1,
      returnedItems: 4,
      itemsPerPage: 4,
      currentPage: 2,
      totalPages: 3,
      hasNextPage: true,
      hasPreviousPage: true,
    });
    const last = (await call(sim, '/bookings?take=4&skip=8&sortCreated=asc')).body.pagination;
    expect(last).toMatchObject({
      returnedItems: 1,
      remainingItems: 0,
      hasNextPage: false,
      currentPage: 3,
    });
  });

  it('pages a sorted list completely and exactly once', async () => {
    const sim = await start();
    const seen: string[] = [];
    for (let skip = 0; ; skip += 2) {
      const { body } = await call(sim, `/bookings?take=2&skip=${skip}&sortCreated=asc`);
      seen.push(...uidsOf(body));
      if (!body.pagination.hasNextPage) break;
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
  });

  it('returns an unsorted list in a different order from call to call', async () => {
    let state = 7;
    const sim = await start({
      random: () => {
        state = (state * 16807) % 2147483647;
        return state / 2147483647;
      },
    });
    const orders = new Set<string>();
    for (let i = 0; i < 5; i += 1) orders.add(uidsOf((await call(sim, '/bookings')).body).join());
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('Cal.com simulator: single bookings, event types and /me', () => {
  it('returns one booking by uid, a series as an array, and 404 for an unknown uid', async () => {
    const sim = await start();
    const single = await call(sim, '/bookings/futureAccepted00000000');
    expect(single.body.data.uid).toBe('futureAccepted00000000');
    const series = await call(sim, '/bookings/seriesUid0000000000000');
    expect(series.body.data.map((b: CalcomBooking) => b.uid)).toEqual([
      'series1occurrence00001',
      'series1occurrence00002',
    ]);
    const missing = await call(sim, '/bookings/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Booking with uid=nope was not found in the database');
  });

  it('lists event types on 2024-06-14, the legacy shape without a header, 404 on 2026-02-25', async () => {
    const sim = await start();
    const v2 = await call(sim, '/event-types', { 'cal-api-version': '2024-06-14' });
    expect(v2.body.data[0].lengthInMinutes).toBe(60);
    expect(v2.body.pagination).toBeUndefined();
    const legacy = await call(sim, '/event-types', {});
    expect(legacy.body.data.eventTypeGroups[0].eventTypes[0].length).toBe(60);
    expect((await call(sim, '/event-types', V2)).status).toBe(404);
  });

  it('answers GET /v2/me with the key’s owner', async () => {
    const sim = await start();
    expect((await call(sim, '/me')).body.data.email).toBe(host.email);
  });
});

describe('Cal.com simulator: rate limit', () => {
  it('throttles per key with -Default headers, a block, no Retry-After, and reset in seconds', async () => {
    let now = NOW;
    const sim = await start({
      now: () => now,
      rateLimit: { limit: 3, windowMs: 1000, blockMs: 2000 },
    });
    for (let i = 0; i < 3; i += 1) {
      const ok = await call(sim, '/bookings?take=1');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit-default')).toBe('3');
      expect(ok.headers.get('x-ratelimit-remaining-default')).toBe(String(2 - i));
    }
    const limited = await call(sim, '/bookings?take=1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('ThrottlerException');
    expect(limited.body.error.message).toBe('Too many requests. Please try again later.');
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(limited.headers.get('x-ratelimit-reset-default')).toBe('2');
    // Another key has its own budget (and is refused only for being wrong).
    expect((await call(sim, '/bookings', V2, 'cal_live_other')).status).toBe(401);
    now += 1500; // the window is over but the block is not
    expect((await call(sim, '/bookings?take=1')).status).toBe(429);
    now += 600;
    expect((await call(sim, '/bookings?take=1')).status).toBe(200);
  });

  it('sends the headers on errors too, and none when limiting is off', async () => {
    const limited = await start({ rateLimit: { limit: 10 } });
    expect(
      (await call(limited, '/bookings', V2, null)).headers.get('x-ratelimit-limit-default'),
    ).toBe('10');
    const open = await start();
    expect((await call(open, '/bookings')).headers.get('x-ratelimit-limit-default')).toBeNull();
  });
});

describe('Cal.com simulator: state changes', () => {
  it('reschedules as Cal.com does: a new uid pointing back, the old booking cancelled and pointing on', async () => {
    const sim = await start();
    const { previous, next } = sim.state.reschedule('futureAccepted00000000', {
      start: new Date(NOW + 9 * DAY).toISOString(),
    });
    expect(next.uid).not.toBe(previous.uid);
    expect(next.rescheduledFromUid).toBe('futureAccepted00000000');
    expect(next.updatedAt).toBeNull();
    expect(previous.status).toBe('cancelled');
    expect(previous.rescheduledToUid).toBe(next.uid);
    const served = (await call(sim, `/bookings/${next.uid}`)).body.data as CalcomBooking;
    expect(served.duration).toBe(60);
    expect(Date.parse(served.end) - Date.parse(served.start)).toBe(HOUR);
    const old = (await call(sim, '/bookings/futureAccepted00000000')).body.data as CalcomBooking;
    expect(old.status).toBe('cancelled');
  });

  it('cancels, confirms, rejects, marks no-shows and deletes, bumping updatedAt', async () => {
    const sim = await start();
    expect(sim.state.cancel('pastAccepted000000000a', { reason: 'Sick' }).cancellationReason).toBe(
      'Sick',
    );
    expect(sim.state.get('pastAccepted000000000a')!.updatedAt).toBe(new Date(NOW).toISOString());
    expect(sim.state.confirm('futurePending000000000').status).toBe('accepted');
    expect(sim.state.reject('expiredPending00000000').status).toBe('rejected');
    const email = sim.state.get('futureAccepted00000000')!.attendees[0]!.email;
    expect(
      sim.state.markAbsent('futureAccepted00000000', { attendeeEmail: email }).attendees[0]!.absent,
    ).toBe(true);
    expect(sim.state.markAbsent('futureAccepted00000000', 'host').absentHost).toBe(true);
    sim.state.remove('rejected00000000000000');
    expect((await call(sim, '/bookings/rejected00000000000000')).status).toBe(404);
  });
});

describe('Cal.com simulator: webhooks', () => {
  async function receiver(status = 200) {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(status, status === 301 ? { location: 'https://elsewhere.example/' } : {});
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('POSTs the 2021-10-20 envelope signed with a hex HMAC of the exact body', async () => {
    const sim = await start();
    const hook = await receiver();
    try {
      const delivery = await sim.deliverWebhook(
        hook.url,
        'whsec',
        'BOOKING_CREATED',
        'futureAccepted00000000',
      );
      expect(delivery.status).toBe(200);
      const [got] = hook.received;
      expect(got!.body).toBe(delivery.body);
      expect(got!.headers['x-cal-signature-256']).toBe(
        createHmac('sha256', 'whsec').update(got!.body).digest('hex'),
      );
      expect(got!.headers['x-cal-webhook-version']).toBe('2021-10-20');
      const envelope = JSON.parse(got!.body) as Json;
      expect(envelope.triggerEvent).toBe('BOOKING_CREATED');
      expect(envelope.createdAt).toBe(new Date(NOW).toISOString());
      expect(envelope.payload).toMatchObject({
        uid: 'futureAccepted00000000',
        status: 'ACCEPTED',
        startTime: sim.state.get('futureAccepted00000000')!.start,
        type: 'portfolio-review',
      });
      expect(envelope.payload.organizer.email).toBe(host.email);
      expect(envelope.payload.attendees[0].utcOffset).toBe(-300);
    } finally {
      await hook.close();
    }
  });

  it('adds the reschedule fields, says no-secret-provided without a secret, and does not follow redirects', async () => {
    const sim = await start();
    const { next } = sim.state.reschedule('futureAccepted00000000', {
      start: new Date(NOW + 20 * DAY).toISOString(),
    });
    const hook = await receiver(301);
    try {
      const delivery = await sim.deliverWebhook(hook.url, null, 'BOOKING_RESCHEDULED', next.uid);
      expect(delivery.status).toBe(301);
      expect(hook.received).toHaveLength(1);
      expect(delivery.headers['X-Cal-Signature-256']).toBe('no-secret-provided');
      const payload = (JSON.parse(delivery.body) as Json).payload;
      expect(payload.rescheduleUid).toBe('futureAccepted00000000');
      expect(payload.uid).toBe(next.uid);
      expect(payload.rescheduleStartTime).toBe(sim.state.get('futureAccepted00000000')!.start);
      await expect(
        sim.deliverWebhook(hook.url, null, 'BOOKING_CONFIRMED' as never, next.uid),
      ).rejects.toThrow(/not a Cal.com webhook trigger/);
    } finally {
      await hook.close();
    }
  });
});

describe('Cal.com simulator: faults', () => {
  it('injects 5xx, slow, hang, drop, malformed and truncated responses through the server', async () => {
    const sim = await start();
    const onBookings = (req: { path: string }) => req.path === '/v2/bookings';
    sim.faults.add({ fault: { kind: 'status', status: 503 }, times: 1, match: onBookings });
    expect((await fetch(`${sim.baseUrl}/bookings`)).status).toBe(503);

    sim.faults.add({ fault: { kind: 'malformed' }, times: 1 });
    const malformed = await fetch(`${sim.baseUrl}/bookings`, {
      headers: { authorization: `Bearer ${sim.apiKey}`, ...V2 },
    });
    await expect(malformed.json()).rejects.toThrow();

    sim.faults.add({ fault: { kind: 'truncated' }, times: 1 });
    const truncated = await fetch(`${sim.baseUrl}/bookings`, {
      headers: { authorization: `Bearer ${sim.apiKey}`, ...V2 },
    });
    const text = await truncated.text();
    expect(text.startsWith('{"status":"success"')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();

    sim.faults.add({ fault: { kind: 'drop' }, times: 1 });
    await expect(fetch(`${sim.baseUrl}/bookings`)).rejects.toThrow();

    sim.faults.add({ fault: { kind: 'hang' }, times: 1 });
    await expect(
      fetch(`${sim.baseUrl}/bookings`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();

    sim.faults.add({ fault: { kind: 'slow', ms: 150 }, times: 1 });
    const started = Date.now();
    const slow = await call(sim, '/bookings');
    expect(slow.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.requestCount()).toBe(sim.log.length);
    expect(sim.log.map((l) => l.status)).toEqual([503, 200, 200, 0, 0, 200]);
  });
});
