// Conformance of the Calendly simulator with /work/shared/api/calendly-tidycal.md part A: auth and
// `{title, message}` errors, /users/me, the scope rules and filters of GET /scheduled_events,
// page tokens and next_page URLs, invitees per event, event types, X-RateLimit-* headers, the
// reschedule/cancel/no-show state changes, webhook subscriptions and signed deliveries, faults.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CALENDLY_API_ORIGIN,
  calendlyTime,
  startCalendlySim,
  type CalendlyEvent,
  type CalendlyEventType,
  type CalendlyInvitee,
  type CalendlySim,
  type CalendlySimOptions,
  type CalendlyUser,
} from './calendly';

const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;
const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const user: CalendlyUser = {
  uri: `${CALENDLY_API_ORIGIN}/users/aa11bb22-cc33-4d44-8e55-ff6677889900`,
  name: 'Hana Host',
  slug: 'hana-host',
  email: 'hana@harborwealth.example',
  scheduling_url: 'https://calendly.com/hana-host',
  timezone: 'America/New_York',
  avatar_url: null,
  created_at: '2024-01-01T10:00:00.123456Z',
  updated_at: '2024-01-01T10:00:00.123456Z',
  current_organization: `${CALENDLY_API_ORIGIN}/organizations/0f0f0f0f-1111-4222-8333-444455556666`,
  resource_type: 'User',
  locale: 'en',
};

const eventType: CalendlyEventType = {
  uri: `${CALENDLY_API_ORIGIN}/event_types/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d`,
  name: 'Annual Review Meeting',
  active: true,
  booking_method: 'instant',
  slug: 'annual-review',
  scheduling_url: 'https://calendly.com/hana-host/annual-review',
  duration: 60,
  duration_options: null,
  kind: 'solo',
  pooling_type: null,
  type: 'StandardEventType',
  color: '#0069ff',
  created_at: '2024-01-02T10:00:00.000000Z',
  updated_at: '2024-01-02T10:00:00.000000Z',
  internal_note: null,
  description_plain: null,
  description_html: null,
  profile: { type: 'User', name: 'Hana Host', owner: user.uri },
  secret: false,
  deleted_at: null,
  admin_managed: false,
  locale: 'en',
  position: 0,
  custom_questions: [],
};

function event(index: number, startMs: number, limit = 1): CalendlyEvent {
  const uri = `${CALENDLY_API_ORIGIN}/scheduled_events/00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    uri,
    name: eventType.name,
    meeting_notes_plain: null,
    meeting_notes_html: null,
    status: 'active',
    start_time: calendlyTime(startMs),
    end_time: calendlyTime(startMs + 3_600_000),
    event_type: eventType.uri,
    location: { type: 'zoom', status: 'pushed', join_url: 'https://zoom.us/j/123' },
    invitees_counter: { total: 1, active: 1, limit },
    created_at: calendlyTime(startMs - 5 * DAY, 123_456),
    updated_at: calendlyTime(startMs - 5 * DAY, 654_321),
    event_memberships: [
      {
        user: user.uri,
        user_email: user.email,
        user_name: user.name,
        buffered_start_time: calendlyTime(startMs),
        buffered_end_time: calendlyTime(startMs + 3_600_000),
      },
    ],
    event_guests: [],
    calendar_event: { kind: 'google', external_id: `ext${index}` },
  };
}

function invitee(ofEvent: CalendlyEvent, n: number, email: string): CalendlyInvitee {
  const uuid = `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    uri: `${ofEvent.uri}/invitees/${uuid}`,
    event: ofEvent.uri,
    email,
    name: 'Ivy Invitee',
    first_name: null,
    last_name: null,
    status: 'active',
    timezone: 'Europe/Berlin',
    created_at: ofEvent.created_at,
    updated_at: ofEvent.created_at,
    questions_and_answers: [],
    rescheduled: false,
    old_invitee: null,
    new_invitee: null,
    cancellation: null,
    cancel_url: `https://calendly.com/cancellations/${uuid}`,
    reschedule_url: `https://calendly.com/reschedulings/${uuid}`,
    no_show: null,
    payment: null,
    reconfirmation: null,
    routing_form_submission: null,
    text_reminder_number: null,
    tracking: {},
    scheduling_method: null,
    invitee_scheduled_by: null,
  };
}

