// The sync engine for one scheduler: pages from the connector are stored one transaction per page
// (idempotent upserts, so a crash or kill at any point loses nothing and a re-run creates no
// duplicates); the checkpoint advances only when the whole run succeeded; every run is recorded.
import type { SyncSource } from '../../shared/domain';
import { knownBookings, storeBooking } from '../db/queries/bookings';
import { stmt } from '../db/statements';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import type { HttpClient, WaitReason } from '../net/http';
import type { SourceConnector, SyncMode } from '../sources/connector';
import type { NormalizedBooking } from '../sources/types';
import { createLogger } from '../log';
import { describeSyncError } from './errors';
import {
  finishRun,
  loadCheckpoint,
  saveCheckpoint,
  startRun,
  updateRunCounts,
  type RunCounts,
} from './runs';

export type SourceProgress = Readonly<
  RunCounts & {
    runId: number;
    source: SyncSource;
    state: 'running' | 'waiting' | 'ok' | 'failed' | 'cancelled';
    page: number;
    pagesTotal: number | null;
    waitMs: number | null;
    /** Why a 'waiting' source waits (see SourceProgress in the contract). */
    waitReason?: WaitReason;
    error: { code: string; message: string } | null;
  }
>;

export type SourceRunResult = SourceProgress;

export type RunSourceOptions = Readonly<{
  db: Db;
  connector: SourceConnector;
  http: HttpClient;
  mode: SyncMode;
  signal: AbortSignal;
  now: () => Date;
  trigger: string;
  /** The advisor's own addresses: attendees with these are hosts. */
  ownEmails: ReadonlySet<string>;
  onProgress: (progress: SourceProgress) => void;
  /** Called inside each page's transaction with the ids of bookings created or updated. */
  onStored?: (bookingIds: readonly number[]) => void;
}>;

const log = createLogger('sync');

/** Moves attendees whose address is one of the advisor's own into hosts. */
export function separateHosts(
  b: NormalizedBooking,
  ownEmails: ReadonlySet<string>,
): NormalizedBooking {
  if (ownEmails.size === 0) return b;
  const isOwn = (email: string | null) =>
    email !== null && ownEmails.has(email.trim().toLowerCase());
  const own = b.attendees.filter((a) => isOwn(a.email));
  if (own.length === 0) return b;
  const hostEmails = new Set(b.hosts.map((h) => h.email?.toLowerCase()));
  return {
    ...b,
    hosts: [
      ...b.hosts,
      ...own
        .filter((a) => !hostEmails.has(a.email!.toLowerCase()))
        .map((a) => ({ email: a.email, name: a.name })),
    ],
    attendees: b.attendees.filter((a) => !isOwn(a.email)),
  };
}

export async function runSourceSync(options: RunSourceOptions): Promise<SourceRunResult> {
  const { db, connector, http, signal } = options;
  const source = connector.source;
  const startedRequests = http.requestCount;
  const startedWaited = http.budget.waitedMs;
  const checkpoint = loadCheckpoint(db, source);
  const mode: SyncMode = checkpoint === null ? 'full' : options.mode;
  const runId = startRun(db, source, options.trigger, mode, options.now().toISOString());
  const counts: RunCounts = {
    fetched: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    requests: 0,
    waitedMs: 0,
  };
  let page = 0;
  let pagesTotal: number | null = null;
  const progress = (
    state: SourceProgress['state'],
    extra: Partial<SourceProgress> = {},
  ): SourceProgress => {
    counts.requests = http.requestCount - startedRequests;
    counts.waitedMs = Math.round(http.budget.waitedMs - startedWaited);
    const p: SourceProgress = {
      ...counts,
      runId,
      source,
      state,
      page,
      pagesTotal,
      waitMs: null,
      error: null,
      ...extra,
    };
    options.onProgress(p);
    return p;
  };
  progress('running');
  try {
    const result = await connector.sync({
      mode,
      checkpoint,
      now: options.now(),
      signal,
      known: (ids) => knownBookings(db, source, ids),
      onPage: (p) => {
        page = p.page;
        pagesTotal = p.pagesTotal;
        const nowIso = options.now().toISOString();
        const touched: number[] = [];
        writeTransaction(db, () => {
          for (const item of p.items) {
            counts.fetched++;
            if (item.type === 'unchanged') {
              stmt(
                db,
                'UPDATE bookings SET last_seen_at = ? WHERE source = ? AND source_id = ?',
              ).run(nowIso, source, item.sourceId);
              counts.unchanged++;
              continue;
            }
            const stored = storeBooking(
              db,
              separateHosts(item.booking, options.ownEmails),
              runId,
              nowIso,
            );
            counts[stored.outcome]++;
            if (stored.outcome !== 'unchanged') touched.push(stored.id);
          }
          counts.requests = http.requestCount - startedRequests;
          updateRunCounts(db, runId, counts);
          if (touched.length > 0) options.onStored?.(touched);
        });
        progress('running');
      },
    });
    counts.requests = http.requestCount - startedRequests;
    counts.waitedMs = Math.round(http.budget.waitedMs - startedWaited);
    writeTransaction(db, () => {
      saveCheckpoint(db, source, result.checkpoint, options.now().toISOString());
      finishRun(db, runId, 'ok', counts, null, options.now().toISOString());
    });
    log.info(
      `${source}: ok — ${counts.fetched} fetched, ${counts.created} new, ${counts.updated} updated, ${counts.requests} requests`,
    );
    return progress('ok');
  } catch (error) {
    const described = describeSyncError(error);
    const state = described.code === 'cancelled' ? 'cancelled' : 'failed';
    counts.requests = http.requestCount - startedRequests;
    finishRun(db, runId, state, counts, described, options.now().toISOString());
    log.warn(`${source}: ${state}: ${described.message}`);
    return progress(state, { error: described });
  }
}
