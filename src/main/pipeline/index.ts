// The stages that run after bookings are stored (contacts → match → classify → plan), plugged into
// the sync service and the core's extensions. Called once per core.
import type { SourceProgress } from '../../shared/contract';
import type { CoreContext } from '../core/context';
import { readContactsCheckpoint } from '../crm/contacts-sync';
import { liveContactCount } from '../db/queries/contacts';
import { createLogger } from '../log';
import type { SyncMode } from '../sources/connector';
import type { SyncExtension } from '../sync/service';
import { registerClassification } from './classification';
import { refreshContacts, verifyLacrmKey } from './lacrm';
import { runMatching, type MatchRunResult } from './matching';
import { registerPlanStage } from './plan';

const log = createLogger('pipeline');

// The sync engine's progress type names only the schedulers as sources; the contract's (what the
// UI and CLI receive) includes 'lacrm'. The shapes are otherwise the same.
type EngineProgress = Parameters<Parameters<NonNullable<SyncExtension['runSource']>>[2]>[0];

/**
 * Matches every attendee not settled by the advisor. Skipped until LACRM has been synced once:
 * before that every attendee would only be "unmatched" for want of contacts.
 */
export function matchAll(ctx: CoreContext): MatchRunResult | null {
  const db = ctx.store.db;
  if (!db) return null;
  if (liveContactCount(db) === 0 && readContactsCheckpoint(db) === null) return null;
  return runMatching({ db, ownEmails: ctx.sync.ownEmails(), now: ctx.clock });
}

export function registerPipeline(ctx: CoreContext): void {
  ctx.extensions.verifyLacrm = (apiKey, signal) => verifyLacrmKey(ctx, apiKey, signal);
  ctx.sync.extend({
    // `mode` is passed by sync services that know it (a --full sync); otherwise incremental, with
    // a full pull whenever one is due anyway.
    runSource(source, signal, onProgress, mode?: SyncMode) {
      if (source !== 'lacrm') return null;
      return refreshContacts(ctx, {
        signal,
        mode: mode ?? 'incremental',
        onProgress: onProgress as (progress: SourceProgress) => void,
      }) as Promise<EngineProgress>;
    },
    afterSync() {
      try {
        matchAll(ctx);
      } catch (error) {
        log.error(`matching after sync failed: ${(error as Error).message}`);
      }
    },
  });
  registerClassification(ctx);
  registerPlanStage(ctx); // keep last: it plans from matches and classifications
}
