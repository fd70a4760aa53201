// Matches, aliases, rejections, contact requests and the decision log at rest, with the reads the
// matching run, the review queue and the export need. Plain SQL; every write runs inside the
// caller's transaction (decisions and match batches are one transaction each).
import { z } from 'zod';
import type { MatchState } from '../../../shared/domain';
import type { DecisionAction } from '../../../shared/contract-match';
import type { Candidate } from '../../match';
import type { Db } from '../open';
import { appendAudit } from '../../audit';
import { stmt } from '../statements';

export type MatchVia = 'email' | 'alias' | 'fuzzy' | 'none' | 'advisor';
export type DecidedBy = 'auto' | 'advisor';

/** One attendee's match as stored. */
export type StoredMatch = Readonly<{
  attendeeId: number;
  emailKey: string | null;
  nameKey: string;
  state: MatchState;
  contactId: string | null;
  via: MatchVia;
  score: number | null;
  reason: string;
  candidates: readonly Candidate[];
  decidedBy: DecidedBy;
  decidedAt: string;
  decisionId: number | null;
}>;

// Stored rows are read back through zod: previous_json and candidates_json are our own JSON, but a
// damaged row must fail with a message naming it rather than flow on as the wrong shape.
const CandidateJson = z.array(
  z.object({ contactId: z.string(), score: z.number(), reason: z.string() }),
);
const StoredMatchJson = z.object({
  attendeeId: z.number().int(),
  emailKey: z.string().nullable(),
  nameKey: z.string(),
  state: z.enum(['auto', 'suggested', 'confirmed', 'rejected', 'ignored', 'unmatched']),
  contactId: z.string().nullable(),
  via: z.enum(['email', 'alias', 'fuzzy', 'none', 'advisor']),
  score: z.number().nullable(),
  reason: z.string(),
  candidates: CandidateJson,
  decidedBy: z.enum(['auto', 'advisor']),
  decidedAt: z.string(),
  decisionId: z.number().int().nullable(),
});
/** What a decision replaced, per attendee: the earlier match, or null when there was none. */
const PreviousJson = z.array(
  z.object({ attendeeId: z.number().int(), match: StoredMatchJson.nullable() }),
);
export type PreviousMatches = z.infer<typeof PreviousJson>;

export type MatchRow = {
  attendee_id: number;
  email_key: string | null;
  name_key: string;
  state: MatchState;
  contact_id: string | null;
  via: MatchVia;
  score: number | null;
  reason: string;
  candidates_json: string;
  decided_by: DecidedBy;
  decided_at: string;
  decision_id: number | null;
  fingerprint: string;
};

/**
 * The review queue's key for an attendee's match: one item per address and name (a decision
 * settles every booking under them), or the attendee alone when there is no address.
 */
export function reviewItemKey(row: {
  email_key: string | null;
  name_key: string;
  attendee_id: number;
}): string {
  return row.email_key === null
    ? `attendee:${row.attendee_id}`
    : `${row.email_key}|${row.name_key}`;
}

export function parseCandidates(json: string, where: string): Candidate[] {
  const parsed = CandidateJson.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`${where}: stored candidates are damaged`);
  return parsed.data;
}

export function fromRow(row: MatchRow): StoredMatch {
  return {
    attendeeId: row.attendee_id,
    emailKey: row.email_key,
    nameKey: row.name_key,
    state: row.state,
    contactId: row.contact_id,
    via: row.via,
    score: row.score,
    reason: row.reason,
    candidates: parseCandidates(row.candidates_json, `match of attendee ${row.attendee_id}`),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionId: row.decision_id,
  };
}

export function readMatch(db: Db, attendeeId: number): StoredMatch | null {
  const row = stmt(db, 'SELECT * FROM matches WHERE attendee_id = ?').get(attendeeId) as
    MatchRow | undefined;
  return row ? fromRow(row) : null;
}

