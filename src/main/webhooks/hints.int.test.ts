// Webhooks as hints, end to end: the Cal.com and Calendly simulators send real signed deliveries
// to the receiver, hints re-fetch through the real connectors, and bookings land in a real
// encrypted database. Webhook-then-sync and sync-then-webhook must leave identical stores, and
// duplicated or out-of-order deliveries must change nothing extra.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/temp';
import { migration0060 } from '../db/migrations/0060-webhooks';
import { openDatabase, type Db } from '../db/open';
import {
  startCalcomSim,
  type CalcomBooking,
  type CalcomSim,
  type WebhookDelivery,
} from '../demo/sim/calcom';
import {
  calendlyTime,
  startCalendlySim,
  type CalendlyEvent,
  type CalendlyInvitee,
  type CalendlySim,
} from '../demo/sim/calendly';
import { HttpClient } from '../net/http';
import { RateBudget } from '../net/rate-budget';
import { createCalcomConnector } from '../sources/calcom/connector';
import { createCalendlyConnector } from '../sources/calendly/connector';
import type { SourceConnector } from '../sources/connector';
import { runSourceSync } from '../sync/engine';
import { createCalendlySubscription } from './calendly-subscriptions';
import { hasWebhookTables, recordSyncFindings } from './health';
import { processHint } from './hints';
import { startWebhookReceiver, WEBHOOK_ROUTES, type WebhookReceiver } from './receiver';
import { createWebhookRuntime, type WebhookRuntime } from './runtime';
import { signCalcom } from './signatures';
import type { WebhookSource } from './types';

const ADVISOR = 'advisor@harborwealth.example';
const OWN = new Set([ADVISOR]);
const CALCOM_SECRET = 'calcom-webhook-secret-hints';
const CALENDLY_ORIGIN = 'https://api.calendly.com';

// ---------------------------------------------------------------------------------------------
// Fixtures in each API's own shape

function calcomBooking(
  id: number,
  uid: string,
  startIso: string,
  person: string,
  createdAt = '2026-10-01T10:00:00.000Z',
): CalcomBooking {
  const start = Date.parse(startIso);
  const email = `${person.toLowerCase()}@example.com`;
  return {
    id,
    uid,
    title: `Portfolio review with ${person}`,
    description: '',
    hosts: [
      {
        id: 1,
        name: 'Advisor',
        email: ADVISOR,
        displayEmail: ADVISOR,
        username: 'advisor',
        timeZone: 'America/New_York',
      },
    ],
    status: 'accepted',
    start: new Date(start).toISOString(),
    end: new Date(start + 3_600_000).toISOString(),
    duration: 60,
    eventTypeId: 10,
    eventType: { id: 10, slug: 'portfolio-review' },
    location: `https://meet.example.com/${uid}`,
    absentHost: false,
    createdAt,
    updatedAt: null,
    metadata: {},
    icsUid: `${uid}@Cal.com`,
    attendees: [
      { name: person, email, displayEmail: email, timeZone: 'Europe/Berlin', absent: false },
      {
        name: 'Advisor',
        email: ADVISOR,
        displayEmail: ADVISOR,
        timeZone: 'America/New_York',
        absent: false,
      },
    ],
    bookingFieldsResponses: { name: person, email, notes: 'Quarterly check-in' },
  };
}

