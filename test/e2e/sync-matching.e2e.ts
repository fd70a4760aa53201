// Sync now when a step after the sources fails — the matching, or working out the changes for
// LACRM: the panel says so and why, next to the sources that did sync, instead of the failure going
// only to the log. The fault is a trigger the test puts into the practice's database before the app
// starts (the app has no switch for it); the contacts come from the LACRM simulator. And after a
// sync cancelled before matching began, Review and the Dashboard say bookings wait to be matched.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createCore, type Core } from '../../src/main/core/core';
import type { LacrmContact } from '../../src/main/crm/lacrm/types';
import { upsertBooking } from '../../src/main/db/queries/bookings';
import { startLacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { testAttendee, testBooking } from '../helpers/booking';
import { syncCancelledBeforeMatching } from '../helpers/cancelled-sync';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';
import { FAULTS } from '../helpers/faults';

const JANE: LacrmContact = {
  ContactId: '3862515354732873260518907940102',
  IsCompany: false,
  AssignedTo: 483823,
  CompanyId: null,
  Name: { FirstName: 'Jane', LastName: 'Doe' },
  Email: [{ Text: 'jane@acme.example', Type: 'Work' }],
  Phone: [],
  'Company Name': 'Acme',
  DateCreated: '2024-01-05T09:12:00-06:00',
  LastUpdate: '2025-03-14T11:05:00-05:00',
};

/**
 * A practice with one booking, LACRM connected to the simulator, and `fault` (SQL, or what to do
 * with the practice's core) applied before the app starts; runs `check` on the app, then removes
 * what it made, keychain entries included.
 */
async function withFaultyPractice(
  dataDir: string,
  fault: string | ((core: Core) => Promise<void>),
  check: (url: string) => Promise<void>,
): Promise<void> {
  const sim = await startLacrmSim({ contacts: [JANE] });
  const secrets = new KeychainSecretStore();
  const core = await createCore({ dataDir, secrets });
  const db = core.context.db();
  await core.call('settings:set', { 'lacrm.baseUrl': sim.baseUrl });
  await core.call('secrets:set', { name: 'lacrm', value: sim.apiKey });
  db.transaction(() => {
    upsertBooking(
      db,
      testBooking({
        sourceId: 'uid-e2e-1',
        title: 'Portfolio review',
        startUtc: '2026-02-03T15:00:00.000Z',
        attendees: [testAttendee('jane@acme.example', 'Jane Doe')],
      }),
      null,
      new Date().toISOString(),
    );
  })();
  if (typeof fault === 'string') db.exec(fault);
  else await fault(core);
  // The keychain entries this practice made, removed at the end.
  const accounts = [
    core.context.secretAccount('lacrm'),
    `${core.context.profile.profileId}:db-key`,
  ];
  core.close();

  const bridge = await startBridgeProcess(dataDir);
  try {
    await check(bridge.url);
  } finally {
    await stopBridge(bridge);
    await sim.close();
    for (const account of accounts) await secrets.delete(account);
  }
}

/** Opens the app and presses Sync now, until the sync (sources and the steps after) is over. */
async function syncFromPanel(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('sync-now').click();
  await expect(page.getByTestId('sync-now')).toBeEnabled({ timeout: 60_000 });
}

test('a matching that fails after the sources says why on the Sync panel', async ({
  page,
  dataDir,
}) => {
  await withFaultyPractice(dataDir, FAULTS.matching, async (url) => {
    await syncFromPanel(page, url);
    await expect(page.getByTestId('sync-progress-lacrm')).toHaveAttribute('data-state', 'ok');
    const matching = page.getByTestId('sync-progress-matching');
    await expect(matching).toHaveAttribute('data-state', 'failed');
    await expect(matching).toContainText(
      'failed · simulated write failure · the bookings are stored, and the next sync matches them again',
    );
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-matching-failed.png'),
    });
  });
});

test('working out the changes for LACRM that fails after a sync says why on the Sync panel', async ({
  page,
  dataDir,
}) => {
  await withFaultyPractice(dataDir, FAULTS.plan, async (url) => {
    await syncFromPanel(page, url);
    await expect(page.getByTestId('sync-progress-matching')).toHaveAttribute('data-state', 'ok');
    const step = page.getByTestId('sync-step-plan');
    await expect(step).toHaveAttribute('data-state', 'failed');
    await expect(step).toContainText(
      'Changes for LACRMfailed · simulated write failure · the list of changes was not updated and nothing was written to LACRM; the next sync works them out again',
    );
    await expect(page.getByTestId('sync-step-classification')).toHaveCount(0);
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-step-failed.png'),
    });
  });
});

test('after a sync cancelled before matching, Review and the Dashboard say a booking waits to be matched', async ({
  page,
  dataDir,
}) => {
  await withFaultyPractice(dataDir, syncCancelledBeforeMatching, async (url) => {
    await page.goto(url);
    const notice = page.getByTestId('notice-match-backlog');
    await expect(notice).toContainText(
      '1 booking has not been compared with your contacts yet: the last matching stopped before it reached it, so the figures below leave it out. Press Sync now to match it.',
    );
    await page.getByTestId('dashboard').screenshot({
      path: join(screenshotDir, 'dashboard-match-backlog.png'),
    });
    await expect(page.getByTestId('notice-no-matches')).toHaveCount(0);
    // One meeting is said as one (it read '1 meetings held').
    await expect(page.getByTestId('chart-months')).toContainText(
      '1 meeting held in the last 12 months',
    );

    await page.getByTestId('nav-review').click();
    const empty = page.getByTestId('review-empty');
    await expect(empty).toContainText('Matching has not finished');
    await expect(empty).toContainText(
      '1 booking has not been compared with your contacts yet: the last matching stopped before it reached it, so its attendees are not listed here. Sync now matches it.',
    );
    await expect(empty).not.toContainText('Every attendee is matched');
    await page.screenshot({ path: join(screenshotDir, 'review-match-backlog.png') });

    // Sync now matches the booking: Jane by her address, so nothing waits and nothing is left.
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-progress-matching')).toHaveAttribute('data-state', 'ok', {
      timeout: 60_000,
    });
    await expect(empty).toContainText('Every attendee is matched');
    await expect(empty).toContainText('1 attendee matched by email automatically');
    await expect(page.getByTestId('review-backlog')).toHaveCount(0);
  });
});
