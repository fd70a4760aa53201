// The matches export: one row per attendee (the advisor's own addresses excluded: they are hosts),
// in booking start order, with the fields `cadence export matches` promises.
import type { MatchState } from '../../shared/domain';
import { iterateAttendeeMatches, parseCandidates } from '../db/queries/matches';
import type { Db } from '../db/open';
import { emailKeyOf } from './matching';

/** The export's columns, in order: a public contract (scripts read them by name). */
export const MATCH_EXPORT_COLUMNS = [
  'source',
  'bookingId',
  'attendeeEmail',
  'attendeeName',
  'contactId',
  'state',
  'score',
  'reason',
  'candidates',
] as const;

export type MatchExportRow = Readonly<{
  source: string;
  /** The booking's id at its source (Cal.com uid, Calendly event URI, TidyCal id). */
  bookingId: string;
  attendeeEmail: string | null;
  attendeeName: string | null;
  contactId: string | null;
  state: MatchState;
  score: number | null;
  reason: string;
  /** Candidate contact ids, best first. */
  candidates: readonly string[];
}>;

const NOT_MATCHED_YET =
  'not matched yet: sync Less Annoying CRM contacts (cadence sync --source lacrm) to match attendees';

export function* matchExportRows(db: Db, ownEmails: Iterable<string>): Generator<MatchExportRow> {
  const own = new Set<string>();
  for (const email of ownEmails) {
    const key = emailKeyOf(email);
    if (key !== null) own.add(key);
  }
  for (const batch of iterateAttendeeMatches(db)) {
    for (const row of batch) {
      if (row.state === null) {
        const key = emailKeyOf(row.email);
        if (key !== null && own.has(key)) continue;
      }
      yield {
        source: row.source,
        bookingId: row.source_id,
        attendeeEmail: row.email,
        attendeeName: row.name,
        contactId: row.state === null ? null : row.contact_id,
        state: row.state ?? 'unmatched',
        score: row.score,
        reason: row.reason ?? NOT_MATCHED_YET,
        candidates:
          row.candidates_json === null
            ? []
            : parseCandidates(row.candidates_json, 'matches export').map((c) => c.contactId),
      };
    }
  }
}
