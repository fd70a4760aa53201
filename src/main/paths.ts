// Where Cadence keeps its data by default: the same per-user folder Electron's
// app.getPath('userData') gives for the product name "Cadence", so the app and the CLI agree.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Cadence';

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (env.CADENCE_DATA_DIR) return env.CADENCE_DATA_DIR;
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', PRODUCT_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
  }
}

export const DB_FILE = 'cadence.db';
export const PROFILE_FILE = 'profile.json';
