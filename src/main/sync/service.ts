// Sync now: runs the chosen sources concurrently, each within its own rate budget, reports progress
// as events, can be cancelled, and refuses a second sync while one is running.
import {
  bookingSources,
  sourceLabels,
  type BookingSource,
  type SyncSource,
} from '../../shared/domain';
import type { SyncStatus } from '../../shared/contract';
import type { CoreContext } from '../core/context';
import { CoreError } from '../core/errors';
import { readSecretMeta, writeSecretMeta } from '../db/queries/secret-meta';
import { writeTransaction } from '../db/transactions';
import { beatEvery } from '../heartbeat';
import type { SyncMode, Verified } from '../sources/connector';
import { createLogger } from '../log';
import { waitReasonOf, type WaitReason } from '../net/http';
import { Budgets, createConnector, httpClientFor, missingKey, type NetTuning } from './connectors';
import { runSourceSync, type SourceProgress, type SourceRunResult } from './engine';
import { describeSyncError } from './errors';
import { clearKeyRefused, recordKeyRefused } from './key-refusals';
import {
  acquireSyncLease,
  beatSyncLease,
  lastRuns,
  markInterruptedRuns,
  otherSyncHolder,
  releaseSyncLease,
} from './runs';

const log = createLogger('sync');

export type SyncRunRequest = Readonly<{
  sources: readonly SyncSource[] | 'all';
  mode?: SyncMode;
  trigger?: string;
}>;

export type SkippedSource = Readonly<{ source: SyncSource; reason: string }>;

export type SyncOutcome = Readonly<{ results: SourceRunResult[]; skipped: SkippedSource[] }>;

/** Extra work a later stage hangs off a sync (contact refresh, matching, classification, plan). */
export type SyncExtension = Readonly<{
  /** Runs a non-scheduler source such as 'lacrm'. */
  runSource?: (
    source: SyncSource,
    signal: AbortSignal,
    onProgress: (p: SourceProgress) => void,
    mode: SyncMode,
  ) => Promise<SourceRunResult> | null;
  /**
   * After all sources finished (whatever their outcome), and after bookings a webhook delivered
   * were stored (`after` says which; the outcome is empty then). `signal` is the sync's: Cancel
   * during this step aborts it (a step that takes long should stop at a safe point).
   */
  afterSync?: (
    outcome: SyncOutcome,
    signal: AbortSignal,
    after: 'sync' | 'webhook',
  ) => void | Promise<void>;
  /** Inside each page's transaction: bookings created or updated. */
  onStored?: (bookingIds: readonly number[]) => void;
}>;

/** The signal of work no Cancel reaches (bookings stored by a webhook, outside a sync). */
const NEVER_CANCELLED = new AbortController().signal;

export class SyncService {
  private readonly budgets: Budgets;
  private current: {
    controller: AbortController;
    progress: Map<SyncSource, SourceProgress>;
    /** Stops recording that the sync holding the lease is alive. */
    stopBeating: () => void;
  } | null = null;
  private readonly extensions: SyncExtension[] = [];

  constructor(
    private readonly ctx: CoreContext,
    private readonly tuning: NetTuning = {},
  ) {
    this.budgets = new Budgets(tuning);
    // Runs left 'running' by a process that is gone; not those of a sync another live process
    // (the app, a command) is running on this data folder now.
    const db = ctx.store.db;
    if (db && otherSyncHolder(db, process.pid, ctx.clock()) === null) {
      markInterruptedRuns(db, ctx.clock().toISOString());
    }
  }

  extend(extension: SyncExtension): void {
    this.extensions.push(extension);
  }

  get running(): boolean {
    return this.current !== null;
  }

  status(): SyncStatus {
    const db = this.ctx.store.db;
    const holder = db ? otherSyncHolder(db, process.pid, this.ctx.clock()) : null;
    return {
      running: this.current !== null,
      progress: this.current ? [...this.current.progress.values()] : [],
      last: db ? lastRuns(db) : [],
      elsewhere: holder === null ? null : { pid: holder.pid, since: holder.startedAt },
    };
  }

  /**
   * Before the data folder closes under a running sync (the app switching to or from the demo):
   * cancels it and gives the lease back, since nothing more can be written there.
   */
  close(): void {
    this.cancel();
    this.current?.stopBeating();
    const db = this.ctx.store.db;
    if (this.current !== null && db?.open) releaseSyncLease(db, process.pid);
  }

  cancel(): boolean {
    if (!this.current) return false;
    this.current.controller.abort(new Error('cancelled'));
    return true;
  }

  /** The advisor's own addresses: configured ones plus what each service reported at verification. */
  ownEmails(): Set<string> {
    const own = new Set(this.ctx.settings()['advisor.emails'].map((e) => e.toLowerCase()));
    if (this.ctx.store.db) {
      for (const meta of readSecretMeta(this.ctx.store.db).values())
        for (const e of meta.ownEmails) own.add(e.toLowerCase());
    }
    return own;
  }

  httpFor(source: SyncSource, onProgress?: (ms: number, reason: WaitReason) => void) {
    return httpClientFor(source, this.budgets, this.tuning, (info) => {
      if (info.reason === 'rate_limit' || (info.ms > 1000 && onProgress))
        onProgress?.(info.ms, waitReasonOf(info));
    });
  }

  /** Proves a key works with a real call; on success records the account and own addresses. */
  async verify(source: BookingSource, apiKey: string, signal: AbortSignal): Promise<Verified> {
    const http = this.httpFor(source);
    const connector = createConnector(source, http, this.ctx.settings(), apiKey);
    return connector.verify(signal);
  }

