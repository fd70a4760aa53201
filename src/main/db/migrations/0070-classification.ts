// 0070: classification rules (each saved rule set is a new version), one classification per
// booking with the rule that decided it and why, the advisor's manual overrides, the review
// policy (cadence per contact and per LACRM group), the narrow rows the metric queries read, and a
// record of every report export with its SHA-256.
//
// Triggers keep the derived rows honest whoever writes the source rows (a sync page, a webhook
// hint, a matching run, a test):
// - a new booking gets a classification row marked stale; a change to anything the rules read
//   marks it stale again; the classification stage reclassifies stale rows;
// - the category a booking shows (`effective_category`) follows its override;
// - booking_classifications carries the booking's times, status and whether it is current, and
//   metric_links holds one row per attendee linked to a contact, so the dashboard's queries read
//   narrow rows behind covering indexes instead of the wide booking rows (the difference between
//   seconds and milliseconds at 100,000 bookings in an encrypted file);
// - review-group membership follows the contacts' custom fields.
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

/** 1 when booking `id` has attendees and every one of them was a no-show or cancelled. */
function allAbsent(id: string): string {
  return `coalesce((SELECT count(*) > 0 AND sum(x.no_show = 0 AND x.cancelled = 0) = 0
    FROM attendees x WHERE x.booking_id = ${id}), 0)`;
}

/** The link row of match NEW (in a trigger), from its attendee and its booking's facts. */
function insertLink(extraCondition: string): string {
  return `INSERT OR REPLACE INTO metric_links (attendee_id, booking_id, contact_id, category, current,
          start_utc, end_utc, status, no_show, cancelled, holdable, on_record)
        SELECT NEW.attendee_id, a.booking_id, NEW.contact_id, k.effective_category, k.current,
          k.start_utc, k.end_utc, k.status, a.no_show, a.cancelled,
          ${holdable('k.status', 'a.no_show', 'a.cancelled')}, ${onRecord('k.status')}
        FROM attendees a JOIN booking_classifications k ON k.booking_id = a.booking_id
        WHERE a.id = NEW.attendee_id ${extraCondition};`;
}

function holdable(status: string, noShow: string, cancelled: string): string {
  return `(${status} IN ('scheduled', 'completed') AND ${noShow} = 0 AND ${cancelled} = 0)`;
}

function onRecord(status: string): string {
  return `(${status} IN ('scheduled', 'completed', 'no_show'))`;
}

