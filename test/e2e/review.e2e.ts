// The review queue in the demo practice, in the real renderer through the loopback bridge: start
// the demo from the Welcome screen, Sync now, accept a nickname suggestion with the keyboard, link
// an orphaned attendee through contact search, undo it, and read the decisions in the audit log.
// Screenshots of each step.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CadenceApi } from '../../src/shared/contract';
import type { ReviewQueue } from '../../src/shared/contract-match';
import { demoSynced, expect, screenshotDir, test } from './fixtures';

test.setTimeout(180_000);

/** The queue as the screen sees it (to pick which items to act on; every action is in the UI). */
async function queue(page: Page): Promise<ReviewQueue> {
  return page.evaluate(async () => {
    const api = (window as unknown as { cadence: CadenceApi }).cadence;
    const result = await api.review.list({ limit: 500 });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  });
}

test('accept a nickname suggestion, link an orphan through search, undo it', async ({ app }) => {
  await demoSynced(app);
  await app.getByTestId('nav-review').click();
  await expect(app.getByTestId('review-list')).toBeVisible();
  await expect(app.getByTestId('review-item').first()).toBeVisible();
  await expect(app.getByTestId('review-summary')).toContainText('suggestion');
  await app.screenshot({ path: join(screenshotDir, 'review-queue.png') });

  // 1. A nickname suggestion, accepted with the keyboard.
  const before = await queue(app);
  const nickname = before.items.find(
    (i) => i.kind === 'suggested' && /is a nickname of/.test(i.reason) && i.request === null,
  );
  expect(nickname, 'the demo practice has a nickname suggestion').toBeDefined();
  const nicknameItem = app.locator(`[data-testid="review-item"][data-key="${nickname!.key}"]`);
  await nicknameItem.click();
  await expect(nicknameItem).toHaveAttribute('aria-selected', 'true');
  const detail = app.getByTestId('review-detail');
  await expect(detail).toContainText('is a nickname of');
  await expect(app.getByTestId('review-candidate').first()).toContainText(
    nickname!.candidates[0]!.contact!.name,
  );
  await expect(app.getByTestId('review-accept')).toContainText(
    nickname!.candidates[0]!.contact!.name,
  );
  await app.screenshot({ path: join(screenshotDir, 'review-nickname.png') });
  await app.keyboard.press('a');
  await expect(app.getByTestId('review-notice')).toContainText(
    `to ${nickname!.candidates[0]!.contact!.name}`,
  );
  // The notice names the address the decision is remembered for, not the booking's name twice.
  await expect(app.getByTestId('review-notice')).toContainText(`Linked ${nickname!.email}`);
  await expect(nicknameItem).toHaveCount(0);

  // 2. An orphan (no match), linked to its contact found by search.
  const afterAccept = await queue(app);
  const orphan = afterAccept.items.find(
    (i) => i.kind === 'unmatched' && i.request === null && i.candidates[0]?.contact,
  );
  expect(orphan, 'the demo practice has an orphan with a close contact').toBeDefined();
  const contact = orphan!.candidates[0]!.contact!;
  const orphanItem = app.locator(`[data-testid="review-item"][data-key="${orphan!.key}"]`);
  await orphanItem.click();
  await expect(orphanItem).toHaveAttribute('aria-selected', 'true');
  // Its label (the address, when there is no name) is cut short, never the count beside it.
  const itemBox = (await orphanItem.boundingBox())!;
  const pillBox = (await orphanItem.locator('.who > :last-child').boundingBox())!;
  expect(pillBox.x + pillBox.width).toBeLessThanOrEqual(itemBox.x + itemBox.width);
  // No suggestion: its closest contact is offered as such, not as the thing to accept.
  await expect(app.getByTestId('review-accept')).toContainText(`Link to ${contact.name} (closest,`);
  await expect(app.getByTestId('review-accept')).not.toHaveClass(/primary/);
  await expect(app.getByTestId('review-accept-candidate').first()).toHaveText('Link');
  await app.keyboard.press('/');
  const search = app.getByTestId('review-search');
  await expect(search).toBeFocused();
  await search.fill(contact.name);
  const result = app.getByTestId('review-search-result').filter({ hasText: contact.name });
  await expect(result.first()).toBeVisible();
  await app.screenshot({ path: join(screenshotDir, 'review-search.png') });
  await result.first().getByTestId('review-link').click();
  await expect(app.getByTestId('review-notice')).toContainText(`to ${contact.name}`);
  await expect(orphanItem).toHaveCount(0);
  await app.screenshot({ path: join(screenshotDir, 'review-linked.png') });

  // 3. Undo the link: the orphan is back in the queue, selected, and the alias is gone.
  await app.getByTestId('review-list').focus();
  await app.keyboard.press('u');
  await expect(app.getByTestId('review-notice')).toContainText('Undone');
  await expect(orphanItem).toHaveCount(1);
  await expect(orphanItem).toHaveAttribute('aria-selected', 'true');
  const afterUndo = await queue(app);
  expect(afterUndo.items.some((i) => i.key === orphan!.key && i.kind === 'unmatched')).toBe(true);
  expect(afterUndo.items.some((i) => i.key === nickname!.key)).toBe(false);
  await app.screenshot({ path: join(screenshotDir, 'review-undo.png') });

  // 4. The audit log says each decision in words, with the client and the meeting it was about.
  await app.getByTestId('nav-audit').click();
  const table = app.getByTestId('audit-table');
  const confirms = table.locator('[data-testid="audit-entry"][data-action="match.confirm"]');
  await expect(confirms).toHaveCount(2);
  await expect(confirms.last().getByTestId('audit-entry-what')).toContainText(
    'Matched an attendee to a contact',
  );
  await expect(confirms.last().getByTestId('audit-entry-about')).toContainText(
    nickname!.candidates[0]!.contact!.name,
  );
  const undone = table.locator('[data-testid="audit-entry"][data-action="match.undo"]');
  await expect(undone.getByTestId('audit-entry-about')).toContainText(contact.name);
  await expect(undone.getByTestId('audit-entry-detail')).toHaveText(
    'Undid: the match to a contact',
  );
  await expect(table).not.toContainText('match.confirm');
  await expect(table).not.toContainText('match_decision');
  await expect(table).not.toContainText('{"');
  await app.screenshot({ path: join(screenshotDir, 'review-audit.png') });
  // The filter offers the matching decisions by name.
  await app.getByTestId('audit-filter').selectOption({ label: 'Undid a matching decision' });
  await expect(table.getByTestId('audit-entry')).toHaveCount(1);
  await expect(table.getByTestId('audit-entry')).toHaveAttribute('data-action', 'match.undo');
});

