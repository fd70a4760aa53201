// `npm run test:electron`: the real Electron app (test/electron), where its binary is installed.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/electron',
  testMatch: '**/*.electron.ts',
  outputDir: 'test-results/electron',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list']],
});
