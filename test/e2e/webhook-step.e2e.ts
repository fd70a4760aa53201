// A step after the sources that fails when it ran for a booking a webhook delivered, not for a
// sync: the Sync panel says so under the last sync's lines, naming the webhook, instead of the
// failure going only to the log (the panel shows such a line only after a Sync now otherwise).
// The app's core runs the webhook receiver (as the app does when Settings switch it on); the
// delivery is a signed one from the Cal.com simulator, the contacts come from the LACRM simulator.
// The fault is a trigger the test puts into the database before the app starts.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createCore } from '../../src/main/core/core';
import { startLacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { configure, startWorld, testNet, type World } from '../helpers/world';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';
import { FAULTS } from '../helpers/faults';
import { freePort } from '../helpers/free-port';

type Delivered = Readonly<{
  world: World;
  /** Delivers a signed Cal.com webhook for `uid` to the app's receiver. */
  deliver(trigger: 'BOOKING_CANCELLED' | 'BOOKING_RESCHEDULED', uid: string): Promise<void>;
  /** Two Cal.com bookings still to come that the app has stored. */
  coming: string;
  later: string;
  /** Takes the fault out of the database (from this process, while the app has it open). */
  mend(): Promise<void>;
}>;

/**
 * A practice synced from the Cal.com and LACRM simulators, the webhook receiver switched on and
 * `fault` (SQL) in its database; opens the app on it and runs `check`, then removes what it made,
 * keychain entries included.
 */
async function withWebhookPractice(
  page: Page,
  dataDir: string,
  fault: string,
  check: (practice: Delivered) => Promise<void>,
): Promise<void> {
  const world = await startWorld();
  const lacrm = await startLacrmSim({
    user: world.practice.lacrm.user,
    contacts: world.practice.lacrm.contacts,
  });
  const secrets = new KeychainSecretStore();
  const core = await createCore({ dataDir, secrets, net: testNet });
  await configure(core, world);
  await core.call('settings:set', { 'lacrm.baseUrl': lacrm.baseUrl });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  await core.call('sync:run', { sources: ['calcom', 'lacrm'] });
  const port = await freePort();
  await core.call('settings:set', { 'webhooks.enabled': true, 'webhooks.port': port });
  const { secret } = await core.call('webhooks:newCalcomSecret', {});
  const db = core.context.db();
  const [coming, later] = db
    .prepare(
      "SELECT source_id FROM bookings WHERE source = 'calcom' AND status = 'scheduled' AND start_utc > ? ORDER BY start_utc LIMIT 2",
    )
    .pluck()
    .all(new Date().toISOString()) as [string, string];
  db.exec(fault);
  const accounts = [
    ...(['calcom', 'calendly', 'tidycal', 'lacrm', 'calcom-webhook'] as const).map((name) =>
      core.context.secretAccount(name),
    ),
    `${core.context.profile.profileId}:db-key`,
  ];
  core.close();

  const bridge = await startBridgeProcess(dataDir, ['--receiver']);
  try {
    await page.goto(bridge.url);
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
    await expect(page.locator('[data-after="webhook"]')).toHaveCount(0);
    await check({
      world,
      coming,
      later,
      async mend() {
        const other = await createCore({ dataDir, secrets, net: testNet });
        try {
          other.context.db().exec('DROP TRIGGER test_fault');
        } finally {
          other.close();
        }
      },
      async deliver(trigger, uid) {
        const delivery = await world.calcom.deliverWebhook(
          `http://127.0.0.1:${port}/webhooks/calcom`,
          secret,
          trigger,
          uid,
        );
        expect(delivery.status).toBe(202);
      },
    });
  } finally {
    await stopBridge(bridge);
    await world.close();
    await lacrm.close();
    for (const account of accounts) await secrets.delete(account);
  }
}

test('working out the changes for LACRM that fails after a webhook delivery says so on the Sync panel', async ({
  page,
  dataDir,
}) => {
  await withWebhookPractice(page, dataDir, FAULTS.plan, async (practice) => {
    const { world, coming, later, deliver } = practice;
    // The client cancels at Cal.com; Cal.com tells Cadence by webhook.
    world.calcom.state.cancel(coming, { reason: 'Out of town' });
    await deliver('BOOKING_CANCELLED', coming);

    const step = page.getByTestId('sync-step-plan');
    await expect(step).toHaveAttribute('data-after', 'webhook');
    await expect(step).toContainText(
      'Changes for LACRM (after a booking arrived by webhook)failed · simulated write failure · the list of changes was not updated and nothing was written to LACRM',
    );
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-step-failed-webhook.png'),
    });

    // Mended, the next booking a webhook delivers is planned for: the red line has had its day.
    await practice.mend();
    world.calcom.state.cancel(later, { reason: 'Travelling' });
    await deliver('BOOKING_CANCELLED', later);
    await expect(step).toHaveCount(0);
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
  });
});

test('a matching that fails after a webhook delivery says so on the Sync panel', async ({
  page,
  dataDir,
}) => {
  await withWebhookPractice(page, dataDir, FAULTS.matching, async (practice) => {
    const { world, coming, later, deliver } = practice;
    // The client moves the meeting at Cal.com: a new booking whose attendees are matched.
    const moved = world.calcom.state.reschedule(coming, {
      start: new Date(Date.now() + 9 * 86_400_000).toISOString(),
    });
    await deliver('BOOKING_RESCHEDULED', moved.next.uid);

    const line = page.getByTestId('sync-step-matching');
    await expect(line).toHaveAttribute('data-after', 'webhook');
    await expect(line).toContainText(
      'Matching (after a booking arrived by webhook)failed · simulated write failure · the bookings are stored, and the next sync matches them again',
    );
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-matching-failed-webhook.png'),
    });

    // Mended, the next booking a webhook delivers is matched (the earlier one with it): no line.
    await practice.mend();
    const movedAgain = world.calcom.state.reschedule(later, {
      start: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    });
    await deliver('BOOKING_RESCHEDULED', movedAgain.next.uid);
    await expect(line).toHaveCount(0);
    await expect(page.getByTestId('sync-last-calcom')).toBeVisible();
  });
});
