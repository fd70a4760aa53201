// Undo of a push batch: compensating changes, proposed like any other and pushed only after the
// advisor approves them. A created event or note is deleted; an edited event, note or contact gets
// its previous values back (a field that was empty is sent as null, which blanks it in LACRM,
// instead of being left out, which would keep Cadence's value); a deleted event or note is created
// again. A change that a later push overwrote is left alone (undo that push first), and a created
// contact cannot be undone: LACRM's API documents no DeleteContact.
import type { ChangeKind, UndoOutcome } from '../../shared/contract-changes';
import { appendAudit } from '../audit';
import { CoreError } from '../core/errors';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';
import { parseFields, type ChangeRow } from '../plan/store';
import { pushedElsewhere, type BatchLiveness } from './heartbeat';
import type { FieldMap, FieldValue } from '../plan/types';
import { inputsHash, normalizeFieldValue } from '../plan/values';

type Compensation = Readonly<{
  kind: ChangeKind;
  targetId: string | null;
  contactId: string | null;
  marker: string | null;
  before: FieldMap;
  after: FieldMap;
}>;

const MARKER = /\[cadence:[A-Za-z0-9:._-]+\]/;

function markerIn(fields: FieldMap): string | null {
  for (const key of ['Description', 'Note']) {
    const value = fields[key];
    if (typeof value === 'string') {
      const found = MARKER.exec(value);
      if (found) return found[0];
    }
  }
  return null;
}

/** Previous values to send back: every key present, empty ones as null. */
function restoring(previous: FieldMap): FieldMap {
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(previous)) out[key] = normalizeFieldValue(value);
  return out;
}

/** The compensating change for one pushed change, or why there is none. */
export function compensationFor(row: ChangeRow): Compensation | string {
  const before = parseFields(row.before_json);
  const after = parseFields(row.after_json);
  switch (row.kind) {
    case 'CreateEvent':
      return {
        kind: 'DeleteEvent',
        targetId: row.lacrm_id,
        contactId: row.contact_id,
        marker: row.marker,
        before: after,
        after: {},
      };
    case 'CreateNote':
      return {
        kind: 'DeleteNote',
        targetId: row.lacrm_id,
        contactId: row.contact_id,
        marker: row.marker,
        before: after,
        after: {},
      };
    case 'EditEvent':
      return {
        kind: 'EditEvent',
        targetId: row.target_id,
        contactId: row.contact_id,
        marker: row.marker,
        before: after,
        after: restoring(before),
      };
    case 'EditNote':
      return {
        kind: 'EditNote',
        targetId: row.target_id,
        contactId: row.contact_id,
        marker: row.marker,
        before: after,
        after: restoring(before),
      };
    case 'EditContact':
      return {
        kind: 'EditContact',
        targetId: row.target_id,
        contactId: row.contact_id,
        marker: null,
        before: after,
        after: restoring(before),
      };
    case 'DeleteEvent':
      return {
        kind: 'CreateEvent',
        targetId: null,
        contactId: row.contact_id,
        marker: markerIn(before),
        before: {},
        after: before,
      };
    case 'DeleteNote':
      return {
        kind: 'CreateNote',
        targetId: null,
        contactId: row.contact_id,
        marker: markerIn(before),
        before: {},
        after: before,
      };
    case 'CreateContact':
      return `LACRM's API has no documented way to delete a contact: if ${row.lacrm_id ? `contact ${row.lacrm_id}` : 'it'} should go, delete it in LACRM.`;
  }
}

type BatchRow = BatchLiveness & { id: number; state: string; undo_requested_at: string | null };

