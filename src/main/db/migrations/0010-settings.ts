// 0010: settings (key → JSON value) and what is known about each secret, never the secret itself.
import type { Migration } from './index';

export const migration0010: Migration = {
  version: 10,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE secret_meta (
        name TEXT PRIMARY KEY,
        account TEXT,
        verified_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
