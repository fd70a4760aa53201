// The app frame in the real renderer, through the loopback bridge.
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';

test('the frame shows every screen and Settings shows the data folder and keychain', async ({
  app,
  dataDir,
}) => {
  await expect(app.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const name of ['Dashboard', 'Bookings', 'Review', 'Changes', 'Compliance', 'Settings']) {
    await expect(
      app.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }),
    ).toBeVisible();
  }
  await expect(app.getByTestId('dashboard-empty')).toContainText('Sync now');
  await app.screenshot({ path: join(screenshotDir, 'frame-dashboard.png') });

  for (const id of ['bookings', 'review', 'changes', 'compliance']) {
    await app.getByTestId(`nav-${id}`).click();
    await expect(app.getByTestId(`screen-${id}`)).toBeVisible();
    await expect(app.getByTestId(`${id}-empty`)).toBeVisible();
  }

  await app.getByTestId('nav-settings').click();
  await expect(app.getByTestId('data-folder')).toHaveText(dataDir);
  await expect(app.getByTestId('keychain-state')).toContainText(/Available|Unavailable/);
  await expect(app.getByTestId('secret-calcom')).toContainText('Not set');
  await expect(app.getByTestId('secret-calcom-webhook')).toContainText(
    'Cal.com webhook signing secret',
  );
  await app.screenshot({ path: join(screenshotDir, 'frame-settings.png') });

  // Only the screen scrolls, never the window: Settings is taller than the window, and hidden
  // labels far down it once gave the window a scroll of its own onto an empty page.
  const heights = await app.evaluate(() => ({
    window: window.innerHeight,
    document: document.documentElement.scrollHeight,
    screen: document.querySelector('.main')!.scrollHeight,
  }));
  expect(heights.screen).toBeGreaterThan(heights.window);
  expect(heights.document).toBe(heights.window);
});

test('keyboard focus is visible and every nav link is reachable by Tab', async ({ app }) => {
  await expect(app.getByTestId('nav-dashboard')).toBeVisible();
  await app.keyboard.press('Tab');
  const focused = app.locator(':focus');
  await expect(focused).toHaveAttribute('data-testid', 'nav-dashboard');
  const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
});
