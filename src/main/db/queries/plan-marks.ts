// The change plan's mark (migration 0100): what the last completed plan saw, and whether anything
// it reads has changed since, in the store or with the passing of time.
import type { Db } from '../open';
import { stmt } from '../statements';

export type PlanMark = Readonly<{ inputs: string; plannedAt: string | null; generation: number }>;

const DAY_MS = 86_400_000;

export function readPlanMark(db: Db): PlanMark {
  const row = stmt(
    db,
    'SELECT inputs, planned_at, generation FROM plan_marks WHERE id = 1',
  ).get() as { inputs: string; planned_at: string | null; generation: number } | undefined;
  return row === undefined
    ? { inputs: '', plannedAt: null, generation: 0 }
    : { inputs: row.inputs, plannedAt: row.planned_at, generation: row.generation };
}

export function writePlanMark(db: Db, inputs: string, plannedAt: string): void {
  stmt(db, 'UPDATE plan_marks SET inputs = ?, planned_at = ? WHERE id = 1').run(inputs, plannedAt);
}

/**
 * Whether time alone changed what the plan would say between `from` and `to`: a meeting ended
 * (it may now be held: a review note, a last-review date), or one left the last twelve months (the
 * meetings-in-twelve-months figure). A clock that went backwards counts as a change.
 */
export function timeMovedPlanFacts(db: Db, from: string, to: string): boolean {
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs < fromMs) return true;
  if (toMs === fromMs) return false;
  const ended = stmt(db, 'SELECT 1 FROM bookings WHERE end_utc > ? AND end_utc <= ? LIMIT 1').get(
    from,
    to,
  );
  if (ended !== undefined) return true;
  const leftYear = stmt(
    db,
    'SELECT 1 FROM bookings WHERE start_utc >= ? AND start_utc < ? LIMIT 1',
  ).get(new Date(fromMs - 365 * DAY_MS).toISOString(), new Date(toMs - 365 * DAY_MS).toISOString());
  return leftYear !== undefined;
}
