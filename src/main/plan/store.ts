// The changes table: reading rows and views, the advisor's decisions (approve, reject) with an audit
// entry each, and the summary the Changes screen opens with. Writes run inside the caller's
// transaction or open their own; none spans an await.
import type {
  ChangeCounts,
  ChangeGroup,
  ChangeKind,
  ChangeSelector,
  ChangeView,
  DecisionResult,
  FieldDiff,
  PlanOutcome,
} from '../../shared/contract-changes';
import { changeKinds, openChangeStates } from '../../shared/contract-changes';
import { changeStates, type BookingSource, type ChangeState } from '../../shared/domain';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';
import { contactName } from './gather';
import type { FieldMap } from './types';
import { displayValue, sameFieldValue } from './values';

export type ChangeRow = {
  id: number;
  change_key: string;
  record_key: string;
  kind: ChangeKind;
  state: ChangeState;
  contact_id: string | null;
  booking_id: number | null;
  booking_source: BookingSource | null;
  booking_source_id: string | null;
  request_id: number | null;
  target_id: string | null;
  marker: string | null;
  summary: string;
  before_json: string;
  after_json: string;
  inputs_hash: string;
  reason: string | null;
  lacrm_id: string | null;
  attempts: number;
  last_error: string | null;
  last_error_code: string | null;
  batch_id: number | null;
  undo_of: number | null;
  undo_batch_id: number | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  decided_by: string | null;
  pushed_at: string | null;
};

export const OPEN_STATES_SQL = openChangeStates.map((s) => `'${s}'`).join(', ');

/** The Changes screen's group of a row: its undo batch, 'new' for contacts to create, a contact. */
export const GROUP_SQL = `CASE WHEN undo_batch_id IS NOT NULL THEN 'undo:' || undo_batch_id
  WHEN contact_id IS NULL THEN 'new' ELSE contact_id END`;

export function parseFields(text: string): FieldMap {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as FieldMap) : {};
  } catch {
    return {};
  }
}

export function readChange(db: Db, id: number): ChangeRow | null {
  return (stmt(db, 'SELECT * FROM changes WHERE id = ?').get(id) as ChangeRow | undefined) ?? null;
}

export function emptyCounts(): ChangeCounts {
  return Object.fromEntries(changeStates.map((s) => [s, 0])) as ChangeCounts;
}

