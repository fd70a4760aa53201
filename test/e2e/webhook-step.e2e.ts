// A step after the sources that fails when it ran for a booking a webhook delivered, not for a
// sync: the Sync panel says so under the last sync's lines, naming the webhook, instead of the
// failure going only to the log (the panel shows such a line only after a Sync now otherwise).
// The app's core runs the webhook receiver (as the app does when Settings switch it on); the
// delivery is a signed one from the Cal.com simulator. The fault is a trigger the test puts into
// the database before the app starts.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createCore } from '../../src/main/core/core';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { configure, startWorld, testNet } from '../helpers/world';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

test('working out the changes for LACRM that fails after a webhook delivery says so on the Sync panel', async ({
  page,
  dataDir,
}) => {
  const world = await startWorld();
  const secrets = new KeychainSecretStore();
  const core = await createCore({ dataDir, secrets, net: testNet });
  await configure(core, world);
  await core.call('sync:run', { sources: ['calcom'] });
  const port = await freePort();
  await core.call('settings:set', { 'webhooks.enabled': true, 'webhooks.port': port });
  const { secret } = await core.call('webhooks:newCalcomSecret', {});
  const db = core.context.db();
  const target = db
    .prepare(
      "SELECT source_id FROM bookings WHERE source = 'calcom' AND status = 'scheduled' AND start_utc > ? LIMIT 1",
    )
    .pluck()
    .get(new Date().toISOString()) as string;
  // Only the plan's own mark write: the triggers that count writes update `generation` alone.
  db.exec(`CREATE TRIGGER test_fault BEFORE UPDATE OF planned_at ON plan_marks
    BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END;`);
  const accounts = [
    ...(['calcom', 'calendly', 'tidycal', 'calcom-webhook'] as const).map((name) =>
      core.context.secretAccount(name),
    ),
    `${core.context.profile.profileId}:db-key`,
  ];
  core.close();

  const bridge = await startBridgeProcess(dataDir, ['--receiver']);
  try {
    await page.goto(bridge.url);
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
    await expect(page.getByTestId('sync-step-plan')).toHaveCount(0);

    // The client cancels at Cal.com; Cal.com tells Cadence by webhook.
    world.calcom.state.cancel(target, { reason: 'Out of town' });
    const delivery = await world.calcom.deliverWebhook(
      `http://127.0.0.1:${port}/webhooks/calcom`,
      secret,
      'BOOKING_CANCELLED',
      target,
    );
    expect(delivery.status).toBe(202);

    const step = page.getByTestId('sync-step-plan');
    await expect(step).toHaveAttribute('data-after', 'webhook');
    await expect(step).toContainText(
      'Changes for LACRM (after a booking arrived by webhook)failed · simulated write failure · the list of changes was not updated and nothing was written to LACRM',
    );
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-step-failed-webhook.png'),
    });
  } finally {
    await stopBridge(bridge);
    await world.close();
    for (const account of accounts) await secrets.delete(account);
  }
});
