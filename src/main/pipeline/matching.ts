// The matching run: every attendee whose match is missing or was decided automatically is matched
// again (after a sync, after a contact refresh, after a decision changes an address), one
// transaction per batch of bookings, with the contact index built once per contact list. A run
// after a sync goes over every booking only when something every match reads has changed (the
// contacts, the advisor's own addresses or personal mail domains, the app); otherwise only over
// the bookings triggers list in match_pending: those whose attendees changed (migration 0090) and
// those a decision of the advisor can change (0110). The
// advisor's decisions are never overwritten; the advisor's own addresses get no match at all. The
// engine (../match) knows nothing of rejections, so they are applied here: a contact the advisor
// rejected for an address is never put forward for it again.
import type { MatchProgress } from '../../shared/contract-match';
import type { MatchState } from '../../shared/domain';
import { contactsForMatching, contactsRevision, foldForSearch } from '../db/queries/contacts';
import {
  attendeesOfBookingRange,
  attendeesOfBookings,
  bookingBatchEnd,
  bookingCount,
  bookingIdsWithEmailKeys,
  clearPending,
  clearPendingRange,
  deleteMatch,
  loadActiveAliases,
  matchFingerprint,
  loadActiveRejections,
  pendingBookingCount,
  pendingBookingIds,
  readMatchMark,
  writeMatch,
  writeMatchMark,
  type AttendeeForRun,
  type StoredMatch,
} from '../db/queries/matches';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import {
  advisorKeysOf,
  buildContactIndex,
  localityOrder,
  matchBookingAttendees,
  normalizeEmail,
  SUGGESTION_THRESHOLD,
  type AttendeeForMatching,
  type BookingAttendeeMatch,
  type ContactIndex,
  type MatchOutcome,
} from '../match';
import { createLogger } from '../log';
import { APP_VERSION } from '../version';

const log = createLogger('match');

/**
 * Bookings per transaction, and per turn of a run in turns: small enough that the window's
 * requests wait about a tenth of a second at most between batches. Measured over 92,000 bookings
 * and 20,000 contacts on our 2-core machines: turns of 40 ms (median) to 120 ms with 1,000, against
 * 200 to 350 ms with 5,000, the whole run as long within the noise (commits are cheap: WAL,
 * synchronous=NORMAL). The first turn also builds the contact index (about a second, once).
 */
const BOOKINGS_PER_BATCH = 1000;

export type MatchRunOptions = Readonly<{
  db: Db;
  /** The advisor's own addresses: hosts, never matched. */
  ownEmails: Iterable<string>;
  /** Consumer mailbox domains besides the built-in ones (setting match.personalDomains). */
  personalDomains?: readonly string[];
  now: () => Date;
  /** Only bookings with an attendee under these addresses (after a decision); all when absent. */
  emailKeys?: readonly string[];
  /** Go over every booking even when nothing that matching reads has changed. */
  everything?: boolean;
  /** Bookings per transaction (default 1,000); tests use a small one to see between batches. */
  batchSize?: number;
  /**
   * Cancels the run between two batches (a run in turns, after a sync the advisor cancelled): the
   * batches done are kept, and the next run goes over the rest as if this one had crashed there.
   */
  signal?: AbortSignal;
}>;

export type MatchRunResult = Readonly<{
  /**
   * What the run went over: every booking ('all': the contacts, the advisor's decisions or own
   * addresses, or the app changed since the last complete run), the bookings whose attendees
   * changed since matching last saw them ('changed'), or those under given addresses ('addresses').
   */
  scope: 'all' | 'changed' | 'addresses';
  /** Attendees looked at. */
  examined: number;
  /** Match rows written or removed because the outcome changed. */
  changed: number;
  /** Automatic outcomes now stored, by state (advisor decisions not counted). */
  byState: Readonly<Partial<Record<MatchState, number>>>;
  ms: number;
  /** Of `ms`, the time the engine spent matching (the rest is reading and writing rows). */
  engineMs: number;
  /** True when `signal` stopped the run before its last batch. */
  cancelled: boolean;
}>;

// One index per database handle, rebuilt when the contact list changes (another process may have
// refreshed it, so the fingerprint is read from the database, not remembered).
const indexCache = new WeakMap<Db, { revision: string; index: ContactIndex }>();

const NO_DOMAINS: readonly string[] = [];

/** The configured personal domains in one order, without repeats: what the index is built with. */
function domainList(domains: readonly string[] | undefined): readonly string[] {
  if (domains === undefined || domains.length === 0) return NO_DOMAINS;
  return [...new Set(domains.map((domain) => domain.trim().toLowerCase()))].sort();
}

