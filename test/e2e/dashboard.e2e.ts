// The dashboard in the demo practice, in the real renderer through the loopback bridge: start the
// demo, Sync now, read the cards and charts, open the list behind a card, a chart bar and a past
// point of the overdue line (each list as long as its number), open a meeting from a list and
// override its category, and set a quarterly cadence for the top tier in Rules and see the
// figures move. Screenshots of each step go to test-results/screenshots/dashboard*.png.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CadenceApi } from '../../src/shared/contract';
import type { DashboardData } from '../../src/shared/contract-metrics';
import { expect, screenshotDir, test } from './fixtures';

test.setTimeout(240_000);

async function dashboardData(page: Page): Promise<DashboardData> {
  return page.evaluate(async () => {
    const api = (window as unknown as { cadence: CadenceApi }).cadence;
    const result = await api.metrics.dashboard();
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  });
}

function count(text: string): number {
  return Number(text.replace(/[^0-9]/g, ''));
}

test('dashboard: figures, the lists behind them, an override and a group cadence', async ({
  app,
}) => {
  await app.getByTestId('welcome-demo').click();
  await expect(app.getByTestId('demo-banner')).toBeVisible({ timeout: 30_000 });
  // Before the first sync the dashboard says what is missing.
  await expect(app.getByTestId('dashboard-empty')).toBeVisible();

  await app.getByTestId('sync-now').click();
  for (const source of ['calcom', 'calendly', 'tidycal', 'lacrm']) {
    await expect(app.getByTestId(`sync-progress-${source}`)).toHaveAttribute('data-state', 'ok', {
      timeout: 180_000,
    });
  }
  await expect(app.getByTestId('sync-now')).toBeEnabled();

  // Tall enough for the cards and all three charts in one screenshot.
  await app.setViewportSize({ width: 1360, height: 1380 });
  await app.getByTestId('nav-dashboard').click();
  await expect(app.getByTestId('dashboard-cards')).toBeVisible();
  const data = await dashboardData(app);
  // The demo practice has clients in every state and a year of meetings.
  expect(data.cards.clients).toBeGreaterThan(50);
  expect(data.cards.onTrack).toBeGreaterThan(0);
  expect(data.cards.overdue).toBeGreaterThan(0);
  expect(data.cards.upcomingReviews).toBeGreaterThan(0);
  expect(data.meetingsPerMonth.some((m) => m.category === 'portfolio_review')).toBe(true);
  await expect(app.getByTestId('card-clients-value')).toHaveText(
    data.cards.clients.toLocaleString('en-US'),
  );
  await expect(app.getByTestId('card-overdue-value')).toHaveText(
    data.cards.overdue.toLocaleString('en-US'),
  );
  await expect(
    app.getByTestId('chart-months').locator('.recharts-bar-rectangle').first(),
  ).toBeVisible();
  await expect(app.getByTestId('chart-overdue').locator('.recharts-line')).toBeVisible();
  await expect(app.getByTestId('client-definition')).toContainText('Who counts as a client?');
  await app.screenshot({ path: join(screenshotDir, 'dashboard.png'), fullPage: true });

  // 1. A card: the overdue clients, as many as the card says, longest waiting first.
  await app.getByTestId('card-overdue').click();
  const panel = app.getByTestId('drill-panel');
  await expect(panel).toBeVisible();
  await expect(app.getByTestId('drill-title')).toHaveText('Overdue clients');
  await expect(app.getByTestId('drill-count')).toHaveText(
    `${data.cards.overdue.toLocaleString('en-US')} ${data.cards.overdue === 1 ? 'client' : 'clients'}`,
  );
  await expect(app.getByTestId('drill-client-row').first()).toContainText('Overdue');
  await app.screenshot({ path: join(screenshotDir, 'dashboard-overdue-list.png') });
  await app.getByTestId('drill-close').click();
  await expect(panel).toHaveCount(0);

  // 2. A bar of the meetings chart (clicked in the chart itself): that month's meetings.
  await app.getByTestId('chart-months').locator('.recharts-bar-rectangle').last().click();
  await expect(panel).toBeVisible();
  await expect(app.getByTestId('drill-title')).toContainText('held in');
  await expect(app.getByTestId('drill-booking-row').first()).toBeVisible();
  await app.getByTestId('drill-close').click();

  // 3. The same numbers as links: this month's reviews, and one of them opened.
  const lastMonth = data.months[data.months.length - 2]!;
  const reviews = data.meetingsPerMonth.find(
    (m) => m.month === lastMonth && m.category === 'portfolio_review',
  );
  expect(reviews, `reviews were held in ${lastMonth}`).toBeDefined();
  await app.getByTestId('chart-months').locator('summary').click();
  await app.getByTestId(`months-${lastMonth}-portfolio_review`).click();
  await expect(app.getByTestId('drill-count')).toContainText(
    `${reviews!.meetings.toLocaleString('en-US')} meeting`,
  );
  await app.getByTestId('drill-booking-row').first().click();
  const detail = app.getByTestId('booking-detail');
  await expect(detail).toBeVisible();
  await expect(app.getByTestId('classification-category')).toContainText('Portfolio review');
  await expect(app.getByTestId('classification-reason')).toContainText('Rule');
  await app.screenshot({ path: join(screenshotDir, 'dashboard-booking-classification.png') });

  // 4. Override it to General: the panel says so, the month's count drops by one, and clearing
  // the override puts it back.
  await app.getByTestId('override-open').click();
  await app.getByTestId('override-category').selectOption('general');
  await app.getByTestId('override-note').fill('A quick call, not a review');
  await app.getByTestId('override-save').click();
  await expect(app.getByTestId('classification-category')).toContainText('General');
  await expect(app.getByTestId('classification-category')).toContainText('set by you');
  await expect(app.getByTestId('classification-automatic')).toContainText('Portfolio review');
  await expect(app.getByTestId('drill-count')).toContainText(
    `${(reviews!.meetings - 1).toLocaleString('en-US')} meeting`,
  );
  await app.screenshot({ path: join(screenshotDir, 'dashboard-override.png') });
  await app.getByTestId('override-clear').click();
  await expect(app.getByTestId('classification-category')).toContainText('Portfolio review');
  await expect(app.getByTestId('drill-count')).toContainText(
    `${reviews!.meetings.toLocaleString('en-US')} meeting`,
  );
  await app.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);
  await expect(panel).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  // Override and cleared: every figure is as it was.
  expect((await dashboardData(app)).cards).toEqual(data.cards);

  // 5. A past point of the overdue line: the clients overdue that evening, as many as the point.
  const past = data.overdueOverTime[data.overdueOverTime.length - 4]!;
  await app.getByTestId('chart-overdue').locator('summary').click();
  await app.getByTestId(`overdue-${past.date}`).click();
  await expect(app.getByTestId('drill-title')).toContainText('Clients overdue on');
  await expect(app.getByTestId('drill-count')).toHaveText(
    `${past.overdue.toLocaleString('en-US')} ${past.overdue === 1 ? 'client' : 'clients'}`,
  );
  await app.getByTestId('drill-close').click();

  // 6. Rules → review policy: the top tier reviewed quarterly. Top clients whose last review is
  // more than three months old become due or overdue; the dashboard shows it.
  await app.getByTestId('nav-rules').click();
  await expect(app.getByTestId('rules-editor')).toBeVisible();
  await expect(app.getByTestId('rule')).toHaveCount(2);
  // Each of a rule's range boxes has a name of its own, not only "min" / "max" as placeholders.
  const firstRule = app.getByTestId('rule').first();
  for (const name of [
    'Shortest length in minutes',
    'Longest length in minutes',
    'Fewest attendees',
    'Most attendees',
  ])
    await expect(firstRule.getByRole('textbox', { name, exact: true })).toBeVisible();
  await expect(app.getByTestId('policy-contact-search')).toHaveAccessibleName(
    'Find a client by name or email',
  );
  // An edit the rules cannot take says why in words, and can be discarded.
  await firstRule.getByRole('textbox', { name: 'Fewest attendees', exact: true }).fill('-2');
  await firstRule.getByRole('textbox', { name: 'Shortest length in minutes' }).fill('60');
  await firstRule.getByRole('textbox', { name: 'Longest length in minutes' }).fill('30');
  const problems = firstRule.getByTestId('rule-problems');
  await expect(problems).toContainText('The fewest attendees must be 0 or more.');
  await expect(problems).toContainText(
    'The longest length must be at least the minimum duration (60 min).',
  );
  await expect(app.getByTestId('rules-save')).toBeDisabled();
  await app.getByTestId('rules-discard').click();
  await expect(problems).toHaveCount(0);
  await expect(
    firstRule.getByRole('textbox', { name: 'Fewest attendees', exact: true }),
  ).toHaveValue('');
  // A due-soon window left empty, or a time zone that is none, is said and not saved.
  const problem = app.getByTestId('policy-defaults-problem');
  await app.getByTestId('policy-due-soon').fill('');
  await app.getByTestId('policy-defaults-save').click();
  await expect(problem).toContainText('Due soon needs a whole number of days');
  await app.getByTestId('policy-due-soon').fill('30');
  await app.getByTestId('policy-zone').fill('Mars/Olympus');
  await app.getByTestId('policy-defaults-save').click();
  await expect(problem).toHaveText(
    '“Mars/Olympus” is not a time zone Cadence knows: pick one from the list, such as America/New_York.',
  );
  await app.getByTestId('nav-dashboard').click();
  await app.getByTestId('nav-rules').click();
  await expect(app.getByTestId('policy-due-soon')).toHaveValue('30');
  await expect(app.getByTestId('policy-zone')).not.toHaveValue('Mars/Olympus');
  await app.getByTestId('group-field').selectOption('Client tier');
  await app.getByTestId('group-value').selectOption('Top');
  await app.getByTestId('group-cadence').selectOption('3');
  await app.getByTestId('group-add').click();
  await expect(app.getByTestId('policy-group')).toContainText('Quarterly');
  await app.screenshot({ path: join(screenshotDir, 'dashboard-rules.png'), fullPage: true });
  await app.getByTestId('nav-dashboard').click();
  await expect(app.getByTestId('dashboard-cards')).toBeVisible();
  const after = await dashboardData(app);
  // Everyone in the group is a client now (a joint client with no meeting of their own too), and
  // top clients whose last review is over three months old are no longer on track.
  expect(after.cards.clients).toBeGreaterThanOrEqual(data.cards.clients);
  expect(after.cards.onTrack).toBeLessThan(data.cards.onTrack);
  await expect(app.getByTestId('card-overdue-value')).toHaveText(
    after.cards.overdue.toLocaleString('en-US'),
  );
  expect(count(await app.getByTestId('card-within-value').innerText())).toBe(
    Math.round((after.cards.reviewedWithinCadenceShare ?? 0) * 100),
  );
  await app.screenshot({
    path: join(screenshotDir, 'dashboard-quarterly-top-tier.png'),
    fullPage: true,
  });
});