/** Two 32-bit FNV-1a hashes of the UTF-16 code units (differently seeded), as 16 hex digits. */
function fnv1a64(text: string): string {
  let low = 0x811c9dc5;
  let high = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ (code + 0x9e37), 0x01000193) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

/**
 * A digest of what a match says (not who decided it when), so a re-run can tell a changed outcome
 * without reading every reason and candidate list back. Not a security hash: it only has to tell
 * one attendee's old outcome from its new one.
 */
export function matchFingerprint(m: StoredMatch): string {
  let text = `${m.emailKey}\u0001${m.nameKey}\u0001${m.state}\u0001${m.contactId}\u0001${m.via}\u0001${m.score}\u0001${m.reason}`;
  for (const c of m.candidates) text += `\u0002${c.contactId}\u0001${c.score}\u0001${c.reason}`;
  return fnv1a64(text);
}

/** Stores a match; `fingerprint` is matchFingerprint(m), passed when the caller has it already. */
export function writeMatch(db: Db, m: StoredMatch, fingerprint = matchFingerprint(m)): void {
  stmt(
    db,
    `INSERT INTO matches (attendee_id, email_key, name_key, state, contact_id, via, score, reason, candidates_json,
       decided_by, decided_at, decision_id, fingerprint)
     VALUES (@attendeeId, @emailKey, @nameKey, @state, @contactId, @via, @score, @reason, @candidates,
       @decidedBy, @decidedAt, @decisionId, @fingerprint)
     ON CONFLICT(attendee_id) DO UPDATE SET email_key = excluded.email_key, name_key = excluded.name_key,
       state = excluded.state, contact_id = excluded.contact_id, via = excluded.via, score = excluded.score,
       reason = excluded.reason, candidates_json = excluded.candidates_json, decided_by = excluded.decided_by,
       decided_at = excluded.decided_at, decision_id = excluded.decision_id, fingerprint = excluded.fingerprint`,
  ).run({ ...m, candidates: JSON.stringify(m.candidates), fingerprint });
}

export function deleteMatch(db: Db, attendeeId: number): void {
  stmt(db, 'DELETE FROM matches WHERE attendee_id = ?').run(attendeeId);
}

/** Attendees with a match row for this address (any state). */
export function matchesWithEmailKey(db: Db, emailKey: string): StoredMatch[] {
  return (
    stmt(db, 'SELECT * FROM matches WHERE email_key = ? ORDER BY attendee_id').all(
      emailKey,
    ) as MatchRow[]
  ).map(fromRow);
}

// ---------------------------------------------------------------------------------------------
// Aliases, rejections, requests

export function loadActiveAliases(db: Db): Map<string, string | null> {
  const rows = stmt(
    db,
    'SELECT email_key, contact_id FROM aliases WHERE undone_at IS NULL',
  ).all() as { email_key: string; contact_id: string | null }[];
  return new Map(rows.map((r) => [r.email_key, r.contact_id]));
}

export function activeAlias(
  db: Db,
  emailKey: string,
): { id: number; contactId: string | null } | null {
  const row = stmt(
    db,
    'SELECT id, contact_id FROM aliases WHERE email_key = ? AND undone_at IS NULL',
  ).get(emailKey) as { id: number; contact_id: string | null } | undefined;
  return row ? { id: row.id, contactId: row.contact_id } : null;
}

export function insertAlias(
  db: Db,
  alias: Readonly<{
    emailKey: string;
    contactId: string | null;
    createdBy: string;
    decisionId: number;
    nowIso: string;
  }>,
): number {
  return Number(
    stmt(
      db,
      'INSERT INTO aliases (email_key, contact_id, created_at, created_by, decision_id) VALUES (?, ?, ?, ?, ?)',
    ).run(alias.emailKey, alias.contactId, alias.nowIso, alias.createdBy, alias.decisionId)
      .lastInsertRowid,
  );
}

export function setAliasUndone(db: Db, aliasId: number, undoneAt: string): void {
  stmt(db, 'UPDATE aliases SET undone_at = ? WHERE id = ?').run(undoneAt, aliasId);
}