function namesOf(db: Db, ids: Iterable<string>): Map<string, string> {
  const wanted = [...new Set(ids)];
  const out = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const rows = db
      .prepare(
        `SELECT contact_id, is_company, first_name, middle_name, last_name, company_name FROM contacts
          WHERE contact_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as {
      contact_id: string;
      is_company: number;
      first_name: string;
      middle_name: string;
      last_name: string;
      company_name: string;
    }[];
    for (const row of rows) out.set(row.contact_id, contactName(row));
  }
  return out;
}

/** Field names in a sensible reading order: the event's own order, then the rest as they come. */
const FIELD_ORDER = [
  'Name',
  'StartDate',
  'EndDate',
  'Location',
  'Attendees',
  'Description',
  'ContactId',
  'DateDisplayedInHistory',
  'Note',
  'FirstName',
  'LastName',
  'Email',
  'Background Info',
];

const FIELD_LABELS: Readonly<Record<string, string>> = {
  StartDate: 'Start',
  EndDate: 'End',
  DateDisplayedInHistory: 'Date in history',
  ContactId: 'Contact',
  FirstName: 'First name',
  LastName: 'Last name',
};

export function fieldDiffs(
  before: FieldMap,
  after: FieldMap,
  names: ReadonlyMap<string, string>,
): FieldDiff[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => {
    const ia = FIELD_ORDER.indexOf(a);
    const ib = FIELD_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  return keys.map((key) => {
    const idNames = key === 'Attendees' || key === 'ContactId' ? names : undefined;
    return {
      field: FIELD_LABELS[key] ?? key,
      before: displayValue(before[key], idNames),
      after: displayValue(after[key], idNames),
      changed: !sameFieldValue(before[key], after[key]),
    };
  });
}

export function toViews(db: Db, rows: readonly ChangeRow[]): ChangeView[] {
  const ids = new Set<string>();
  const parsed = rows.map((row) => {
    const before = parseFields(row.before_json);
    const after = parseFields(row.after_json);
    if (row.contact_id) ids.add(row.contact_id);
    for (const fields of [before, after]) {
      for (const id of Array.isArray(fields.Attendees) ? (fields.Attendees as string[]) : [])
        ids.add(id);
      if (typeof fields.ContactId === 'string') ids.add(fields.ContactId);
    }
    return { row, before, after };
  });
  const names = namesOf(db, ids);
  return parsed.map(({ row, before, after }) => ({
    id: row.id,
    key: row.change_key,
    kind: row.kind,
    state: row.state,
    group:
      row.undo_batch_id !== null
        ? `undo:${row.undo_batch_id}`
        : row.contact_id === null
          ? 'new'
          : row.contact_id,
    contactId: row.contact_id,
    contactName: row.contact_id ? (names.get(row.contact_id) ?? null) : null,
    bookingSource: row.booking_source,
    bookingId: row.booking_source_id,
    summary: row.summary,
    fields: fieldDiffs(before, after, names),
    lacrmId: row.lacrm_id,
    targetId: row.target_id,
    marker: row.marker,
    attempts: row.attempts,
    error: row.last_error,
    errorCode: row.last_error_code,
    reason: row.reason,
    batchId: row.batch_id,
    undoOf: row.undo_of,
    undoBatchId: row.undo_batch_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    pushedAt: row.pushed_at,
  }));
}

export type ListOptions = Readonly<{
  states?: readonly ChangeState[];
  group?: string;
  offset: number;
  limit: number;
}>;

function filterSql(options: Pick<ListOptions, 'states' | 'group'>): {
  where: string;
  params: unknown[];
} {
  const states = options.states ?? openChangeStates;
  const params: unknown[] = [...states];
  let where = `state IN (${states.map(() => '?').join(', ')})`;
  if (options.group !== undefined) {
    where += ` AND ${GROUP_SQL} = ?`;
    params.push(options.group);
  }
  return { where, params };
}

export function listChanges(
  db: Db,
  options: ListOptions,
): { total: number; changes: ChangeView[] } {
  const { where, params } = filterSql(options);
  const total = (
    db.prepare(`SELECT count(*) AS n FROM changes WHERE ${where}`).get(...params) as { n: number }
  ).n;
  const rows = db
    .prepare(`SELECT * FROM changes WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`)
    .all(...params, options.limit, options.offset) as ChangeRow[];
  return { total, changes: toViews(db, rows) };
}

/** Every change, for `cadence export changes`, in id order, a batch at a time. */
export function* iterateChanges(db: Db, batch = 2000): Generator<ChangeRow[]> {
  let after = 0;
  for (;;) {
    const rows = stmt(db, 'SELECT * FROM changes WHERE id > ? ORDER BY id LIMIT ?').all(
      after,
      batch,
    ) as ChangeRow[];
    if (rows.length === 0) return;
    yield rows;
    after = rows.at(-1)!.id;
  }
}

export function changeCounts(db: Db): ChangeCounts {
  const counts = emptyCounts();
  const rows = stmt(db, 'SELECT state, count(*) AS n FROM changes GROUP BY state').all() as {
    state: ChangeState;
    n: number;
  }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

/** What the next push writes: approved changes, and any a cut-short push left mid-write. */
export function approvedByKind(db: Db): { total: number; byKind: Record<ChangeKind, number> } {
  const byKind = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const rows = stmt(
    db,
    // A change left 'pushing' by a push that was cut short is written by the next push too.
    "SELECT kind, count(*) AS n FROM changes WHERE state IN ('approved', 'pushing') GROUP BY kind",
  ).all() as { kind: ChangeKind; n: number }[];
  let total = 0;
  for (const row of rows) {
    byKind[row.kind] = row.n;
    total += row.n;
  }
  return { total, byKind };
}

export function changeGroups(db: Db, states?: readonly ChangeState[]): ChangeGroup[] {
  const { where, params } = filterSql({ states });
  const rows = db
    .prepare(
      `SELECT ${GROUP_SQL} AS grp, state, count(*) AS n FROM changes WHERE ${where} GROUP BY grp, state`,
    )
    .all(...params) as { grp: string; state: ChangeState; n: number }[];
  const groups = new Map<string, ChangeGroup & { counts: ChangeCounts }>();
  for (const row of rows) {
    let group = groups.get(row.grp);
    if (!group) {
      const type = row.grp.startsWith('undo:')
        ? 'undo'
        : row.grp === 'new'
          ? 'new_contacts'
          : 'contact';
      group = {
        key: row.grp,
        type,
        contactId: type === 'contact' ? row.grp : null,
        name:
          type === 'undo'
            ? `Undo of push #${row.grp.slice(5)}`
            : type === 'new_contacts'
              ? 'New contacts'
              : row.grp,
        counts: emptyCounts(),
        total: 0,
      };
      groups.set(row.grp, group);
    }
    group.counts[row.state] += row.n;
    group.total += row.n;
  }
  const names = namesOf(
    db,
    [...groups.values()].flatMap((g) => (g.contactId ? [g.contactId] : [])),
  );
  for (const group of groups.values())
    if (group.contactId) group.name = names.get(group.contactId) ?? `Contact ${group.contactId}`;
  const rank = (g: ChangeGroup) => (g.type === 'undo' ? 0 : g.type === 'new_contacts' ? 1 : 2);
  return [...groups.values()].sort(
    (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key),
  );
}

