// 0050: the append-only, hash-chained audit log (what was decided or written, when, by whom, and
// the LACRM id it produced). Each row carries the SHA-256 of the row before it (see
// src/main/audit/chain.ts for the exact serialisation).
//
// The triggers make the table append-only for honest code: UPDATE and DELETE raise, and an INSERT
// must take the next id and chain from the last hash. The insert rule also closes the INSERT OR
// REPLACE back door, which deletes a conflicting row without firing DELETE triggers. Anyone holding
// the database can still drop the triggers; verifyAudit() exists for that case.
import type { Migration } from './index';

/** The prev_hash of the first entry. Repeated in src/main/audit/chain.ts (AUDIT_GENESIS_HASH). */
const GENESIS_HASH = '0'.repeat(64);

export const migration0050: Migration = {
  version: 50,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject_type TEXT,
        subject_id TEXT,
        detail_json TEXT NOT NULL,
        lacrm_id TEXT,
        prev_hash TEXT NOT NULL UNIQUE CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
      ) STRICT;
      CREATE INDEX audit_log_action ON audit_log (action, id);
      CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, id);

      CREATE TRIGGER audit_log_append_only_insert BEFORE INSERT ON audit_log
      WHEN NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
        OR NEW.prev_hash IS NOT coalesce(
          (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '${GENESIS_HASH}')
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: a new entry must take the next id and chain from the last entry');
      END;
      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
      END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
      BEGIN
        SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
      END;
    `);
  },
};