const LINKED_NEW = `NEW.state IN ('auto', 'confirmed') AND NEW.contact_id IS NOT NULL`;

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
      -- category when there is one, else category. start_utc … all_absent copy what the metric
      -- queries read from the booking (current: not superseded by a reschedule; all_absent: it has
      -- attendees and every one was a no-show or cancelled).
      CREATE TABLE booking_classifications (
        booking_id INTEGER PRIMARY KEY REFERENCES bookings(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        rule_id TEXT,
        rule_name TEXT,
        reason TEXT NOT NULL,
        classified_at TEXT NOT NULL,
        rules_version INTEGER NOT NULL,
        effective_category TEXT NOT NULL,
        stale INTEGER NOT NULL DEFAULT 1 CHECK (stale IN (0, 1)),
        start_utc TEXT NOT NULL,
        end_utc TEXT NOT NULL,
        status TEXT NOT NULL,
        current INTEGER NOT NULL CHECK (current IN (0, 1)),
        all_absent INTEGER NOT NULL DEFAULT 0 CHECK (all_absent IN (0, 1))
      ) STRICT;
      CREATE INDEX booking_classifications_stale ON booking_classifications (booking_id) WHERE stale = 1;
      CREATE INDEX booking_classifications_start
        ON booking_classifications (start_utc, effective_category, end_utc, status, all_absent)
        WHERE current = 1;

      CREATE TABLE classification_overrides (
        booking_id INTEGER PRIMARY KEY REFERENCES bookings(id) ON DELETE CASCADE,
        category TEXT NOT NULL,
        note TEXT,
        set_at TEXT NOT NULL,
        set_by TEXT NOT NULL
      ) STRICT;

      -- One row per attendee linked to a contact (its match is auto or confirmed), with what the
      -- metric queries need from the booking and the attendee.
      CREATE TABLE metric_links (
        attendee_id INTEGER PRIMARY KEY REFERENCES attendees(id) ON DELETE CASCADE,
        booking_id INTEGER NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
        contact_id TEXT NOT NULL,
        category TEXT NOT NULL,
        current INTEGER NOT NULL,
        start_utc TEXT NOT NULL,
        end_utc TEXT NOT NULL,
        status TEXT NOT NULL,
        no_show INTEGER NOT NULL,
        cancelled INTEGER NOT NULL,
        -- Held once it has ended: a status that can be held, and this attendee came. (Kept by the
        -- triggers rather than generated: an index holding a generated column is not covering.)
        holdable INTEGER NOT NULL,
        -- A client relationship on record: held, booked or missed (not cancelled or rejected).
        on_record INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX metric_links_category
        ON metric_links (category, contact_id, start_utc, end_utc, holdable, status, cancelled, on_record)
        WHERE current = 1;
      -- Reviews by time, for the figures over the last twelve months.
      CREATE INDEX metric_links_window
        ON metric_links (category, start_utc, contact_id, end_utc, holdable)
        WHERE current = 1;
      CREATE INDEX metric_links_contact
        ON metric_links (contact_id, start_utc, end_utc, status, no_show, cancelled, booking_id)
        WHERE current = 1;
      CREATE INDEX metric_links_booking ON metric_links (booking_id);
      -- Whether a contact is still in LACRM, without reading its (wide) row.
      CREATE INDEX contacts_live ON contacts (contact_id, removed);
      CREATE INDEX contacts_removed ON contacts (contact_id) WHERE removed = 1;

      INSERT INTO booking_classifications (booking_id, category, reason, classified_at, rules_version,
        effective_category, stale, start_utc, end_utc, status, current, all_absent)
      SELECT b.id, 'general', 'Not classified yet.', b.first_seen_at, 0, 'general', 1, b.start_utc,
        b.end_utc, b.status, b.superseded_by IS NULL, ${allAbsent('b.id')}
      FROM bookings b;
      INSERT INTO metric_links (attendee_id, booking_id, contact_id, category, current, start_utc,
        end_utc, status, no_show, cancelled, holdable, on_record)
      SELECT m.attendee_id, a.booking_id, m.contact_id, k.effective_category, k.current, k.start_utc,
        k.end_utc, k.status, a.no_show, a.cancelled, ${holdable('k.status', 'a.no_show', 'a.cancelled')},
        ${onRecord('k.status')}
      FROM matches m JOIN attendees a ON a.id = m.attendee_id
      JOIN booking_classifications k ON k.booking_id = a.booking_id
      WHERE m.state IN ('auto', 'confirmed') AND m.contact_id IS NOT NULL;

      CREATE TRIGGER bookings_classification_new AFTER INSERT ON bookings
      BEGIN
        INSERT OR IGNORE INTO booking_classifications (booking_id, category, reason, classified_at,
          rules_version, effective_category, stale, start_utc, end_utc, status, current, all_absent)
        VALUES (NEW.id, 'general', 'Not classified yet.', NEW.first_seen_at, 0, 'general', 1,
          NEW.start_utc, NEW.end_utc, NEW.status, NEW.superseded_by IS NULL, 0);
      END;
      -- What the rules read changed: classify again.
      CREATE TRIGGER bookings_classification_changed
      AFTER UPDATE OF title, event_type_slug, event_type_name, duration_minutes, source ON bookings
      BEGIN
        UPDATE booking_classifications SET stale = 1 WHERE booking_id = NEW.id AND stale = 0;
      END;
      CREATE TRIGGER bookings_facts_changed
      AFTER UPDATE OF start_utc, end_utc, status, superseded_by ON bookings
      WHEN NEW.start_utc IS NOT OLD.start_utc OR NEW.end_utc IS NOT OLD.end_utc
        OR NEW.status IS NOT OLD.status OR (NEW.superseded_by IS NULL) IS NOT (OLD.superseded_by IS NULL)
      BEGIN
        UPDATE booking_classifications SET start_utc = NEW.start_utc, end_utc = NEW.end_utc,
          status = NEW.status, current = NEW.superseded_by IS NULL
        WHERE booking_id = NEW.id;
      END;
      CREATE TRIGGER booking_classifications_links
      AFTER UPDATE OF effective_category, start_utc, end_utc, status, current ON booking_classifications
      WHEN NEW.effective_category IS NOT OLD.effective_category OR NEW.start_utc IS NOT OLD.start_utc
        OR NEW.end_utc IS NOT OLD.end_utc OR NEW.status IS NOT OLD.status OR NEW.current IS NOT OLD.current
      BEGIN
        UPDATE metric_links SET category = NEW.effective_category, current = NEW.current,
          start_utc = NEW.start_utc, end_utc = NEW.end_utc, status = NEW.status,
          holdable = ${holdable('NEW.status', 'no_show', 'cancelled')}, on_record = ${onRecord('NEW.status')}
        WHERE booking_id = NEW.booking_id;
      END;

      -- Attendees: the rules can count them (classify again), and attendance feeds the figures.
      CREATE TRIGGER attendees_classification_added AFTER INSERT ON attendees
      BEGIN
        UPDATE booking_classifications SET stale = 1, all_absent = ${allAbsent('NEW.booking_id')}
        WHERE booking_id = NEW.booking_id;
      END;
      CREATE TRIGGER attendees_classification_removed AFTER DELETE ON attendees
      BEGIN
        UPDATE booking_classifications SET stale = 1, all_absent = ${allAbsent('OLD.booking_id')}
        WHERE booking_id = OLD.booking_id;
      END;
      CREATE TRIGGER attendees_presence_changed AFTER UPDATE OF no_show, cancelled ON attendees
      WHEN NEW.no_show IS NOT OLD.no_show OR NEW.cancelled IS NOT OLD.cancelled
      BEGIN
        UPDATE booking_classifications SET all_absent = ${allAbsent('NEW.booking_id')}
        WHERE booking_id = NEW.booking_id;
        UPDATE metric_links SET no_show = NEW.no_show, cancelled = NEW.cancelled,
          holdable = ${holdable('status', 'NEW.no_show', 'NEW.cancelled')}
        WHERE attendee_id = NEW.id;
      END;

      -- Matches: a link exists exactly while the attendee's match is auto or confirmed.
      CREATE TRIGGER matches_link_new AFTER INSERT ON matches WHEN ${LINKED_NEW}
      BEGIN
        ${insertLink('')}
      END;
      CREATE TRIGGER matches_link_changed AFTER UPDATE OF attendee_id, state, contact_id ON matches
      WHEN NEW.state IS NOT OLD.state OR NEW.contact_id IS NOT OLD.contact_id
        OR NEW.attendee_id IS NOT OLD.attendee_id
      BEGIN
        DELETE FROM metric_links WHERE attendee_id = OLD.attendee_id;
        ${insertLink(`AND ${LINKED_NEW}`)}
      END;
      CREATE TRIGGER matches_link_removed AFTER DELETE ON matches
      BEGIN
        DELETE FROM metric_links WHERE attendee_id = OLD.attendee_id;
      END;

      -- Overrides: the category a booking shows.
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