/**
 * Puts back an alias a decision replaced, when that decision is undone: only if its address has
 * no active alias now and the decision that made it still stands.
 */
export function reactivateAlias(db: Db, aliasId: number): boolean {
  const row = stmt(
    db,
    `SELECT a.email_key, d.undone_at AS decision_undone FROM aliases a
       LEFT JOIN match_decisions d ON d.id = a.decision_id WHERE a.id = ?`,
  ).get(aliasId) as { email_key: string; decision_undone: string | null } | undefined;
  if (!row || row.decision_undone !== null || activeAlias(db, row.email_key) !== null) return false;
  stmt(db, 'UPDATE aliases SET undone_at = NULL WHERE id = ?').run(aliasId);
  return true;
}

export function aliasesOfDecision(db: Db, decisionId: number): { id: number }[] {
  return stmt(db, 'SELECT id FROM aliases WHERE decision_id = ? AND undone_at IS NULL').all(
    decisionId,
  ) as { id: number }[];
}

export function loadActiveRejections(db: Db): Map<string, Set<string>> {
  const rows = stmt(
    db,
    'SELECT email_key, contact_id FROM match_rejections WHERE undone_at IS NULL',
  ).all() as { email_key: string; contact_id: string }[];
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = out.get(r.email_key) ?? new Set<string>();
    set.add(r.contact_id);
    out.set(r.email_key, set);
  }
  return out;
}

export function insertRejection(
  db: Db,
  emailKey: string,
  contactId: string,
  decisionId: number,
  nowIso: string,
): void {
  stmt(
    db,
    'INSERT INTO match_rejections (email_key, contact_id, created_at, decision_id) VALUES (?, ?, ?, ?)',
  ).run(emailKey, contactId, nowIso, decisionId);
}

export function undoRejectionsOf(db: Db, decisionId: number, nowIso: string): void {
  stmt(
    db,
    'UPDATE match_rejections SET undone_at = ? WHERE decision_id = ? AND undone_at IS NULL',
  ).run(nowIso, decisionId);
}

/** A later confirmation of the same contact for the address outranks the earlier rejection. */
export function retireRejections(
  db: Db,
  emailKey: string,
  contactId: string,
  decisionId: number,
  nowIso: string,
): void {
  stmt(
    db,
    `UPDATE match_rejections SET undone_at = ?, retired_by = ?
     WHERE email_key = ? AND contact_id = ? AND undone_at IS NULL`,
  ).run(nowIso, decisionId, emailKey, contactId);
}

/** Undoing that confirmation brings the rejections it retired back. */
export function restoreRetiredRejections(db: Db, decisionId: number): void {
  stmt(
    db,
    'UPDATE match_rejections SET undone_at = NULL, retired_by = NULL WHERE retired_by = ?',
  ).run(decisionId);
}

export type ContactRequestRow = {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  email_key: string | null;
  attendee_id: number | null;
  created_at: string;
};