function calendlyPair(
  eventUuid: string,
  inviteeUuid: string,
  startIso: string,
  person: string,
): { event: CalendlyEvent; invitee: CalendlyInvitee } {
  const start = Date.parse(startIso);
  const uri = `${CALENDLY_ORIGIN}/scheduled_events/${eventUuid}`;
  const created = calendlyTime(Date.parse('2026-10-01T10:00:00Z'), 123);
  const event: CalendlyEvent = {
    uri,
    name: 'Portfolio Review',
    meeting_notes_plain: null,
    meeting_notes_html: null,
    status: 'active',
    start_time: calendlyTime(start),
    end_time: calendlyTime(start + 1_800_000),
    event_type: `${CALENDLY_ORIGIN}/event_types/et-review`,
    location: { type: 'zoom', status: 'pushed', join_url: 'https://zoom.example.com/j/1' },
    invitees_counter: { total: 1, active: 1, limit: 1 },
    created_at: created,
    updated_at: created,
    event_memberships: [
      {
        user: `${CALENDLY_ORIGIN}/users/0b6a1f8e-4c7d-4e2a-9f3b-5d8c7e6a1b20`,
        user_email: ADVISOR,
        user_name: 'Advisor',
        buffered_start_time: calendlyTime(start),
        buffered_end_time: calendlyTime(start + 1_800_000),
      },
    ],
    event_guests: [],
    calendar_event: null,
  };
  const invitee: CalendlyInvitee = {
    uri: `${uri}/invitees/${inviteeUuid}`,
    event: uri,
    email: `${person.toLowerCase()}@example.org`,
    name: person,
    first_name: null,
    last_name: null,
    status: 'active',
    timezone: 'Europe/Berlin',
    created_at: created,
    updated_at: created,
    questions_and_answers: [{ question: 'Topics?', answer: 'Rebalancing', position: 0 }],
    rescheduled: false,
    old_invitee: null,
    new_invitee: null,
    cancellation: null,
    cancel_url: `https://calendly.com/cancellations/${inviteeUuid}`,
    reschedule_url: `https://calendly.com/reschedulings/${inviteeUuid}`,
    no_show: null,
    payment: null,
    reconfirmation: null,
    routing_form_submission: null,
    text_reminder_number: null,
    tracking: {},
    scheduling_method: null,
    invitee_scheduled_by: null,
  };
  return { event, invitee };
}

// ---------------------------------------------------------------------------------------------
// Stations: one encrypted store with its own connectors, receiver and runtime

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openStore(): Db {
  const db = openDatabase({
    file: join(tempDir(), 'cadence.db'),
    keyHex: randomBytes(32).toString('hex'),
  });
  // Until the integrator registers 0060, openDatabase stops before it.
  if (!hasWebhookTables(db)) migration0060.up(db);
  cleanups.push(() => {
    db.close();
  });
  return db;
}

function httpFor(source: WebhookSource): HttpClient {
  return new HttpClient({
    source,
    budget: new RateBudget({ limitPerMinute: Infinity }),
    timeoutMs: 5000,
    baseBackoffMs: 20,
  });
}

type Station = {
  db: Db;
  connectors: Record<WebhookSource, SourceConnector>;
  http: Record<WebhookSource, HttpClient>;
  runtime: WebhookRuntime;
  receiver: WebhookReceiver;
  stored: number[][];
};

async function station(
  sims: Readonly<{ calcom: CalcomSim; calendly: CalendlySim }>,
  calendlyKey: () => string | null = () => null,
): Promise<Station> {
  const db = openStore();
  const http = { calcom: httpFor('calcom'), calendly: httpFor('calendly') };
  const connectors = {
    calcom: createCalcomConnector({
      http: http.calcom,
      baseUrl: sims.calcom.baseUrl,
      apiKey: sims.calcom.apiKey,
    }),
    calendly: createCalendlyConnector({
      http: http.calendly,
      baseUrl: sims.calendly.baseUrl,
      apiKey: sims.calendly.apiKey,
    }),
  };
  const stored: number[][] = [];
  const runtime = createWebhookRuntime({
    db,
    connectorFor: (source) => connectors[source],
    ownEmails: () => OWN,
    now: () => new Date(),
    afterStore: (ids) => {
      stored.push([...ids]);
    },
  });
  const receiver = await startWebhookReceiver({
    port: 0,
    host: '127.0.0.1',
    secrets: { calcom: async () => CALCOM_SECRET, calendly: async () => calendlyKey() },
    onHint: runtime.onHint,
    onDelivery: runtime.onDelivery,
  });
  cleanups.push(() => receiver.close());
  return { db, connectors, http, runtime, receiver, stored };
}

