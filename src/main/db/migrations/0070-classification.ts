// 0070: classification rules (each saved rule set is a new version), one classification per
// booking with the rule that decided it and why, the advisor's manual overrides, the review
// policy (cadence per contact and per LACRM group), and a record of every report export with its
// SHA-256.
//
// Triggers keep the derived rows honest whoever writes the source rows (a sync page, a webhook
// hint, a test): a new booking gets a classification row marked stale, a change to anything the
// rules read marks it stale again, and the classification stage reclassifies stale rows. The
// category a booking shows (`effective_category`) follows its override through triggers too, so
// the metric queries read one indexed column. Group membership follows the contacts' custom
// fields the same way, so no query parses every contact's JSON.
//
// Overrides are keyed by booking id; bookings are upserted in place by (source, source_id), so an
// override survives every re-sync. Nothing here is ever deleted for retention.
import { defaultRules } from '../../classify/engine';
import type { Migration } from './index';

/** Whether contact row `alias` (NEW in a trigger, c in a query) is in group row `g`. */
function inGroup(alias: string): string {
  return `EXISTS (
    SELECT 1 FROM json_each(CASE WHEN json_valid(${alias}.custom_fields_json) THEN ${alias}.custom_fields_json ELSE '{}' END) AS f
    WHERE lower(f.key) = lower(g.field) AND (
      (f.type IN ('text', 'integer', 'real') AND lower(trim(CAST(f.value AS TEXT))) = lower(trim(g.value)))
      OR (f.type = 'array' AND EXISTS (
        SELECT 1 FROM json_each(f.value) AS v WHERE lower(trim(CAST(v.value AS TEXT))) = lower(trim(g.value))))
    ))`;
}

/** Exported for the policy store: the same test, for refreshing one group's members. */
export const CONTACT_IN_GROUP_SQL = inGroup('c');

