// 0030: LACRM contacts and their addresses (the contact index is rebuilt from these), one match per
// attendee, the advisor's aliases ("this address is that contact" / "ignore this address"), the
// suggestions they rejected, requests for new contacts, and the log of decisions that makes each
// one undoable. Contact ids are LACRM's ~31-digit Uids, kept as text.
import type { Migration } from './index';

export const migration0030: Migration = {
  version: 30,
  name: 'contacts',
  up(db) {
    db.exec(`
      CREATE TABLE contacts (
        contact_id TEXT PRIMARY KEY,
        is_company INTEGER NOT NULL CHECK (is_company IN (0, 1)),
        first_name TEXT NOT NULL DEFAULT '',
        middle_name TEXT NOT NULL DEFAULT '',
        last_name TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        company_name TEXT NOT NULL DEFAULT '',
        emails_json TEXT NOT NULL DEFAULT '[]',
        custom_fields_json TEXT NOT NULL DEFAULT '{}',
        -- Folded (lower case, no accents) names, company and addresses, for contact search.
        search_text TEXT NOT NULL DEFAULT '',
        last_update TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        -- 1 when a full pull no longer found the record in LACRM (kept: matches may point at it).
        removed INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        changed_at TEXT NOT NULL
      ) STRICT;

      -- Every address of every contact by its normalized key; two contacts may share one.
      CREATE TABLE contact_emails (
        email_key TEXT NOT NULL,
        contact_id TEXT NOT NULL REFERENCES contacts(contact_id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        PRIMARY KEY (email_key, contact_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contact_emails_contact ON contact_emails (contact_id);

      -- One row per advisor decision. previous_json holds the match rows it replaced, so undo can
      -- put them back; a bulk accept shares one batch_id and is undone as a whole.
      CREATE TABLE match_decisions (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER,
        action TEXT NOT NULL CHECK (action IN ('confirm', 'reject', 'ignore', 'request_contact')),
        email_key TEXT,
        contact_id TEXT,
        attendee_id INTEGER REFERENCES attendees(id) ON DELETE SET NULL,
        decided_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        undone_at TEXT,
        previous_json TEXT NOT NULL DEFAULT '[]',
        replaced_alias_id INTEGER
      ) STRICT;
      CREATE INDEX match_decisions_open ON match_decisions (id) WHERE undone_at IS NULL;

      -- Normalized address → contact (NULL: ignore this address). One active alias per address.
      CREATE TABLE aliases (
        id INTEGER PRIMARY KEY,
        email_key TEXT NOT NULL,
        contact_id TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        undone_at TEXT,
        decision_id INTEGER REFERENCES match_decisions(id) ON DELETE SET NULL
      ) STRICT;
      CREATE UNIQUE INDEX aliases_active ON aliases (email_key) WHERE undone_at IS NULL;

      -- "Not this contact" for an address: never suggested again for it, until undone or until the
      -- advisor confirms that contact for the address after all (retired_by names that decision).
      CREATE TABLE match_rejections (
        id INTEGER PRIMARY KEY,
        email_key TEXT NOT NULL,
        contact_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        undone_at TEXT,
        decision_id INTEGER REFERENCES match_decisions(id) ON DELETE SET NULL,
        retired_by INTEGER REFERENCES match_decisions(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX match_rejections_active ON match_rejections (email_key) WHERE undone_at IS NULL;

      -- "Create a new LACRM contact": an intent, not a write; a later stage proposes the change.
      CREATE TABLE contact_requests (
        id INTEGER PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('pending', 'proposed', 'cancelled')),
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        email TEXT,
        email_key TEXT,
        attendee_id INTEGER REFERENCES attendees(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        cancelled_at TEXT,
        decision_id INTEGER REFERENCES match_decisions(id) ON DELETE SET NULL
      ) STRICT;
      CREATE UNIQUE INDEX contact_requests_pending ON contact_requests (email_key)
        WHERE state = 'pending' AND email_key IS NOT NULL;

      -- The match of each attendee (the advisor's own addresses have none). decided_by 'auto' rows
      -- are re-evaluated after every sync; 'advisor' rows never are.
      CREATE TABLE matches (
        attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,
        email_key TEXT,
        name_key TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('auto', 'suggested', 'confirmed', 'rejected', 'ignored', 'unmatched')),
        contact_id TEXT,
        via TEXT NOT NULL CHECK (via IN ('email', 'alias', 'fuzzy', 'none', 'advisor')),
        score REAL,
        reason TEXT NOT NULL,
        candidates_json TEXT NOT NULL DEFAULT '[]',
        decided_by TEXT NOT NULL CHECK (decided_by IN ('auto', 'advisor')),
        decided_at TEXT NOT NULL,
        decision_id INTEGER REFERENCES match_decisions(id) ON DELETE SET NULL,
        -- A digest of everything above but the decision bookkeeping: a re-run compares it instead
        -- of reading every reason and candidate list back.
        fingerprint TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX matches_email_key ON matches (email_key);
      CREATE INDEX matches_confirmed ON matches (name_key, contact_id) WHERE state = 'confirmed';
      CREATE INDEX matches_queue ON matches (state) WHERE state IN ('suggested', 'unmatched', 'rejected');
    `);
  },
};
