// The compliance screen in the demo practice, in the real renderer through the loopback bridge:
// start the demo, Sync now, read the report for the last 12 months (clients with no review in the
// period first), export it as CSV and as PDF, and check each file on disk against the SHA-256 the
// screen shows and the record keeps. The PDF's first pages are rendered to PNG with pdftoppm to be
// looked at. Screenshots go to test-results/screenshots/compliance*.png.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CadenceApi } from '../../src/shared/contract';
import type { ComplianceReportView } from '../../src/shared/contract-metrics';
import { instantIn } from '../../src/renderer/src/dashboard/format';
import { expect, screenshotDir, test } from './fixtures';

test.setTimeout(240_000);

async function report(page: Page, from: string, to: string): Promise<ComplianceReportView> {
  return page.evaluate(
    async ([f, t]) => {
      const api = (window as unknown as { cadence: CadenceApi }).cadence;
      const result = await api.reports.compliance({ from: f!, to: t! });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    [from, to],
  );
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

test('compliance: the report for a period, exported as CSV and PDF with their SHA-256', async ({
  app,
  dataDir,
}) => {
  await app.getByTestId('welcome-demo').click();
  await expect(app.getByTestId('demo-banner')).toBeVisible({ timeout: 30_000 });
  await app.getByTestId('sync-now').click();
  for (const source of ['calcom', 'calendly', 'tidycal', 'lacrm']) {
    await expect(app.getByTestId(`sync-progress-${source}`)).toHaveAttribute('data-state', 'ok', {
      timeout: 180_000,
    });
  }
  await expect(app.getByTestId('sync-now')).toBeEnabled();

  await app.setViewportSize({ width: 1360, height: 1100 });
  await app.getByTestId('nav-compliance').click();
  await expect(app.getByTestId('compliance-summary')).toBeVisible();
  const from = await app.getByTestId('period-from').inputValue();
  const to = await app.getByTestId('period-to').inputValue();
  const data = await report(app, from, to);
  expect(data.summary.clients).toBeGreaterThan(50);
  expect(data.summary.reviewedInPeriod).toBeGreaterThan(0);
  expect(data.summary.notReviewed).toBeGreaterThan(0);
  // Clients with no review in the period come first, on screen as in the data.
  const firstReviewed = data.clients.findIndex((c) => c.reviews.length > 0);
  expect(firstReviewed).toBe(data.summary.notReviewed);
  await expect(app.getByTestId('compliance-client').first()).toHaveAttribute('data-reviewed', 'no');
  await expect(app.getByTestId('compliance-client').first()).toContainText(data.clients[0]!.name);
  await expect(app.getByTestId('compliance-summary')).toContainText(
    `${data.summary.notReviewed} not reviewed`,
  );
  // Each review carries its evidence: source, booking id, rule and who linked it to the client.
  const review = data.clients[firstReviewed]!.reviews[0]!;
  expect(review.ruleName ?? review.classificationReason).toBeTruthy();
  expect(review.matchConfirmedBy).not.toBe('');
  await app.screenshot({ path: join(screenshotDir, 'compliance.png') });

  // Scroll to the reviewed clients: their reviews are listed under them.
  await app
    .getByTestId('compliance-scroll')
    .evaluate((el, rows) => el.scrollTo(0, rows * 42), data.summary.notReviewed);
  await expect(app.getByTestId('compliance-review').first()).toBeVisible();
  // When the match was confirmed reads as the review's own date does, in the report's zone.
  await expect(app.getByTestId('compliance-review').first()).toContainText(
    instantIn(review.matchConfirmedAt, data.timeZone),
  );
  await app.screenshot({ path: join(screenshotDir, 'compliance-reviews.png') });

  // Export CSV, then PDF: each file is in the demo's exports folder and hashes to what is shown.
  const exportsDir = join(dataDir, 'demo', 'exports');
  await app.getByTestId('export-csv').click();
  await expect(app.getByTestId('export-result')).toBeVisible({ timeout: 60_000 });
  const csvName = await app.getByTestId('export-file').innerText();
  const csvSha = await app.getByTestId('export-sha').innerText();
  expect(csvName).toMatch(new RegExp(`^compliance_${from}_to_${to}_generated_.*\\.csv$`));
  expect(csvSha).toMatch(/^[0-9a-f]{64}$/);
  const csvPath = join(exportsDir, csvName);
  expect(existsSync(csvPath)).toBe(true);
  expect(sha256(csvPath)).toBe(csvSha);
  const csv = readFileSync(csvPath, 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^contact_id,client_name,cadence_months,client_status/);

  await app.getByTestId('export-pdf').click();
  await expect(app.getByTestId('export-file')).toHaveText(/\.pdf$/, { timeout: 90_000 });
  const pdfName = await app.getByTestId('export-file').innerText();
  const pdfSha = await app.getByTestId('export-sha').innerText();
  const pdfPath = join(exportsDir, pdfName);
  expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(sha256(pdfPath)).toBe(pdfSha);
  // Both exports are recorded with their checksums.
  await app.getByTestId('export-history').locator('summary').click();
  await expect(app.getByTestId('export-history')).toContainText(csvSha);
  await expect(app.getByTestId('export-history')).toContainText(pdfSha);
  await expect(app.getByTestId('retention-note')).toContainText('never deletes');
  // Said for the advisor: no configuration key in the sentence.
  await expect(app.getByTestId('retention-note')).not.toContainText('retention.years');
  await app.screenshot({ path: join(screenshotDir, 'compliance-export.png'), fullPage: true });

  // The PDF, rendered to PNG to be looked at: the cover page and the last page.
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '1',
    '-l',
    '2',
    pdfPath,
    join(screenshotDir, 'compliance-demo-pdf'),
  ]);

  // A shorter period: fewer clients reviewed in it, the same clients.
  const lastMonth = `${to.slice(0, 8)}01`;
  await app.getByTestId('period-from').fill(lastMonth);
  const shorter = await report(app, lastMonth, to);
  await expect(app.getByTestId('compliance-summary')).toContainText(
    `${shorter.summary.reviewedInPeriod} reviewed in the period`,
  );
  expect(shorter.summary.clients).toBe(data.summary.clients);
  expect(shorter.summary.reviewedInPeriod).toBeLessThan(data.summary.reviewedInPeriod);

  // A period the report cannot cover is said in words, before anything is asked.
  const screen = app.getByTestId('screen-compliance');
  await app.getByTestId('period-from').fill('1900-01-01');
  await expect(screen.getByRole('alert')).toHaveText(
    'A report covers at most 10 years: choose a shorter period.',
  );
  await app.getByTestId('period-from').fill('');
  await expect(screen.getByRole('alert')).toHaveText('Choose both dates of the period.');
});
