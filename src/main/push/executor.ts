// The outbox: pushes approved changes to LACRM one at a time, in order, exactly once.
//
// For each change, one transaction marks it 'pushing' and counts the attempt BEFORE the call; a
// second stores the result (the LACRM id, the ledger row, the audit entry) and marks it 'pushed'.
// LACRM has no idempotency keys, so a create that may have happened without Cadence hearing back (a
// timeout, a dropped connection, a 5xx, a crash between the two transactions) is never simply sent
// again: every attempt after the first looks for the change's marker first (GetEvents for the
// contact around the meeting, GetNotes for the contact, GetContacts for the address) and adopts what
// it finds. Edits are idempotent and are re-sent; a delete of something already gone is done.
//
// Reads, edits and deletes are retried by the HttpClient (429, 5xx, timeouts, within the 'lacrm'
// rate budget); creates are not (retry 'unsafe'), so this loop owns their retries. Cancel stops
// after the call in flight.
import { DateTime } from 'luxon';
import type { ChangeKind, PushOutcome, PushProgress } from '../../shared/contract-changes';
import { assertNever } from '../../shared/result';
import { appendAudit } from '../audit';
import { CoreError } from '../core/errors';
import {
  contactAttendees,
  createOutcomeUnknown,
  customFieldProblems,
  formatLacrmDateTime,
  type LacrmClient,
} from '../crm/lacrm/client';
import type { LacrmCustomField, LacrmEvent } from '../crm/lacrm/types';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';
import { createLogger } from '../log';
import { AuthError } from '../net/errors';
import { realSleep, type Sleep } from '../net/rate-budget';
import { hasMarker } from '../plan/marker';
import { parseFields, readChange, type ChangeRow } from '../plan/store';
import type { FieldMap, FieldValue } from '../plan/types';
import { normalizeFieldValue, sameFieldValue } from '../plan/values';
import { ChangeDataError, errorCodeOf, FieldMappingError, isTransient, messageOf } from './errors';
import { pushedElsewhere, startHeartbeat, type BatchLiveness } from './heartbeat';

const log = createLogger('push');

export type ExecutorOptions = Readonly<{
  db: Db;
  client: LacrmClient;
  now: () => Date;
  /** Who pushes: 'advisor' (the app) or 'cli'. */
  actor: string;
  /** Aborted by Cancel: the executor stops after the change in flight. */
  signal: AbortSignal;
  onProgress?: (progress: PushProgress) => void;
  /** Label → LACRM type the advisor's mapping expects ("Date", "Number"). */
  fieldTypes?: ReadonlyMap<string, string>;
  /** Tries per change within one push (first call plus retries). */
  maxAttempts?: number;
  /** First pause between tries of one change; doubles each time, at most 10 s. */
  retryDelayMs?: number;
  sleep?: Sleep;
  /** This process, recorded on the batch so another process can tell a crash from a live push. */
  pid?: number;
  /** How often the batch records that it is still running (default HEARTBEAT_MS). */
  heartbeatMs?: number;
}>;

const PUSHABLE_SQL = "state IN ('approved', 'pushing')";

/** Failed changes in a row, each after all its tries, that make the push stop (an outage). */
const OUTAGE_STREAK = 3;

const AUDIT_ACTIONS: Readonly<Record<ChangeKind, string>> = {
  CreateEvent: 'push.event_created',
  EditEvent: 'push.event_updated',
  DeleteEvent: 'push.event_deleted',
  CreateNote: 'push.note_created',
  EditNote: 'push.note_updated',
  DeleteNote: 'push.note_deleted',
  EditContact: 'push.contact_updated',
  CreateContact: 'push.contact_created',
};

function isCreate(kind: ChangeKind): boolean {
  return kind === 'CreateEvent' || kind === 'CreateNote' || kind === 'CreateContact';
}

// ---------------------------------------------------------------------------------------------
// Batches

type BatchRow = BatchLiveness & { id: number; state: string };

/**
 * Opens a batch, refusing while another process is pushing (see pushedElsewhere). A batch left
 * 'running' by a process that is gone (killed, crashed), or that stopped beating, is marked
 * interrupted; its 'pushing' changes are resumed.
 */
