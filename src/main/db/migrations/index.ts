// Numbered migrations (10, 20, …) in one registry. All pending ones run in one transaction and
// PRAGMA user_version records the last; a file from a newer Cadence is refused, never touched.
import type Database from 'better-sqlite3-multiple-ciphers';
import { DbFromFutureError } from '../errors';
import { writeTransaction } from '../transactions';
import { migration0010 } from './0010-settings';
import { migration0020 } from './0020-bookings';
import { migration0030 } from './0030-contacts';
import { migration0050 } from './0050-audit';
import { migration0060 } from './0060-webhooks';
import { migration0070 } from './0070-classification';
import { migration0080 } from './0080-changes';
import { migration0090 } from './0090-match-pending';
import { migration0100 } from './0100-plan-marks';
import { migration0110 } from './0110-decision-pending';
import { migration0120 } from './0120-details-read';
import { migration0130 } from './0130-sync-lease';
import { migration0140 } from './0140-push-heartbeat';
import { migration0150 } from './0150-sync-lease-heartbeat';

export type Migration = Readonly<{
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}>;

export const migrations: readonly Migration[] = [
  migration0010,
  migration0020,
  migration0030,
  migration0050,
  migration0060,
  migration0070,
  migration0080,
  migration0090,
  migration0100,
  migration0110,
  migration0120,
  migration0130,
  migration0140,
  migration0150,
];

export const latestVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);

export function currentVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies pending migrations up to `target` (default: all) in one transaction. The version is read
 * again once the write lock is held: another process (the app and a `cadence` command opening the
 * same folder after an update) may have migrated meanwhile, and must not be migrated twice.
 */
export function migrate(db: Database.Database, target = latestVersion): number {
  let previous = 0;
  for (const m of migrations) {
    if (m.version <= previous) throw new Error(`migrations: ${m.version} is out of order`);
    previous = m.version;
  }
  const pendingFrom = (from: number) => {
    if (from > latestVersion) throw new DbFromFutureError(from, latestVersion);
    return migrations.filter((m) => m.version > from && m.version <= target);
  };
  if (pendingFrom(currentVersion(db)).length === 0) return currentVersion(db);
  writeTransaction(db, () => {
    for (const m of pendingFrom(currentVersion(db))) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  return currentVersion(db);
}
