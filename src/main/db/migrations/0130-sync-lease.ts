// 0130: one sync at a time across processes. The app and `cadence sync` (a scheduled task, a
// second command) can open the same data folder; two syncs at once made the later one fail on a
// locked database, and its start marked the running one's runs as interrupted.
//
// - sync_lease: at most one row, the process that is syncing (pid) since when. Taken in a write
//   transaction at the start of a sync, removed at its end. A row whose process is gone (killed,
//   crashed), or older than any sync runs (its process id reused by another program), is taken
//   over, and the runs it left 'running' are marked interrupted then.
import type { Migration } from './index';

export const migration0130: Migration = {
  version: 130,
  name: 'sync-lease',
  up(db) {
    db.exec(`
      CREATE TABLE sync_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
