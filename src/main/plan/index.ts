// The change plan: gather → compute the wanted LACRM writes → reconcile them with the changes
// table. Run after every sync, on request (Changes screen, `cadence plan`), and after the mapping
// settings change.
import type { PlanOutcome } from '../../shared/contract-changes';
import type { Settings } from '../../shared/settings';
import type { Db } from '../db/open';
import { desiredChanges } from './desired';
import { gatherPlanInputs } from './gather';
import { reconcilePlan } from './reconcile';
import type { ReviewFactsProvider } from './review-facts';

export type { ReviewFactsProvider } from './review-facts';
export { defaultReviewFacts } from './review-facts';

export type RunPlanOptions = Readonly<{
  db: Db;
  settings: Settings;
  now: Date;
  /** Short, stable tag of this data folder (markers of contacts Cadence asked to create). */
  profileTag: string;
  trigger: string;
  facts?: ReviewFactsProvider;
}>;

export function runPlan(options: RunPlanOptions): PlanOutcome {
  const started = performance.now();
  const inputs = gatherPlanInputs(options.db, options);
  const desired = desiredChanges(inputs);
  return reconcilePlan(options.db, desired, {
    nowIso: options.now.toISOString(),
    trigger: options.trigger,
    ms: performance.now() - started,
  });
}
