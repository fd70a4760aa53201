// Fuzzing the webhook receiver as the app runs it: a core with the receiver switched on
// (webhooks:configure), its secrets in an in-memory keychain, deliveries over real HTTP to
// 127.0.0.1. Random bodies with random or absent signature headers, correctly signed random
// bodies, and correctly signed real deliveries with one field broken: the receiver answers every
// refusal with a 4xx and a reason it records (never a 5xx, never a dropped connection), starts no
// re-fetch and stores no booking for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { signCalcom, signCalendly } from '../../src/main/webhooks/signatures';
import { calcomBookingDelivery, calendlyInviteeCreated } from '../helpers/webhook-deliveries';
import {
  allPaths,
  MemorySecretStore,
  mutate,
  mutationKind,
  oddValue,
  pathText,
  type JsonPath,
  type Mutation,
} from './fuzz-support';
import { freePort } from '../helpers/free-port';

const RUNS = 120;
const NOW = new Date();
const NOW_S = Math.floor(NOW.getTime() / 1000);
const CALENDLY_KEY = 'calendly-signing-key-fuzz';

let dataDir: string;
let core: Core;
let url: string;
let calcomSecret: string;
const secrets = new MemorySecretStore();
let hintsStarted = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cadence-fuzz-webhooks-'));
  core = await createCore({ dataDir, secrets, receiver: true });
  core.subscribe((event, payload) => {
    if (event === 'app:changed' && (payload as { reason: string }).reason === 'webhook')
      hintsStarted++;
  });
  const status = await core.call('webhooks:configure', { enabled: true, port: await freePort() });
  expect(status.running).toBe(true);
  url = status.url!;
  calcomSecret = (await core.call('webhooks:newCalcomSecret', {})).secret;
  await core.call('secrets:set', { name: 'calendly-webhook', value: CALENDLY_KEY });
});

