// 0120: when a booking's full record (for Calendly: its invitees) was last read from the source.
//
// A scheduler can change a booking without changing what its list shows: Calendly marks an invitee
// a no-show on the invitee, not on the event, so the event's updated_at and invitee counter stay
// the same and an incremental sync that reads invitees only for changed events never sees it. The
// connector reads the invitees of recently ended meetings again when they were last read before the
// meeting ended or over half a day ago; this column says when that was.
//
// - details_read_at: set whenever a sync or a webhook stores the booking from a full read, whether
//   or not anything changed; not when a connector reported the booking unchanged from its list.
//   NULL for rows stored before this migration (the next sync reads their recent ones again).
// - Bookkeeping only: the plan and classification triggers name their columns as they were when
//   they were made, so a write of this column alone moves neither.
import type { Migration } from './index';

export const migration0120: Migration = {
  version: 120,
  name: 'details-read',
  up(db) {
    db.exec('ALTER TABLE bookings ADD COLUMN details_read_at TEXT;');
  },
};
