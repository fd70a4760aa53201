// 0110: a decision lists the bookings it can change in match_pending, instead of making the next
// matching run go over every booking (0090 bumped `generation`, which is part of the run's mark).
//
// - An alias, an "ignore" or a rejection decides for one address: the attendees under it, and so
//   their bookings (where they are also context for the others on the booking).
// - A confirmation also ranks its contact for other attendees of the same name ("confirmed for
//   this person before"): their bookings too. Only the confirmed state is read that way.
//
// The triggers run in the decision's own transaction, as the attendee triggers of 0090 do, so a
// crash cannot lose an entry. `generation` still counts decisions: a run that read the decisions
// before another process made one reads them again before its next batch.
import type { Migration } from './index';

const BUMP = `UPDATE match_marks SET generation = generation + 1 WHERE kind = 'all';`;

// Written without OR IGNORE: inside a trigger, the conflict policy of the statement that fired it
// wins, and an upsert into matches (ON CONFLICT … DO UPDATE) would make a repeat an error. So each
// booking is listed once and only when it is not pending already.

/** The bookings of every matched attendee whose match row has `column` = key, each listed once. */
const PENDING_WHERE = (
  column: 'email_key' | 'name_key',
  key: string,
) => `INSERT INTO match_pending (booking_id)
  SELECT DISTINCT a.booking_id FROM matches m JOIN attendees a ON a.id = m.attendee_id
  WHERE m.${column} = ${key}${column === 'name_key' ? ` AND m.name_key <> ''` : ''}
    AND NOT EXISTS (SELECT 1 FROM match_pending p WHERE p.booking_id = a.booking_id);`;

/** The bookings under an address key. */
const UNDER_ADDRESS = (key: string) => PENDING_WHERE('email_key', key);
/** The bookings booked under a name key ('' is no name: nobody). */
const UNDER_NAME = (key: string) => PENDING_WHERE('name_key', key);

/** A decision table keyed by address (aliases, rejections): a row added, changed or removed. */
const ADDRESS_TRIGGERS = (table: string, prefix: string) => `
  CREATE TRIGGER ${prefix}_match_pending_new AFTER INSERT ON ${table}
  BEGIN ${BUMP} ${UNDER_ADDRESS('NEW.email_key')} END;
  CREATE TRIGGER ${prefix}_match_pending_changed AFTER UPDATE ON ${table}
  BEGIN ${BUMP} ${UNDER_ADDRESS('NEW.email_key')} ${UNDER_ADDRESS('OLD.email_key')} END;
  CREATE TRIGGER ${prefix}_match_pending_removed AFTER DELETE ON ${table}
  BEGIN ${BUMP} ${UNDER_ADDRESS('OLD.email_key')} END;`;

export const migration0110: Migration = {
  version: 110,
  name: 'decision-pending',
  up(db) {
    db.exec(`
      DROP TRIGGER aliases_match_inputs_new;
      DROP TRIGGER aliases_match_inputs_changed;
      DROP TRIGGER aliases_match_inputs_removed;
      DROP TRIGGER rejections_match_inputs_new;
      DROP TRIGGER rejections_match_inputs_changed;
      DROP TRIGGER rejections_match_inputs_removed;
      DROP TRIGGER matches_match_inputs_new;
      DROP TRIGGER matches_match_inputs_changed;
      DROP TRIGGER matches_match_inputs_removed;

      CREATE INDEX matches_name_key ON matches (name_key) WHERE name_key <> '';

      ${ADDRESS_TRIGGERS('aliases', 'aliases')}
      ${ADDRESS_TRIGGERS('match_rejections', 'rejections')}

      CREATE TRIGGER matches_match_pending_new AFTER INSERT ON matches
      WHEN NEW.state = 'confirmed'
      BEGIN ${BUMP} ${UNDER_NAME('NEW.name_key')} END;
      CREATE TRIGGER matches_match_pending_changed AFTER UPDATE ON matches
      WHEN NEW.state = 'confirmed' OR OLD.state = 'confirmed'
      BEGIN ${BUMP} ${UNDER_NAME('NEW.name_key')} ${UNDER_NAME('OLD.name_key')} END;
      CREATE TRIGGER matches_match_pending_removed AFTER DELETE ON matches
      WHEN OLD.state = 'confirmed'
      BEGIN ${BUMP} ${UNDER_NAME('OLD.name_key')} END;
    `);
  },
};
