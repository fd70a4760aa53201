// `npm run test:electron`: launches the real Electron app. Not part of `npm test`: on build
// machines the Electron binary cannot be downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD=1); there the
// same renderer and core are covered through the loopback bridge (test/e2e). Run it on a machine
// where `npm install` fetched Electron; without the binary it fails and says so.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(join(root, 'package.json'));
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile)
  ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  : null;
const available = binary !== null && existsSync(binary);

test('the real Electron app opens its window on the app:// origin', async () => {
  if (!available)
    throw new Error(
      'The Electron binary is not installed on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1): run this where `npm install` could download Electron.',
    );
  const dataDir = mkdtempSync(join(tmpdir(), 'cadence-electron-'));
  try {
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(root, 'out/main/index.js'), '--no-sandbox'],
      env: { ...process.env, CADENCE_DATA_DIR: dataDir },
    });
    const window = await app.firstWindow();
    await expect(window.getByRole('navigation', { name: 'Main' })).toBeVisible();
    expect(window.url()).toBe('app://cadence/index.html');
    const exposed = await window.evaluate(() =>
      Object.keys(window).filter((k) => ['require', 'process', 'ipcRenderer'].includes(k)),
    );
    expect(exposed).toEqual([]);
    await app.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
