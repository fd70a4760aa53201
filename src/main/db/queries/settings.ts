// Settings rows: one JSON value per key. Unknown or invalid stored values fall back to defaults so a
// hand-edited or older row can never stop the app from starting.
import { settingKeys, Settings, settingsShape, type SettingsPatch } from '../../../shared/settings';
import type { Db } from '../open';
import { writeTransaction } from '../transactions';

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as {
    key: string;
    value: string;
  }[];
  const raw: Record<string, unknown> = {};
  for (const row of rows) {
    if (!(settingKeys as string[]).includes(row.key)) continue;
    try {
      const value: unknown = JSON.parse(row.value);
      const parsed = settingsShape[row.key as keyof typeof settingsShape].safeParse(value);
      if (parsed.success) raw[row.key] = parsed.data;
    } catch {
      // ignore a damaged row: the default applies
    }
  }
  return Settings.parse(raw);
}

export function writeSettings(db: Db, patch: SettingsPatch, now: Date): Settings {
  const upsert = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  writeTransaction(db, () => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      upsert.run(key, JSON.stringify(value), now.toISOString());
    }
  });
  return readSettings(db);
}
