// The lines of Sync now for the steps after the sources and the matching when one fails (and
// when a later run of it goes through), said the same way on the panel and by `cadence sync`.
import type { SyncStepDone, SyncStepFailed, SyncStepStarted } from './contract';

const syncStepLabels: Readonly<Record<SyncStepFailed['step'], string>> = {
  classification: 'Categories',
  plan: 'Changes for LACRM',
};

/** A line's name, and when its step did not run after a sync, what it ran after. */
export function labelAfter(label: string, after: 'sync' | 'webhook' | undefined): string {
  return after === 'webhook' ? `${label} (after a booking arrived by webhook)` : label;
}

/** The line's name: the step, and when it did not run after a sync, what it ran after. */
export function stepFailedLabel(failed: SyncStepFailed): string {
  return labelAfter(syncStepLabels[failed.step], failed.after);
}

/** What follows "failed · ": why, and what it means for the advisor. */
export function stepFailedDetail(failed: SyncStepFailed): string {
  return failed.step === 'plan'
    ? `${failed.error} · the list of changes was not updated and nothing was written to LACRM; the next sync works them out again`
    : `${failed.error} · the Dashboard may count some meetings under their old category; the next sync sorts them again`;
}

/** The line `cadence sync` and `cadence serve` print for a failed step. */
export function stepFailedLine(failed: SyncStepFailed): string {
  return `${stepFailedLabel(failed)}: FAILED · ${stepFailedDetail(failed)}`;
}

/** The reason `cadence sync` gives for its exit status 1. */
export function stepFailedProblem(failed: SyncStepFailed): string {
  return failed.step === 'plan'
    ? 'the changes for LACRM were not worked out'
    : 'sorting the meetings into categories did not complete';
}

/** What a step's next run that went through means, after a line said an earlier run failed. */
const doneAgainDetail: Readonly<Record<SyncStepDone['step'], string>> = {
  matching: "every stored booking's attendees are compared with your contacts",
  classification: 'every meeting is in its category',
  plan: 'the list of changes for LACRM is up to date',
};

/** The line `cadence serve` prints when a step that failed has since run to the end. */
export function stepDoneAgainLine(done: SyncStepDone): string {
  const label = done.step === 'matching' ? 'Matching' : syncStepLabels[done.step];
  return `${labelAfter(label, done.after)}: ok again · ${doneAgainDetail[done.step]}`;
}

/** While a long step runs: its name and what it is doing, on the panel and by `cadence sync`. */
export function stepStartedText(started: SyncStepStarted): { label: string; detail: string } {
  return {
    label: labelAfter(syncStepLabels[started.step], started.after),
    detail: 'working out what to propose from your bookings and matches…',
  };
}
