// Sync now while another Cadence (a `cadence sync` scheduled task, say) is syncing the same data
// folder: the panel says so and waits, instead of offering a button that can only be refused, and
// offers Sync now again once that process is gone. The other process is a stand-in holding the sync
// lease, written into the practice's database before the app starts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createCore } from '../../src/main/core/core';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { expect, screenshotDir, startBridgeProcess, stopBridge, test } from './fixtures';

test('Sync now waits while another Cadence syncs this data folder', async ({ page, dataDir }) => {
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], {
    stdio: 'ignore',
  });
  await new Promise((ready) => other.once('spawn', ready));
  const secrets = new KeychainSecretStore();
  const core = await createCore({ dataDir, secrets });
  core.context
    .db()
    .prepare('INSERT INTO sync_lease (id, pid, started_at) VALUES (1, ?, ?)')
    .run(other.pid, new Date().toISOString());
  const account = `${core.context.profile.profileId}:db-key`;
  core.close();

  const bridge = await startBridgeProcess(dataDir);
  try {
    await page.goto(bridge.url);
    const note = page.getByTestId('sync-elsewhere');
    await expect(note).toContainText(
      'Another Cadence window or a cadence sync command is syncing this data folder',
    );
    await expect(page.getByTestId('sync-now')).toBeDisabled();
    await page.getByTestId('sync-panel').screenshot({
      path: join(screenshotDir, 'sync-elsewhere.png'),
    });

    other.kill('SIGKILL');
    await expect(note).toHaveCount(0, { timeout: 15_000 });
    await expect(page.getByTestId('sync-now')).toBeEnabled();
  } finally {
    other.kill('SIGKILL');
    await stopBridge(bridge);
    await secrets.delete(account);
  }
});
