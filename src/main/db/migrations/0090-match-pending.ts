// 0090: what the matching run still has to look at, so a sync that brought nothing new matches
// nothing, and one that brought ten bookings matches those ten.
//
// - match_pending: bookings whose attendees changed (added, renamed, re-addressed, removed) since
//   the matching run last saw them. Filled by triggers inside the writing transaction, so a crash
//   can never lose an entry; emptied by the run in the transaction that writes the matches.
// - match_marks: per run kind, the inputs the last complete run over every booking saw (contact
//   list revision, the advisor's own addresses, engine version, and `generation`). `generation`
//   counts the advisor's decisions (aliases, rejections, confirmations), bumped by triggers, since
//   a decision can change other attendees' outcomes too. When the inputs differ from the mark, the
//   next run goes over every booking again; the mark is written only when that run completes.
import type { Migration } from './index';

const PENDING = (booking: string) =>
  `INSERT OR IGNORE INTO match_pending (booking_id) VALUES (${booking});`;
const BUMP = `UPDATE match_marks SET generation = generation + 1 WHERE kind = 'all';`;

export const migration0090: Migration = {
  version: 90,
  name: 'match-pending',
  up(db) {
    db.exec(`
      CREATE TABLE match_pending (booking_id INTEGER PRIMARY KEY) STRICT;
      CREATE TABLE match_marks (
        kind TEXT PRIMARY KEY CHECK (kind IN ('all')),
        inputs TEXT NOT NULL,
        generation INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      -- No complete run recorded yet: the first run after this migration covers every booking.
      INSERT INTO match_marks (kind, inputs) VALUES ('all', '');

      CREATE TRIGGER attendees_match_added AFTER INSERT ON attendees
      BEGIN ${PENDING('NEW.booking_id')} END;
      CREATE TRIGGER attendees_match_changed AFTER UPDATE OF email, name, booking_id ON attendees
      WHEN NEW.email IS NOT OLD.email OR NEW.name IS NOT OLD.name
        OR NEW.booking_id IS NOT OLD.booking_id
      BEGIN ${PENDING('NEW.booking_id')} ${PENDING('OLD.booking_id')} END;
      -- The others on the booking lose a co-attendee (a household, a colleague): match them again.
      CREATE TRIGGER attendees_match_removed AFTER DELETE ON attendees
      BEGIN ${PENDING('OLD.booking_id')} END;

      CREATE TRIGGER aliases_match_inputs_new AFTER INSERT ON aliases BEGIN ${BUMP} END;
      CREATE TRIGGER aliases_match_inputs_changed AFTER UPDATE ON aliases BEGIN ${BUMP} END;
      CREATE TRIGGER aliases_match_inputs_removed AFTER DELETE ON aliases BEGIN ${BUMP} END;
      CREATE TRIGGER rejections_match_inputs_new AFTER INSERT ON match_rejections BEGIN ${BUMP} END;
      CREATE TRIGGER rejections_match_inputs_changed AFTER UPDATE ON match_rejections
      BEGIN ${BUMP} END;
      CREATE TRIGGER rejections_match_inputs_removed AFTER DELETE ON match_rejections
      BEGIN ${BUMP} END;
      -- Confirmations by name rank contacts for other attendees of the same name.
      CREATE TRIGGER matches_match_inputs_new AFTER INSERT ON matches
      WHEN NEW.decided_by = 'advisor' BEGIN ${BUMP} END;
      CREATE TRIGGER matches_match_inputs_changed AFTER UPDATE ON matches
      WHEN NEW.decided_by = 'advisor' OR OLD.decided_by = 'advisor' BEGIN ${BUMP} END;
      CREATE TRIGGER matches_match_inputs_removed AFTER DELETE ON matches
      WHEN OLD.decided_by = 'advisor' BEGIN ${BUMP} END;
    `);
  },
};