export function proposeUndo(
  db: Db,
  batchId: number,
  options: Readonly<{ actor: string; nowIso: string }>,
): UndoOutcome {
  return writeTransaction(db, (): UndoOutcome => {
    const batch = stmt(
      db,
      'SELECT id, state, pid, started_at, heartbeat_at, undo_requested_at FROM push_batches WHERE id = ?',
    ).get(batchId) as BatchRow | undefined;
    if (!batch) throw new CoreError('not_found', `There is no push #${batchId}.`);
    // A batch left 'running' by a process that is gone was cut short; what it wrote can go.
    const live =
      batch.pid === null ||
      batch.pid === process.pid ||
      pushedElsewhere(batch, process.pid, new Date(options.nowIso));
    if (batch.state === 'running' && live)
      throw new CoreError(
        'conflict',
        `Push #${batchId} is still running; undo it once it is done.`,
      );
    const open = stmt(
      db,
      `SELECT count(*) AS n FROM changes WHERE undo_batch_id = ?
         AND state IN ('proposed', 'approved', 'pushing', 'failed')`,
    ).get(batchId) as { n: number };
    if (open.n > 0)
      throw new CoreError(
        'conflict',
        `The undo of push #${batchId} is already waiting for approval on the Changes screen.`,
      );
    const rows = stmt(
      db,
      "SELECT * FROM changes WHERE batch_id = ? AND state = 'pushed' ORDER BY id DESC",
    ).all(batchId) as ChangeRow[];
    if (rows.length === 0)
      throw new CoreError(
        'conflict',
        `Push #${batchId} has nothing left to undo (nothing was written, or it was undone already).`,
      );
    const laterWrite = stmt(
      db,
      `SELECT id, batch_id FROM changes WHERE record_key = ? AND id <> ? AND pushed_at > ?
         AND state IN ('pushed', 'pushing') ORDER BY id LIMIT 1`,
    );
    const insert = stmt(
      db,
      `INSERT INTO changes (change_key, record_key, kind, state, contact_id, booking_id, booking_source,
         booking_source_id, request_id, target_id, marker, summary, before_json, after_json, inputs_hash,
         undo_of, undo_batch_id, created_at, updated_at)
       VALUES (@key, @recordKey, @kind, 'proposed', @contactId, @bookingId, @bookingSource,
         @bookingSourceId, @requestId, @targetId, @marker, @summary, @before, @after, @hash,
         @undoOf, @batchId, @now, @now)`,
    );
    const changeIds: number[] = [];
    const notUndoable: UndoOutcome['notUndoable'] = [];
    for (const row of rows) {
      if (row.undo_of !== null) {
        notUndoable.push({
          changeId: row.id,
          reason: `It undid change ${row.undo_of}; approve and push that change again instead.`,
        });
        continue;
      }
      const later = laterWrite.get(row.record_key, row.id, row.pushed_at ?? '') as
        { id: number; batch_id: number | null } | undefined;
      if (later) {
        notUndoable.push({
          changeId: row.id,
          reason: `Change ${later.id}${later.batch_id ? ` (push #${later.batch_id})` : ''} wrote to the same record later; undo that first.`,
        });
        continue;
      }
      const compensation = compensationFor(row);
      if (typeof compensation === 'string') {
        notUndoable.push({ changeId: row.id, reason: compensation });
        continue;
      }
      const key = `undo:${row.id}`;
      const id = Number(
        insert.run({
          key,
          recordKey: row.record_key,
          kind: compensation.kind,
          contactId: compensation.contactId,
          bookingId: row.booking_id,
          bookingSource: row.booking_source,
          bookingSourceId: row.booking_source_id,
          requestId: row.request_id,
          targetId: compensation.targetId,
          marker: compensation.marker,
          summary: `Undo: ${row.summary}`,
          before: JSON.stringify(compensation.before),
          after: JSON.stringify(compensation.after),
          hash: inputsHash({
            kind: compensation.kind,
            key,
            before: compensation.before,
            after: compensation.after,
          }),
          undoOf: row.id,
          batchId,
          now: options.nowIso,
        }).lastInsertRowid,
      );
      changeIds.push(id);
    }
    stmt(db, 'UPDATE push_batches SET undo_requested_at = ? WHERE id = ?').run(
      options.nowIso,
      batchId,
    );
    appendAudit(db, {
      actor: options.actor,
      action: 'undo.requested',
      subjectType: 'push_batch',
      subjectId: String(batchId),
      detail: {
        proposed: changeIds,
        notUndoable: notUndoable.map((n) => ({ changeId: n.changeId, reason: n.reason })),
      },
      at: options.nowIso,
    });
    return { batchId, changeIds, notUndoable };
  });
}

/** Why a batch cannot be undone now, or null when it can. */
export function undoBlocked(db: Db, batchId: number): string | null {
  const counts = stmt(
    db,
    `SELECT
       sum(state = 'pushed' AND undo_of IS NULL) AS undoable,
       sum(state = 'pushed' AND undo_of IS NOT NULL) AS undos,
       (SELECT count(*) FROM changes WHERE undo_batch_id = @id
          AND state IN ('proposed', 'approved', 'pushing', 'failed')) AS pending
     FROM changes WHERE batch_id = @id`,
  ).get({ id: batchId }) as { undoable: number | null; undos: number | null; pending: number };
  if (counts.pending > 0) return 'Its undo is waiting for approval.';
  if ((counts.undoable ?? 0) > 0) return null;
  if ((counts.undos ?? 0) > 0) return 'It was itself an undo.';
  return 'Nothing it wrote is left to undo.';
}