  recordVerified(source: SyncSource, verified: Verified): void {
    clearKeyRefused(this.ctx.db(), source);
    writeSecretMeta(
      this.ctx.db(),
      source,
      {
        account: verified.account,
        verifiedAt: this.ctx.clock().toISOString(),
        ownEmails: verified.ownEmails,
      },
      this.ctx.clock(),
    );
  }

  /**
   * Runs the after-store stages (match → classify → plan) for bookings stored outside a sync,
   * such as by a webhook hint.
   */
  async processStored(bookingIds: readonly number[]): Promise<void> {
    if (bookingIds.length === 0) return;
    const db = this.ctx.db();
    writeTransaction(db, () => this.extensions.forEach((e) => e.onStored?.(bookingIds)));
    for (const ext of this.extensions) {
      try {
        await ext.afterSync?.({ results: [], skipped: [] }, NEVER_CANCELLED, 'webhook');
      } catch (error) {
        log.error(`after-store step failed: ${(error as Error).message}`);
      }
    }
    this.ctx.emit('app:changed', { reason: 'webhook' });
  }

  async run(request: SyncRunRequest): Promise<SyncOutcome> {
    const db = this.ctx.db();
    if (this.current)
      throw new CoreError('busy', 'A sync is already running. Wait for it to finish or cancel it.');
    const controller = new AbortController();
    const progress = new Map<SyncSource, SourceProgress>();
    const run = { controller, progress, stopBeating: () => {} };
    this.current = run;
    try {
      // First, so that whatever happens next, `finally` gives the lease back (and clears current).
      acquireSyncLease(db, process.pid, this.ctx.clock().toISOString());
      run.stopBeating = beatEvery('sync', () =>
        beatSyncLease(db, process.pid, this.ctx.clock().toISOString()),
      );
      const explicit = request.sources !== 'all';
      const wanted: SyncSource[] =
        request.sources === 'all' ? [...bookingSources, 'lacrm'] : [...new Set(request.sources)];
      const skipped: SkippedSource[] = [];
      const settings = this.ctx.settings();
      const ownEmails = this.ownEmails();
      const emit = (p: SourceProgress) => {
        progress.set(p.source, p);
        this.ctx.emit('sync:progress', p);
      };
      const onStored = (ids: readonly number[]) =>
        this.extensions.forEach((e) => e.onStored?.(ids));
      const jobs = wanted.map(async (source): Promise<SourceRunResult | null> => {
        const key = await this.ctx.secrets.get(this.ctx.secretAccount(source));
        if (source === 'lacrm') {
          if (!key) {
            if (explicit) throw missingKey(source);
            skipped.push({ source, reason: `${sourceLabels[source]} is not connected` });
            return null;
          }
          for (const ext of this.extensions) {
            const run = ext.runSource?.(
              source,
              controller.signal,
              emit,
              request.mode ?? 'incremental',
            );
            if (run) return run;
          }
          skipped.push({ source, reason: 'contact sync is not available in this version' });
          return null;
        }
        if (!key) {
          if (explicit) throw missingKey(source);
          skipped.push({ source, reason: `${sourceLabels[source]} is not connected` });
          return null;
        }
        let waitingSince: SourceProgress | null = null;
        const http = this.httpFor(source, (ms, waitReason) => {
          const last = progress.get(source);
          if (last) {
            waitingSince = { ...last, state: 'waiting', waitMs: ms, waitReason };
            emit(waitingSince);
          }
        });
        return runSourceSync({
          db,
          connector: createConnector(source, http, settings, key),
          http,
          mode: request.mode ?? 'incremental',
          signal: controller.signal,
          now: this.ctx.clock,
          trigger: request.trigger ?? 'manual',
          ownEmails,
          onProgress: emit,
          onStored,
        });
      });
      const settled = await Promise.allSettled(jobs);
      const results: SourceRunResult[] = [];
      settled.forEach((s, i) => {
        if (s.status === 'fulfilled') {
          if (s.value) results.push(s.value);
          return;
        }
        const source = wanted[i]!;
        const error = describeSyncError(s.reason);
        const failed: SourceRunResult = {
          runId: 0,
          source,
          state: 'failed',
          page: 0,
          pagesTotal: null,
          waitMs: null,
          error,
          fetched: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          requests: 0,
          waitedMs: 0,
        };
        emit(failed);
        results.push(failed);
      });
      // A refused key is remembered for Settings → Sources; a source that synced clears it.
      for (const r of results) {
        if (r.error?.code === 'auth_failed')
          recordKeyRefused(db, r.source, r.error.message, this.ctx.clock());
        else if (r.state === 'ok') clearKeyRefused(db, r.source);
      }
      const outcome = { results, skipped };
      for (const ext of this.extensions) {
        try {
          await ext.afterSync?.(outcome, controller.signal, 'sync');
        } catch (error) {
          log.error(`after-sync step failed: ${(error as Error).message}`);
        }
      }
      this.ctx.emit('sync:finished', {
        results: results.map((r) => ({ source: r.source, state: r.state })),
      });
      this.ctx.emit('app:changed', { reason: 'sync' });
      return outcome;
    } finally {
      run.stopBeating();
      this.current = null;
      // Unless the folder was closed under the sync (close() gave the lease back then).
      if (db.open) releaseSyncLease(db, process.pid);
    }
  }
}
