// 0080: proposed LACRM changes, approvals, push batches (the outbox), undo batches, and the ledger
// of what Cadence has written to LACRM.
//
// - changes: one row per proposed write. change_key names the thing it is about (the meeting's
//   event, a review note, a contact's mapped fields, a requested contact); at most one open change
//   (proposed, approved, pushing, failed) per key, so re-planning updates proposals in place. Closed
//   rows (pushed, rejected, undone) stay as history and as decisions the planner respects.
// - push_batches: one row per push run; a change left 'pushing' by a crash is resumed by the next
//   run, which looks for its marker in LACRM before creating anything again.
// - lacrm_records: for every record Cadence created, its LACRM id and the fields as last written,
//   under the change key that created it (so a re-plan never re-creates, and follow-ups diff
//   against what LACRM holds). deleted_at marks records Cadence deleted (a cancel, an undo).
// - pushed_fields: custom-field values Cadence wrote, per contact and label, until the contact
//   refresh brings LACRM's own copy back.
import type { Migration } from './index';

const OPEN = `'proposed', 'approved', 'pushing', 'failed'`;

export const migration0080: Migration = {
  version: 80,
  name: 'changes',
  up(db) {
    db.exec(`
      CREATE TABLE push_batches (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'cancelled', 'interrupted', 'failed')),
        actor TEXT NOT NULL,
        -- The process that runs it: another process finding a 'running' batch whose process is gone
        -- marks it interrupted.
        pid INTEGER,
        total INTEGER NOT NULL DEFAULT 0,
        pushed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        message TEXT,
        undo_requested_at TEXT
      ) STRICT;

      CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        change_key TEXT NOT NULL,
        -- The lacrm_records / pushed_fields key the write lands on (a compensating change's is its
        -- original's).
        record_key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('CreateEvent', 'EditEvent', 'DeleteEvent', 'CreateNote',
          'EditNote', 'DeleteNote', 'EditContact', 'CreateContact')),
        state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'pushing', 'pushed', 'failed',
          'rejected', 'undone')),
        contact_id TEXT,
        booking_id INTEGER REFERENCES bookings(id) ON DELETE SET NULL,
        booking_source TEXT,
        booking_source_id TEXT,
        request_id INTEGER REFERENCES contact_requests(id) ON DELETE SET NULL,
        -- The LACRM record an edit or delete acts on.
        target_id TEXT,
        marker TEXT,
        summary TEXT NOT NULL,
        before_json TEXT NOT NULL DEFAULT '{}',
        after_json TEXT NOT NULL DEFAULT '{}',
        inputs_hash TEXT NOT NULL,
        -- Why it is in its state in words (proposed again after an approval, withdrawn, …).
        reason TEXT,
        lacrm_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_code TEXT,
        batch_id INTEGER REFERENCES push_batches(id),
        undo_of INTEGER REFERENCES changes(id),
        undo_batch_id INTEGER REFERENCES push_batches(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        decided_at TEXT,
        -- Who made the last decision: the advisor (app or CLI) or 'system' (withdrawn by a re-plan).
        decided_by TEXT,
        pushed_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX changes_open_key ON changes (change_key) WHERE state IN (${OPEN});
      CREATE INDEX changes_key ON changes (change_key, id);
      CREATE INDEX changes_state ON changes (state, id);
      CREATE INDEX changes_contact ON changes (contact_id, state);
      CREATE INDEX changes_batch ON changes (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX changes_undo_batch ON changes (undo_batch_id) WHERE undo_batch_id IS NOT NULL;
      CREATE INDEX changes_undo_of ON changes (undo_of) WHERE undo_of IS NOT NULL;

      CREATE TABLE lacrm_records (
        record_key TEXT PRIMARY KEY,
        record_type TEXT NOT NULL CHECK (record_type IN ('event', 'note', 'contact')),
        lacrm_id TEXT NOT NULL,
        contact_id TEXT,
        written_json TEXT NOT NULL,
        created_by INTEGER NOT NULL REFERENCES changes(id),
        updated_by INTEGER NOT NULL REFERENCES changes(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      ) STRICT;
      CREATE INDEX lacrm_records_lacrm_id ON lacrm_records (lacrm_id);

      CREATE TABLE pushed_fields (
        contact_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value_json TEXT NOT NULL,
        pushed_at TEXT NOT NULL,
        change_id INTEGER NOT NULL REFERENCES changes(id),
        PRIMARY KEY (contact_id, field)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE plan_runs (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        trigger TEXT NOT NULL,
        proposed INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        reproposed INTEGER NOT NULL,
        withdrawn INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        ms INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