async function sync(s: Station, source: WebhookSource) {
  const result = await runSourceSync({
    db: s.db,
    connector: s.connectors[source],
    http: s.http[source],
    mode: 'incremental',
    signal: new AbortController().signal,
    now: () => new Date(),
    trigger: 'test',
    ownEmails: OWN,
    onProgress: () => {},
  });
  expect(result.state, result.error?.message).toBe('ok');
  return result;
}

/** The store without local ids and timestamps: what webhooks and syncs must agree on. */
function snapshot(db: Db) {
  const bookings = (
    db
      .prepare(
        `SELECT b.*, s.source_id AS superseded_by_source_id FROM bookings b
         LEFT JOIN bookings s ON s.id = b.superseded_by ORDER BY b.source, b.source_id`,
      )
      .all() as Record<string, unknown>[]
  ).map(
    ({
      id: _i,
      superseded_by: _s,
      first_seen_at: _f,
      last_seen_at: _l,
      changed_at: _c,
      details_read_at: _d,
      ...rest
    }) => rest,
  );
  const attendees = (
    db
      .prepare(
        `SELECT b.source, b.source_id, a.* FROM attendees a JOIN bookings b ON b.id = a.booking_id
         ORDER BY b.source, b.source_id, a.position`,
      )
      .all() as Record<string, unknown>[]
  ).map(({ id: _i, booking_id: _b, ...rest }) => rest);
  const history = (
    db
      .prepare(
        `SELECT b.source_id, h.kind, h.from_status, h.to_status, h.from_start_utc, h.to_start_utc, h.detail
         FROM booking_history h JOIN bookings b ON b.id = h.booking_id`,
      )
      .all() as Record<string, unknown>[]
  )
    .map((row) => JSON.stringify(row))
    .sort();
  return { bookings, attendees, history };
}

