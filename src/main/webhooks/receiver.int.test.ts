// The webhook receiver over real HTTP on 127.0.0.1: valid, forged, replayed, stale, future-dated,
// oversized, malformed, slow and misrouted deliveries, a missing secret, handler failures, and
// random signatures of which none may be accepted.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setLogSink } from '../log';
import {
  startWebhookReceiver,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './receiver';
import {
  signCalcom,
  signCalendly,
  verifyCalcomSignature,
  verifyCalendlySignature,
} from './signatures';
import type { DeliveryReport, WebhookHint } from './types';
import {
  CALENDLY_EVENT,
  calcomBookingDelivery,
  calendlyInviteeCreated,
} from '../../../test/helpers/webhook-deliveries';

const CALCOM_SECRET = 'calcom-webhook-secret-test';
const CALENDLY_KEY = 'calendly-signing-key-test';
const NOW = new Date('2026-11-25T15:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const calcomBody = (uid = 'bk1', extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    calcomBookingDelivery('BOOKING_CREATED', '2026-11-25T14:59:58.000Z', {
      uid,
      title: 'Review',
      ...extra,
    }),
  );

const calendlyBody = (createdAt = '2026-11-25T14:59:58.123456Z') =>
  JSON.stringify(calendlyInviteeCreated(createdAt));

type Harness = {
  receiver: WebhookReceiver;
  hints: WebhookHint[];
  reports: DeliveryReport[];
  calcom: (body: string | Buffer, headers?: Record<string, string>) => Promise<Reply>;
  calendly: (body: string | Buffer, headers?: Record<string, string>) => Promise<Reply>;
  url: (path: string) => string;
};
type Reply = { status: number; json: unknown; headers: Headers };

const started: WebhookReceiver[] = [];
afterEach(async () => {
  for (const r of started.splice(0)) await r.close();
});

