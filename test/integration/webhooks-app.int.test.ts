// Real-time updates inside the app's core: the receiver starts and stops with the setting, a signed
// Cal.com delivery re-fetches its booking through the API and the same after-store stages as a
// sync, delivery health reports it, and Calendly subscriptions are created with a key Cadence keeps.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { createCore } from '../../src/main/core/core';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { tempDir } from '../helpers/temp';
import { configure, startWorld, testNet, type World } from '../helpers/world';
import { FAULTS } from '../helpers/faults';
import { freePort } from '../helpers/free-port';

const worlds: World[] = [];
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function setup() {
  const world = await startWorld();
  worlds.push(world);
  const core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    net: testNet,
    receiver: true,
  });
  cores.push(core);
  await configure(core, world);
  return { world, core };
}

/**
 * Cancels a coming Cal.com booking at Cal.com and delivers the signed webhook to `url`; resolves once
 * the core has processed it, with the booking's id and the steps that failed after it.
 */
async function deliverCancellation(world: World, core: Core, url: string, secret: string) {
  const target = core.context
    .db()
    .prepare(
      "SELECT source_id FROM bookings WHERE source = 'calcom' AND status = 'scheduled' AND start_utc > ? LIMIT 1",
    )
    .pluck()
    .get(new Date().toISOString()) as string;
  world.calcom.state.cancel(target, { reason: 'Out of town' });
  const failures: unknown[] = [];
  const processed = new Promise<void>((resolve) => {
    const off = core.subscribe((event, payload) => {
      if (event === 'sync:step-failed') failures.push(payload);
      if (event === 'app:changed' && (payload as { reason: string }).reason === 'webhook') {
        off();
        resolve();
      }
    });
  });
  const delivery = await world.calcom.deliverWebhook(
    `${url}/webhooks/calcom`,
    secret,
    'BOOKING_CANCELLED',
    target,
  );
  expect(delivery.status).toBe(202);
  await processed;
  return { target, failures };
}

describe('webhooks in the app', () => {
  it('starts with the setting, turns a signed Cal.com delivery into a re-fetch, and reports delivery health', async () => {
    const { world, core } = await setup();
    await core.call('sync:run', { sources: ['calcom'] });
    expect((await core.call('webhooks:status', {})).running).toBe(false);

    const port = await freePort();
    const on = await core.call('webhooks:configure', { enabled: true, port });
    expect(on.running).toBe(true);
    expect(on.url).toBe(`http://127.0.0.1:${port}`);

    const { secret } = await core.call('webhooks:newCalcomSecret', {});
    expect((await core.call('webhooks:status', {})).secrets.calcom).toBe(true);

    // Cancel a booking at Cal.com and deliver the webhook: the store learns it without a sync.
    const db = core.context.db();
    const { target, failures } = await deliverCancellation(world, core, on.url!, secret);
    expect(failures).toEqual([]);
    const row = db
      .prepare("SELECT status FROM bookings WHERE source = 'calcom' AND source_id = ?")
      .get(target) as { status: string };
    expect(row.status).toBe('cancelled');

    // A forged delivery is refused and counted.
    const forged = await world.calcom.deliverWebhook(
      `${on.url}/webhooks/calcom`,
      'not-the-secret',
      'BOOKING_CANCELLED',
      target,
    );
    expect(forged.status).toBe(401);

    const health = (await core.call('webhooks:status', {})).health.find(
      (h) => h.source === 'calcom',
    )!;
    expect(health.deliveries24h).toBe(1);
    expect(health.rejected24h).toBe(1);
    expect(health.lastDeliveryAt).not.toBeNull();
    expect(health.verifiedThrough).not.toBeNull();

    const off = await core.call('webhooks:configure', { enabled: false });
    expect(off.running).toBe(false);
  });

  it('says when working out the changes fails after a delivered booking, naming the webhook', async () => {
    const { world, core } = await setup();
    await core.call('sync:run', { sources: ['calcom'] });
    const port = await freePort();
    const on = await core.call('webhooks:configure', { enabled: true, port });
    const { secret } = await core.call('webhooks:newCalcomSecret', {});
    const db = core.context.db();
    db.exec(FAULTS.plan);
    const { target, failures } = await deliverCancellation(world, core, on.url!, secret);
    expect(failures).toEqual([
      { step: 'plan', error: 'simulated write failure', after: 'webhook' },
    ]);
    // The booking itself is stored: only the step after it failed.
    expect(
      db
        .prepare("SELECT status FROM bookings WHERE source = 'calcom' AND source_id = ?")
        .pluck()
        .get(target),
    ).toBe('cancelled');
  });

  it('says so when the port is taken', async () => {
    const { core } = await setup();
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const status = await core.call('webhooks:configure', { enabled: true, port });
      expect(status.running).toBe(false);
      expect(status.error).toMatch(new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('creates, lists and deletes a Calendly subscription, keeping the signing key in the keychain', async () => {
    const { world, core } = await setup();
    const created = await core.call('webhooks:calendlySubscribe', {
      url: 'https://tunnel.example.com/webhooks/calendly',
    });
    expect(created.state).toBe('active');
    expect(created.callbackUrl).toBe('https://tunnel.example.com/webhooks/calendly');
    const key = await core.context.secrets.get(core.context.secretAccount('calendly-webhook'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(world.calendly.state.subscriptions().map((s) => s.callback_url)).toEqual([
      'https://tunnel.example.com/webhooks/calendly',
    ]);
    expect((await core.call('webhooks:calendlyList', {})).map((s) => s.uri)).toEqual([created.uri]);
    expect((await core.call('webhooks:calendlyDelete', { uri: created.uri })).deleted).toBe(true);
    expect(world.calendly.state.subscriptions()).toEqual([]);
    const bad = await core.invoke('webhooks:calendlySubscribe', {
      url: 'http://tunnel.example.com/x',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