/** 45 one-on-one events a day apart around NOW, each with one invitee; every 9th is cancelled. */
function data() {
  const events: CalendlyEvent[] = [];
  const invitees: CalendlyInvitee[] = [];
  for (let i = 0; i < 45; i += 1) {
    let e = event(i, NOW + (i - 30) * DAY);
    if (i % 9 === 0) e = { ...e, status: 'canceled' };
    events.push(e);
    invitees.push(
      invitee(e, i, i === 7 ? 'Special.Person@client.example' : `person${i}@client.example`),
    );
  }
  return { user, eventTypes: [eventType], events, invitees };
}

const sims: CalendlySim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(options: Partial<CalendlySimOptions> = {}): Promise<CalendlySim> {
  const sim = await startCalendlySim({
    data: data(),
    now: () => NOW,
    rateLimit: false,
    ...options,
  });
  sims.push(sim);
  return sim;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

async function call(
  sim: CalendlySim,
  pathOrUrl: string,
  init: { method?: string; body?: unknown; auth?: string | null } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const auth = init.auth === undefined ? sim.apiKey : init.auth;
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${sim.baseUrl}${pathOrUrl}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Json) : {},
    headers: response.headers,
  };
}

const mine = `user=${encodeURIComponent(user.uri)}`;

describe('Calendly simulator: auth and the current user', () => {
  it('answers a missing or wrong token with 401 {title, message}', async () => {
    const sim = await start();
    for (const auth of [null, 'not-the-token']) {
      const { status, body } = await call(sim, '/users/me', { auth });
      expect(status).toBe(401);
      expect(Object.keys(body).sort()).toEqual(['message', 'title']);
      expect(body.title).toBe('Unauthenticated');
    }
  });

  it('returns the user as {resource} with URIs as ids', async () => {
    const sim = await start();
    const { body } = await call(sim, '/users/me');
    expect(body.resource.uri).toBe(user.uri);
    expect(body.resource.current_organization).toBe(user.current_organization);
  });
});