async function harness(overrides: Partial<WebhookReceiverOptions> = {}): Promise<Harness> {
  const hints: WebhookHint[] = [];
  const reports: DeliveryReport[] = [];
  const receiver = await startWebhookReceiver({
    port: 0,
    host: '127.0.0.1',
    secrets: { calcom: async () => CALCOM_SECRET, calendly: async () => CALENDLY_KEY },
    onHint: (hint) => {
      hints.push(hint);
    },
    onDelivery: (report) => reports.push(report),
    now: () => NOW,
    ...overrides,
  });
  started.push(receiver);
  const post = async (path: string, body: string | Buffer, headers: Record<string, string>) => {
    const response = await fetch(`${receiver.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, json: await response.json(), headers: response.headers };
  };
  return {
    receiver,
    hints,
    reports,
    url: (path) => `${receiver.url}${path}`,
    calcom: (body, headers) =>
      post(
        '/webhooks/calcom',
        body,
        headers ?? { 'x-cal-signature-256': signCalcom(body, CALCOM_SECRET) },
      ),
    calendly: (body, headers) =>
      post(
        '/webhooks/calendly',
        body,
        headers ?? { 'calendly-webhook-signature': signCalendly(body, CALENDLY_KEY, NOW_S - 5) },
      ),
  };
}

/** Waits until `count` hints arrived (they are handed over after the response). */
async function hintsArrive(h: Harness, count: number): Promise<void> {
  for (let i = 0; i < 200 && h.hints.length < count; i++)
    await new Promise((r) => setTimeout(r, 5));
  expect(h.hints.length).toBe(count);
}

describe('valid deliveries', () => {
  it('accepts a signed Cal.com delivery with 202 and hands over a hint naming the booking', async () => {
    const h = await harness();
    const reply = await h.calcom(calcomBody('bk1', { rescheduleUid: 'bk0' }));
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ status: 'accepted' });
    await hintsArrive(h, 1);
    expect(h.hints[0]).toMatchObject({
      source: 'calcom',
      trigger: 'BOOKING_CREATED',
      sourceIds: ['bk1', 'bk0'],
      receivedAt: NOW.toISOString(),
    });
    expect(h.reports).toHaveLength(1);
    expect(h.reports[0]).toMatchObject({
      outcome: 'accepted',
      status: 202,
      deliveryId: h.hints[0]!.deliveryId,
    });
  });

  it('accepts a signed Calendly delivery and names the scheduled event', async () => {
    const h = await harness();
    const reply = await h.calendly(calendlyBody());
    expect(reply.status).toBe(202);
    await hintsArrive(h, 1);
    expect(h.hints[0]).toMatchObject({
      source: 'calendly',
      trigger: 'invitee.created',
      sourceIds: [CALENDLY_EVENT],
    });
  });

  it('answers before the hint is processed, however long that takes', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let hintsStarted = 0;
    const h = await harness({
      onHint: async () => {
        hintsStarted++;
        await blocked;
      },
    });
    const reply = await h.calcom(calcomBody());
    expect(reply.status).toBe(202);
    release();
    for (let i = 0; i < 100 && hintsStarted === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(hintsStarted).toBe(1);
  });

  it('answers 200 ignored, without a hint, for a signed trigger that is not about a booking', async () => {
    const h = await harness();
    const body = JSON.stringify({
      triggerEvent: 'OOO_CREATED',
      createdAt: NOW.toISOString(),
      payload: {},
    });
    const reply = await h.calcom(body);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ignored' });
    expect(h.reports[0]).toMatchObject({ outcome: 'ignored' });
    await new Promise((r) => setTimeout(r, 20));
    expect(h.hints).toHaveLength(0);
  });
});

describe('refused deliveries', () => {
  it('refuses a forged Cal.com delivery (wrong secret, changed body, no header) with 401', async () => {
    const h = await harness();
    const body = calcomBody();
    const forged = [
      await h.calcom(body, { 'x-cal-signature-256': signCalcom(body, 'not-the-secret') }),
      await h.calcom(calcomBody('bk2'), { 'x-cal-signature-256': signCalcom(body, CALCOM_SECRET) }),
      await h.calcom(body, {}),
      await h.calcom(body, { 'x-cal-signature-256': 'no-secret-provided' }),
      await h.calcom(body, { 'x-cal-signature-256': 'zz' }),
    ];
    expect(forged.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(h.reports.every((r) => r.outcome === 'rejected_signature')).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.hints).toHaveLength(0);
  });

  it('refuses a Calendly delivery signed with another key or over another body', async () => {
    const h = await harness();
    const body = calendlyBody();
    const wrongKey = await h.calendly(body, {
      'calendly-webhook-signature': signCalendly(body, 'other-key', NOW_S),
    });
    const otherBody = await h.calendly(calendlyBody('2026-11-25T14:00:00Z'), {
      'calendly-webhook-signature': signCalendly(body, CALENDLY_KEY, NOW_S),
    });
    expect([wrongKey.status, otherBody.status]).toEqual([401, 401]);
  });

  it('answers a replay "duplicate" with 200 and hands over no second hint', async () => {
    const h = await harness();
    const body = calcomBody();
    const first = await h.calcom(body);
    const again = await h.calcom(body);
    const calendlyFirst = await h.calendly(calendlyBody());
    // Calendly re-signs its retries with a new t: still the same delivery.
    const calendlyRetry = await h.calendly(calendlyBody(), {
      'calendly-webhook-signature': signCalendly(calendlyBody(), CALENDLY_KEY, NOW_S - 1),
    });
    expect([first.status, again.status, calendlyFirst.status, calendlyRetry.status]).toEqual([
      202, 200, 202, 200,
    ]);
    expect(again.json).toEqual({ status: 'duplicate' });
    await hintsArrive(h, 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(h.hints).toHaveLength(2);
    expect(h.reports.map((r) => r.outcome)).toEqual([
      'accepted',
      'duplicate',
      'accepted',
      'duplicate',
    ]);
  });

  it('refuses stale and future-dated Calendly signatures and accepts ones within 3 minutes', async () => {
    const h = await harness();
    const at = async (t: number, createdAt: string) => {
      const body = calendlyBody(createdAt);
      return (
        await h.calendly(body, {
          'calendly-webhook-signature': signCalendly(body, CALENDLY_KEY, t),
        })
      ).status;
    };
    expect(await at(NOW_S - 181, '2026-11-25T14:00:01Z')).toBe(401);
    expect(await at(NOW_S + 181, '2026-11-25T14:00:02Z')).toBe(401);
    expect(await at(NOW_S - 179, '2026-11-25T14:00:03Z')).toBe(202);
    expect(await at(NOW_S + 179, '2026-11-25T14:00:04Z')).toBe(202);
    expect(h.reports.map((r) => r.outcome)).toEqual([
      'rejected_signature',
      'rejected_signature',
      'accepted',
      'accepted',
    ]);
    expect(h.reports[0]!.reason).toContain('ago');
    expect(h.reports[1]!.reason).toContain('future');
  });

  it('refuses every delivery with 401 when no secret is configured', async () => {
    const h = await harness({ secrets: { calcom: async () => null, calendly: async () => '' } });
    const body = calcomBody();
    expect((await h.calcom(body)).status).toBe(401);
    expect((await h.calcom(body, { 'x-cal-signature-256': signCalcom(body, '') })).status).toBe(
      401,
    );
    expect((await h.calendly(calendlyBody())).status).toBe(401);
    expect(h.reports.map((r) => r.reason)).toEqual([
      expect.stringContaining('secrets set calcom-webhook'),
      expect.stringContaining('secrets set calcom-webhook'),
      expect.stringContaining('secrets set calendly-webhook'),
    ]);
  });

  it('checks the signature before parsing: an unsigned malformed body is 401, a signed one 400', async () => {
    const h = await harness();
    expect((await h.calcom('{not json', { 'x-cal-signature-256': 'a'.repeat(64) })).status).toBe(
      401,
    );
    const cases = [
      '{not json',
      '',
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
      JSON.stringify({
        triggerEvent: 'BOOKING_CREATED',
        createdAt: NOW.toISOString(),
        payload: {},
      }),
      JSON.stringify({
        triggerEvent: 'BOOKING_CREATED',
        createdAt: NOW.toISOString(),
        payload: { uid: 'a/b' },
      }),
      JSON.stringify([1, 2, 3]),
    ];
    for (const body of cases) {
      const reply = await h.calcom(body);
      expect(reply.status, String(body)).toBe(400);
      expect(reply.json).toEqual({ status: 'malformed' });
    }
    const calendly = await h.calendly(
      JSON.stringify({
        event: 'invitee.created',
        created_at: NOW.toISOString(),
        payload: { uri: 'x' },
      }),
    );
    expect(calendly.status).toBe(400);
    expect(h.reports.at(-1)!.reason).toContain('payload.event');
  });

  it('answers 404 for other paths and 405 (Allow: POST) for other methods', async () => {
    const h = await harness();
    expect((await fetch(h.url('/webhooks/tidycal'), { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    expect((await fetch(h.url('/'), { method: 'POST', body: '{}' })).status).toBe(404);
    const get = await fetch(h.url('/webhooks/calcom'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(h.url('/webhooks/calendly'), { method: 'PUT', body: '{}' })).status).toBe(
      405,
    );
    // A trailing slash and a query string still reach the route.
    expect((await h.calcom(calcomBody('q1'))).status).toBe(202);
    const body = calcomBody('q2');
    const slash = await fetch(h.url('/webhooks/calcom/?x=1'), {
      method: 'POST',
      headers: { 'x-cal-signature-256': signCalcom(body, CALCOM_SECRET) },
      body,
    });
    expect(slash.status).toBe(202);
    expect(h.reports).toHaveLength(2);
  });
});

describe('size and time limits', () => {
  it('refuses a declared oversized body with 413 before reading it', async () => {
    const h = await harness({ maxBodyBytes: 1024 });
    const body = calcomBody('big', { notes: 'x'.repeat(2000) });
    const reply = await h.calcom(body);
    expect(reply.status).toBe(413);
    expect(h.reports[0]).toMatchObject({ outcome: 'too_large' });
    const exact = Buffer.alloc(1024, 0x20);
    expect((await h.calcom(exact)).status).toBe(400); // at the cap: read, signed, but not JSON
  });

  it('stops reading a chunked body as soon as it passes the cap and answers 413', async () => {
    const h = await harness({ maxBodyBytes: 4096 });
    const { status, sentBytes } = await new Promise<{ status: number; sentBytes: number }>(
      (resolve, reject) => {
        let sent = 0;
        let done = false;
        const req = httpRequest(h.url('/webhooks/calcom'), {
          method: 'POST',
          headers: { 'transfer-encoding': 'chunked', 'x-cal-signature-256': 'a'.repeat(64) },
        });
        req.on('response', (res) => {
          done = true;
          res.resume();
          resolve({ status: res.statusCode ?? 0, sentBytes: sent });
        });
        req.on('error', (error) => (done ? undefined : reject(error)));
        const chunk = Buffer.alloc(1024, 0x61);
        // One chunk at a time, each flushed before the next, until the server answers.
        const pump = () => {
          if (done || sent >= 1024 * 1024) return;
          sent += chunk.length;
          req.write(chunk, () => setImmediate(pump));
        };
        pump();
      },
    );
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(64 * 1024);
    expect(h.reports[0]).toMatchObject({ outcome: 'too_large', status: 413 });
    // The receiver is still there for the next delivery.
    expect((await h.calcom(calcomBody('after'))).status).toBe(202);
  });

  it('answers 408 to a body that trickles in too slowly, and keeps serving', async () => {
    const h = await harness({ bodyTimeoutMs: 300 });
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.receiver.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        'POST /webhooks/calcom HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"trigger',
      );
      // …and never the rest.
    });
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.reports[0]).toMatchObject({ outcome: 'timed_out', status: 408 });
    expect((await h.calcom(calcomBody('after-slow'))).status).toBe(202);
  });
});

describe('failures inside the receiver', () => {
  it('answers 500 when the secret cannot be read, and logs no PII', async () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line), 'debug');
    try {
      const h = await harness({
        secrets: {
          calcom: async () => {
            throw new Error('keychain locked');
          },
          calendly: async () => CALENDLY_KEY,
        },
        onHint: () => {
          throw new Error('hint failed for pat@example.com');
        },
        onDelivery: () => {
          throw new Error('report handler broke');
        },
      });
      expect((await h.calcom(calcomBody())).status).toBe(500);
      expect((await h.calendly(calendlyBody())).status).toBe(202);
      for (let i = 0; i < 100 && !lines.some((l) => l.includes('hint')); i++)
        await new Promise((r) => setTimeout(r, 5));
      expect(lines.some((l) => l.includes('failed'))).toBe(true);
      expect(lines.join('\n')).not.toContain('pat@example.com');
      expect((await h.calendly(calendlyBody('2026-11-25T14:59:59Z'))).status).toBe(202);
    } finally {
      setLogSink((line) => process.stderr.write(`${line}\n`), 'warn');
    }
  });

  it('never answers 500 for any signed body, and never accepts a body without a booking id', async () => {
    const h = await harness();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc
            .record({ triggerEvent: fc.string(), createdAt: fc.string(), payload: fc.jsonValue() })
            .map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (body) => {
          const reply = await h.calcom(body);
          expect([200, 202, 400]).toContain(reply.status);
        },
      ),
      { numRuns: 60 },
    );
    for (const hint of h.hints) expect(hint.sourceIds.length).toBeGreaterThan(0);
  });
});

describe('random signatures', () => {
  const body = Buffer.from(calcomBody('prop'));
  const calendly = Buffer.from(calendlyBody());
  const header = fc.oneof(
    fc.stringMatching(/^[0-9a-f]{64}$/),
    fc.string({ maxLength: 120 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
  );
  const calendlyHeader = fc.oneof(
    fc
      .tuple(
        fc.integer({ min: NOW_S - 170, max: NOW_S + 170 }),
        fc.stringMatching(/^[0-9a-f]{64}$/),
      )
      .map(([t, v1]) => `t=${t},v1=${v1}`),
    fc.string({ maxLength: 160 }),
  );

  it('accepts none of 10,000 random signature headers (verify functions)', () => {
    fc.assert(
      fc.property(header, calendlyHeader, (cal, cly) => {
        expect(verifyCalcomSignature(body, cal, CALCOM_SECRET).ok).toBe(false);
        expect(verifyCalendlySignature(calendly, cly, CALENDLY_KEY, NOW.getTime()).ok).toBe(false);
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts none of 200 random signature headers over real HTTP', async () => {
    const h = await harness();
    const safeHeader = (v: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v);
    await fc.assert(
      fc.asyncProperty(
        header.filter(safeHeader),
        calendlyHeader.filter(safeHeader),
        async (cal, cly) => {
          expect((await h.calcom(body, { 'x-cal-signature-256': cal })).status).toBe(401);
          expect((await h.calendly(calendly, { 'calendly-webhook-signature': cly })).status).toBe(
            401,
          );
        },
      ),
      { numRuns: 100 },
    );
    expect(h.hints).toHaveLength(0);
    expect(h.reports).toHaveLength(200);
    expect(h.reports.every((r) => r.outcome === 'rejected_signature')).toBe(true);
  });
});
