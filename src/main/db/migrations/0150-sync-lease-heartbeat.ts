// 0150: the sync lease's heartbeat. A lease was honoured while its process id was alive and it was
// under 12 hours old — the age standing in for "the id was reused by another program after the
// syncing process died". But a first sync at a service's published rate (Calendly: one request
// per event, 50 a minute on some plans) can rightly run longer than that, and then a second sync
// would have started beside it. A heartbeat tells a running sync from a dead one at any age.
//
// - sync_lease.heartbeat_at: set when the lease is taken and again every minute while the sync
//   runs (waits included). A lease whose heartbeat is older than ten minutes is taken over.
import type { Migration } from './index';

export const migration0150: Migration = {
  version: 150,
  name: 'sync-lease-heartbeat',
  up(db) {
    db.exec(`ALTER TABLE sync_lease ADD COLUMN heartbeat_at TEXT;`);
  },
};
