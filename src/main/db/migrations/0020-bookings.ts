// 0020: bookings from the schedulers, their attendees, their history, and sync bookkeeping.
// A booking is unique by (source, source_id). A reschedule links the old booking to the new one
// (superseded_by), so a chain of bookings is one meeting with a history.
import type { Migration } from './index';

export const migration0020: Migration = {
  version: 20,
  name: 'bookings',
  up(db) {
    db.exec(`
      CREATE TABLE bookings (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('calcom', 'calendly', 'tidycal')),
        source_id TEXT NOT NULL,
        source_alt_id TEXT,
        title TEXT NOT NULL,
        event_type_slug TEXT,
        event_type_name TEXT,
        start_utc TEXT NOT NULL,
        end_utc TEXT NOT NULL,
        time_zone TEXT,
        duration_minutes INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('scheduled', 'pending', 'cancelled', 'rejected', 'no_show', 'completed')),
        location TEXT,
        hosts_json TEXT NOT NULL DEFAULT '[]',
        custom_answers_json TEXT NOT NULL DEFAULT '[]',
        cancellation_reason TEXT,
        rescheduled_from_source_id TEXT,
        rescheduled_to_source_id TEXT,
        superseded_by INTEGER REFERENCES bookings(id) ON DELETE SET NULL,
        source_created_at TEXT,
        source_updated_at TEXT,
        raw_json TEXT NOT NULL,
        change_key TEXT,
        content_hash TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        UNIQUE (source, source_id)
      ) STRICT;
      CREATE INDEX bookings_start ON bookings (start_utc);
      CREATE INDEX bookings_current_start ON bookings (start_utc) WHERE superseded_by IS NULL;
      CREATE INDEX bookings_rescheduled_from ON bookings (source, rescheduled_from_source_id)
        WHERE rescheduled_from_source_id IS NOT NULL;
      CREATE INDEX bookings_superseded_by ON bookings (superseded_by) WHERE superseded_by IS NOT NULL;

      CREATE TABLE attendees (
        id INTEGER PRIMARY KEY,
        booking_id INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        attendee_key TEXT NOT NULL,
        position INTEGER NOT NULL,
        email TEXT,
        email_normalized TEXT,
        name TEXT,
        role TEXT NOT NULL CHECK (role IN ('attendee', 'guest')),
        time_zone TEXT,
        no_show INTEGER NOT NULL DEFAULT 0 CHECK (no_show IN (0, 1)),
        cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
        source_ref TEXT,
        UNIQUE (booking_id, attendee_key)
      ) STRICT;
      CREATE INDEX attendees_email ON attendees (email_normalized);

      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        trigger TEXT NOT NULL DEFAULT 'manual',
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('running', 'ok', 'failed', 'cancelled', 'interrupted')),
        mode TEXT NOT NULL DEFAULT 'incremental',
        fetched INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        requests INTEGER NOT NULL DEFAULT 0,
        waited_ms INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error TEXT
      ) STRICT;
      CREATE INDEX sync_runs_source ON sync_runs (source, id);

      CREATE TABLE booking_history (
        id INTEGER PRIMARY KEY,
        booking_id INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        sync_run_id INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
        observed_at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'time', 'rescheduled', 'attendees', 'details')),
        from_status TEXT,
        to_status TEXT,
        from_start_utc TEXT,
        to_start_utc TEXT,
        detail TEXT
      ) STRICT;
      CREATE INDEX booking_history_booking ON booking_history (booking_id, id);

      ALTER TABLE secret_meta ADD COLUMN own_emails_json TEXT NOT NULL DEFAULT '[]';

      CREATE TABLE sync_checkpoints (
        source TEXT PRIMARY KEY,
        checkpoint_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