export function startBatch(
  db: Db,
  options: Readonly<{ actor: string; pid: number; nowIso: string }>,
): { batchId: number; changeIds: number[] } {
  return writeTransaction(db, () => {
    const running = stmt(
      db,
      "SELECT id, pid, state, started_at, heartbeat_at FROM push_batches WHERE state = 'running'",
    ).all() as BatchRow[];
    for (const batch of running) {
      if (pushedElsewhere(batch, options.pid, new Date(options.nowIso)))
        throw new CoreError(
          'busy',
          `A push is already running (push #${batch.id}, in another Cadence window or command). Wait for it to finish.`,
        );
      stmt(
        db,
        `UPDATE push_batches SET state = 'interrupted', finished_at = ?,
           message = 'Stopped before it finished (the app or command was closed); the next push resumes its changes.'
         WHERE id = ?`,
      ).run(options.nowIso, batch.id);
    }
    const changeIds = stmt(db, `SELECT id FROM changes WHERE ${PUSHABLE_SQL} ORDER BY id`)
      .pluck()
      .all() as number[];
    const batchId = Number(
      stmt(
        db,
        `INSERT INTO push_batches (started_at, heartbeat_at, state, actor, pid, total)
         VALUES (?, ?, 'running', ?, ?, ?)`,
      ).run(options.nowIso, options.nowIso, options.actor, options.pid, changeIds.length)
        .lastInsertRowid,
    );
    appendAudit(db, {
      actor: options.actor,
      action: 'push.started',
      subjectType: 'push_batch',
      subjectId: String(batchId),
      detail: { changes: changeIds.length },
      at: options.nowIso,
    });
    return { batchId, changeIds };
  });
}

// ---------------------------------------------------------------------------------------------
// Field values → LACRM calls

function str(fields: FieldMap, key: string, changeId: number): string {
  const value = fields[key];
  if (typeof value !== 'string' || value === '')
    throw new ChangeDataError(`change ${changeId}: ${key} is missing`);
  return value;
}

function optionalStr(fields: FieldMap, key: string): string | null {
  const value = normalizeFieldValue(fields[key]);
  return typeof value === 'string' ? value : null;
}