export const migration0070: Migration = {
  version: 70,
  name: 'classification',
  up(db) {
    db.exec(`
      CREATE TABLE classification_rule_sets (
        version INTEGER PRIMARY KEY CHECK (version >= 1),
        rules_json TEXT NOT NULL CHECK (json_valid(rules_json)),
        saved_at TEXT NOT NULL,
        saved_by TEXT NOT NULL
      ) STRICT;

      -- category/rule_id/rule_name/reason: what the rules (version rules_version) decided.
      -- rules_version 0 and stale 1: not classified yet. effective_category: the override's
      -- category when there is one, else category (kept by the triggers below).
      CREATE TABLE booking_classifications (
        booking_id INTEGER PRIMARY KEY REFERENCES bookings(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        rule_id TEXT,
        rule_name TEXT,
        reason TEXT NOT NULL,
        classified_at TEXT NOT NULL,
        rules_version INTEGER NOT NULL,
        effective_category TEXT NOT NULL,
        stale INTEGER NOT NULL DEFAULT 1 CHECK (stale IN (0, 1))
      ) STRICT;
      CREATE INDEX booking_classifications_effective
        ON booking_classifications (effective_category, booking_id);
      CREATE INDEX booking_classifications_stale ON booking_classifications (booking_id) WHERE stale = 1;

      CREATE TABLE classification_overrides (
        booking_id INTEGER PRIMARY KEY REFERENCES bookings(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        note TEXT,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
      ) STRICT;

      INSERT INTO booking_classifications (booking_id, category, reason, classified_at, rules_version,
        effective_category, stale)
      SELECT id, 'general', 'Not classified yet.', first_seen_at, 0, 'general', 1 FROM bookings;

      CREATE TRIGGER bookings_classification_new AFTER INSERT ON bookings
      BEGIN
        INSERT OR IGNORE INTO booking_classifications (booking_id, category, reason, classified_at,
          rules_version, effective_category, stale)
        VALUES (NEW.id, 'general', 'Not classified yet.', NEW.first_seen_at, 0, 'general', 1);
      END;
      CREATE TRIGGER bookings_classification_changed
      AFTER UPDATE OF title, event_type_slug, event_type_name, duration_minutes, source ON bookings
      BEGIN
        UPDATE booking_classifications SET stale = 1 WHERE booking_id = NEW.id AND stale = 0;
      END;
      -- The rules can count attendees.
      CREATE TRIGGER attendees_classification_added AFTER INSERT ON attendees
      BEGIN
        UPDATE booking_classifications SET stale = 1 WHERE booking_id = NEW.booking_id AND stale = 0;
      END;
      CREATE TRIGGER attendees_classification_removed AFTER DELETE ON attendees
      BEGIN
        UPDATE booking_classifications SET stale = 1 WHERE booking_id = OLD.booking_id AND stale = 0;
      END;

      CREATE TRIGGER classification_override_set AFTER INSERT ON classification_overrides
      BEGIN
        UPDATE booking_classifications SET effective_category = NEW.category WHERE booking_id = NEW.booking_id;
      END;
      CREATE TRIGGER classification_override_changed AFTER UPDATE OF category ON classification_overrides
      BEGIN
        UPDATE booking_classifications SET effective_category = NEW.category WHERE booking_id = NEW.booking_id;
      END;
      CREATE TRIGGER classification_override_cleared AFTER DELETE ON classification_overrides
      BEGIN
        UPDATE booking_classifications SET effective_category = category WHERE booking_id = OLD.booking_id;
      END;

      -- Review policy. A contact's cadence: its own, else the shortest of its groups', else the
      -- setting review.defaultCadenceMonths.
      CREATE TABLE review_policy_contacts (
        contact_id TEXT PRIMARY KEY REFERENCES contacts(contact_id) ON DELETE CASCADE,
        cadence_months INTEGER NOT NULL CHECK (cadence_months BETWEEN 1 AND 60),
        set_at TEXT NOT NULL
      ) STRICT;

      -- A group is the contacts whose LACRM custom field \`field\` has \`value\` (case-insensitive;
      -- for a multi-select, one of its values).
      CREATE TABLE review_policy_groups (
        id INTEGER PRIMARY KEY,
        field TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 200),
        value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
        cadence_months INTEGER NOT NULL CHECK (cadence_months BETWEEN 1 AND 60),
        set_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX review_policy_groups_key ON review_policy_groups (lower(field), lower(value));

      CREATE TABLE review_group_members (
        contact_id TEXT NOT NULL REFERENCES contacts(contact_id) ON DELETE CASCADE,
        group_id INTEGER NOT NULL REFERENCES review_policy_groups(id) ON DELETE CASCADE,
        PRIMARY KEY (contact_id, group_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX review_group_members_group ON review_group_members (group_id);

      CREATE TRIGGER contacts_review_groups_new AFTER INSERT ON contacts
      BEGIN
        INSERT OR IGNORE INTO review_group_members (contact_id, group_id)
        SELECT NEW.contact_id, g.id FROM review_policy_groups g WHERE ${inGroup('NEW')};
      END;
      CREATE TRIGGER contacts_review_groups_changed AFTER UPDATE OF custom_fields_json ON contacts
      BEGIN
        DELETE FROM review_group_members WHERE contact_id = NEW.contact_id;
        INSERT OR IGNORE INTO review_group_members (contact_id, group_id)
        SELECT NEW.contact_id, g.id FROM review_policy_groups g WHERE ${inGroup('NEW')};
      END;

      -- Every report export, with the SHA-256 of the bytes handed out. Evidence: append-only.
      CREATE TABLE report_exports (
        id INTEGER PRIMARY KEY,
        report TEXT NOT NULL CHECK (report IN ('compliance')),
        kind TEXT NOT NULL CHECK (kind IN ('csv', 'pdf', 'json')),
        period_from TEXT NOT NULL,
        period_to TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        -- Where Cadence wrote it: a file name in the exports folder (the app) or the --out path
        -- (the CLI); NULL when the bytes were only handed to the caller.
        path TEXT,
        clients INTEGER NOT NULL,
        reviews INTEGER NOT NULL,
        exported_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX report_exports_time ON report_exports (generated_at);
      CREATE TRIGGER report_exports_append_only_update BEFORE UPDATE ON report_exports
      BEGIN
        SELECT RAISE(ABORT, 'report_exports is append-only: a recorded export cannot be changed');
      END;
      CREATE TRIGGER report_exports_append_only_delete BEFORE DELETE ON report_exports
      BEGIN
        SELECT RAISE(ABORT, 'report_exports is append-only: a recorded export cannot be deleted');
      END;
    `);
    // A new install starts with the default rules as version 1 (frozen here as they are today).
    db.prepare(
      `INSERT INTO classification_rule_sets (version, rules_json, saved_at, saved_by)
       VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'cadence')`,
    ).run(JSON.stringify(defaultRules()));
  },
};
