// 0060: webhook delivery health. One row per request that reached a webhook route (whatever its
// outcome), the bookings each genuine delivery named, and what each finished sync found that no
// webhook had reported. Nothing here is PII: booking ids at the source, trigger names, outcomes and
// times. Bodies and headers are never stored.
import type { Migration } from './index';

export const migration0060: Migration = {
  version: 60,
  name: 'webhooks',
  up(db) {
    db.exec(`
      CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('calcom', 'calendly')),
        trigger TEXT,
        booking_source_id TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'ignored',
          'rejected_signature', 'malformed', 'too_large', 'timed_out', 'error')),
        reason TEXT,
        hint_state TEXT CHECK (hint_state IN ('pending', 'done', 'failed')),
        hint_changed INTEGER NOT NULL DEFAULT 0 CHECK (hint_changed IN (0, 1)),
        hint_error TEXT,
        CHECK ((outcome = 'accepted') = (hint_state IS NOT NULL))
      ) STRICT;
      CREATE INDEX webhook_deliveries_source_time ON webhook_deliveries (source, received_at);
      CREATE INDEX webhook_deliveries_time ON webhook_deliveries (received_at);

      -- Every booking an accepted delivery named: a reschedule names the new and the old booking.
      CREATE TABLE webhook_delivery_bookings (
        delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        source_id TEXT NOT NULL,
        PRIMARY KEY (delivery_id, source_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX webhook_delivery_bookings_source_id ON webhook_delivery_bookings (source_id);

      -- One row per successful sync that was checked: what it changed, and how much of that no
      -- accepted delivery had named ("3 changes arrived without a webhook").
      CREATE TABLE webhook_sync_findings (
        sync_run_id INTEGER PRIMARY KEY REFERENCES sync_runs(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('calcom', 'calendly', 'tidycal')),
        checked_at TEXT NOT NULL,
        window_hours INTEGER NOT NULL,
        changes INTEGER NOT NULL,
        without_webhook INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX webhook_sync_findings_source ON webhook_sync_findings (source, sync_run_id);
    `);
  },
};
