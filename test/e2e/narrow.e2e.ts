// Every screen in a laptop-sized window (1024×700, not maximised), in the demo practice through the
// loopback bridge: no screen makes the page scroll sideways; the Bookings and Compliance tables fit,
// and where a narrower window makes them scroll sideways inside their own box, their headings move
// with the rows; the Review candidates stay inside their card; and a screen opens at its top even
// when the one before was scrolled down. Screenshots of each narrow screen.
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { demoSynced, expect, screenshotDir, test } from './fixtures';

test.setTimeout(240_000);
test.use({ viewport: { width: 1024, height: 700 } });

/** Each screen and what shows once its content has arrived. */
const screens = [
  { id: 'dashboard', ready: 'dashboard' },
  { id: 'review', ready: 'review-candidate' },
  { id: 'bookings', ready: 'booking-row' },
  { id: 'compliance', ready: 'compliance-client' },
  { id: 'changes', ready: 'change-groups' },
  { id: 'rules', ready: 'rules-editor' },
  { id: 'audit', ready: 'audit-entry' },
  { id: 'settings', ready: 'data-folder' },
] as const;

async function open(app: Page, id: string, ready: string): Promise<void> {
  await app.getByTestId(`nav-${id}`).click();
  await expect(app.getByTestId(`screen-${id}`)).toBeVisible();
  await expect(app.getByTestId(ready).first()).toBeVisible();
}

/**
 * How far the page (the window, and the screen's own scroller) reaches past its width, and the
 * elements that stick out past the screen's right edge (to say what is too wide when it fails).
 */
