// The change-plan stage: recomputes the proposed LACRM writes after every sync (after matching and
// classification, which register before it) and whenever asked. The review facts it writes to the
// advisor's fields come from one provider, swappable for the metrics stage's own queries.
import type { PlanOutcome } from '../../shared/contract-changes';
import type { CoreContext } from '../core/context';
import { createLogger } from '../log';
import { defaultReviewFacts, runPlan, type ReviewFactsProvider } from '../plan';
import { ensureClassified } from './classification';

const log = createLogger('plan');

let reviewFacts: ReviewFactsProvider = defaultReviewFacts;

/** Points the plan at another source of review facts (e.g. the metrics stage's queries). */
export function useReviewFacts(provider: ReviewFactsProvider): void {
  reviewFacts = provider;
}

/** Re-plans now; null when there is no open database. Announces changes:changed if anything moved. */
export function planNow(ctx: CoreContext, trigger: string): PlanOutcome | null {
  const db = ctx.store.db;
  if (!db) return null;
  // Review notes and fields follow categories: classify what a sync or a rule change left stale.
  try {
    ensureClassified(db, ctx.clock());
  } catch (error) {
    log.warn(
      `classification before planning failed (planning with what is stored): ${(error as Error).message}`,
    );
  }
  const outcome = runPlan({
    db,
    settings: ctx.settings(),
    now: ctx.clock(),
    profileTag: ctx.profile.profileId.slice(0, 8),
    trigger,
    facts: reviewFacts,
  });
  if (outcome.proposed + outcome.updated + outcome.reproposed + outcome.withdrawn > 0)
    ctx.emit('changes:changed', { reason: 'plan' });
  log.info(
    `plan (${trigger}): ${outcome.proposed} new, ${outcome.updated} updated, ${outcome.reproposed} proposed again, ${outcome.withdrawn} withdrawn in ${outcome.ms} ms`,
  );
  return outcome;
}

/** Registered last in registerPipeline: after-sync steps run in registration order. */
export function registerPlanStage(ctx: CoreContext): void {
  ctx.sync.extend({
    afterSync() {
      try {
        planNow(ctx, 'sync');
      } catch (error) {
        log.error(`planning after sync failed: ${(error as Error).message}`);
      }
    },
  });
}
