// Where the Electron-ABI build of better-sqlite3 lives. node_modules keeps Node's ABI for tests and
// the CLI; scripts/electron-native.mjs builds a second copy for Electron (see README).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ELECTRON_NATIVE_DIR = join('build', 'electron-native');

export function electronSqliteBinding(
  appRoot: string,
  electronVersion: string,
  resourcesPath?: string,
): string | undefined {
  const candidates = [
    resourcesPath ? join(resourcesPath, 'electron-native', 'better_sqlite3.node') : undefined,
    join(appRoot, ELECTRON_NATIVE_DIR, electronVersion, 'better_sqlite3.node'),
  ].filter((p): p is string => p !== undefined);
  return candidates.find((p) => existsSync(p));
}