export function insertContactRequest(
  db: Db,
  request: Readonly<{
    firstName: string;
    lastName: string;
    email: string | null;
    emailKey: string | null;
    attendeeId: number;
    createdBy: string;
    decisionId: number;
    nowIso: string;
  }>,
): number {
  return Number(
    stmt(
      db,
      `INSERT INTO contact_requests (state, first_name, last_name, email, email_key, attendee_id, created_at,
           created_by, decision_id) VALUES ('pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      request.firstName,
      request.lastName,
      request.email,
      request.emailKey,
      request.attendeeId,
      request.nowIso,
      request.createdBy,
      request.decisionId,
    ).lastInsertRowid,
  );
}

export function cancelContactRequestsOf(db: Db, decisionId: number, nowIso: string): void {
  stmt(
    db,
    "UPDATE contact_requests SET state = 'cancelled', cancelled_at = ? WHERE decision_id = ? AND state = 'pending'",
  ).run(nowIso, decisionId);
}

export function pendingContactRequests(db: Db): ContactRequestRow[] {
  return stmt(
    db,
    `SELECT id, first_name, last_name, email, email_key, attendee_id, created_at FROM contact_requests
       WHERE state = 'pending' ORDER BY id`,
  ).all() as ContactRequestRow[];
}

export function pendingRequestFor(
  db: Db,
  emailKey: string | null,
  attendeeId: number,
): ContactRequestRow | null {
  const row = stmt(
    db,
    `SELECT id, first_name, last_name, email, email_key, attendee_id, created_at FROM contact_requests
       WHERE state = 'pending' AND (email_key = @emailKey OR (email_key IS NULL AND attendee_id = @attendeeId))`,
  ).get({ emailKey, attendeeId }) as ContactRequestRow | undefined;
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// The decision log

export type DecisionRow = {
  id: number;
  batch_id: number | null;
  action: DecisionAction;
  email_key: string | null;
  contact_id: string | null;
  attendee_id: number | null;
  decided_by: string;
  created_at: string;
  undone_at: string | null;
  previous_json: string;
  replaced_alias_id: number | null;
};

export function insertDecision(
  db: Db,
  decision: Readonly<{
    batchId: number | null;
    action: DecisionAction;
    emailKey: string | null;
    contactId: string | null;
    attendeeId: number | null;
    decidedBy: string;
    nowIso: string;
  }>,
): number {
  const id = Number(
    stmt(
      db,
      `INSERT INTO match_decisions (batch_id, action, email_key, contact_id, attendee_id, decided_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      decision.batchId,
      decision.action,
      decision.emailKey,
      decision.contactId,
      decision.attendeeId,
      decision.decidedBy,
      decision.nowIso,
    ).lastInsertRowid,
  );
  // Every decision is in the audit log too (ids only: the address stays in match_decisions).
  appendAudit(db, {
    actor: decision.decidedBy,
    action: `match.${decision.action}`,
    subjectType: 'match_decision',
    subjectId: String(id),
    detail: {
      attendeeId: decision.attendeeId,
      contactId: decision.contactId,
      batchId: decision.batchId,
    },
    at: decision.nowIso,
  });
  return id;
}

export function recordDecisionEffects(
  db: Db,
  decisionId: number,
  previous: PreviousMatches,
  replacedAliasId: number | null,
): void {
  stmt(db, 'UPDATE match_decisions SET previous_json = ?, replaced_alias_id = ? WHERE id = ?').run(
    JSON.stringify(previous),
    replacedAliasId,
    decisionId,
  );
}

export function readPrevious(row: DecisionRow): PreviousMatches {
  const parsed = PreviousJson.safeParse(JSON.parse(row.previous_json));
  if (!parsed.success)
    throw new Error(`decision ${row.id}: its record of earlier matches is damaged`);
  return parsed.data;
}

export function readDecision(db: Db, id: number): DecisionRow | null {
  return (
    (stmt(db, 'SELECT * FROM match_decisions WHERE id = ?').get(id) as DecisionRow | undefined) ??
    null
  );
}

/** The latest decision not yet undone, with every decision of its batch. */
export function latestOpenDecisions(db: Db): DecisionRow[] {
  const last = stmt(
    db,
    'SELECT * FROM match_decisions WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1',
  ).get() as DecisionRow | undefined;
  if (!last) return [];
  return last.batch_id === null ? [last] : decisionsOfBatch(db, last.batch_id);
}

export function decisionsOfBatch(db: Db, batchId: number): DecisionRow[] {
  return stmt(
    db,
    'SELECT * FROM match_decisions WHERE batch_id = ? AND undone_at IS NULL ORDER BY id DESC',
  ).all(batchId) as DecisionRow[];
}

export function markDecisionUndone(db: Db, id: number, nowIso: string): void {
  stmt(db, 'UPDATE match_decisions SET undone_at = ? WHERE id = ?').run(nowIso, id);
  appendAudit(db, {
    actor: 'advisor',
    action: 'match.undo',
    subjectType: 'match_decision',
    subjectId: String(id),
    at: nowIso,
  });
}

// ---------------------------------------------------------------------------------------------
// Reads for the matching run, the queue and the export

/** An attendee with its booking and what the run needs of its current match (null: none). */
export type AttendeeForRun = {
  attendee_id: number;
  booking_id: number;
  email: string | null;
  name: string | null;
  decided_by: DecidedBy | null;
  fingerprint: string | null;
};

const RUN_COLUMNS =
  'a.id AS attendee_id, a.booking_id, a.email, a.name, m.decided_by, m.fingerprint';

/** Attendees of bookings with id in (afterId, throughId], each with its match row (if any). */
export function attendeesOfBookingRange(
  db: Db,
  afterId: number,
  throughId: number,
): AttendeeForRun[] {
  return stmt(
    db,
    `SELECT ${RUN_COLUMNS} FROM attendees a LEFT JOIN matches m ON m.attendee_id = a.id
       WHERE a.booking_id > ? AND a.booking_id <= ? ORDER BY a.booking_id, a.position`,
  ).all(afterId, throughId) as AttendeeForRun[];
}

/** Booking ids in ascending order, `limit` at a time after `afterId`. */
/** The id that ends a batch of up to `size` bookings after `afterId`, or null when none are left. */
export function bookingBatchEnd(db: Db, afterId: number, size: number): number | null {
  const row = stmt(
    db,
    'SELECT max(id) AS id FROM (SELECT id FROM bookings WHERE id > ? ORDER BY id LIMIT ?)',
  ).get(afterId, size) as { id: number | null };
  return row.id;
}

/** Every booking in the store (what a run over every booking goes over). */
export function bookingCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM bookings').pluck().get() as number;
}

