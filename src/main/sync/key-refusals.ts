// When a service refused the stored key (at Sync now or at Check again), until a key works again.
// Kept beside the secret's metadata: a JSON value in the settings table under a key no setting
// uses (readSettings ignores it), tied to the secret_meta row as it was then, so a key stored
// since (`cadence secrets set`, which rewrites that row) is not called refused.
import type { SyncSource } from '../../shared/domain';
import type { Db } from '../db/open';

export type KeyRefusal = Readonly<{ at: string; message: string }>;

const settingKey = (source: SyncSource) => `secret.${source}.refused`;

function metaStamp(db: Db, source: SyncSource): string | null {
  const row = db.prepare('SELECT updated_at FROM secret_meta WHERE name = ?').get(source) as
    { updated_at: string } | undefined;
  return row?.updated_at ?? null;
}

export function recordKeyRefused(db: Db, source: SyncSource, message: string, now: Date): void {
  const value = JSON.stringify({
    at: now.toISOString(),
    message,
    metaUpdatedAt: metaStamp(db, source),
  });
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(settingKey(source), value, now.toISOString());
}

export function clearKeyRefused(db: Db, source: SyncSource): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(settingKey(source));
}

export function readKeyRefused(db: Db, source: SyncSource): KeyRefusal | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(settingKey(source)) as
    { value: string } | undefined;
  if (!row) return null;
  try {
    const v = JSON.parse(row.value) as { at?: unknown; message?: unknown; metaUpdatedAt?: unknown };
    if (typeof v.at !== 'string' || typeof v.message !== 'string') return null;
    if ((v.metaUpdatedAt ?? null) !== metaStamp(db, source)) return null;
    return { at: v.at, message: v.message };
  } catch {
    return null; // a damaged value says nothing
  }
}