export function contactIndexFor(db: Db, personalDomains?: readonly string[]): ContactIndex {
  const domains = domainList(personalDomains);
  const revision = `${contactsRevision(db)}|${domains.join(',')}`;
  const cached = indexCache.get(db);
  if (cached && cached.revision === revision) return cached.index;
  const started = performance.now();
  const index = buildContactIndex(contactsForMatching(db), { personalEmailDomains: domains });
  indexCache.set(db, { revision, index });
  log.debug(
    `contact index: ${index.contacts.length} contacts in ${Math.round(performance.now() - started)} ms`,
  );
  return index;
}

/** The key an address is matched and decided under (Gmail dots and +tags folded). */
export function emailKeyOf(email: string | null | undefined): string | null {
  if (!email) return null;
  return normalizeEmail(email)?.key ?? null;
}

/** The name an attendee booked under, folded, so one item in the queue is one person. */
export function nameKeyOf(name: string | null | undefined): string {
  return foldForSearch(name ?? '');
}

/**
 * Takes the contacts the advisor rejected for this address out of an outcome; when the top one
 * goes, the next candidate is suggested if it is good enough, else the attendee is unmatched.
 */
export function withoutRejected(
  outcome: MatchOutcome,
  rejected: ReadonlySet<string> | undefined,
): MatchOutcome {
  if (rejected === undefined || rejected.size === 0 || outcome.state === 'ignored') return outcome;
  const candidates = outcome.candidates.filter((c) => !rejected.has(c.contactId));
  const topRejected = outcome.contactId !== null && rejected.has(outcome.contactId);
  if (!topRejected) {
    return candidates.length === outcome.candidates.length ? outcome : { ...outcome, candidates };
  }
  const note = 'you rejected the earlier suggestion for this address';
  const next = candidates[0];
  if (next !== undefined && next.score >= SUGGESTION_THRESHOLD && next.score < 1) {
    return {
      state: 'suggested',
      contactId: next.contactId,
      via: 'fuzzy',
      score: next.score,
      reason: `${next.reason}; ${note}`,
      candidates,
    };
  }
  return {
    state: 'unmatched',
    contactId: null,
    via: 'none',
    score: next?.score ?? null,
    reason: `${note}; no other contact is close enough to suggest`,
    candidates,
  };
}

const roundScore = (score: number | null): number | null =>
  score === null ? null : Math.round(score * 1000) / 1000;

export function storedFromOutcome(
  attendeeId: number,
  emailKey: string | null,
  nameKey: string,
  outcome: MatchOutcome,
  nowIso: string,
): StoredMatch {
  return {
    attendeeId,
    emailKey,
    nameKey,
    state: outcome.state,
    contactId: outcome.contactId,
    via: outcome.via,
    score: roundScore(outcome.score),
    reason: outcome.reason,
    candidates: outcome.candidates.map((c) => ({ ...c, score: roundScore(c.score) ?? 0 })),
    decidedBy: 'auto',
    decidedAt: nowIso,
    decisionId: null,
  };
}

/** How often the advisor confirmed each contact for a name, to rank those contacts higher. */
function confirmedByName(db: Db): Map<string, Map<string, number>> {
  const rows = db
    .prepare(
      `SELECT name_key, contact_id, count(*) AS n FROM matches
       WHERE state = 'confirmed' AND name_key <> '' AND contact_id IS NOT NULL GROUP BY name_key, contact_id`,
    )
    .all() as { name_key: string; contact_id: string; n: number }[];
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const counts = out.get(r.name_key) ?? new Map<string, number>();
    counts.set(r.contact_id, r.n);
    out.set(r.name_key, counts);
  }
  return out;
}