export function lastPlanRun(db: Db): PlanOutcome | null {
  const row = stmt(
    db,
    'SELECT at, proposed, updated, reproposed, withdrawn, unchanged, ms FROM plan_runs ORDER BY id DESC LIMIT 1',
  ).get() as PlanOutcome | undefined;
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Decisions

export type Decision = 'approve' | 'reject';

const DECIDABLE: Readonly<Record<Decision, readonly ChangeState[]>> = {
  // By id, a failed change may be approved again: that is its retry.
  approve: ['proposed', 'failed'],
  reject: ['proposed', 'approved', 'failed'],
};

/** States a bulk decision (a group, or all) applies to. */
const BULK: Readonly<Record<Decision, readonly ChangeState[]>> = {
  approve: ['proposed'],
  reject: ['proposed', 'approved'],
};

export function decide(
  db: Db,
  decision: Decision,
  selector: ChangeSelector,
  options: Readonly<{ actor: string; nowIso: string }>,
): DecisionResult {
  return writeTransaction(db, (): DecisionResult => {
    const skipped: DecisionResult['skipped'] = [];
    let rows: ChangeRow[];
    if ('ids' in selector) {
      rows = [];
      for (const id of [...new Set(selector.ids)]) {
        const row = readChange(db, id);
        if (!row) skipped.push({ id, reason: `there is no change ${id}` });
        else if (!DECIDABLE[decision].includes(row.state))
          skipped.push({ id, reason: `change ${id} is ${row.state}` });
        else rows.push(row);
      }
    } else {
      const states = BULK[decision];
      const params: unknown[] = [...states];
      let where = `state IN (${states.map(() => '?').join(', ')})`;
      if ('group' in selector) {
        where += ` AND ${GROUP_SQL} = ?`;
        params.push(selector.group);
      }
      rows = db
        .prepare(`SELECT * FROM changes WHERE ${where} ORDER BY id`)
        .all(...params) as ChangeRow[];
    }
    const to: ChangeState = decision === 'approve' ? 'approved' : 'rejected';
    const update = stmt(
      db,
      `UPDATE changes SET state = ?, decided_at = ?, decided_by = ?, updated_at = ?,
         reason = CASE WHEN ? = 'approved' THEN NULL ELSE reason END WHERE id = ?`,
    );
    for (const row of rows) {
      update.run(to, options.nowIso, options.actor, options.nowIso, to, row.id);
      appendAudit(db, {
        actor: options.actor,
        action: decision === 'approve' ? 'change.approved' : 'change.rejected',
        subjectType: 'change',
        subjectId: String(row.id),
        detail: {
          kind: row.kind,
          key: row.change_key,
          from: row.state,
          ...(row.undo_of !== null ? { undoOf: row.undo_of } : {}),
          ...('all' in selector ? { scope: 'all' } : 'group' in selector ? { scope: 'group' } : {}),
        },
        at: options.nowIso,
      });
    }
    return { changed: rows.length, ids: rows.map((r) => r.id), skipped };
  });
}