afterAll(async () => {
  if (core) {
    await core.call('webhooks:configure', { enabled: false });
    core.close();
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Route = 'calcom' | 'calendly';
type Reply = Readonly<{ status: number; body: unknown }>;

async function post(route: Route, body: Buffer, headers: Record<string, string>): Promise<Reply> {
  const response = await fetch(`${url}/webhooks/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown };
}

const signed = (route: Route, body: Buffer): Record<string, string> =>
  route === 'calcom'
    ? { 'x-cal-signature-256': signCalcom(body, calcomSecret) }
    : { 'calendly-webhook-signature': signCalendly(body, CALENDLY_KEY, NOW_S) };

function counts() {
  const db = core.context.db();
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    bookings: one('SELECT count(*) AS n FROM bookings'),
    deliveries: one('SELECT count(*) AS n FROM webhook_deliveries'),
    pending: one('SELECT count(*) AS n FROM webhook_deliveries WHERE hint_state IS NOT NULL'),
  };
}

function lastDelivery() {
  return core.context
    .db()
    .prepare('SELECT outcome, reason, hint_state FROM webhook_deliveries ORDER BY id DESC LIMIT 1')
    .get() as { outcome: string; reason: string | null; hint_state: string | null };
}

/**
 * Sends and checks what every refusal must look like: a 4xx with a JSON status, one recorded
 * delivery with its reason, and no booking, no re-fetch started.
 */
async function expectRefused(route: Route, body: Buffer, headers: Record<string, string>) {
  const before = counts();
  const hintsBefore = hintsStarted;
  const reply = await post(route, body, headers);
  expect(reply.status, JSON.stringify(reply.body)).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(reply.body).toEqual({ status: expect.any(String) });
  const after = counts();
  expect(after.bookings).toBe(before.bookings);
  expect(after.deliveries).toBe(before.deliveries + 1);
  expect(after.pending).toBe(before.pending);
  expect(hintsStarted).toBe(hintsBefore);
  const recorded = lastDelivery();
  expect(recorded.reason).toEqual(expect.any(String));
  expect(recorded.hint_state).toBeNull();
  return recorded;
}

const route = fc.constantFrom<Route>('calcom', 'calendly');
const randomBody = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v))),
);
const randomHeaders = fc.oneof(
  fc.constant({}),
  fc.record({
    'x-cal-signature-256': fc.oneof(
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.stringMatching(/^[\x21-\x7e]{0,100}$/),
      fc.constant('no-secret-provided'),
    ),
  }),
  fc.record({
    'calendly-webhook-signature': fc.oneof(
      fc
        .tuple(
          fc.integer({ min: NOW_S - 100, max: NOW_S + 100 }),
          fc.stringMatching(/^[0-9a-f]{64}$/),
        )
        .map(([t, v]) => `t=${t},v1=${v}`),
      fc.stringMatching(/^[\x21-\x7e]{0,100}$/),
    ),
  }),
);

const calcomDelivery = calcomBookingDelivery('BOOKING_RESCHEDULED', '2026-05-30T10:00:00.000Z', {
  uid: 'bk1NewUid',
  rescheduleUid: 'bk0OldUid',
  attendees: [{ email: 'pat@example.com', name: 'Pat Example' }],
});
const calendlyDelivery = calendlyInviteeCreated('2026-05-30T10:00:00.123456Z');
/** Fields a delivery cannot do without: breaking one is a 400 naming it. */
const required: Readonly<Record<Route, readonly JsonPath[]>> = {
  calcom: [['triggerEvent'], ['createdAt'], ['payload', 'uid']],
  calendly: [['event'], ['created_at'], ['payload'], ['payload', 'uri']],
};
const deliveryOf = (r: Route) => (r === 'calcom' ? calcomDelivery : calendlyDelivery);

describe('the webhook receiver in the app under fuzzing', () => {
  it('accepts the unbroken deliveries (the baseline the mutations start from)', async () => {
    for (const r of ['calcom', 'calendly'] as const) {
      const body = Buffer.from(JSON.stringify({ ...deliveryOf(r), createdAt: NOW.toISOString() }));
      const reply = await post(r, body, signed(r, body));
      expect(reply.status).toBe(202);
    }
  });

  it('refuses random bodies with random or no signatures: 401, recorded, nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(route, randomBody, randomHeaders, async (r, body, headers) => {
        const recorded = await expectRefused(r, body, headers);
        expect(recorded.outcome).toBe('rejected_signature');
      }),
      { numRuns: RUNS },
    );
  });

  it('answers correctly signed random bodies with a 400 (or 200 ignored), never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(route, randomBody, async (r, body) => {
        const before = counts();
        const reply = await post(r, body, signed(r, body));
        expect([200, 202, 400]).toContain(reply.status);
        if (reply.status === 400) {
          expect(lastDelivery()).toMatchObject({ outcome: 'malformed', hint_state: null });
          expect(lastDelivery().reason).toEqual(expect.any(String));
        }
        if (reply.status !== 202) expect(counts().pending).toBe(before.pending);
        expect(counts().bookings).toBe(before.bookings);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a signed delivery with a required field broken, naming the field', async () => {
    const cases = (['calcom', 'calendly'] as const).flatMap((r) =>
      required[r].map((path) => ({ r, path })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...cases), mutationKind, async ({ r, path }, kind) => {
        const body = Buffer.from(JSON.stringify(mutate(deliveryOf(r), { path, kind })));
        const recorded = await expectRefused(r, body, signed(r, body));
        expect(recorded.outcome).toBe('malformed');
        expect(recorded.reason).toContain(`body.${pathText(path)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers any field of a signed delivery broken or odd without a 5xx, storing no booking', async () => {
    const mutation = route.chain((r) =>
      fc.record({
        r: fc.constant(r),
        mutation: fc.oneof(
          fc.record({ path: fc.constantFrom(...allPaths(deliveryOf(r))), kind: mutationKind }),
          fc.record({
            path: fc.constantFrom(...allPaths(deliveryOf(r))),
            kind: fc.constant('odd' as const),
            value: oddValue,
          }),
        ) as fc.Arbitrary<Mutation>,
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ({ r, mutation: m }) => {
        const body = Buffer.from(JSON.stringify(mutate(deliveryOf(r), m)));
        const before = counts();
        const reply = await post(r, body, signed(r, body));
        expect([200, 202, 400]).toContain(reply.status);
        if (reply.status === 400) {
          expect(lastDelivery()).toMatchObject({ outcome: 'malformed', hint_state: null });
          expect(counts().pending).toBe(before.pending);
        }
        // A hint re-fetches through the API (no key is set here): the body itself is never stored.
        expect(counts().bookings).toBe(before.bookings);
      }),
      { numRuns: RUNS },
    );
  });
});
