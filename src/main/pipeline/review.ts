// The review queue: open matches (suggested, unmatched, rejected) grouped into one item per address
// and name (one person who booked one or many times), suggestions first by score, then orphaned
// attendees by how many bookings they have. Also each booking's attendees with their matches.
import type {
  AttendeeMatch,
  CandidateView,
  ContactRequestView,
  DecisionView,
  ReviewQueue,
} from '../../shared/contract-match';
import { BULK_ACCEPT_MIN_SCORE, ReviewItem } from '../../shared/contract-match';
import type { BookingSource, BookingStatus } from '../../shared/domain';
import { contactSummaries, liveContactCount, type ContactSummary } from '../db/queries/contacts';
import {
  matchStateCounts,
  openMatchRows,
  parseCandidates,
  pendingContactRequests,
  reviewItemKey,
  queueDetails,
  type ContactRequestRow,
  type DecisionRow,
  type QueueDetail,
  type QueueRow,
} from '../db/queries/matches';
import type { Db } from '../db/open';

export type ReviewOptions = Readonly<{
  limit: number;
  /** An item's key to list even when it is beyond `limit` (after the others). */
  include?: string;
  now: Date;
}>;

/** An open item before contact details are attached (cheap: used for counts and bulk accept). */
export type OpenItem = Readonly<{
  key: string;
  representative: QueueRow;
  bookingsCount: number;
  latestStart: string;
  request: ContactRequestRow | null;
}>;

function effectiveStatus(row: QueueDetail, now: Date): BookingStatus {
  const status = row.status as BookingStatus;
  return status === 'scheduled' && Date.parse(row.end_utc) <= now.getTime() ? 'completed' : status;
}

function betterRepresentative(a: QueueRow, b: QueueRow): QueueRow {
  // A suggestion beats an orphan; the higher score wins; then the current, later booking.
  const rank = (r: QueueRow) => (r.state === 'suggested' ? 1 : 0);
  if (rank(a) !== rank(b)) return rank(a) > rank(b) ? a : b;
  if (a.state === 'suggested' && (a.score ?? 0) !== (b.score ?? 0))
    return (a.score ?? 0) > (b.score ?? 0) ? a : b;
  const current = (r: QueueRow) => (r.superseded_by === null ? 1 : 0);
  if (current(a) !== current(b)) return current(a) > current(b) ? a : b;
  return a.start_utc >= b.start_utc ? a : b;
}

/** Every open item, sorted as the queue shows them. */
export function openItems(db: Db): OpenItem[] {
  const requests = pendingContactRequests(db);
  const requestByKey = new Map<string, ContactRequestRow>();
  const requestByAttendee = new Map<number, ContactRequestRow>();
  for (const r of requests) {
    if (r.email_key !== null) requestByKey.set(r.email_key, r);
    else if (r.attendee_id !== null) requestByAttendee.set(r.attendee_id, r);
  }
  const groups = new Map<
    string,
    { rep: QueueRow; current: Set<number>; all: Set<number>; latest: string }
  >();
  for (const row of openMatchRows(db)) {
    const key = reviewItemKey(row);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        rep: row,
        current: new Set(row.superseded_by === null ? [row.booking_id] : []),
        all: new Set([row.booking_id]),
        latest: row.start_utc,
      });
      continue;
    }
    group.rep = betterRepresentative(group.rep, row);
    group.all.add(row.booking_id);
    if (row.superseded_by === null) group.current.add(row.booking_id);
    if (row.start_utc > group.latest) group.latest = row.start_utc;
  }
  const items: OpenItem[] = [...groups.entries()].map(([key, g]) => ({
    key,
    representative: g.rep,
    bookingsCount: g.current.size > 0 ? g.current.size : g.all.size,
    latestStart: g.latest,
    request:
      (g.rep.email_key !== null
        ? requestByKey.get(g.rep.email_key)
        : requestByAttendee.get(g.rep.attendee_id)) ?? null,
  }));
  items.sort((a, b) => {
    const requested = Number(a.request !== null) - Number(b.request !== null);
    if (requested !== 0) return requested;
    const ra = a.representative;
    const rb = b.representative;
    const suggested = Number(rb.state === 'suggested') - Number(ra.state === 'suggested');
    if (suggested !== 0) return suggested;
    if (ra.state === 'suggested') {
      const byScore = (rb.score ?? 0) - (ra.score ?? 0);
      if (byScore !== 0) return byScore;
    } else if (a.bookingsCount !== b.bookingsCount) {
      return b.bookingsCount - a.bookingsCount;
    }
    if (a.latestStart !== b.latestStart) return a.latestStart < b.latestStart ? 1 : -1;
    return a.key < b.key ? -1 : 1;
  });
  return items;
}

/** Suggestions a bulk accept at `minScore` takes: open, scoring enough, no contact requested. */
export function bulkEligible(items: readonly OpenItem[], minScore: number): OpenItem[] {
  return items.filter(
    (item) =>
      item.request === null &&
      item.representative.state === 'suggested' &&
      item.representative.contact_id !== null &&
      (item.representative.score ?? 0) >= minScore,
  );
}

function candidateViews(
  row: QueueDetail,
  summaries: ReadonlyMap<string, ContactSummary>,
): CandidateView[] {
  return parseCandidates(row.candidates_json, `match of attendee ${row.attendee_id}`).map((c) => ({
    ...c,
    contact: summaries.get(c.contactId) ?? null,
  }));
}

