// The demo practice end to end in the real UI: Try a demo practice → Sync now → progress → the
// bookings are listed; filters and the detail panel work.
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';

test('demo practice: Sync now shows progress and lists the bookings', async ({ app }) => {
  await expect(app.getByTestId('welcome')).toBeVisible();
  await app.screenshot({ path: join(screenshotDir, 'welcome.png') });
  // Sync now with nothing connected says so; the demo practice connects its sources, and the
  // sentence goes with it.
  await app.getByTestId('sync-now').click();
  const nothingConnected = app.getByTestId('sync-panel').getByText('No source is connected yet');
  await expect(nothingConnected).toBeVisible();
  await app.getByTestId('welcome-demo').click();
  await expect(app.getByTestId('demo-banner')).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('demo-banner')).toContainText('DEMO PRACTICE');
  await expect(nothingConnected).toHaveCount(0);

  // Whether the panel said it was working out the changes for LACRM while it did (a line that
  // comes and goes within the sync; the demo's plan takes a fraction of a second).
  await app.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { planLines: string[] }).planLines = seen;
    new MutationObserver(() => {
      const line = document.querySelector('[data-testid="sync-working-plan"]');
      if (line && !seen.includes(line.textContent ?? '')) seen.push(line.textContent ?? '');
    }).observe(document.body, { childList: true, subtree: true });
  });
  await app.getByTestId('sync-now').click();
  // Progress per source while it runs, then the last result per source.
  await expect(app.getByTestId('sync-progress')).toBeVisible();
  await expect(app.getByTestId('sync-progress-calcom')).toBeVisible();
  await app.screenshot({ path: join(screenshotDir, 'sync-progress.png') });
  await expect(app.getByTestId('sync-now')).toBeEnabled({ timeout: 60_000 });
  for (const source of ['calcom', 'calendly', 'tidycal']) {
    await expect(app.getByTestId(`sync-progress-${source}`)).toHaveAttribute('data-state', 'ok');
  }
  await expect(app.getByTestId('sync-progress-calcom')).toContainText(/new/);
  // Then the bookings' attendees matched to contacts, counted.
  await expect(app.getByTestId('sync-progress-matching')).toHaveAttribute('data-state', 'ok');
  await expect(app.getByTestId('sync-progress-matching')).toContainText(
    /done · attendees of [\d,]+ bookings compared with your contacts/,
  );
  await app.getByTestId('sync-panel').screenshot({ path: join(screenshotDir, 'sync-done.png') });
  expect(
    await app.evaluate(() => (window as unknown as { planLines: string[] }).planLines),
  ).toEqual(['Changes for LACRMworking out what to propose from your bookings and matches…']);
  await expect(app.getByTestId('sync-working-plan')).toHaveCount(0);

  await app.getByTestId('nav-bookings').click();
  await expect(app.getByTestId('bookings-table')).toBeVisible();
  await expect(app.getByTestId('booking-row').first()).toBeVisible();
  const countText = await app.getByTestId('bookings-count').innerText();
  const total = Number(countText.replace(/[^0-9]/g, ''));
  expect(total).toBeGreaterThan(500);
  await app.screenshot({ path: join(screenshotDir, 'bookings.png') });

  // Scroll far down: rows load on demand.
  await app.getByTestId('bookings-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
  await expect(app.getByTestId('booking-row').first()).toBeVisible();

  // Filter to TidyCal only, then search.
  await app.getByTestId('filter-source-tidycal').click();
  await expect(app.getByTestId('bookings-count')).toContainText('match the filters');
  const tidy = Number((await app.getByTestId('bookings-count').innerText()).replace(/[^0-9]/g, ''));
  expect(tidy).toBeGreaterThan(0);
  expect(tidy).toBeLessThan(total);
  await expect(app.getByTestId('booking-row').first()).toContainText('TidyCal');

  await app.getByTestId('booking-row').first().click();
  await expect(app.getByTestId('booking-detail')).toBeVisible();
  await expect(app.getByTestId('booking-history')).toContainText('First seen');
  // Who the attendee is in the CRM, as matching left it.
  await expect(app.getByTestId('booking-attendee-match').first()).toBeVisible();
  await expect(app.getByTestId('booking-attendee-match').first()).toHaveAttribute(
    'data-state',
    /^(auto|confirmed|suggested|unmatched|rejected|ignored)$/,
  );
  await app.screenshot({ path: join(screenshotDir, 'booking-detail.png') });

  // Leaving the demo leaves its sync behind: the panel does not show the demo's results over the
  // advisor's own (empty) data folder.
  await app.getByRole('button', { name: 'Close details' }).click();
  await app.getByTestId('demo-exit').click();
  await expect(app.getByTestId('demo-banner')).toHaveCount(0);
  await expect(app.getByTestId('sync-progress')).toHaveCount(0);
  await expect(app.getByTestId('sync-progress-matching')).toHaveCount(0);
});
