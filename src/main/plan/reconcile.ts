// Applies a freshly computed plan to the changes table: proposals are updated in place by key
// (never duplicated); an approved or failed change whose inputs changed goes back to proposed with
// the reason in words (and an audit entry: it undoes a decision); a rejected or undone change stays
// settled until its inputs change; open changes the plan no longer wants are withdrawn. A change
// being pushed is never touched here: the outbox owns it until it lands.
import type { PlanOutcome } from '../../shared/contract-changes';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';
import { OPEN_STATES_SQL, parseFields, type ChangeRow } from './store';
import { PLANNED_KEY_PREFIXES, type DesiredChange, type FieldMap } from './types';
import { inputsHash, sameFieldValue } from './values';

export type ReconcileOptions = Readonly<{
  nowIso: string;
  trigger: string;
  /** Time already spent gathering and planning, added to the recorded duration. */
  ms?: number;
}>;

const FIELD_WORDS: Readonly<Record<string, string>> = {
  StartDate: 'start',
  EndDate: 'end',
  Name: 'title',
  Attendees: 'contacts',
  DateDisplayedInHistory: 'date',
};

function changedFields(before: FieldMap, after: FieldMap): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => !sameFieldValue(before[k], after[k]))
    .map((k) => FIELD_WORDS[k] ?? k);
}

function whyAgain(row: ChangeRow, wanted: DesiredChange): string {
  const since = row.state === 'failed' ? 'since it failed' : 'since you approved it';
  if (row.kind !== wanted.kind)
    return `Proposed again: it is now ${wanted.kind} instead of ${row.kind} (what it is about changed ${since}).`;
  const after = changedFields(parseFields(row.after_json), wanted.after);
  const before = changedFields(parseFields(row.before_json), wanted.before);
  const what = [...new Set([...after, ...before.map((f) => `current ${f} in LACRM`)])];
  return `Proposed again: ${what.length ? what.join(', ') : 'its inputs'} changed ${since}.`;
}

function isPlannedKey(key: string): boolean {
  return PLANNED_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));
}