async function sidewaysOverflow(app: Page) {
  return app.evaluate(() => {
    const doc = document.scrollingElement!;
    const main = document.querySelector<HTMLElement>('.main')!;
    const right = main.getBoundingClientRect().right;
    const culprits = [...main.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.getBoundingClientRect().right > right + 1)
      .filter((el) => (el.parentElement?.getBoundingClientRect().right ?? 0) <= right + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.textContent?.slice(0, 30)}`);
    return {
      document: doc.scrollWidth - doc.clientWidth,
      screen: main.scrollWidth - main.clientWidth,
      culprits,
    };
  });
}

async function expectFitsSideways(app: Page, what: string): Promise<void> {
  const overflow = await sidewaysOverflow(app);
  expect(overflow.document, `${what}: the window scrolls sideways`).toBeLessThanOrEqual(1);
  expect(
    overflow.screen,
    `${what}: the screen scrolls sideways (${overflow.culprits.join(' | ')})`,
  ).toBeLessThanOrEqual(1);
}

async function x(locator: Locator): Promise<number> {
  return (await locator.boundingBox())!.x;
}

/** How far down the page is: the window's scroll and the screen's own. */
async function scrolledDown(app: Page): Promise<number> {
  return app.evaluate(() =>
    Math.max(window.scrollY, document.querySelector<HTMLElement>('.main')!.scrollTop),
  );
}

/**
 * A table's headings stay over their columns when its box scrolls sideways, and its rows reach
 * as far as its headings. `pairs` are [heading, first row's cell] of the columns to compare.
 */
async function expectHeadingsFollowRows(
  scroller: Locator,
  pairs: ReadonlyArray<readonly [Locator, Locator]>,
  mustScroll: boolean,
): Promise<void> {
  const scrolled = await scroller.evaluate((el) => {
    el.scrollLeft = 200;
    return el.scrollLeft;
  });
  if (mustScroll) expect(scrolled, 'the table scrolls sideways in its own box').toBeGreaterThan(0);
  for (const [heading, cell] of pairs) {
    // A scroll event is handled in a frame: compare once things are laid out.
    await expect.poll(async () => Math.abs((await x(heading)) - (await x(cell)))).toBeLessThan(1);
  }
  await scroller.evaluate((el) => (el.scrollLeft = 0));
}

async function expectLastHeadingInside(table: Locator, heading: Locator): Promise<void> {
  const box = (await table.boundingBox())!;
  const last = (await heading.boundingBox())!;
  expect(last.x + last.width, 'the last column is inside the table').toBeLessThanOrEqual(
    box.x + box.width + 1,
  );
}

async function checkBookings(app: Page, mustScroll: boolean): Promise<void> {
  const table = app.getByTestId('bookings-table');
  const headings = table.getByRole('columnheader');
  const firstRow = app.getByTestId('booking-row').first();
  if (!mustScroll) await expectLastHeadingInside(table, headings.last());
  await expectHeadingsFollowRows(
    app.getByTestId('bookings-scroll'),
    [
      [headings.nth(1), firstRow.getByRole('cell').nth(1)],
      [headings.last(), firstRow.getByRole('cell').last()],
    ],
    mustScroll,
  );
  const head = (await headings.first().locator('..').boundingBox())!;
  const row = (await firstRow.boundingBox())!;
  expect(row.width, 'a row is as wide as the headings').toBeGreaterThanOrEqual(head.width - 1);
}

async function checkCompliance(app: Page, mustScroll: boolean): Promise<void> {
  const table = app.getByTestId('compliance-table');
  const clientHeadings = table.locator('.c-row.client.head [role="columnheader"]');
  const reviewHeadings = table.locator('.c-row.review.head [role="columnheader"]');
  const client = app.getByTestId('compliance-client').first();
  const review = app.getByTestId('compliance-review').first();
  // Clients with no review come first: scroll down to the first review held.
  const scroller = app.getByTestId('compliance-scroll');
  await expect
    .poll(async () => {
      await scroller.evaluate((el) => el.scrollBy(0, 300));
      return review.count();
    })
    .toBeGreaterThan(0);
  if (!mustScroll) {
    await expectLastHeadingInside(table, clientHeadings.last());
    await expectLastHeadingInside(table, reviewHeadings.last());
  }
  await expectHeadingsFollowRows(
    scroller,
    [
      [clientHeadings.nth(1), client.getByRole('cell').nth(1)],
      [clientHeadings.last(), client.getByRole('cell').last()],
      [reviewHeadings.last(), review.getByRole('cell').last()],
    ],
    mustScroll,
  );
  const head = (await clientHeadings.first().locator('..').boundingBox())!;
  const row = (await client.boundingBox())!;
  expect(row.width, 'a row is as wide as the headings').toBeGreaterThanOrEqual(head.width - 1);
}

/** The candidates stay inside their card, with room to read why each one is suggested. */
async function checkCandidates(app: Page): Promise<void> {
  const candidate = app.getByTestId('review-candidate').first();
  const accept = candidate.getByTestId('review-accept-candidate');
  await accept.scrollIntoViewIfNeeded();
  const card = (await app.locator('section.card', { has: candidate }).boundingBox())!;
  const button = (await accept.boundingBox())!;
  expect(button.x).toBeGreaterThanOrEqual(card.x);
  expect(button.x + button.width, 'Accept is inside its card').toBeLessThanOrEqual(
    card.x + card.width,
  );
  const why = (await candidate.locator('.reason').boundingBox())!;
  expect(why.x + why.width).toBeLessThanOrEqual(card.x + card.width);
  expect(why.width, 'the Why column is wide enough to read').toBeGreaterThanOrEqual(200);
}

test('at 1024×700 every screen fits its width and opens at its top', async ({ app }) => {
  await demoSynced(app);

  for (const { id, ready } of screens) {
    await open(app, id, ready);
    await app.screenshot({ path: join(screenshotDir, `narrow-${id}.png`) });
    await expectFitsSideways(app, id);
    expect(await scrolledDown(app), `${id} opens at its top`).toBe(0);

    if (id === 'bookings') await checkBookings(app, false);
    if (id === 'compliance') await checkCompliance(app, false);
    if (id === 'review') {
      await checkCandidates(app);
      await app.screenshot({ path: join(screenshotDir, 'narrow-review-candidates.png') });
      // A decision, so the audit log has an entry to show.
      await app.getByTestId('review-accept-candidate').first().click();
      await expect(app.getByTestId('review-notice')).toContainText('Linked');
    }
  }

  // Scrolled down one screen, the next one still opens at its top.
  const visits = [
    ['dashboard', 'dashboard', 'settings', 'data-folder'],
    ['settings', 'data-folder', 'bookings', 'booking-row'],
    ['compliance', 'compliance-client', 'rules', 'rules-editor'],
  ] as const;
  for (const [from, fromReady, to, toReady] of visits) {
    await open(app, from, fromReady);
    await app.evaluate(() => document.querySelector<HTMLElement>('.main')!.scrollTo(0, 500));
    expect(await scrolledDown(app), `${from} is scrolled down`).toBeGreaterThan(100);
    await open(app, to, toReady);
    expect(await scrolledDown(app), `${to} opens at its top after a scrolled ${from}`).toBe(0);
  }
  await app.screenshot({ path: join(screenshotDir, 'narrow-rules-after-scrolled.png') });
});

test('narrower still, the tables scroll sideways in their own box with their headings', async ({
  app,
}) => {
  await demoSynced(app);
  await app.setViewportSize({ width: 860, height: 700 });

  await open(app, 'bookings', 'booking-row');
  await expectFitsSideways(app, 'bookings');
  await checkBookings(app, true);
  await app.getByTestId('bookings-scroll').evaluate((el) => (el.scrollLeft = 200));
  await app.screenshot({ path: join(screenshotDir, 'narrow-860-bookings-scrolled.png') });

  await open(app, 'compliance', 'compliance-client');
  await expectFitsSideways(app, 'compliance');
  await checkCompliance(app, true);
  await app.getByTestId('compliance-scroll').evaluate((el) => (el.scrollLeft = 200));
  await app.screenshot({ path: join(screenshotDir, 'narrow-860-compliance-scrolled.png') });

  await open(app, 'review', 'review-candidate');
  await expectFitsSideways(app, 'review');
});

test('at 1280×800 the tables and the candidates still fit', async ({ app }) => {
  await demoSynced(app);
  await app.setViewportSize({ width: 1280, height: 800 });

  await open(app, 'bookings', 'booking-row');
  await expectFitsSideways(app, 'bookings');
  await checkBookings(app, false);
  await app.screenshot({ path: join(screenshotDir, 'wide-1280-bookings.png') });

  await open(app, 'compliance', 'compliance-client');
  await expectFitsSideways(app, 'compliance');
  await checkCompliance(app, false);
  await app.screenshot({ path: join(screenshotDir, 'wide-1280-compliance.png') });

  await open(app, 'review', 'review-candidate');
  await expectFitsSideways(app, 'review');
  await checkCandidates(app);
  await app.screenshot({ path: join(screenshotDir, 'wide-1280-review.png') });
});