/** Bookings with an attendee matched under one of these addresses. */
export function bookingIdsWithEmailKeys(db: Db, emailKeys: readonly string[]): number[] {
  const out = new Set<number>();
  const query = stmt(
    db,
    'SELECT DISTINCT a.booking_id FROM matches m JOIN attendees a ON a.id = m.attendee_id WHERE m.email_key = ?',
  );
  for (const key of emailKeys) for (const id of query.pluck().all(key) as number[]) out.add(id);
  return [...out].sort((a, b) => a - b);
}

export function attendeesOfBookings(db: Db, bookingIds: readonly number[]): AttendeeForRun[] {
  const out: AttendeeForRun[] = [];
  const CHUNK = 500;
  for (let i = 0; i < bookingIds.length; i += CHUNK) {
    const chunk = bookingIds.slice(i, i + CHUNK);
    out.push(
      ...(db
        .prepare(
          `SELECT ${RUN_COLUMNS} FROM attendees a LEFT JOIN matches m ON m.attendee_id = a.id
           WHERE a.booking_id IN (${chunk.map(() => '?').join(',')}) ORDER BY a.booking_id, a.position`,
        )
        .all(...chunk) as AttendeeForRun[]),
    );
  }
  return out;
}

/** What grouping and ordering the queue needs of each open match (cheap: no long text). */
export type QueueRow = {
  attendee_id: number;
  email_key: string | null;
  name_key: string;
  state: MatchState;
  contact_id: string | null;
  score: number | null;
  booking_id: number;
  start_utc: string;
  superseded_by: number | null;
};

/** Every match waiting for the advisor. */
export function openMatchRows(db: Db): QueueRow[] {
  return stmt(
    db,
    `SELECT m.attendee_id, m.email_key, m.name_key, m.state, m.contact_id, m.score, a.booking_id, b.start_utc,
       b.superseded_by
     FROM matches m JOIN attendees a ON a.id = m.attendee_id JOIN bookings b ON b.id = a.booking_id
     WHERE m.state IN ('suggested', 'unmatched', 'rejected')`,
  ).all() as QueueRow[];
}

/** The rest of an open match, for the items actually shown or decided on. */
export type QueueDetail = {
  attendee_id: number;
  email: string | null;
  name: string | null;
  reason: string;
  candidates_json: string;
  source: string;
  source_id: string;
  title: string;
  end_utc: string;
  status: string;
};

