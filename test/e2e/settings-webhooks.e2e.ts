// Settings → Real-time updates in the real renderer: switching the receiver on and off says what
// happened (it once said the opposite: the box was read after React had put it back), and a
// Calendly callback URL Calendly would not take is said next to its field before anything is
// asked. The bridge runs the app's receiver, as the app does when the setting is on.
import { join } from 'node:path';
import { freePort } from '../helpers/free-port';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';

test('the receiver switch says what it did, and a bad Calendly callback URL is said at its field', async ({
  page,
  dataDir,
}) => {
  const bridge = await startBridgeProcess(dataDir, ['--receiver']);
  try {
    await page.goto(bridge.url);
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('webhooks-card');
    const message = card.getByTestId('webhooks-message');
    const state = card.getByTestId('webhooks-state');
    await expect(state).toHaveText('Off');

    const port = await freePort();
    await card.getByLabel('Receiver port').fill(String(port));
    await card.getByRole('button', { name: 'Change port' }).click();
    await expect(message).toHaveText(`The receiver port is now ${port}.`);

    await card.getByTestId('webhooks-enabled').click();
    await expect(message).toHaveText(`The receiver is on, listening on http://127.0.0.1:${port}.`);
    await expect(state).toHaveText(`Listening on http://127.0.0.1:${port}`);
    await expect(card.getByTestId('webhooks-enabled')).toBeChecked();
    const health = await fetch(`http://127.0.0.1:${port}/webhooks/calcom`, { method: 'POST' });
    expect(health.status).not.toBe(404);

    await card.getByTestId('webhooks-enabled').click();
    await expect(message).toHaveText('The receiver is off.');
    await expect(state).toHaveText('Off');
    await expect(card.getByTestId('webhooks-enabled')).not.toBeChecked();

    const callback = card.getByLabel('Calendly callback URL');
    await callback.fill('not a url');
    await card.getByRole('button', { name: 'Subscribe' }).click();
    const problem = card.getByTestId('calendly-callback-problem');
    await expect(problem).toHaveText(
      'The callback URL must be a full URL such as https://my-tunnel.example.com/webhooks/calendly.',
    );
    await expect(callback).toHaveAttribute('aria-invalid', 'true');
    // Nothing was asked of Calendly: the card's last message is still the switch's.
    await expect(message).toHaveText('The receiver is off.');
    await callback.fill('http://my-tunnel.example.com/webhooks/calendly');
    await expect(problem).toHaveCount(0);
    await card.getByRole('button', { name: 'Subscribe' }).click();
    await expect(problem).toHaveText(
      'The callback URL must start with https:// (Calendly delivers to https only).',
    );
    await card.screenshot({ path: join(screenshotDir, 'settings-webhooks.png') });
  } finally {
    await stopBridge(bridge);
  }
});