export function reconcilePlan(
  db: Db,
  desired: readonly DesiredChange[],
  options: ReconcileOptions,
): PlanOutcome {
  const started = performance.now();
  const { nowIso } = options;
  return writeTransaction(db, (): PlanOutcome => {
    const outcome = { proposed: 0, updated: 0, reproposed: 0, withdrawn: 0, unchanged: 0 };
    const open = new Map<string, ChangeRow>();
    for (const row of stmt(
      db,
      `SELECT * FROM changes WHERE state IN (${OPEN_STATES_SQL}) AND undo_of IS NULL`,
    ).all() as ChangeRow[])
      if (isPlannedKey(row.change_key)) open.set(row.change_key, row);
    const latestClosed = stmt(
      db,
      `SELECT state, inputs_hash, decided_by FROM changes
        WHERE change_key = ? AND state NOT IN (${OPEN_STATES_SQL}) ORDER BY id DESC LIMIT 1`,
    );
    const insert = stmt(
      db,
      `INSERT INTO changes (change_key, record_key, kind, state, contact_id, booking_id, booking_source,
         booking_source_id, request_id, target_id, marker, summary, before_json, after_json, inputs_hash,
         created_at, updated_at)
       VALUES (@key, @recordKey, @kind, 'proposed', @contactId, @bookingId, @bookingSource,
         @bookingSourceId, @requestId, @targetId, @marker, @summary, @before, @after, @hash, @now, @now)`,
    );
    const update = stmt(
      db,
      `UPDATE changes SET kind = @kind, state = @state, record_key = @recordKey, contact_id = @contactId,
         booking_id = @bookingId, booking_source = @bookingSource, booking_source_id = @bookingSourceId,
         request_id = @requestId, target_id = @targetId, marker = @marker, summary = @summary,
         before_json = @before, after_json = @after, inputs_hash = @hash, reason = @reason,
         decided_at = NULL, decided_by = NULL, updated_at = @now
       WHERE id = @id`,
    );
    const refresh = stmt(
      db,
      `UPDATE changes SET booking_id = @bookingId, booking_source_id = @bookingSourceId,
         summary = @summary, updated_at = @now WHERE id = @id`,
    );
    const params = (d: DesiredChange, hash: string) => ({
      key: d.key,
      recordKey: d.recordKey,
      kind: d.kind,
      contactId: d.contactId,
      bookingId: d.bookingId,
      bookingSource: d.bookingSource,
      bookingSourceId: d.bookingSourceId,
      requestId: d.requestId,
      targetId: d.targetId,
      marker: d.marker,
      summary: d.summary,
      before: JSON.stringify(d.before),
      after: JSON.stringify(d.after),
      hash,
      now: nowIso,
    });

    const seen = new Set<string>();
    for (const wanted of desired) {
      if (seen.has(wanted.key)) continue; // the planner gives each key once; be safe anyway
      seen.add(wanted.key);
      const hash = inputsHash(wanted);
      const row = open.get(wanted.key);
      open.delete(wanted.key);
      if (row) {
        if (row.state === 'pushing') {
          outcome.unchanged++;
          continue;
        }
        if (row.inputs_hash === hash) {
          // Same decision; a reschedule's new booking id or a renamed title shows without a re-approval.
          if (
            row.booking_id !== wanted.bookingId ||
            row.booking_source_id !== wanted.bookingSourceId ||
            row.summary !== wanted.summary
          )
            refresh.run({
              id: row.id,
              bookingId: wanted.bookingId,
              bookingSourceId: wanted.bookingSourceId,
              summary: wanted.summary,
              now: nowIso,
            });
          outcome.unchanged++;
          continue;
        }
        const wasDecided = row.state === 'approved' || row.state === 'failed';
        const reason = wasDecided ? whyAgain(row, wanted) : null;
        update.run({ ...params(wanted, hash), id: row.id, state: 'proposed', reason });
        if (wasDecided) {
          appendAudit(db, {
            actor: 'system',
            action: 'change.reproposed',
            subjectType: 'change',
            subjectId: String(row.id),
            detail: { kind: wanted.kind, key: wanted.key, from: row.state, reason: reason! },
            at: nowIso,
          });
          outcome.reproposed++;
        } else {
          outcome.updated++;
        }
        continue;
      }
      // The advisor's rejection, or an undo, settles this exact change until its inputs change.
      // A withdrawal by an earlier re-plan does not: that was no decision.
      const closed = latestClosed.get(wanted.key) as
        { state: string; inputs_hash: string; decided_by: string | null } | undefined;
      const settled =
        closed !== undefined &&
        closed.inputs_hash === hash &&
        (closed.state === 'undone' ||
          (closed.state === 'rejected' && closed.decided_by !== 'system'));
      if (settled) {
        outcome.unchanged++;
        continue;
      }
      insert.run(params(wanted, hash));
      outcome.proposed++;
    }

    const remove = stmt(db, 'DELETE FROM changes WHERE id = ?');
    const withdraw = stmt(
      db,
      `UPDATE changes SET state = 'rejected', reason = ?, updated_at = ?, decided_at = ?,
         decided_by = 'system' WHERE id = ?`,
    );
    for (const row of open.values()) {
      if (row.state === 'pushing') continue;
      outcome.withdrawn++;
      if (row.state === 'proposed' && row.attempts === 0) {
        remove.run(row.id);
        continue;
      }
      const reason =
        row.attempts > 0 && row.kind.startsWith('Create')
          ? `Withdrawn: no longer needed. An earlier attempt may have reached LACRM; look for ${row.marker ?? 'it'} there.`
          : 'Withdrawn: no longer needed (the meeting, match or setting it came from changed).';
      withdraw.run(reason, nowIso, nowIso, row.id);
      appendAudit(db, {
        actor: 'system',
        action: 'change.withdrawn',
        subjectType: 'change',
        subjectId: String(row.id),
        detail: { kind: row.kind, key: row.change_key, from: row.state, reason },
        at: nowIso,
      });
    }

    const result: PlanOutcome = {
      at: nowIso,
      ...outcome,
      ms: Math.round((options.ms ?? 0) + performance.now() - started),
    };
    stmt(
      db,
      `INSERT INTO plan_runs (at, trigger, proposed, updated, reproposed, withdrawn, unchanged, ms)
       VALUES (@at, @trigger, @proposed, @updated, @reproposed, @withdrawn, @unchanged, @ms)`,
    ).run({ ...result, trigger: options.trigger });
    stmt(db, 'DELETE FROM plan_runs WHERE id <= (SELECT max(id) - 200 FROM plan_runs)').run();
    return result;
  });
}
