// Settings → Sources in the real UI: a pasted key is verified with a real call (here against the
// Cal.com simulator), kept in the keychain, and never shown again; a refused key says why.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { generatePractice } from '../../src/main/demo/practice';
import { startCalcomSim, type CalcomSim } from '../../src/main/demo/sim/calcom';
import { expect, screenshotDir, test } from './fixtures';

let sim: CalcomSim;
test.beforeAll(async () => {
  sim = await startCalcomSim({ data: generatePractice({ seed: 3 }).calcom });
});
test.afterAll(async () => sim?.close());

test('connect Cal.com: set the API address, a wrong key is refused, the right one is verified and kept', async ({
  app,
}) => {
  await app.getByTestId('nav-settings').click();
  const row = app.getByTestId('source-calcom');
  await expect(row.getByTestId('source-calcom-state')).toHaveText('Not connected');

  await row.getByText('API address', { exact: true }).click();
  await row.getByTestId('source-calcom-url').fill(sim.baseUrl);
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('source-calcom-message')).toHaveText('Saved the API address.');

  await app.getByTestId('source-calcom-key').fill('cal_live_wrongwrongwrong');
  await app.getByTestId('source-calcom-connect').click();
  await expect(app.getByTestId('source-calcom-message')).toContainText(
    'Cal.com refused the API key',
  );
  await expect(app.getByTestId('source-calcom-message')).toContainText('This key was not saved.');
  await expect(app.getByTestId('source-calcom-message')).not.toContainText('keeps using');
  await expect(app.getByTestId('source-calcom-state')).toHaveText('Not connected');

  await app.getByTestId('source-calcom-key').fill(sim.apiKey);
  await app.getByTestId('source-calcom-connect').click();
  await expect(app.getByTestId('source-calcom-message')).toContainText('Connected to');
  await expect(app.getByTestId('source-calcom-state')).toContainText('Connected ·');
  await expect(app.getByTestId('source-calcom-key')).toHaveValue('');
  await expect(app.getByTestId('source-calcom')).toContainText('verified');
  const html = await app.content();
  expect(html).not.toContain(sim.apiKey);
  await app.screenshot({ path: join(screenshotDir, 'settings-sources.png'), fullPage: true });

  // A wrong key pasted over a working one: refused, not saved, and the working one stays in use.
  await app.getByTestId('source-calcom-key').fill('cal_live_wrongagainwrong');
  await app.getByTestId('source-calcom-connect').click();
  await expect(app.getByTestId('source-calcom-message')).toContainText('This key was not saved. ');
  await expect(app.getByTestId('source-calcom-message')).toContainText(
    'Cadence keeps using the key it had.',
  );
  await expect(app.getByTestId('source-calcom-state')).toContainText('Connected ·');
});

/** Settings → Sources: Cal.com pointed at the simulator and connected with its key. */
async function connectCalcom(app: Page) {
  await app.getByTestId('nav-settings').click();
  const row = app.getByTestId('source-calcom');
  await row.getByText('API address', { exact: true }).click();
  await row.getByTestId('source-calcom-url').fill(sim.baseUrl);
  await row.getByRole('button', { name: 'Save' }).click();
  await app.getByTestId('source-calcom-key').fill(sim.apiKey);
  await app.getByTestId('source-calcom-connect').click();
  await expect(app.getByTestId('source-calcom-state')).toContainText('Connected ·');
  return row;
}

test('Check again with a key the service now refuses: the row says refused until a key works again', async ({
  app,
}) => {
  const row = await connectCalcom(app);

  // The key was revoked at Cal.com: every call now answers 401.
  sim.faults.add({
    fault: {
      kind: 'status',
      status: 401,
      body: JSON.stringify({ status: 'error', error: { code: 'UnauthorizedException' } }),
    },
  });
  try {
    await row.getByRole('button', { name: 'Check again' }).click();
    await expect(app.getByTestId('source-calcom-state')).toHaveText(/^Key refused · /);
    await expect(app.getByTestId('source-calcom-state')).toHaveClass(/danger/);
    await expect(app.getByTestId('source-calcom-message')).toHaveText(
      'Checked again: Cal.com still refuses this key.',
    );
    await expect(row).toContainText('last worked');
    await expect(app.getByTestId('source-calcom-refused')).toContainText(
      'Paste a new key below. Cal.com GET',
    );
    await expect(app.getByTestId('source-calcom-refused')).toContainText(
      'Cal.com refused the API key',
    );
    // On Settings → Sources, the message does not send the advisor to where they already are.
    await expect(row).not.toContainText('Settings → Sources');
    await app.screenshot({ path: join(screenshotDir, 'settings-sources-refused.png') });
  } finally {
    sim.faults.clear();
  }

  await row.getByRole('button', { name: 'Check again' }).click();
  await expect(app.getByTestId('source-calcom-message')).toContainText('The key works');
  await expect(app.getByTestId('source-calcom-state')).toContainText('Connected ·');
  await expect(app.getByTestId('source-calcom-refused')).toHaveCount(0);
});

test('a source that fails mid-sync says what was kept and what to do next', async ({ app }) => {
  await connectCalcom(app);

  // Before any sync, the Dashboard says what is left to do: LACRM, then Sync now.
  await app.getByTestId('nav-dashboard').click();
  const empty = app.getByTestId('dashboard-empty');
  await expect(empty).toContainText('Nothing to show yet');
  await expect(empty).toContainText('Connect Less Annoying CRM in Settings');
  await expect(empty).not.toContainText('Connect Cal.com, Calendly or TidyCal');

  // Cal.com answers its first page slowly, then fails on its second, every time (retried at
  // once: Retry-After 0).
  sim.faults.add({
    fault: { kind: 'slow', ms: 5000 },
    match: (req) => req.path === '/v2/bookings' && (req.query.get('skip') ?? '0') === '0',
    times: 1,
  });
  sim.faults.add({
    fault: { kind: 'status', status: 503, headers: { 'retry-after': '0' } },
    match: (req) => req.path === '/v2/bookings' && req.query.get('skip') === '250',
  });
  const line = app.getByTestId('sync-progress-calcom');
  try {
    await app.getByTestId('sync-now').click();
    // Meanwhile the Dashboard says the first sync is under way, not "connect a source".
    await expect(empty).toContainText('Your first sync is running');
    await expect(empty).not.toContainText('Connect');
    await app.screenshot({ path: join(screenshotDir, 'dashboard-first-sync.png') });
    await app.getByTestId('nav-bookings').click();
    await expect(app.getByTestId('bookings-empty')).toContainText('Your first sync is running');
    await expect(line).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
    await expect(line).toContainText(
      'Cal.comThe service had an internal error (HTTP 503). 250 bookings fetched before are kept.',
    );
    await expect(line).toContainText('Failed call: GET /bookings.');
    await expect(line).toContainText("The fault is on Cal.com's side: sync again later.");
    await app.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-source-failed.png'),
    });
  } finally {
    sim.faults.clear();
  }
  // Later, the same sync goes through and finishes what the failed one began.
  await app.getByTestId('sync-now').click();
  await expect(line).toHaveAttribute('data-state', 'ok', { timeout: 60_000 });
});