function requestView(r: ContactRequestRow | null): ContactRequestView | null {
  return r === null
    ? null
    : {
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email,
        createdAt: r.created_at,
      };
}

export function decisionView(db: Db, row: DecisionRow): DecisionView {
  const contact =
    row.contact_id === null
      ? undefined
      : contactSummaries(db, [row.contact_id]).get(row.contact_id);
  return {
    id: row.id,
    batchId: row.batch_id,
    action: row.action,
    emailKey: row.email_key,
    contactId: row.contact_id,
    contactName: contact?.name ?? null,
    createdAt: row.created_at,
    undoneAt: row.undone_at,
  };
}

export function buildReviewQueue(db: Db, options: ReviewOptions): ReviewQueue {
  const all = openItems(db);
  const shown = all.slice(0, options.limit);
  if (options.include !== undefined && !shown.some((item) => item.key === options.include)) {
    const wanted = all.find((item) => item.key === options.include);
    if (wanted !== undefined) shown.push(wanted);
  }
  const details = queueDetails(
    db,
    shown.map((item) => item.representative.attendee_id),
  );
  const contactIds = new Set<string>();
  for (const detail of details.values()) {
    for (const c of parseCandidates(detail.candidates_json, 'review queue'))
      contactIds.add(c.contactId);
  }
  const summaries = contactSummaries(db, contactIds);
  const items: ReviewItem[] = shown.flatMap(
    ({ key, representative: r, bookingsCount, request }) => {
      const d = details.get(r.attendee_id);
      if (d === undefined) return [];
      return [
        {
          key,
          kind:
            r.state === 'suggested'
              ? 'suggested'
              : r.state === 'rejected'
                ? 'rejected'
                : 'unmatched',
          attendeeId: r.attendee_id,
          email: d.email,
          name: d.name,
          bookingsCount,
          booking: {
            id: r.booking_id,
            source: d.source as BookingSource,
            sourceId: d.source_id,
            title: d.title,
            startUtc: r.start_utc,
            status: effectiveStatus(d, options.now),
          },
          score: r.score,
          reason: d.reason,
          candidates: candidateViews(d, summaries),
          request: requestView(request),
        } satisfies ReviewItem,
      ];
    },
  );
  const synced = db
    .prepare("SELECT updated_at FROM sync_checkpoints WHERE source = 'lacrm'")
    .pluck()
    .get() as string | undefined;
  const last = db
    .prepare('SELECT * FROM match_decisions WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1')
    .get() as DecisionRow | undefined;
  return {
    items,
    total: all.length,
    counts: {
      suggested: all.filter((i) => i.request === null && i.representative.state === 'suggested')
        .length,
      unmatched: all.filter((i) => i.request === null && i.representative.state !== 'suggested')
        .length,
      requested: all.filter((i) => i.request !== null).length,
    },
    bulkEligible: bulkEligible(all, BULK_ACCEPT_MIN_SCORE).length,
    bulkThreshold: BULK_ACCEPT_MIN_SCORE,
    states: matchStateCounts(db),
    contacts: liveContactCount(db),
    contactsSyncedAt: synced ?? null,
    lastDecision: last ? decisionView(db, last) : null,
  };
}

/** The match states the review queue lists: its item kinds. */
const IN_REVIEW: ReadonlySet<string> = new Set(ReviewItem.shape.kind.options);

/** Each attendee of one booking with its match; null state for the advisor's own address. */
export function bookingMatches(db: Db, bookingId: number): AttendeeMatch[] {
  const rows = db
    .prepare(
      `SELECT a.id, a.email, a.name, m.state, m.contact_id, m.score, m.reason, m.candidates_json,
         m.email_key, m.name_key
       FROM attendees a LEFT JOIN matches m ON m.attendee_id = a.id WHERE a.booking_id = ? ORDER BY a.position`,
    )
    .all(bookingId) as {
    id: number;
    email: string | null;
    name: string | null;
    state: AttendeeMatch['state'];
    contact_id: string | null;
    score: number | null;
    reason: string | null;
    candidates_json: string | null;
    email_key: string | null;
    name_key: string | null;
  }[];
  // Without a match the closest contact is only among the candidates.
  const closestIds = rows.map((r) =>
    r.state !== null && r.contact_id === null && r.candidates_json !== null
      ? (parseCandidates(r.candidates_json, 'booking matches')[0]?.contactId ?? null)
      : null,
  );
  const summaries = contactSummaries(db, [
    ...rows.map((r) => r.contact_id).filter((id): id is string => id !== null),
    ...closestIds.filter((id): id is string => id !== null),
  ]);
  return rows.map((r, i) => {
    const closestId = closestIds[i] ?? null;
    return {
      attendeeId: r.id,
      email: r.email,
      name: r.name,
      state: r.state,
      contact: r.contact_id === null ? null : (summaries.get(r.contact_id) ?? null),
      score: r.score,
      reason: r.reason ?? 'not matched yet',
      closest: closestId === null ? null : (summaries.get(closestId) ?? null),
      reviewKey:
        r.state !== null && IN_REVIEW.has(r.state)
          ? reviewItemKey({ email_key: r.email_key, name_key: r.name_key ?? '', attendee_id: r.id })
          : null,
    };
  });
}