function groupByBooking(rows: readonly AttendeeForRun[]): AttendeeForRun[][] {
  const groups: AttendeeForRun[][] = [];
  let current: AttendeeForRun[] = [];
  for (const row of rows) {
    if (current.length > 0 && current[0]!.booking_id !== row.booking_id) {
      groups.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Runs matching to the end in one go (the CLI, a decision's re-match, tests). */
export function runMatching(options: MatchRunOptions): MatchRunResult {
  const steps = matchingSteps(options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same run, giving the event loop a turn after every batch: after a sync, where a run over
 * every booking of a large practice takes seconds, the window's requests are answered between
 * batches instead of waiting for the whole run. A decision made meanwhile is read before the next
 * batch (see load below).
 */
export async function runMatchingInTurns(
  options: MatchRunOptions,
  onProgress?: (progress: MatchProgress) => void,
): Promise<MatchRunResult> {
  const steps = matchingSteps(options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The run, one batch (one transaction) per step; each step says how far the run is. */
function* matchingSteps(options: MatchRunOptions): Generator<MatchProgress, MatchRunResult, void> {
  const started = performance.now();
  const { db } = options;
  // What every match reads, loaded when the first booking is matched: a run with nothing to match
  // (a quiet sync right after the app started) builds no index.
  let inputs: Readonly<{
    index: ContactIndex;
    aliases: ReadonlyMap<string, string | null>;
    rejections: ReturnType<typeof loadActiveRejections>;
    priorByName: ReadonlyMap<string, ReadonlyMap<string, number>>;
    /** The decision counter when the decisions above were read. */
    generation: number;
  }> | null = null;
  const load = () => {
    // A decision made meanwhile (by another process, or by this one between the batches of a
    // run in turns) is read again before the next batch; the bookings it affects are pending
    // again by its own triggers.
    const generation = readMatchMark(db).generation;
    if (inputs !== null && inputs.generation === generation) return inputs;
    inputs = {
      index: contactIndexFor(db, personalDomains),
      aliases: loadActiveAliases(db),
      rejections: loadActiveRejections(db),
      priorByName: confirmedByName(db),
      generation,
    };
    return inputs;
  };
  const batchSize = options.batchSize ?? BOOKINGS_PER_BATCH;
  const advisorEmails = [...options.ownEmails];
  // Normalized once for the run, not once per booking.
  const advisorKeys = advisorKeysOf(advisorEmails);
  const personalDomains = domainList(options.personalDomains);
  const onlyKeys = options.emailKeys === undefined ? null : new Set(options.emailKeys);
  const byState: Partial<Record<MatchState, number>> = {};
  let examined = 0;
  let changed = 0;
  // Bookings matched so far, of `total` (pending bookings can be added by a decision meanwhile).
  let done = 0;
  let total = 0;
  const progress = (bookings: number): MatchProgress => {
    done += bookings;
    total = Math.max(total, done);
    return { done, total };
  };
  let engineMs = 0;
  let cancelled = false;
  /** Checked before each batch: whether to stop there (so a run cancelled before it began does
   * none; one with nothing left to do is not cancelled). */
  const stopHere = (): boolean => {
    cancelled = options.signal?.aborted === true;
    return cancelled;
  };

  const matchBatch = (rows: readonly AttendeeForRun[], nowIso: string) => {
    if (rows.length === 0) return;
    const { index, aliases, rejections, priorByName } = load();
    const bookings = groupByBooking(rows);
    // Matched one surname after another, so the contacts they read stay in the processor's caches
    // (match/order.ts); written back in booking order, so rows go into the store in key order.
    // Outcomes do not depend on the order.
    const results: (readonly BookingAttendeeMatch[])[] = new Array(bookings.length);
    const engineStarted = performance.now();
    for (const at of localityOrder(
      bookings.map((booking) => booking.find((row) => row.name) ?? booking[0]!),
    )) {
      const attendees: AttendeeForMatching[] = bookings[at]!.map((row) => ({
        email: row.email,
        name: row.name,
      }));
      results[at] = matchBookingAttendees(index, attendees, aliases, {
        advisorKeys,
        ...(priorByName.size > 0
          ? { priorContactIdsFor: (a: AttendeeForMatching) => priorByName.get(nameKeyOf(a.name)) }
          : {}),
      });
    }
    engineMs += performance.now() - engineStarted;
    bookings.forEach((booking, at) => {
      const matched = results[at]!;
      booking.forEach((row, i) => {
        const emailKey = emailKeyOf(row.email);
        if (onlyKeys !== null && (emailKey === null || !onlyKeys.has(emailKey))) return;
        examined++;
        if (row.decided_by === 'advisor') return;
        const outcome = matched[i]?.outcome ?? null;
        if (outcome === null) {
          // The advisor's own address: a host, so no match (and out of the queue).
          if (row.decided_by !== null) {
            deleteMatch(db, row.attendee_id);
            changed++;
          }
          return;
        }
        const next = storedFromOutcome(
          row.attendee_id,
          emailKey,
          nameKeyOf(row.name),
          withoutRejected(outcome, emailKey === null ? undefined : rejections.get(emailKey)),
          nowIso,
        );
        byState[next.state] = (byState[next.state] ?? 0) + 1;
        // Unchanged outcomes are not rewritten: a re-run over settled data writes nothing.
        const fingerprint = matchFingerprint(next);
        if (row.fingerprint === fingerprint) return;
        writeMatch(db, next, fingerprint);
        changed++;
      });
    });
  };

  let scope: MatchRunResult['scope'];
  if (onlyKeys !== null) {
    scope = 'addresses';
    const bookingIds = bookingIdsWithEmailKeys(db, [...onlyKeys]);
    total = bookingIds.length;
    for (let i = 0; i < bookingIds.length; i += batchSize) {
      if (stopHere()) break;
      const chunk = bookingIds.slice(i, i + batchSize);
      writeTransaction(db, () =>
        matchBatch(attendeesOfBookings(db, chunk), options.now().toISOString()),
      );
      yield progress(chunk.length);
    }
  } else {
    const marked = matchInputs(db, advisorEmails, personalDomains);
    if (options.everything !== true && readMatchMark(db).inputs === marked) {
      // Nothing matching reads changed but some bookings' attendees: match those bookings only.
      // Each batch takes its bookings off the pending list in the transaction that stores them.
      scope = 'changed';
      total = pendingBookingCount(db);
      for (;;) {
        const chunk = pendingBookingIds(db, batchSize);
        if (chunk.length === 0 || stopHere()) break;
        writeTransaction(db, () => {
          matchBatch(attendeesOfBookings(db, chunk), options.now().toISOString());
          clearPending(db, chunk);
        });
        yield progress(chunk.length);
      }
    } else {
      // Every booking. The mark is cleared first and set again only when the run completes, so a
      // run cut short (a crash, a closed app) is done over rather than trusted.
      scope = 'all';
      writeTransaction(db, () => writeMatchMark(db, ''));
      total = bookingCount(db);
      let after = 0;
      for (;;) {
        const through = bookingBatchEnd(db, after, batchSize);
        if (through === null || stopHere()) break;
        writeTransaction(db, () => {
          matchBatch(attendeesOfBookingRange(db, after, through), options.now().toISOString());
          clearPendingRange(db, after, through);
        });
        after = through;
        // A batch ends after `batchSize` bookings, or at the last one.
        yield progress(Math.min(batchSize, total - done));
      }
      // A cancelled run leaves the mark cleared: the next run goes over every booking again.
      if (!cancelled) {
        writeTransaction(db, () => {
          // Not when a contact refresh landed meanwhile (another process): then the next run goes
          // over everything again. (A decision meanwhile left its bookings pending instead.)
          if (matchInputs(db, advisorEmails, personalDomains) === marked) {
            writeMatchMark(db, marked);
          }
        });
      }
    }
  }
  const ms = Math.round(performance.now() - started);
  log.info(
    `matched ${examined} attendees (${scope === 'all' ? 'every booking' : scope === 'changed' ? 'changed bookings' : 'under the decided addresses'}) in ${ms} ms (${changed} changed)${cancelled ? `; cancelled after ${done} of ${total} bookings` : ''}`,
  );
  return { scope, examined, changed, byState, ms, engineMs: Math.round(engineMs), cancelled };
}

/**
 * What the next matching run still has to go over, read cheaply (two counts and the mark) for the
 * screens that would otherwise call the store settled: `pending` bookings whose attendees matching
 * has not seen since they came in or changed (a run stopped before it reached them), and
 * `everything` when the next run goes over every booking (`bookings` of them) because what every
 * match reads changed, or the last such run was cut short. Null when nothing waits.
 */
export function matchBacklog(
  options: Pick<MatchRunOptions, 'db' | 'ownEmails' | 'personalDomains'>,
): { pending: number; everything: boolean; bookings: number } | null {
  const { db } = options;
  const bookings = bookingCount(db);
  if (bookings === 0) return null;
  const pending = pendingBookingCount(db);
  const marked = matchInputs(db, [...options.ownEmails], domainList(options.personalDomains));
  const everything = readMatchMark(db).inputs !== marked;
  return pending === 0 && !everything ? null : { pending, everything, bookings };
}

/**
 * Everything every match depends on besides the attendees themselves: the app (its engine), the
 * contact list, own addresses and the personal mail domains. The advisor's decisions are not in
 * it: each lists the bookings it affects in match_pending (migration 0110).
 */
function matchInputs(
  db: Db,
  advisorEmails: readonly string[],
  personalDomains: readonly string[],
): string {
  const own = [...new Set(advisorEmails.map((e) => emailKeyOf(e) ?? e.trim().toLowerCase()))];
  own.sort();
  const inputs: unknown[] = [APP_VERSION, contactsRevision(db), own];
  // Only when set, so the marks of runs from before the setting existed still hold.
  if (personalDomains.length > 0) inputs.push(personalDomains);
  return JSON.stringify(inputs);
}
