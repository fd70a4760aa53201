// The stages that run after bookings are stored (contacts → match → classify → plan), plugged into
// the sync service and the core's extensions. Called once per core.
import type { MatchProgress } from '../../shared/contract-match';
import type { CoreContext } from '../core/context';
import { readContactsCheckpoint } from '../crm/contacts-sync';
import { liveContactCount } from '../db/queries/contacts';
import { createLogger } from '../log';
import { registerClassification } from './classification';
import { refreshContacts, verifyLacrmKey } from './lacrm';
import {
  runMatching,
  runMatchingInTurns,
  type MatchRunOptions,
  type MatchRunResult,
} from './matching';
import { registerPlanStage } from './plan';

const log = createLogger('pipeline');

/**
 * Matches every attendee not settled by the advisor. Skipped until LACRM has been synced once:
 * before that every attendee would only be "unmatched" for want of contacts.
 */
export function matchAll(ctx: CoreContext): MatchRunResult | null {
  const options = matchAllOptions(ctx);
  return options === null ? null : runMatching(options);
}

/** Runs in turns of each core, chained: one starts when the one before has finished. */
const turnRuns = new WeakMap<CoreContext, Promise<unknown>>();

/**
 * matchAll giving the event loop a turn between batches, as after a sync. Two such runs (a sync
 * and a webhook's bookings) never interleave: the second waits for the first, then reads the
 * store afresh. `signal` (the sync's) stops the run between two batches; `onProgress` hears after
 * each batch.
 */
export function matchAllInTurns(
  ctx: CoreContext,
  signal?: AbortSignal,
  onProgress?: (progress: MatchProgress) => void,
): Promise<MatchRunResult | null> {
  const run = (turnRuns.get(ctx) ?? Promise.resolve()).then(() => {
    const options = matchAllOptions(ctx);
    return options === null
      ? null
      : runMatchingInTurns({ ...options, ...(signal ? { signal } : {}) }, onProgress);
  });
  turnRuns.set(
    ctx,
    run.catch(() => undefined),
  );
  return run;
}

function matchAllOptions(ctx: CoreContext): MatchRunOptions | null {
  const db = ctx.store.db;
  if (!db) return null;
  if (liveContactCount(db) === 0 && readContactsCheckpoint(db) === null) return null;
  return {
    db,
    ownEmails: ctx.sync.ownEmails(),
    personalDomains: ctx.settings()['match.personalDomains'],
    now: ctx.clock,
  };
}

export function registerPipeline(ctx: CoreContext): void {
  ctx.extensions.verifyLacrm = (apiKey, signal) => verifyLacrmKey(ctx, apiKey, signal);
  ctx.sync.extend({
    // A --full sync forces a full contact pull; otherwise incremental, with a full pull whenever
    // one is due anyway.
    runSource(source, signal, onProgress, mode) {
      if (source !== 'lacrm') return null;
      return refreshContacts(ctx, { signal, mode, onProgress });
    },
    // Whatever stops the matching early is said (the panel's Matching line, `cadence sync`), not
    // only logged: the sources are done, but the review queue and the figures are not up to date.
    // The progress of a webhook's run (a booking or two) is not the sync's: not sent for it.
    async afterSync(_outcome, signal, after) {
      const onProgress =
        after === 'sync'
          ? (progress: MatchProgress) => ctx.emit('match:progress', progress)
          : undefined;
      try {
        const result = await matchAllInTurns(ctx, signal, onProgress);
        if (result?.cancelled)
          ctx.emit('match:stopped', { state: 'cancelled', error: null, after });
        else if (result !== null) ctx.emit('sync:step-done', { step: 'matching', after });
      } catch (error) {
        const message = (error as Error).message;
        log.error(`matching after ${after} failed: ${message}`);
        ctx.emit('match:stopped', { state: 'failed', error: message, after });
      }
    },
  });
  registerClassification(ctx);
  registerPlanStage(ctx); // keep last: it plans from matches and classifications
}
