// The change-plan stage: recomputes the proposed LACRM writes after a sync (after matching and
// classification, which register before it) when anything it reads has changed or time has moved
// a fact (a meeting ended, one left the last twelve months), and whenever asked. The review facts
// it writes to the advisor's fields come from one provider, swappable for the metrics stage's own
// queries.
import { createHash } from 'node:crypto';
import type { PlanOutcome } from '../../shared/contract-changes';
import type { CoreContext } from '../core/context';
import { readPlanMark, timeMovedPlanFacts, writePlanMark } from '../db/queries/plan-marks';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import { createLogger } from '../log';
import { APP_VERSION } from '../version';
import type { Settings } from '../../shared/settings';
import { defaultReviewFacts, runPlan, type ReviewFactsProvider } from '../plan';
import { ensureClassified } from './classification';

const log = createLogger('plan');

let reviewFacts: ReviewFactsProvider = defaultReviewFacts;

/** Points the plan at another source of review facts (e.g. the metrics stage's queries). */
export function useReviewFacts(provider: ReviewFactsProvider): void {
  reviewFacts = provider;
}

/**
 * Re-plans now; null when there is no open database, or when `onlyIfChanged` is set and nothing the
 * plan reads has changed since it last ran (see plan_marks, migration 0100). Announces
 * changes:changed if anything moved.
 */
export function planNow(
  ctx: CoreContext,
  trigger: string,
  options: Readonly<{ onlyIfChanged?: boolean }> = {},
): PlanOutcome | null {
  const db = ctx.store.db;
  if (!db) return null;
  classifyFirst(db, ctx.clock());
  if (options.onlyIfChanged === true && planIsCurrent(db, ctx.settings(), ctx.clock())) {
    log.info(`plan (${trigger}): nothing it reads has changed since it last ran`);
    return null;
  }
  return planClassified(ctx, db, trigger);
}

/** The plan itself, once classification has caught up; records what it planned from. */
function planClassified(ctx: CoreContext, db: Db, trigger: string): PlanOutcome {
  const settings = ctx.settings();
  const now = ctx.clock();
  const outcome = runPlan({
    db,
    settings,
    now,
    profileTag: ctx.profile.profileId.slice(0, 8),
    trigger,
    facts: reviewFacts,
  });
  // After the plan's own writes, so they do not count as changes for the next run.
  writeTransaction(db, () =>
    writePlanMark(db, planInputs(settings, readPlanMark(db).generation), now.toISOString()),
  );
  if (outcome.proposed + outcome.updated + outcome.reproposed + outcome.withdrawn > 0)
    ctx.emit('changes:changed', { reason: 'plan' });
  log.info(
    `plan (${trigger}): ${outcome.proposed} new, ${outcome.updated} updated, ${outcome.reproposed} proposed again, ${outcome.withdrawn} withdrawn in ${outcome.ms} ms`,
  );
  return outcome;
}

/** Review notes and fields follow categories: classify what a sync or a rule change left stale. */
function classifyFirst(db: Db, now: Date): void {
  try {
    ensureClassified(db, now);
  } catch (error) {
    log.warn(
      `classification before planning failed (planning with what is stored): ${(error as Error).message}`,
    );
  }
}

/** Whether planNow with onlyIfChanged would plan (false without an open database). */
export function planIsDue(ctx: CoreContext): boolean {
  const db = ctx.store.db;
  if (!db) return false;
  classifyFirst(db, ctx.clock());
  return !planIsCurrent(db, ctx.settings(), ctx.clock());
}

/** What a plan depends on besides the store's contents and the time: the app and the settings. */
function planInputs(settings: Settings, generation: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([APP_VERSION, reviewFacts === defaultReviewFacts, settings]))
    .digest('hex');
  return `${digest}:${generation}`;
}

function planIsCurrent(db: Db, settings: Settings, now: Date): boolean {
  const mark = readPlanMark(db);
  return (
    mark.plannedAt !== null &&
    mark.inputs === planInputs(settings, mark.generation) &&
    !timeMovedPlanFacts(db, mark.plannedAt, now.toISOString())
  );
}

/** Registered last in registerPipeline: after-sync steps run in registration order. */
export function registerPlanStage(ctx: CoreContext): void {
  ctx.sync.extend({
    async afterSync(_outcome, _signal, after) {
      try {
        if (planIsDue(ctx)) {
          // Planning holds this process for as long as it takes (seconds for tens of thousands of
          // bookings): say so first, and let the word get out before it starts.
          ctx.emit('sync:step-started', { step: 'plan', after });
          await new Promise((resolve) => setImmediate(resolve));
          const db = ctx.store.db;
          if (db) planClassified(ctx, db, 'sync');
        } else {
          log.info('plan (sync): nothing it reads has changed since it last ran');
        }
        ctx.emit('sync:step-done', { step: 'plan', after });
      } catch (error) {
        const message = (error as Error).message;
        log.error(`planning after sync failed: ${message}`);
        ctx.emit('sync:step-failed', { step: 'plan', error: message, after });
      }
    },
  });
}
