// 0100: whether anything the change plan reads has changed since it last ran, so a sync that
// brought nothing does not re-plan the whole practice.
//
// - plan_marks: one row. `generation` counts writes to every table the plan reads, or to the
//   tables a derived one is kept from (bumped by triggers, in the writing transaction, so no
//   write can go unnoticed, even across a crash); `inputs` holds what the last completed plan
//   saw (app version, settings, generation) and `planned_at` the clock it planned at, for the
//   facts that change with time alone (a meeting that has ended since, one that has left the
//   last twelve months).
// - An update that only records that a row was seen again (last_seen_at) is not a change: the
//   update triggers name every other column.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './index';

/**
 * Tables the change plan and the review facts behind it read. Tables written only together with
 * one of these are left out, so a row written costs one count, not two: metric_links (kept by
 * 0070's triggers from matches, classifications and attendees) and contact_emails (rewritten only
 * when its contact changes).
 */
const PLAN_INPUT_TABLES = [
  'settings',
  'bookings',
  'attendees',
  'matches',
  'contacts',
  'contact_requests',
  'classification_rule_sets',
  'booking_classifications',
  'classification_overrides',
  'review_policy_contacts',
  'review_policy_groups',
  'review_group_members',
  'changes',
  'lacrm_records',
  'pushed_fields',
] as const;

/** Columns whose update says nothing new about the row. */
const BOOKKEEPING_COLUMNS: ReadonlySet<string> = new Set(['last_seen_at']);

const BUMP = 'UPDATE plan_marks SET generation = generation + 1;';

function columnsOf(db: Database.Database, table: string): string[] {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (rows.length === 0) throw new Error(`migration 0100: table ${table} does not exist`);
  return rows.map((row) => row.name);
}

export const migration0100: Migration = {
  version: 100,
  name: 'plan-marks',
  up(db) {
    db.exec(`
      CREATE TABLE plan_marks (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        inputs TEXT NOT NULL,
        planned_at TEXT,
        generation INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- Never planned under this mark: the next sync plans.
      INSERT INTO plan_marks (id, inputs) VALUES (1, '');
    `);
    for (const table of PLAN_INPUT_TABLES) {
      const changing = columnsOf(db, table).filter((column) => !BOOKKEEPING_COLUMNS.has(column));
      db.exec(`
        CREATE TRIGGER ${table}_plan_new AFTER INSERT ON ${table} BEGIN ${BUMP} END;
        CREATE TRIGGER ${table}_plan_changed AFTER UPDATE OF ${changing.join(', ')} ON ${table}
        BEGIN ${BUMP} END;
        CREATE TRIGGER ${table}_plan_removed AFTER DELETE ON ${table} BEGIN ${BUMP} END;
      `);
    }
  },
};
