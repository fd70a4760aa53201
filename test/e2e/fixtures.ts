// Playwright fixtures: each test gets its own data folder and its own bridge process running the
// real core, and a page opened on the real renderer through it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
export const screenshotDir = join(root, 'test-results', 'screenshots');

export type Bridge = Readonly<{ url: string; dataDir: string; process: ChildProcess }>;

export async function startBridgeProcess(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<Bridge> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/bridge/server.ts'), '--data-dir', dataDir, ...extraArgs],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`bridge did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = /BRIDGE_READY (\S+)/.exec(buffer);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code}: ${stderr}`));
    });
  });
  return { url, dataDir, process: child };
}

export async function stopBridge(bridge: Bridge): Promise<void> {
  if (bridge.process.exitCode !== null) return;
  const exited = new Promise((done) => bridge.process.once('exit', done));
  bridge.process.kill('SIGTERM');
  await exited;
}

type Fixtures = { dataDir: string; bridge: Bridge; app: Page };

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'cadence-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  bridge: async ({ dataDir }, use) => {
    const bridge = await startBridgeProcess(dataDir);
    await use(bridge);
    await stopBridge(bridge);
  },
  app: async ({ page, bridge }, use) => {
    await page.goto(bridge.url);
    await use(page);
  },
});

export { expect };

/** Starts the demo from the Welcome screen and syncs it, as a first-time user would. */
export async function demoSynced(app: Page): Promise<void> {
  await app.getByTestId('welcome-demo').click();
  await expect(app.getByTestId('demo-banner')).toBeVisible({ timeout: 30_000 });
  await app.getByTestId('sync-now').click();
  for (const source of ['calcom', 'calendly', 'tidycal', 'lacrm']) {
    await expect(app.getByTestId(`sync-progress-${source}`)).toHaveAttribute('data-state', 'ok', {
      timeout: 150_000,
    });
  }
  await expect(app.getByTestId('sync-now')).toBeEnabled();
}
