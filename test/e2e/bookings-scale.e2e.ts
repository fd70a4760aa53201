// The Bookings table with 50,000 bookings: the count is right, only a screenful of rows is in the
// page at any time, and scrolling to the far end loads the rows there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { testAttendee, testBooking } from '../helpers/booking';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';

const COUNT = 50_000;

async function seed(dataDir: string) {
  const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  const db = core.context.db();
  const now = new Date().toISOString();
  const start = Date.parse('2021-01-04T15:00:00Z');
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const startUtc = new Date(start + i * 3_600_000).toISOString();
      const booking = testBooking({
        source: (['calcom', 'calendly', 'tidycal'] as const)[i % 3]!,
        sourceId: `bk-${i}`,
        title: `Meeting ${i}`,
        eventTypeSlug: i % 4 === 0 ? 'annual-review' : 'check-in',
        startUtc,
        durationMinutes: 30,
        status: i % 10 === 0 ? 'cancelled' : 'scheduled',
        attendees: [testAttendee(`client${i % 5000}@example.com`, `Client ${i % 5000}`)],
      });
      storeBooking(db, booking, null, now);
    }
  })();
  core.close();
}

test('50,000 bookings stay a screenful of rows in the page, and the far end loads on scroll', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-e2e-scale-'));
  await seed(dataDir);
  const bridge = await startBridgeProcess(dataDir);
  try {
    await page.goto(bridge.url);
    await page.getByTestId('nav-bookings').click();
    await expect(page.getByTestId('bookings-count')).toHaveText('50,000 bookings');
    const rendered = await page.locator('[data-testid^="booking-row"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(80);

    await page.getByTestId('bookings-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    // The oldest booking is at the end (newest first).
    await expect(
      page.getByTestId('booking-row').filter({ hasText: 'Jan 4, 2021' }).first(),
    ).toBeVisible();
    expect(await page.locator('[data-testid^="booking-row"]').count()).toBeLessThan(80);

    // Search narrows 50,000 to the handful with that client.
    await page.getByTestId('filter-search').fill('client4321@');
    await expect(page.getByTestId('bookings-count')).toHaveText('10 bookings match the filters');
    await page.screenshot({ path: join(screenshotDir, 'bookings-50k.png') });
  } finally {
    await stopBridge(bridge);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