function count(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

async function replay(
  url: string,
  delivery: WebhookDelivery | { body: string; headers: Readonly<Record<string, string>> },
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

async function startSims() {
  const calcom = await startCalcomSim({
    data: {
      user: {
        id: 1,
        username: 'advisor',
        email: ADVISOR,
        name: 'Advisor',
        timeZone: 'America/New_York',
        weekStart: 'Sunday',
        timeFormat: 12,
        defaultScheduleId: null,
        organizationId: null,
      },
      eventTypes: [],
      bookings: [
        calcomBooking(1, 'bkAlpha0000000000000001', '2026-12-01T15:00:00Z', 'Alma'),
        calcomBooking(2, 'bkBravo0000000000000002', '2026-12-02T15:00:00Z', 'Bruno'),
        calcomBooking(3, 'bkCharlie00000000000003', '2026-12-03T15:00:00Z', 'Chiara'),
      ],
    },
  });
  const calendly = await startCalendlySim();
  cleanups.push(() => calcom.close());
  cleanups.push(() => calendly.close());
  for (const [n, person] of [
    [1, 'Dana'],
    [2, 'Emil'],
  ] as const) {
    const { event, invitee } = calendlyPair(
      `ev00000${n}-6a7d-4b1e-9c2a-1d2e3f4a5b6c`,
      `in00000${n}-3a29-4818-a7b6-c5d4e3f2a1b0`,
      `2026-12-0${n + 4}T16:00:00Z`,
      person,
    );
    calendly.state.addEvent(event, [invitee]);
  }
  return { calcom, calendly };
}

async function subscribe(sims: { calendly: CalendlySim }, s: Station) {
  const created = await createCalendlySubscription(
    { http: s.http.calendly, baseUrl: sims.calendly.baseUrl, apiKey: sims.calendly.apiKey },
    { url: `${s.receiver.url}${WEBHOOK_ROUTES.calendly}`, signal: AbortSignal.timeout(5000) },
  );
  return created;
}

// ---------------------------------------------------------------------------------------------

describe('webhook hints against the simulators', () => {
  it('webhook-then-sync and sync-then-webhook leave identical stores', async () => {
    const sims = await startSims();
    let key1: string | null = null;
    let key2: string | null = null;
    const first = await station(sims, () => key1);
    const second = await station(sims, () => key2);
    const sub1 = await subscribe(sims, first);
    const sub2 = await subscribe(sims, second);
    key1 = sub1.signingKey;
    key2 = sub2.signingKey;
    for (const s of [first, second]) {
      await sync(s, 'calcom');
      await sync(s, 'calendly');
    }
    expect(snapshot(first.db)).toEqual(snapshot(second.db));

    // Things happen at the services: a reschedule, a cancellation, a new booking, a no-show.
    const resched = sims.calcom.state.reschedule('bkAlpha0000000000000001', {
      start: '2026-12-08T15:00:00Z',
      reason: 'travel',
    });
    sims.calcom.state.cancel('bkBravo0000000000000002', { reason: 'conflict' });
    sims.calcom.state.add(
      calcomBooking(
        9,
        'bkDelta0000000000000009',
        '2026-12-09T15:00:00Z',
        'Dario',
        new Date().toISOString(),
      ),
    );
    const danaInvitee = `${CALENDLY_ORIGIN}/scheduled_events/ev000001-6a7d-4b1e-9c2a-1d2e3f4a5b6c/invitees/in000001-3a29-4818-a7b6-c5d4e3f2a1b0`;
    const moved = sims.calendly.state.reschedule(danaInvitee, { start: '2026-12-10T16:00:00Z' });
    const emilInvitee = `${CALENDLY_ORIGIN}/scheduled_events/ev000002-6a7d-4b1e-9c2a-1d2e3f4a5b6c/invitees/in000002-3a29-4818-a7b6-c5d4e3f2a1b0`;
    sims.calendly.state.markNoShow(emilInvitee);

    const deliverAll = async (s: Station, sub: typeof sub1) => {
      const url = `${s.receiver.url}${WEBHOOK_ROUTES.calcom}`;
      const replies = [
        await sims.calcom.deliverWebhook(
          url,
          CALCOM_SECRET,
          'BOOKING_RESCHEDULED',
          resched.next.uid,
        ),
        await sims.calcom.deliverWebhook(
          url,
          CALCOM_SECRET,
          'BOOKING_CANCELLED',
          'bkBravo0000000000000002',
        ),
        await sims.calcom.deliverWebhook(
          url,
          CALCOM_SECRET,
          'BOOKING_CREATED',
          'bkDelta0000000000000009',
        ),
        await sims.calendly.deliverWebhook(
          sub.subscription.uri,
          'invitee.created',
          moved.nextInvitee.uri,
        ),
        await sims.calendly.deliverWebhook(
          sub.subscription.uri,
          'invitee.canceled',
          moved.previousInvitee.uri,
        ),
        await sims.calendly.deliverWebhook(
          sub.subscription.uri,
          'invitee_no_show.created',
          emilInvitee,
        ),
      ];
      expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202]);
      await s.runtime.idle();
    };

    // First station: webhooks, then the sync.
    await deliverAll(first, sub1);
    const afterHints = snapshot(first.db);
    const calcomRun1 = await sync(first, 'calcom');
    const calendlyRun1 = await sync(first, 'calendly');
    expect(snapshot(first.db)).toEqual(afterHints); // the sync found nothing new
    expect(calcomRun1.created + calcomRun1.updated).toBe(0);
    expect(calendlyRun1.created + calendlyRun1.updated).toBe(0);
    // What the sync found that no webhook had reported (the sync extension records this).
    expect(
      recordSyncFindings(first.db, { runId: calcomRun1.runId, now: new Date() }),
    ).toMatchObject({
      changes: 0,
      withoutWebhook: 0,
    });

    // Second station: the sync, then the same webhooks.
    const calcomRun2 = await sync(second, 'calcom');
    const calendlyRun2 = await sync(second, 'calendly');
    expect(calcomRun2.created + calcomRun2.updated).toBe(4);
    expect(
      recordSyncFindings(second.db, { runId: calcomRun2.runId, now: new Date() }),
    ).toMatchObject({
      changes: 4,
      withoutWebhook: 4,
    });
    expect(
      recordSyncFindings(second.db, { runId: calendlyRun2.runId, now: new Date() }),
    ).toMatchObject({ changes: 2, withoutWebhook: 2 });
    await deliverAll(second, sub2);

    expect(snapshot(second.db)).toEqual(snapshot(first.db));

    // The Calendly no-show is invisible to the incremental sync (the event's updated_at does not
    // move), which is exactly what the webhook is for: only the second station's hint stored it.
    const noShow = (db: Db) =>
      db.prepare('SELECT no_show FROM attendees WHERE source_ref = ?').get(emilInvitee) as {
        no_show: number;
      };
    expect(noShow(first.db).no_show).toBe(1);
    expect(noShow(second.db).no_show).toBe(1);

    // Hints reported what they changed: all of it on the first station, only the no-show on the
    // second (the sync had already stored the rest).
    const changedFlags = (db: Db) =>
      (
        db
          .prepare(
            "SELECT trigger, hint_changed FROM webhook_deliveries WHERE outcome = 'accepted' ORDER BY id",
          )
          .all() as { trigger: string; hint_changed: number }[]
      ).map((r) => `${r.trigger}:${r.hint_changed}`);
    expect(changedFlags(first.db)).toEqual([
      'BOOKING_RESCHEDULED:1',
      'BOOKING_CANCELLED:1',
      'BOOKING_CREATED:1',
      'invitee.created:1',
      'invitee.canceled:0',
      'invitee_no_show.created:1',
    ]);
    expect(changedFlags(second.db)).toEqual([
      'BOOKING_RESCHEDULED:0',
      'BOOKING_CANCELLED:0',
      'BOOKING_CREATED:0',
      'invitee.created:0',
      'invitee.canceled:0',
      'invitee_no_show.created:1',
    ]);
    expect(first.stored.length).toBe(5);
  });

  it('duplicated and out-of-order deliveries of a reschedule change nothing extra', async () => {
    const sims = await startSims();
    let key: string | null = null;
    const s = await station(sims, () => key);
    const sub = await subscribe(sims, s);
    key = sub.signingKey;
    await sync(s, 'calcom');
    await sync(s, 'calendly');
    const calcomUrl = `${s.receiver.url}${WEBHOOK_ROUTES.calcom}`;

    const resched = sims.calcom.state.reschedule('bkCharlie00000000000003', {
      start: '2026-12-11T15:00:00Z',
    });
    // The old booking's cancellation arrives first, then the reschedule itself.
    const cancelled = await sims.calcom.deliverWebhook(
      calcomUrl,
      CALCOM_SECRET,
      'BOOKING_CANCELLED',
      resched.previous.uid,
    );
    const rescheduled = await sims.calcom.deliverWebhook(
      calcomUrl,
      CALCOM_SECRET,
      'BOOKING_RESCHEDULED',
      resched.next.uid,
    );
    const dana = `${CALENDLY_ORIGIN}/scheduled_events/ev000001-6a7d-4b1e-9c2a-1d2e3f4a5b6c/invitees/in000001-3a29-4818-a7b6-c5d4e3f2a1b0`;
    const moved = sims.calendly.state.reschedule(dana, { start: '2026-12-12T16:00:00Z' });
    const created = await sims.calendly.deliverWebhook(
      sub.subscription.uri,
      'invitee.created',
      moved.nextInvitee.uri,
    );
    const canceled = await sims.calendly.deliverWebhook(
      sub.subscription.uri,
      'invitee.canceled',
      moved.previousInvitee.uri,
    );
    expect([cancelled, rescheduled, created, canceled].map((d) => d.status)).toEqual([
      202, 202, 202, 202,
    ]);
    await s.runtime.idle();
    const settled = snapshot(s.db);
    const bookingsBefore = count(s.db, 'bookings');
    const historyBefore = count(s.db, 'booking_history');
    const old = settled.bookings.find((b) => b.source_id === resched.previous.uid)!;
    expect(old).toMatchObject({ status: 'cancelled', superseded_by_source_id: resched.next.uid });
    const oldEvent = settled.bookings.find((b) => b.source_id === moved.previousEvent.uri)!;
    expect(oldEvent).toMatchObject({
      status: 'cancelled',
      superseded_by_source_id: moved.nextEvent.uri,
    });

    // Exact replays (the same bytes and signature) are duplicates: no hint at all.
    const calendlyUrl = `${s.receiver.url}${WEBHOOK_ROUTES.calendly}`;
    for (const [url, d] of [
      [calcomUrl, rescheduled],
      [calcomUrl, cancelled],
      [calendlyUrl, created],
    ] as const) {
      expect(await replay(url, d)).toEqual({ status: 200, json: { status: 'duplicate' } });
    }
    // Fresh deliveries about the same bookings, in reverse order: re-fetched, and nothing changes.
    await sims.calcom.deliverWebhook(
      calcomUrl,
      CALCOM_SECRET,
      'BOOKING_RESCHEDULED',
      resched.next.uid,
    );
    await sims.calcom.deliverWebhook(
      calcomUrl,
      CALCOM_SECRET,
      'BOOKING_CANCELLED',
      resched.previous.uid,
    );
    await sims.calendly.deliverWebhook(
      sub.subscription.uri,
      'invitee.canceled',
      moved.previousInvitee.uri,
    );
    await sims.calendly.deliverWebhook(
      sub.subscription.uri,
      'invitee.created',
      moved.nextInvitee.uri,
    );
    await s.runtime.idle();
    expect(snapshot(s.db)).toEqual(settled);
    expect(count(s.db, 'bookings')).toBe(bookingsBefore);
    expect(count(s.db, 'booking_history')).toBe(historyBefore);
    const outcomes = s.db
      .prepare(
        'SELECT outcome, count(*) AS n, sum(hint_changed) AS changed FROM webhook_deliveries GROUP BY outcome ORDER BY outcome',
      )
      .all();
    expect(outcomes).toEqual([
      { outcome: 'accepted', n: 8, changed: 3 },
      { outcome: 'duplicate', n: 3, changed: 0 },
    ]);
    // And a sync afterwards agrees.
    await sync(s, 'calcom');
    await sync(s, 'calendly');
    expect(snapshot(s.db)).toEqual(settled);
  });

  it('stores what the API says now, never what the delivery body says', async () => {
    const sims = await startSims();
    const s = await station(sims);
    const body = JSON.stringify({
      triggerEvent: 'BOOKING_CREATED',
      createdAt: new Date().toISOString(),
      payload: {
        uid: 'bkAlpha0000000000000001',
        title: 'Forged title',
        status: 'ACCEPTED',
        startTime: '2030-01-01T00:00:00Z',
        attendees: [{ email: 'someone-else@example.com', name: 'Someone Else' }],
      },
    });
    sims.calcom.state.cancel('bkAlpha0000000000000001', { reason: 'ill' });
    const reply = await replay(`${s.receiver.url}${WEBHOOK_ROUTES.calcom}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'x-cal-signature-256': signCalcom(body, CALCOM_SECRET),
      },
    });
    expect(reply.status).toBe(202);
    await s.runtime.idle();
    const row = s.db
      .prepare(
        'SELECT title, status, start_utc, cancellation_reason FROM bookings WHERE source_id = ?',
      )
      .get('bkAlpha0000000000000001');
    expect(row).toEqual({
      title: 'Portfolio review with Alma',
      status: 'cancelled',
      start_utc: '2026-12-01T15:00:00.000Z',
      cancellation_reason: 'ill',
    });
    const emails = s.db.prepare('SELECT email FROM attendees').all() as { email: string }[];
    expect(emails.map((e) => e.email)).toEqual(['alma@example.com']); // the advisor is a host
  });

  it('serializes hints per booking, so a slow older response never overwrites a newer one', async () => {
    const sims = await startSims();
    const s = await station(sims);
    const uid = 'bkBravo0000000000000002';
    let computed!: () => void;
    const firstComputed = new Promise<void>((resolve) => (computed = resolve));
    // The first re-fetch is answered with the state at that moment, but 300 ms late.
    sims.calcom.faults.add({
      phase: 'after',
      times: 1,
      fault: { kind: 'slow', ms: 300 },
      match: (req) => {
        if (req.path !== `/v2/bookings/${uid}`) return false;
        computed();
        return true;
      },
    });
    const hint = (n: number) => ({
      deliveryId: `d${n}`,
      source: 'calcom' as const,
      trigger: 'BOOKING_CREATED',
      receivedAt: new Date().toISOString(),
      sourceIds: [uid],
    });
    const deps = {
      db: s.db,
      connectorFor: () => s.connectors.calcom,
      ownEmails: () => OWN,
      now: () => new Date(),
    };
    const older = processHint(deps, hint(1));
    await firstComputed;
    sims.calcom.state.edit(uid, { title: 'Renamed after the first fetch' });
    const newer = processHint(deps, hint(2));
    const [a, b] = await Promise.all([older, newer]);
    expect(a.created).toBe(1);
    expect(b.updated).toBe(1);
    const row = s.db.prepare('SELECT title FROM bookings WHERE source_id = ?').get(uid);
    expect(row).toEqual({ title: 'Renamed after the first fetch' });
  });

  it('leaves a booking the source no longer has alone, and records a failed re-fetch', async () => {
    const sims = await startSims();
    const s = await station(sims);
    await sync(s, 'calcom');
    sims.calcom.state.remove('bkAlpha0000000000000001');
    const gone = await processHint(
      {
        db: s.db,
        connectorFor: () => s.connectors.calcom,
        ownEmails: () => OWN,
        now: () => new Date(),
      },
      {
        deliveryId: 'x',
        source: 'calcom',
        trigger: 'BOOKING_CANCELLED',
        receivedAt: new Date().toISOString(),
        sourceIds: ['bkAlpha0000000000000001'],
      },
    );
    expect(gone).toMatchObject({
      fetched: [],
      missing: ['bkAlpha0000000000000001'],
      created: 0,
      updated: 0,
    });
    expect(count(s.db, 'bookings')).toBe(3);

    // The API refuses the key: the delivery is recorded as accepted with a failed hint.
    sims.calcom.faults.add({
      times: 1,
      fault: { kind: 'status', status: 401 },
      match: (r) => r.path.startsWith('/v2/bookings/'),
    });
    const url = `${s.receiver.url}${WEBHOOK_ROUTES.calcom}`;
    expect(
      (
        await sims.calcom.deliverWebhook(
          url,
          CALCOM_SECRET,
          'BOOKING_CREATED',
          'bkBravo0000000000000002',
        )
      ).status,
    ).toBe(202);
    await s.runtime.idle();
    const row = s.db
      .prepare('SELECT outcome, hint_state, hint_changed, hint_error FROM webhook_deliveries')
      .get() as Record<string, unknown>;
    expect(row).toMatchObject({ outcome: 'accepted', hint_state: 'failed', hint_changed: 0 });
    expect(String(row.hint_error)).toContain('Cal.com');
    expect(String(row.hint_error)).not.toContain(sims.calcom.apiKey);
  });
});