test('reject, request a new contact, ignore and bulk accept, each undone', async ({ app }) => {
  await demoSynced(app);
  await app.getByTestId('nav-review').click();
  const list = app.getByTestId('review-list');
  await expect(app.getByTestId('review-item').first()).toBeVisible();
  const notice = app.getByTestId('review-notice');

  // j moves the selection; r rejects the suggestion of the selected item.
  await list.focus();
  await app.keyboard.press('j');
  await expect(app.getByTestId('review-item').nth(1)).toHaveAttribute('aria-selected', 'true');
  const rejectedKey = await app.getByTestId('review-item').nth(1).getAttribute('data-key');
  await app.keyboard.press('r');
  await expect(notice).toContainText('Rejected');
  const rejected = app.locator(`[data-testid="review-item"][data-key="${rejectedKey}"]`);
  await expect(rejected).toHaveAttribute('data-kind', 'rejected');
  await app.keyboard.press('u');
  await expect(notice).toContainText('Undone');
  await expect(rejected).toHaveAttribute('data-kind', 'suggested');

  // n opens the new-contact form, prefilled from the booking.
  const orphan = app.locator('[data-testid="review-item"][data-kind="unmatched"]').first();
  await orphan.click();
  await app.keyboard.press('n');
  const form = app.getByTestId('review-request-form');
  await expect(form).toBeVisible();
  await form.getByLabel('Last name').fill('Newcontact');
  await app.screenshot({ path: join(screenshotDir, 'review-request.png') });
  await app.getByTestId('review-request-submit').click();
  await expect(notice).toContainText('Requested a new LACRM contact');
  await expect(app.getByTestId('review-request-note')).toContainText('Newcontact');
  await app.getByTestId('review-undo').click();
  await expect(notice).toContainText('Undone');
  await expect(app.getByTestId('review-request-note')).toHaveCount(0);

  // i ignores the selected address; u brings it back.
  await list.focus();
  const ignoredKey = await app
    .locator('[data-testid="review-item"][aria-selected="true"]')
    .getAttribute('data-key');
  await app.keyboard.press('i');
  await expect(notice).toContainText('Ignoring');
  const ignored = app.locator(`[data-testid="review-item"][data-key="${ignoredKey}"]`);
  await expect(ignored).toHaveCount(0);
  await app.keyboard.press('u');
  await expect(ignored).toHaveCount(1);

  // Bulk accept asks first, with the count, and one undo takes the whole batch back.
  const bulk = app.getByTestId('review-bulk');
  const label = (await bulk.textContent()) ?? '';
  const count = Number(/Accept ([\d,]+) suggestion/.exec(label)?.[1]?.replace(',', ''));
  expect(count).toBeGreaterThan(0);
  await bulk.click();
  await expect(app.getByTestId('review-bulk-dialog')).toContainText(
    `Accept ${label.match(/[\d,]+/)?.[0]}`,
  );
  await app.screenshot({ path: join(screenshotDir, 'review-bulk.png') });
  await app.getByTestId('review-bulk-confirm').click();
  await expect(notice).toContainText(`Accepted ${count.toLocaleString()} suggestion`);
  // Accepting can lift another attendee of the same name over 90% (a confirmed contact counts for
  // a name seen again), so a few suggestions may follow; the accepted ones are gone.
  await expect(bulk).not.toHaveText(label);
  const after = Number(/Accept ([\d,]+) suggestion/.exec((await bulk.textContent()) ?? '')?.[1]);
  expect(after).toBeLessThan(count);
  await app.getByTestId('review-undo').click();
  await expect(notice).toContainText(`Undone: ${count.toLocaleString()} decisions`);
  await expect(bulk).toHaveText(label);
});

