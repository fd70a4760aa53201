// Calendly webhook subscriptions against the Calendly simulator: create with a generated signing
// key that really signs the deliveries, list with state and retry_started_at, delete, and the
// refusals Calendly gives (free plan, the same URL twice, a bad URL).
import { afterEach, describe, expect, it } from 'vitest';
import { startCalendlySim, type CalendlySim } from '../demo/sim/calendly';
import { HttpClient } from '../net/http';
import { AuthError } from '../net/errors';
import { RateBudget } from '../net/rate-budget';
import {
  CALENDLY_SUBSCRIBED_EVENTS,
  CalendlySubscriptionError,
  createCalendlySubscription,
  deleteCalendlySubscription,
  listCalendlySubscriptions,
  type CalendlySubscriptionsOptions,
} from './calendly-subscriptions';
import { signCalendly, verifyCalendlySignature } from './signatures';

const sims: CalendlySim[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function sim(options: Parameters<typeof startCalendlySim>[0] = {}) {
  const s = await startCalendlySim(options);
  sims.push(s);
  return s;
}

function optionsFor(s: CalendlySim, apiKey = s.apiKey): CalendlySubscriptionsOptions {
  return {
    http: new HttpClient({
      source: 'calendly',
      budget: new RateBudget({ limitPerMinute: Infinity }),
      timeoutMs: 3000,
      baseBackoffMs: 10,
      maxRetries: 1,
    }),
    baseUrl: s.baseUrl,
    apiKey,
  };
}

const signal = () => AbortSignal.timeout(5000);

describe('Calendly webhook subscriptions', () => {
  it('creates a user-scoped subscription for the invitee events with a fresh signing key', async () => {
    const s = await sim();
    const options = optionsFor(s);
    const a = await createCalendlySubscription(options, {
      url: 'https://tunnel.example.com/webhooks/calendly',
      signal: signal(),
    });
    expect(a.subscription).toMatchObject({
      callbackUrl: 'https://tunnel.example.com/webhooks/calendly',
      state: 'active',
      scope: 'user',
      retryStartedAt: null,
    });
    expect([...a.subscription.events].sort()).toEqual([...CALENDLY_SUBSCRIBED_EVENTS].sort());
    expect(a.signingKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const b = await createCalendlySubscription(options, {
      url: 'https://tunnel.example.com/other',
      signal: signal(),
    });
    expect(b.signingKey).not.toBe(a.signingKey);
    // The request carried what the sheet says: organization, user, scope and the key.
    const post = s.log.filter((r) => r.method === 'POST');
    expect(post.map((r) => r.status)).toEqual([201, 201]);
  });

  it('the generated key is the one Calendly signs deliveries with', async () => {
    const s = await sim();
    const received: { body: string; header: string }[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body, header: String(req.headers['calendly-webhook-signature']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const created = await createCalendlySubscription(optionsFor(s), {
        url: `http://127.0.0.1:${port}/webhooks/calendly`,
        signal: signal(),
      });
      const event = {
        uri: 'https://api.calendly.com/scheduled_events/ev-1',
        name: 'Review',
        meeting_notes_plain: null,
        meeting_notes_html: null,
        status: 'active' as const,
        start_time: '2026-12-01T15:00:00.000000Z',
        end_time: '2026-12-01T15:30:00.000000Z',
        event_type: 'https://api.calendly.com/event_types/et-1',
        location: { type: 'zoom' },
        invitees_counter: { total: 1, active: 1, limit: 1 },
        created_at: '2026-11-01T15:00:00.000000Z',
        updated_at: '2026-11-01T15:00:00.000000Z',
        event_memberships: [],
        event_guests: [],
        calendar_event: null,
      };
      const invitee = {
        uri: `${event.uri}/invitees/in-1`,
        event: event.uri,
        email: 'ivy@example.org',
        name: 'Ivy',
        first_name: null,
        last_name: null,
        status: 'active' as const,
        timezone: 'UTC',
        created_at: event.created_at,
        updated_at: event.created_at,
        questions_and_answers: [],
        rescheduled: false,
        old_invitee: null,
        new_invitee: null,
        cancellation: null,
        cancel_url: '',
        reschedule_url: '',
        no_show: null,
        payment: null,
        reconfirmation: null,
        routing_form_submission: null,
        text_reminder_number: null,
        tracking: {},
        scheduling_method: null,
        invitee_scheduled_by: null,
      };
      s.state.addEvent(event, [invitee]);
      const delivery = await s.deliverWebhook(
        created.subscription.uri,
        'invitee.created',
        invitee.uri,
      );
      expect(delivery.status).toBe(200);
      const { body, header } = received[0]!;
      expect(
        verifyCalendlySignature(Buffer.from(body), header, created.signingKey, Date.now()),
      ).toEqual({
        ok: true,
      });
      const t = Number(/t=(\d+)/.exec(header)![1]);
      expect(header).toBe(signCalendly(body, created.signingKey, t));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('lists subscriptions with their state, including one Calendly disabled', async () => {
    const s = await sim();
    const options = optionsFor(s);
    const one = await createCalendlySubscription(options, {
      url: 'https://one.example.com/webhooks/calendly',
      signal: signal(),
    });
    await createCalendlySubscription(options, {
      url: 'https://two.example.com/webhooks/calendly',
      signal: signal(),
    });
    s.state.disableSubscription(one.subscription.uri);
    const list = await listCalendlySubscriptions(options, signal());
    expect(list.map((x) => [x.callbackUrl, x.state]).sort()).toEqual([
      ['https://one.example.com/webhooks/calendly', 'disabled'],
      ['https://two.example.com/webhooks/calendly', 'active'],
    ]);
  });

  it('pages through more subscriptions than fit on one page', async () => {
    const s = await sim();
    const options = optionsFor(s);
    for (let i = 0; i < 105; i++)
      await createCalendlySubscription(options, {
        url: `https://t${i}.example.com/webhooks/calendly`,
        signal: signal(),
      });
    const list = await listCalendlySubscriptions(options, signal());
    expect(new Set(list.map((x) => x.uri)).size).toBe(105);
  });

  it('deletes a subscription, and reports one that is already gone', async () => {
    const s = await sim();
    const options = optionsFor(s);
    const created = await createCalendlySubscription(options, {
      url: 'https://tunnel.example.com/webhooks/calendly',
      signal: signal(),
    });
    expect(await deleteCalendlySubscription(options, created.subscription.uri, signal())).toBe(
      true,
    );
    expect(await deleteCalendlySubscription(options, created.subscription.uri, signal())).toBe(
      false,
    );
    expect(await listCalendlySubscriptions(options, signal())).toEqual([]);
  });

  it('explains refusals: free plan, the same URL twice, a bad URL, a bad token', async () => {
    const free = await sim({ plan: 'free' });
    await expect(
      createCalendlySubscription(optionsFor(free), {
        url: 'https://tunnel.example.com/webhooks/calendly',
        signal: signal(),
      }),
    ).rejects.toThrow(/upgrade/i);
    const s = await sim();
    const options = optionsFor(s);
    await createCalendlySubscription(options, {
      url: 'https://tunnel.example.com/x',
      signal: signal(),
    });
    const duplicate = createCalendlySubscription(options, {
      url: 'https://tunnel.example.com/x',
      signal: signal(),
    });
    await expect(duplicate).rejects.toBeInstanceOf(CalendlySubscriptionError);
    await expect(duplicate).rejects.toThrow(/already exists/);
    await expect(
      createCalendlySubscription(options, { url: 'http://tunnel.example.com/x', signal: signal() }),
    ).rejects.toThrow(/url: must be an https/);
    await expect(
      listCalendlySubscriptions(optionsFor(s, 'wrong-token'), signal()),
    ).rejects.toBeInstanceOf(AuthError);
  });
});