describe('Calendly simulator: GET /scheduled_events', () => {
  it('needs a scope: 400 with details for none, 403 with the sheet’s message for another user', async () => {
    const sim = await start();
    const none = await call(sim, '/scheduled_events');
    expect(none.status).toBe(400);
    expect(none.body.details[0].parameter).toBe('user');
    const other = await call(
      sim,
      `/scheduled_events?user=${encodeURIComponent(`${CALENDLY_API_ORIGIN}/users/someone-else`)}`,
    );
    expect(other.status).toBe(403);
    expect(other.body).toEqual({
      title: 'Permission Denied',
      message:
        'Please also specify organization when requesting events for a user within your organization',
    });
    const org = await call(
      sim,
      `/scheduled_events?organization=${encodeURIComponent(user.current_organization)}`,
    );
    expect(org.status).toBe(200);
    const otherOrg = await call(
      sim,
      `/scheduled_events?organization=${encodeURIComponent(`${CALENDLY_API_ORIGIN}/organizations/x`)}`,
    );
    expect(otherOrg.status).toBe(403);
  });

  it('refuses organization scope to a member who is not an admin', async () => {
    const sim = await start({ organizationRole: 'user' });
    const org = await call(
      sim,
      `/scheduled_events?organization=${encodeURIComponent(user.current_organization)}`,
    );
    expect(org.status).toBe(403);
    expect((await call(sim, `/scheduled_events?${mine}`)).status).toBe(200);
  });

  it('defaults to 20 per page, refuses count over 100 with details, and pages with tokens to the end', async () => {
    const sim = await start();
    const first = await call(sim, `/scheduled_events?${mine}`);
    expect(first.body.collection).toHaveLength(20);
    expect(first.body.pagination.count).toBe(20);
    expect(first.body.pagination.previous_page).toBeNull();
    const tooMany = await call(sim, `/scheduled_events?${mine}&count=101`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({
      title: 'Invalid Argument',
      details: [{ parameter: 'count', message: 'must be less than or equal to 100' }],
    });
    expect((await call(sim, `/scheduled_events?${mine}&count=0`)).status).toBe(400);

    const seen: string[] = [];
    let token: string | null = null;
    do {
      const query: string = `/scheduled_events?${mine}&count=7${token ? `&page_token=${token}` : ''}`;
      const { body } = await call(sim, query);
      seen.push(...(body.collection as CalendlyEvent[]).map((e) => e.uri));
      token = body.pagination.next_page_token as string | null;
      if (token) expect(body.pagination.next_page).toContain(`page_token=${token}`);
    } while (token);
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
  });

  it('serves next_page as a URL on the simulator that a client can follow as given', async () => {
    const sim = await start();
    const first = await call(sim, `/scheduled_events?${mine}&count=30&sort=start_time:desc`);
    const next = first.body.pagination.next_page as string;
    expect(next.startsWith(sim.baseUrl)).toBe(true);
    const second = await call(sim, next);
    expect(second.body.collection).toHaveLength(15);
    expect(second.body.pagination.next_page).toBeNull();
    expect(second.body.pagination.previous_page_token).not.toBeNull();
    const starts = [...first.body.collection, ...second.body.collection].map(
      (e: CalendlyEvent) => e.start_time,
    );
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it('refuses a page token reused with other filters, and a made-up one', async () => {
    const sim = await start();
    const token = (await call(sim, `/scheduled_events?${mine}&count=5`)).body.pagination
      .next_page_token as string;
    const changed = await call(
      sim,
      `/scheduled_events?${mine}&count=5&status=active&page_token=${token}`,
    );
    expect(changed.status).toBe(400);
    expect(changed.body.details[0].parameter).toBe('page_token');
    expect((await call(sim, `/scheduled_events?${mine}&page_token=garbage`)).status).toBe(400);
  });

  it('filters by start window, status and invitee email; sorts only by start_time', async () => {
    const sim = await start();
    const min = calendlyTime(NOW);
    const max = calendlyTime(NOW + 5 * DAY);
    const window = await call(
      sim,
      `/scheduled_events?${mine}&min_start_time=${min}&max_start_time=${max}`,
    );
    const starts = (window.body.collection as CalendlyEvent[]).map((e) => Date.parse(e.start_time));
    expect(starts).toHaveLength(5);
    for (const s of starts) expect(s >= NOW && s < NOW + 5 * DAY).toBe(true);
    const cancelled = await call(sim, `/scheduled_events?${mine}&status=canceled&count=100`);
    expect(cancelled.body.collection).toHaveLength(5);
    const byEmail = await call(
      sim,
      `/scheduled_events?${mine}&invitee_email=special.person@client.example`,
    );
    expect(byEmail.body.collection).toHaveLength(1);
    for (const bad of ['status=cancelled', 'sort=created_at:asc', 'min_start_time=last-week'])
      expect((await call(sim, `/scheduled_events?${mine}&${bad}`)).status, bad).toBe(400);
  });

  it('returns one event, its invitees in the same envelope, one invitee, and 404s', async () => {
    const sim = await start();
    const e = sim.state.events()[3]!;
    const uuid = e.uri.split('/').pop()!;
    expect((await call(sim, `/scheduled_events/${uuid}`)).body.resource.uri).toBe(e.uri);
    const list = await call(sim, `/scheduled_events/${uuid}/invitees`);
    expect(list.body.collection[0].event).toBe(e.uri);
    expect(list.body.pagination).toMatchObject({ next_page: null, next_page_token: null });
    const inviteeUuid = (list.body.collection[0].uri as string).split('/').pop();
    expect(
      (await call(sim, `/scheduled_events/${uuid}/invitees/${inviteeUuid}`)).body.resource.email,
    ).toBe('person3@client.example');
    const missing = await call(sim, '/scheduled_events/nope/invitees');
    expect(missing.status).toBe(404);
    expect(missing.body.title).toBe('Resource Not Found');
  });

  it('keeps microsecond timestamps as given', async () => {
    const sim = await start();
    const { body } = await call(sim, `/scheduled_events?${mine}&count=1`);
    expect(body.collection[0].created_at).toMatch(MICROS);
    const served = body.collection[0] as CalendlyEvent;
    expect(served.created_at).toBe(sim.state.getEvent(served.uri)!.created_at);
    expect(served.created_at.endsWith('456Z')).toBe(true);
  });

  it('lists event types for the user', async () => {
    const sim = await start();
    expect((await call(sim, '/event_types')).status).toBe(400);
    const { body } = await call(sim, `/event_types?${mine}`);
    expect(body.collection.map((t: CalendlyEventType) => t.slug)).toEqual(['annual-review']);
  });
});

describe('Calendly simulator: rate limit headers', () => {
  it('sends X-RateLimit-* on every response and 429 past the limit, reset in seconds', async () => {
    let now = NOW;
    const sim = await start({ now: () => now, rateLimit: { limit: 2, windowMs: 1000 } });
    const first = await call(sim, '/users/me');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset')).toBe('1');
    expect((await call(sim, '/users/me')).status).toBe(200);
    const limited = await call(sim, '/users/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    now += 1000;
    expect((await call(sim, '/users/me')).status).toBe(200);
  });

  it('uses 50/min on the free plan and 500/min on paid plans', async () => {
    const free = await start({ plan: 'free', rateLimit: undefined });
    expect((await call(free, '/users/me')).headers.get('x-ratelimit-limit')).toBe('50');
    const paid = await start({ rateLimit: undefined });
    expect((await call(paid, '/users/me', { auth: null })).headers.get('x-ratelimit-limit')).toBe(
      '500',
    );
  });
});

describe('Calendly simulator: state changes', () => {
  it('reschedules as cancel + new event, linked on the invitees', async () => {
    const sim = await start();
    const old = sim.state.invitees(sim.state.events()[40]!.uri)[0]!;
    const moved = sim.state.reschedule(old.uri, { start: new Date(NOW + 60 * DAY).toISOString() });
    expect(moved.previousInvitee).toMatchObject({
      status: 'canceled',
      rescheduled: true,
      new_invitee: moved.nextInvitee.uri,
    });
    expect(moved.previousInvitee.cancellation?.canceler_type).toBe('invitee');
    expect(moved.previousEvent.status).toBe('canceled');
    expect(moved.previousEvent.invitees_counter.active).toBe(0);
    expect(moved.nextInvitee.old_invitee).toBe(old.uri);
    expect(moved.nextEvent.uri).not.toBe(moved.previousEvent.uri);
    expect(moved.nextEvent.calendar_event).toEqual(moved.previousEvent.calendar_event);
    expect(moved.nextEvent.start_time).toMatch(MICROS);
    const listed = await call(sim, `/scheduled_events?${mine}&count=100`);
    expect(listed.body.collection).toHaveLength(46);
  });

  it('cancels a one-on-one event with its invitee, but a group event stays active', async () => {
    const sim = await start();
    const solo = sim.state.invitees(sim.state.events()[10]!.uri)[0]!;
    sim.state.cancelInvitee(solo.uri, 'Travelling');
    expect(sim.state.getEvent(solo.event)!.status).toBe('canceled');
    const group = event(99, NOW + 3 * DAY, 10);
    sim.state.addEvent(group, [
      invitee(group, 990, 'a@client.example'),
      invitee(group, 991, 'b@client.example'),
    ]);
    sim.state.cancelInvitee(`${group.uri}/invitees/11111111-0000-4000-8000-000000000990`);
    const after = sim.state.getEvent(group.uri)!;
    expect(after.status).toBe('active');
    expect(after.invitees_counter).toEqual({ total: 2, active: 1, limit: 10 });
    const host = sim.state.cancelEvent(group.uri, { reason: 'Host ill' });
    expect(host.cancellation).toMatchObject({
      canceler_type: 'host',
      reason: 'Host ill',
      canceled_by: user.name,
    });
  });

  it('marks and unmarks no-shows and erases events', async () => {
    const sim = await start();
    const e = sim.state.events()[5]!;
    const i = sim.state.invitees(e.uri)[0]!;
    expect(sim.state.markNoShow(i.uri).no_show?.uri).toMatch(/invitee_no_shows/);
    expect(sim.state.unmarkNoShow(i.uri).no_show).toBeNull();
    sim.state.removeEvent(e.uri);
    expect((await call(sim, `/scheduled_events/${e.uri.split('/').pop()}`)).status).toBe(404);
  });
});

describe('Calendly simulator: webhook subscriptions', () => {
  const body = (overrides: Record<string, unknown> = {}) => ({
    url: 'https://hooks.example/calendly',
    events: ['invitee.created', 'invitee.canceled'],
    organization: user.current_organization,
    user: user.uri,
    scope: 'user',
    signing_key: 'sekrit',
    ...overrides,
  });

  it('validates the body, gates the free plan, refuses duplicate URLs and never echoes the key', async () => {
    const sim = await start();
    const missing = await call(sim, '/webhook_subscriptions', {
      method: 'POST',
      body: body({ url: undefined }),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: Json) => d.parameter)).toContain('url');
    const badEvent = await call(sim, '/webhook_subscriptions', {
      method: 'POST',
      body: body({ events: ['invitee.updated'] }),
    });
    expect(badEvent.status).toBe(400);
    const noUser = await call(sim, '/webhook_subscriptions', {
      method: 'POST',
      body: body({ user: undefined }),
    });
    expect(noUser.body.details.map((d: Json) => d.parameter)).toContain('user');
    const routing = await call(sim, '/webhook_subscriptions', {
      method: 'POST',
      body: body({ events: ['routing_form_submission.created'] }),
    });
    expect(routing.status).toBe(400);

    const created = await call(sim, '/webhook_subscriptions', { method: 'POST', body: body() });
    expect(created.status).toBe(201);
    expect(created.body.resource).toMatchObject({
      callback_url: 'https://hooks.example/calendly',
      state: 'active',
      scope: 'user',
      user: user.uri,
      retry_started_at: null,
    });
    expect(JSON.stringify(created.body)).not.toContain('sekrit');
    const duplicate = await call(sim, '/webhook_subscriptions', { method: 'POST', body: body() });
    expect(duplicate.status).toBe(409);

    const free = await start({ plan: 'free' });
    const gated = await call(free, '/webhook_subscriptions', { method: 'POST', body: body() });
    expect(gated.status).toBe(403);
    expect(gated.body.message).toBe('Please upgrade your Calendly account to Standard');
  });

  it('lists (organization and scope required) and deletes subscriptions', async () => {
    const sim = await start();
    const created = (await call(sim, '/webhook_subscriptions', { method: 'POST', body: body() }))
      .body.resource;
    expect((await call(sim, '/webhook_subscriptions')).status).toBe(400);
    const org = encodeURIComponent(user.current_organization);
    const list = await call(sim, `/webhook_subscriptions?organization=${org}&scope=user&${mine}`);
    expect(list.body.collection.map((s: Json) => s.uri)).toEqual([created.uri]);
    const uuid = (created.uri as string).split('/').pop();
    expect((await call(sim, `/webhook_subscriptions/${uuid}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await call(sim, `/webhook_subscriptions/${uuid}`)).status).toBe(404);
  });

  async function receiver(statuses: number[]) {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(statuses.shift() ?? 200);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/calendly`;
    return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('signs deliveries with t=…,v1=… over t + "." + body, and reacts to failures and 410', async () => {
    const sim = await start();
    const hook = await receiver([200, 500, 410]);
    try {
      const subscription = (
        await call(sim, '/webhook_subscriptions', { method: 'POST', body: body({ url: hook.url }) })
      ).body.resource as Json;
      const target = sim.state.invitees(sim.state.events()[2]!.uri)[0]!;
      const ok = await sim.deliverWebhook(
        subscription.uri as string,
        'invitee.created',
        target.uri,
      );
      expect(ok.status).toBe(200);
      const [got] = hook.received;
      const header = got!.headers['calendly-webhook-signature'] as string;
      const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
      expect(Number(m[1])).toBe(Math.floor(NOW / 1000));
      expect(m[2]).toBe(
        createHmac('sha256', 'sekrit').update(`${m[1]}.${got!.body}`).digest('hex'),
      );
      const envelope = JSON.parse(got!.body) as Json;
      expect(envelope).toMatchObject({ event: 'invitee.created', created_by: user.uri });
      expect(envelope.payload.uri).toBe(target.uri);
      expect(envelope.payload.scheduled_event.uri).toBe(target.event);

      await sim.deliverWebhook(subscription.uri as string, 'invitee.canceled', target.uri);
      expect(sim.state.subscriptions()[0]!.retry_started_at).not.toBeNull();
      await sim.deliverWebhook(subscription.uri as string, 'invitee.canceled', target.uri);
      expect(sim.state.subscriptions()).toHaveLength(0);
      await expect(
        sim.deliverWebhook(subscription.uri as string, 'invitee.created', target.uri),
      ).rejects.toThrow();
    } finally {
      await hook.close();
    }
  });
});

describe('Calendly simulator: faults', () => {
  it('passes injected faults through', async () => {
    const sim = await start();
    sim.faults.add({ fault: { kind: 'status', status: 502 }, times: 1 });
    expect((await call(sim, '/users/me').catch(() => ({ status: -1 }))).status).toBe(502);
    sim.faults.add({ fault: { kind: 'truncated' }, times: 1 });
    const response = await fetch(`${sim.baseUrl}/scheduled_events?${mine}`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    await expect(response.json()).rejects.toThrow();
    sim.faults.add({ fault: { kind: 'drop' }, times: 1 });
    await expect(fetch(`${sim.baseUrl}/users/me`)).rejects.toThrow();
    expect(sim.requestCount()).toBe(3);
  });
});