function ids(fields: FieldMap, key: string): string[] {
  const value = fields[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function eventInput(after: FieldMap, changeId: number) {
  return {
    name: str(after, 'Name', changeId),
    start: str(after, 'StartDate', changeId),
    end: str(after, 'EndDate', changeId),
    location: optionalStr(after, 'Location'),
    description: optionalStr(after, 'Description'),
    attendees: contactAttendees(ids(after, 'Attendees')),
  };
}

/** A window of a day either side of `iso`, as DateTimes in its own offset. */
function around(iso: string): { from: string; to: string } {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new ChangeDataError(`not a date-time: ${iso}`);
  const zone = at.zone;
  return {
    from: formatLacrmDateTime(at.minus({ days: 1 }).toJSDate(), zone.name),
    to: formatLacrmDateTime(at.plus({ days: 1 }).toJSDate(), zone.name),
  };
}

function sameInstant(a: string, b: FieldValue | undefined): boolean {
  return typeof b === 'string' && Date.parse(a) === Date.parse(b);
}

/** Whether an event found in LACRM already holds `after` (so adopting it needs no edit). */
function eventMatches(event: LacrmEvent, after: FieldMap): boolean {
  const wantedIds = [...ids(after, 'Attendees')].sort();
  return (
    event.Name === after.Name &&
    sameInstant(event.StartDate, after.StartDate) &&
    sameInstant(event.EndDate, after.EndDate) &&
    sameFieldValue(event.Location, after.Location) &&
    sameFieldValue(event.Description, after.Description) &&
    JSON.stringify([...event.ContactIds].sort()) === JSON.stringify(wantedIds)
  );
}

type Performed = Readonly<{
  lacrmId: string;
  /** Found by its marker instead of created (an earlier attempt had reached LACRM). */
  adopted?: boolean;
  /** A delete of something no longer there. */
  alreadyGone?: boolean;
  duplicates?: number;
}>;

type Context = {
  client: LacrmClient;
  fieldTypes: ReadonlyMap<string, string>;
  customFields: LacrmCustomField[] | null;
  userId: string | null;
};

/** The labels must exist in LACRM, live, with the type the mapping expects; nothing is sent if not. */
async function checkFields(context: Context, labels: readonly string[]): Promise<void> {
  const definitions = (context.customFields ??= await context.client.getCustomFields('Contact'));
  const expected = labels.map((name) => ({
    name,
    // A label no longer in the mapping (an undo restoring an older one) only has to exist.
    type:
      context.fieldTypes.get(name) ??
      definitions.find((d) => d.Name === name && !d.IsArchived)?.Type ??
      'any',
  }));
  const problems = customFieldProblems(definitions, expected);
  if (problems.length > 0) throw new FieldMappingError(problems.join(' '));
}

async function perform(row: ChangeRow, searchFirst: boolean, context: Context): Promise<Performed> {
  const { client } = context;
  const after = parseFields(row.after_json);
  const target = () => {
    if (!row.target_id) throw new ChangeDataError(`change ${row.id} names no LACRM record`);
    return row.target_id;
  };
  switch (row.kind) {
    case 'CreateEvent': {
      const input = eventInput(after, row.id);
      if (searchFirst && row.marker) {
        // An earlier try may have had other attendees (the change was proposed again since):
        // look under each contact until the marker turns up.
        const contacts = [
          ...new Set([row.contact_id, ...input.attendees.map((a) => a.attendeeId)]),
        ].filter((id): id is string => id !== null);
        const window = around(input.start);
        for (const contactId of contacts) {
          const found = (
            await client.getEvents({ contactId, startDate: window.from, endDate: window.to })
          ).filter((e) => hasMarker(e.Description, row.marker!));
          if (found.length === 0) continue;
          const event = found[0]!;
          if (!eventMatches(event, after)) await client.editEvent(event.EventId, input);
          return { lacrmId: event.EventId, adopted: true, duplicates: found.length - 1 };
        }
      }
      return {
        lacrmId: await client.createEvent({
          ...input,
          location: input.location ?? undefined,
          description: input.description ?? undefined,
        }),
      };
    }
    case 'EditEvent':
      await client.editEvent(target(), eventInput(after, row.id));
      return { lacrmId: target() };
    case 'DeleteEvent':
      return {
        lacrmId: target(),
        alreadyGone: (await client.deleteEvent(target())) === 'already_gone',
      };
    case 'CreateNote': {
      const contactId = str(after, 'ContactId', row.id);
      const note = str(after, 'Note', row.id);
      const date = str(after, 'DateDisplayedInHistory', row.id);
      if (searchFirst && row.marker) {
        const window = around(date);
        const found = (
          await client.getNotes({
            contactId,
            dateFilterStart: window.from,
            dateFilterEnd: window.to,
          })
        ).filter((n) => hasMarker(n.Note, row.marker!));
        if (found.length > 0)
          return { lacrmId: found[0]!.NoteId, adopted: true, duplicates: found.length - 1 };
      }
      return {
        lacrmId: await client.createNote({ contactId, note, dateDisplayedInHistory: date }),
      };
    }
    case 'EditNote':
      await client.editNote(target(), {
        note: str(after, 'Note', row.id),
        dateDisplayedInHistory: str(after, 'DateDisplayedInHistory', row.id),
      });
      return { lacrmId: target() };
    case 'DeleteNote':
      return {
        lacrmId: target(),
        alreadyGone: (await client.deleteNote(target())) === 'already_gone',
      };
    case 'EditContact': {
      const labels = Object.keys(after);
      await checkFields(context, labels);
      const customFields: Record<string, string | number | boolean | readonly string[] | null> = {};
      // A field that was empty is restored by sending null (LACRM: null blanks, omitted keeps).
      for (const label of labels) customFields[label] = normalizeFieldValue(after[label]);
      await client.editContact(target(), { customFields });
      return { lacrmId: target() };
    }
    case 'CreateContact': {
      const email = optionalStr(after, 'Email');
      const firstName = optionalStr(after, 'FirstName') ?? '';
      const lastName = optionalStr(after, 'LastName') ?? '';
      const background = optionalStr(after, 'Background Info') ?? undefined;
      if (searchFirst && row.marker) {
        const terms = email ?? [firstName, lastName].filter(Boolean).join(' ');
        const page = await client.getContacts({ searchTerms: terms, maxNumberOfResults: 500 });
        const found = page.results.filter((c) => hasMarker(c['Background Info'], row.marker!));
        if (found.length > 0)
          return { lacrmId: found[0]!.ContactId, adopted: true, duplicates: found.length - 1 };
      }
      context.userId ??= String((await client.getUser()).UserId);
      return {
        lacrmId: await client.createContact({
          isCompany: false,
          assignedTo: context.userId,
          name: { firstName, lastName },
          emails: email ? [email] : undefined,
          backgroundInfo: background,
        }),
      };
    }
    default:
      return assertNever(row.kind, 'change kind');
  }
}

// ---------------------------------------------------------------------------------------------
// Recording outcomes

function markPushing(db: Db, id: number, batchId: number, nowIso: string): ChangeRow | null {
  return writeTransaction(db, () => {
    const row = readChange(db, id);
    if (!row || (row.state !== 'approved' && row.state !== 'pushing')) return null;
    stmt(
      db,
      `UPDATE changes SET state = 'pushing', attempts = attempts + 1, batch_id = ?, updated_at = ?
        WHERE id = ?`,
    ).run(batchId, nowIso, id);
    return row;
  });
}

function recordPushed(
  db: Db,
  row: ChangeRow,
  result: Performed,
  options: Readonly<{ batchId: number; actor: string; nowIso: string }>,
): void {
  const { nowIso } = options;
  const after = parseFields(row.after_json);
  writeTransaction(db, () => {
    const updated = stmt(
      db,
      `UPDATE changes SET state = 'pushed', lacrm_id = ?, pushed_at = ?, updated_at = ?,
         last_error = NULL, last_error_code = NULL WHERE id = ? AND state = 'pushing'`,
    ).run(result.lacrmId, nowIso, nowIso, row.id);
    if (updated.changes === 0) return;
    const upsertRecord = (type: 'event' | 'note' | 'contact', contactId: string | null) =>
      stmt(
        db,
        `INSERT INTO lacrm_records (record_key, record_type, lacrm_id, contact_id, written_json, created_by,
           updated_by, created_at, updated_at, deleted_at)
         VALUES (@key, @type, @lacrmId, @contactId, @written, @change, @change, @now, @now, NULL)
         ON CONFLICT(record_key) DO UPDATE SET record_type = excluded.record_type,
           lacrm_id = excluded.lacrm_id, contact_id = excluded.contact_id,
           written_json = excluded.written_json, created_by = excluded.created_by,
           updated_by = excluded.updated_by, created_at = excluded.created_at,
           updated_at = excluded.updated_at, deleted_at = NULL`,
      ).run({
        key: row.record_key,
        type,
        lacrmId: result.lacrmId,
        contactId,
        written: JSON.stringify(after),
        change: row.id,
        now: nowIso,
      });
    const rewrite = () =>
      stmt(
        db,
        'UPDATE lacrm_records SET written_json = ?, updated_by = ?, updated_at = ? WHERE record_key = ?',
      ).run(JSON.stringify(after), row.id, nowIso, row.record_key);
    const markDeleted = () =>
      stmt(
        db,
        'UPDATE lacrm_records SET deleted_at = ?, updated_by = ?, updated_at = ? WHERE record_key = ?',
      ).run(nowIso, row.id, nowIso, row.record_key);
    switch (row.kind) {
      case 'CreateEvent':
        upsertRecord('event', row.contact_id);
        break;
      case 'CreateNote':
        upsertRecord(
          'note',
          typeof after.ContactId === 'string' ? after.ContactId : row.contact_id,
        );
        break;
      case 'CreateContact':
        upsertRecord('contact', result.lacrmId);
        break;
      case 'EditEvent':
      case 'EditNote':
        rewrite();
        break;
      case 'DeleteEvent':
      case 'DeleteNote':
        markDeleted();
        break;
      case 'EditContact': {
        const upsertField = stmt(
          db,
          `INSERT INTO pushed_fields (contact_id, field, value_json, pushed_at, change_id)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(contact_id, field) DO UPDATE SET value_json = excluded.value_json,
             pushed_at = excluded.pushed_at, change_id = excluded.change_id`,
        );
        for (const [label, value] of Object.entries(after))
          upsertField.run(
            row.target_id,
            label,
            JSON.stringify(normalizeFieldValue(value)),
            nowIso,
            row.id,
          );
        break;
      }
      default:
        assertNever(row.kind, 'change kind');
    }
    if (row.undo_of !== null) {
      stmt(
        db,
        "UPDATE changes SET state = 'undone', updated_at = ? WHERE id = ? AND state = 'pushed'",
      ).run(nowIso, row.undo_of);
      appendAudit(db, {
        actor: options.actor,
        action: 'change.undone',
        subjectType: 'change',
        subjectId: String(row.undo_of),
        detail: { by: row.id, batchId: options.batchId },
        at: nowIso,
      });
    }
    stmt(db, 'UPDATE push_batches SET pushed = pushed + 1 WHERE id = ?').run(options.batchId);
    appendAudit(db, {
      actor: options.actor,
      action: AUDIT_ACTIONS[row.kind],
      subjectType: 'change',
      subjectId: String(row.id),
      lacrmId: result.lacrmId,
      detail: {
        kind: row.kind,
        key: row.change_key,
        batchId: options.batchId,
        attempts: row.attempts + 1,
        ...(row.contact_id ? { contactId: row.contact_id } : {}),
        ...(row.booking_source
          ? { booking: `${row.booking_source}:${row.booking_source_id ?? ''}` }
          : {}),
        ...(row.kind === 'EditContact' ? { fields: after as Record<string, never> } : {}),
        ...(result.adopted ? { adopted: true, duplicatesFound: result.duplicates ?? 0 } : {}),
        ...(result.alreadyGone ? { alreadyGone: true } : {}),
        ...(row.undo_of !== null ? { undoOf: row.undo_of } : {}),
      },
      at: nowIso,
    });
  });
}

function recordFailed(
  db: Db,
  row: ChangeRow,
  error: unknown,
  options: Readonly<{
    batchId: number;
    actor: string;
    nowIso: string;
    outcomeUnknown: boolean;
    /** Back to 'approved' (cancelled mid-retry) instead of 'failed'. */
    requeue?: boolean;
  }>,
): string {
  const base = messageOf(error);
  const message = options.outcomeUnknown
    ? `${base}. LACRM may have received it; the next try looks for ${row.marker ?? 'it'} in LACRM first.`
    : base;
  writeTransaction(db, () => {
    stmt(
      db,
      `UPDATE changes SET state = ?, last_error = ?, last_error_code = ?, updated_at = ?
        WHERE id = ? AND state = 'pushing'`,
    ).run(
      options.requeue ? 'approved' : 'failed',
      message,
      errorCodeOf(error),
      options.nowIso,
      row.id,
    );
    if (options.requeue) return;
    stmt(db, 'UPDATE push_batches SET failed = failed + 1 WHERE id = ?').run(options.batchId);
    appendAudit(db, {
      actor: options.actor,
      action: 'push.failed',
      subjectType: 'change',
      subjectId: String(row.id),
      detail: {
        kind: row.kind,
        key: row.change_key,
        batchId: options.batchId,
        attempts: row.attempts + 1,
        code: errorCodeOf(error),
        error: message,
        outcomeUnknown: options.outcomeUnknown,
      },
      at: options.nowIso,
    });
  });
  return message;
}

function noteAttemptError(db: Db, id: number, error: unknown, nowIso: string): void {
  stmt(
    db,
    "UPDATE changes SET last_error = ?, last_error_code = ?, updated_at = ? WHERE id = ? AND state = 'pushing'",
  ).run(messageOf(error), errorCodeOf(error), nowIso, id);
}

// ---------------------------------------------------------------------------------------------
// The run

export async function pushApproved(options: ExecutorOptions): Promise<PushOutcome> {
  const { batchId, changeIds } = startBatch(options.db, {
    actor: options.actor,
    pid: options.pid ?? process.pid,
    nowIso: options.now().toISOString(),
  });
  const stopBeating = startHeartbeat(options.db, batchId, options.now, options.heartbeatMs);
  try {
    return await pushBatch(options, batchId, changeIds);
  } finally {
    stopBeating();
  }
}

async function pushBatch(
  options: ExecutorOptions,
  batchId: number,
  changeIds: readonly number[],
): Promise<PushOutcome> {
  const { db, now } = options;
  const maxAttempts = options.maxAttempts ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const sleep = options.sleep ?? realSleep;
  const context: Context = {
    client: options.client,
    fieldTypes: options.fieldTypes ?? new Map(),
    customFields: null,
    userId: null,
  };
  const progress: PushProgress = {
    batchId,
    state: 'running',
    total: changeIds.length,
    done: 0,
    pushed: 0,
    failed: 0,
    current: null,
    waitMs: null,
    message: null,
  };
  const emit = (patch: Partial<PushProgress>) => {
    Object.assign(progress, patch);
    options.onProgress?.({ ...progress });
  };
  emit({});
  let stopReason: { state: PushProgress['state']; message: string | null } | null = null;
  // Changes in a row that ran out of tries on a timeout or 5xx: LACRM is down, stop asking.
  let outageStreak = 0;

  for (const id of changeIds) {
    if (options.signal.aborted) {
      stopReason = { state: 'cancelled', message: 'Cancelled: the rest stays approved.' };
      break;
    }
    let row = markPushing(db, id, batchId, now().toISOString());
    if (!row) {
      emit({ done: progress.done + 1 });
      continue;
    }
    emit({ current: { changeId: id, kind: row.kind, summary: row.summary } });
    let outcome: 'pushed' | 'failed' | 'requeued' = 'failed';
    for (let attempt = 1; ; attempt++) {
      // Any earlier attempt, in this run or before a crash, may have reached LACRM.
      const searchFirst = row.attempts > 0;
      try {
        const result = await perform(row, searchFirst, context);
        recordPushed(db, row, result, {
          batchId,
          actor: options.actor,
          nowIso: now().toISOString(),
        });
        outcome = 'pushed';
        outageStreak = 0;
        break;
      } catch (error) {
        const unknown = isCreate(row.kind) && createOutcomeUnknown(error);
        const retry = (unknown || isTransient(error)) && attempt < maxAttempts;
        if (retry && !options.signal.aborted) {
          log.info(`change ${id}: try ${attempt} failed (${messageOf(error)}); trying again`);
          noteAttemptError(db, id, error, now().toISOString());
          const wait = Math.min(10_000, retryDelayMs * 2 ** (attempt - 1));
          emit({ waitMs: wait });
          await sleep(wait).catch(() => undefined);
          emit({ waitMs: null });
          const next = markPushing(db, id, batchId, now().toISOString());
          if (!next) {
            outcome = 'requeued';
            break;
          }
          row = next;
          continue;
        }
        const requeue = retry && options.signal.aborted;
        const message = recordFailed(db, row, error, {
          batchId,
          actor: options.actor,
          nowIso: now().toISOString(),
          outcomeUnknown: unknown,
          requeue,
        });
        outcome = requeue ? 'requeued' : 'failed';
        outageStreak = !requeue && (unknown || isTransient(error)) ? outageStreak + 1 : 0;
        if (error instanceof AuthError) {
          stopReason = { state: 'failed', message };
        } else if (outageStreak >= OUTAGE_STREAK) {
          stopReason = {
            state: 'failed',
            message: `LACRM did not answer ${OUTAGE_STREAK} changes in a row (${messageOf(error)}). The rest stay approved: push again later.`,
          };
        }
        break;
      }
    }
    emit({
      done: progress.done + 1,
      pushed: progress.pushed + (outcome === 'pushed' ? 1 : 0),
      failed: progress.failed + (outcome === 'failed' ? 1 : 0),
      current: null,
    });
    if (stopReason) break;
  }

  const finalState = stopReason?.state ?? 'finished';
  const message =
    stopReason?.message ??
    (progress.failed > 0
      ? `${progress.failed} of ${progress.total} could not be written; see each one for why.`
      : null);
  const nowIso = now().toISOString();
  writeTransaction(db, () => {
    stmt(db, 'UPDATE push_batches SET state = ?, finished_at = ?, message = ? WHERE id = ?').run(
      finalState,
      nowIso,
      message,
      batchId,
    );
    appendAudit(db, {
      actor: options.actor,
      action: 'push.finished',
      subjectType: 'push_batch',
      subjectId: String(batchId),
      detail: {
        state: finalState,
        total: progress.total,
        pushed: progress.pushed,
        failed: progress.failed,
      },
      at: nowIso,
    });
  });
  emit({ state: finalState, message, current: null, waitMs: null });
  return {
    batchId,
    state: finalState,
    total: progress.total,
    pushed: progress.pushed,
    failed: progress.failed,
    message,
  };
}
