// Turning a hint into work: re-fetch every booking the delivery named through the API (the
// connector's fetchOne), store what the API says now in one transaction — the same upsert the sync
// uses, so normalize → store is one path — and hand the changed bookings to the rest of the
// pipeline (match → classify → plan) through afterStore.
//
// Hints for the same booking run one after another: a re-fetch and its store never interleave
// with another hint's, so duplicated or out-of-order deliveries converge on what the API says last.
// A booking the API no longer has is left alone (never deleted on a hint's word).
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import { upsertBooking } from '../db/queries/bookings';
import type { SourceConnector } from '../sources/connector';
import type { NormalizedBooking } from '../sources/types';
import { separateHosts } from '../sync/engine';
import { KeyedQueue } from './keyed-queue';
import type { WebhookHint, WebhookSource } from './types';

/** How long one hint may take (all its re-fetches), unless the caller's signal ends it sooner. */
export const HINT_TIMEOUT_MS = 120_000;

export type HintDeps = Readonly<{
  db: Db;
  /** The connector to re-fetch with; null when the source has no API key. */
  connectorFor: (source: WebhookSource) => SourceConnector | null | Promise<SourceConnector | null>;
  /** The advisor's own addresses: attendees with these are hosts (as in the sync). */
  ownEmails: () => ReadonlySet<string>;
  now: () => Date;
  /** Called with the ids of bookings created or updated, after their transaction committed. */
  afterStore?: (bookingIds: readonly number[]) => void | Promise<void>;
  signal?: AbortSignal;
  timeoutMs?: number;
}>;

export type HintResult = Readonly<{
  /** Source ids the API returned, and the ones it no longer has. */
  fetched: readonly string[];
  missing: readonly string[];
  created: number;
  updated: number;
  unchanged: number;
  /** Bookings (local ids) the hint created or updated; empty when the store already knew. */
  changedBookingIds: readonly number[];
}>;

/** A hint that could not be acted on (no key for the source). The sync will catch up. */
export class HintNotActionableError extends Error {}

// One queue per database: every caller that stores into the same file is serialized per booking.
const queues = new WeakMap<Db, KeyedQueue>();

export function hintQueueFor(db: Db): KeyedQueue {
  let queue = queues.get(db);
  if (!queue) {
    queue = new KeyedQueue();
    queues.set(db, queue);
  }
  return queue;
}

export async function processHint(deps: HintDeps, hint: WebhookHint): Promise<HintResult> {
  const keys = hint.sourceIds.map((id) => `${hint.source}\u0000${id}`);
  return hintQueueFor(deps.db).run(keys, () => refetchAndStore(deps, hint));
}

async function refetchAndStore(deps: HintDeps, hint: WebhookHint): Promise<HintResult> {
  const connector = await deps.connectorFor(hint.source);
  if (!connector) {
    throw new HintNotActionableError(
      `${hint.source}: no API key is set, so the booking cannot be re-fetched`,
    );
  }
  if (connector.source !== hint.source) {
    throw new Error(`hint for ${hint.source} was given a ${connector.source} connector`);
  }
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? HINT_TIMEOUT_MS);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  const found: NormalizedBooking[] = [];
  const fetched: string[] = [];
  const missing: string[] = [];
  // One at a time: a hint is rarely more than two bookings, and the rate budget is shared.
  for (const sourceId of new Set(hint.sourceIds)) {
    const booking = await connector.fetchOne(sourceId, signal);
    if (booking === null) {
      missing.push(sourceId);
      continue;
    }
    fetched.push(sourceId);
    found.push(booking);
  }
  const ownEmails = deps.ownEmails();
  const nowIso = deps.now().toISOString();
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const changedBookingIds: number[] = [];
  const idOf = deps.db.prepare('SELECT id FROM bookings WHERE source = ? AND source_id = ?');
  writeTransaction(deps.db, () => {
    for (const booking of found) {
      const outcome = upsertBooking(deps.db, separateHosts(booking, ownEmails), null, nowIso);
      counts[outcome]++;
      if (outcome === 'unchanged') continue;
      const row = idOf.get(booking.source, booking.sourceId) as { id: number } | undefined;
      if (row && !changedBookingIds.includes(row.id)) changedBookingIds.push(row.id);
    }
  });
  if (changedBookingIds.length > 0) await deps.afterStore?.(changedBookingIds);
  return { fetched, missing, ...counts, changedBookingIds };
}