export function queueDetails(db: Db, attendeeIds: readonly number[]): Map<number, QueueDetail> {
  const out = new Map<number, QueueDetail>();
  const CHUNK = 500;
  for (let i = 0; i < attendeeIds.length; i += CHUNK) {
    const chunk = attendeeIds.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT m.attendee_id, a.email, a.name, m.reason, m.candidates_json, b.source, b.source_id, b.title, b.end_utc,
           b.status
         FROM matches m JOIN attendees a ON a.id = m.attendee_id JOIN bookings b ON b.id = a.booking_id
         WHERE m.attendee_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as QueueDetail[];
    for (const row of rows) out.set(row.attendee_id, row);
  }
  return out;
}

export function matchStateCounts(db: Db): Record<MatchState, number> {
  const counts: Record<MatchState, number> = {
    auto: 0,
    suggested: 0,
    confirmed: 0,
    rejected: 0,
    ignored: 0,
    unmatched: 0,
  };
  const rows = stmt(db, 'SELECT state, count(*) AS n FROM matches GROUP BY state').all() as {
    state: MatchState;
    n: number;
  }[];
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

export type ExportRow = {
  source: string;
  source_id: string;
  email: string | null;
  name: string | null;
  state: MatchState | null;
  contact_id: string | null;
  score: number | null;
  reason: string | null;
  candidates_json: string | null;
};

/** Every attendee with its match, in booking start order, `batch` rows at a time. */
export function* iterateAttendeeMatches(db: Db, batch = 5000): Generator<ExportRow[]> {
  let lastStart = '';
  let lastAttendee = 0;
  const query = stmt(
    db,
    `SELECT b.source, b.source_id, b.start_utc, a.id AS attendee_id, a.email, a.name, m.state, m.contact_id, m.score,
       m.reason, m.candidates_json
     FROM attendees a JOIN bookings b ON b.id = a.booking_id LEFT JOIN matches m ON m.attendee_id = a.id
     WHERE (b.start_utc > @lastStart OR (b.start_utc = @lastStart AND a.id > @lastAttendee))
     ORDER BY b.start_utc, a.id LIMIT @batch`,
  );
  for (;;) {
    const rows = query.all({ lastStart, lastAttendee, batch }) as (ExportRow & {
      start_utc: string;
      attendee_id: number;
    })[];
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    lastStart = last.start_utc;
    lastAttendee = last.attendee_id;
  }
}

/** The inputs the last complete matching run over every booking saw ('' when none completed). */
export function readMatchMark(db: Db): { inputs: string; generation: number } {
  const row = stmt(db, "SELECT inputs, generation FROM match_marks WHERE kind = 'all'").get() as
    { inputs: string; generation: number } | undefined;
  return row ?? { inputs: '', generation: 0 };
}

export function writeMatchMark(db: Db, inputs: string): void {
  stmt(db, "UPDATE match_marks SET inputs = ? WHERE kind = 'all'").run(inputs);
}

/** Up to `limit` bookings whose attendees changed since matching last saw them, oldest first. */
export function pendingBookingIds(db: Db, limit: number): number[] {
  return stmt(db, 'SELECT booking_id FROM match_pending ORDER BY booking_id LIMIT ?')
    .pluck()
    .all(limit) as number[];
}

export function pendingBookingCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM match_pending').pluck().get() as number;
}

/** Marks bookings as seen by matching: these ids, or every id in (afterId, throughId]. */
export function clearPending(db: Db, bookingIds: readonly number[]): void {
  const remove = stmt(db, 'DELETE FROM match_pending WHERE booking_id = ?');
  for (const id of bookingIds) remove.run(id);
}

export function clearPendingRange(db: Db, afterId: number, throughId: number): void {
  stmt(db, 'DELETE FROM match_pending WHERE booking_id > ? AND booking_id <= ?').run(
    afterId,
    throughId,
  );
}