test('an empty queue explains what to do first', async ({ app }) => {
  await app.getByTestId('nav-review').click();
  await expect(app.getByTestId('review-empty')).toContainText('Less Annoying CRM');
  await expect(app.getByTestId('review-empty')).toContainText('Sync now');
});

test('a booking says who its attendee is and opens its review item', async ({ app }) => {
  await demoSynced(app);
  const open = await queue(app);
  // An orphan far down the queue, so selecting it is the link's doing, not the default.
  const orphan = [...open.items]
    .reverse()
    .find((i) => i.kind === 'unmatched' && i.email !== null && i.request === null);
  expect(orphan, 'the demo practice has an orphan with an address').toBeDefined();

  await app.getByTestId('nav-bookings').click();
  await app.getByTestId('filter-search').fill(orphan!.email!);
  await expect(app.getByTestId('bookings-count')).toContainText(/ match(es)? the filters/);
  await app.getByTestId('booking-row').first().click();
  const detail = app.getByTestId('booking-detail');
  const match = detail
    .getByTestId('booking-attendee-match')
    .and(detail.locator('[data-state="unmatched"]'));
  await expect(match.first()).toContainText('no match');
  await app.screenshot({ path: join(screenshotDir, 'booking-detail-orphan.png') });

  await match.first().getByTestId('booking-attendee-review').click();
  const item = app.locator(`[data-testid="review-item"][data-key="${orphan!.key}"]`);
  await expect(item).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('review-detail')).toContainText(orphan!.email!);

  // A link to an item that is no longer open says so instead of quietly selecting another.
  await app.getByTestId('nav-bookings').click();
  await app.evaluate(() => {
    window.location.hash = `#/review?item=${encodeURIComponent('gone@nowhere.example|')}`;
  });
  await expect(app.getByTestId('review-notice')).toContainText('no longer waits here');
});
