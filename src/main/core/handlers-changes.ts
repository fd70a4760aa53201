// Handlers for the change plan, approvals, push, undo and the audit log. The plan lives in
// ../plan, the outbox and undo in ../push, the log in ../audit; the CLI reaches the same code
// through these handlers. Decisions and pushes announce changes:changed so open screens reload.
import { createHash } from 'node:crypto';
import type { PushBatchView } from '../../shared/contract-changes';
import { exportAudit, listAudit, verifyAudit } from '../audit';
import { auditAbout } from '../audit/about';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { readTransaction } from '../db/transactions';
import { planNow } from '../pipeline/plan';
import {
  approvedByKind,
  changeCounts,
  changeGroups,
  decide,
  lastPlanRun,
  listChanges,
  type Decision,
} from '../plan/store';
import { pushedElsewhere, type BatchLiveness } from '../push/heartbeat';
import { pushServiceFor } from '../push/service';
import { proposeUndo, undoBlocked } from '../push/undo';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import type { HandlerMap } from './handlers';

/** Who a decision is recorded as: the advisor in the app. The CLI records 'cli' (see commands). */
export const APP_ACTOR = 'advisor';

function batches(db: Db, pushingHere: boolean, now: Date, limit = 20): PushBatchView[] {
  const rows = stmt(
    db,
    `SELECT b.id, b.started_at, b.heartbeat_at, b.finished_at, b.state, b.actor, b.pid, b.total, b.pushed, b.failed, b.message,
            b.undo_requested_at,
            (SELECT count(*) FROM changes c WHERE c.batch_id = b.id) AS changes,
            (SELECT count(*) FROM changes c WHERE c.batch_id = b.id AND c.undo_of IS NOT NULL) AS undos
       FROM push_batches b ORDER BY b.id DESC LIMIT ?`,
  ).all(limit) as {
    id: number;
    started_at: string;
    heartbeat_at: string | null;
    finished_at: string | null;
    state: PushBatchView['state'];
    actor: string;
    pid: number | null;
    total: number;
    pushed: number;
    failed: number;
    message: string | null;
    undo_requested_at: string | null;
    changes: number;
    undos: number;
  }[];
  // A batch still marked running whose process is gone, or that stopped beating, was cut short
  // (the next push resumes it).
  const live = (row: BatchLiveness) =>
    row.pid === process.pid ? pushingHere : pushedElsewhere(row, process.pid, now);
  return rows.map((row) => ({
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    state: row.state === 'running' && !live(row) ? 'interrupted' : row.state,
    actor: row.actor,
    total: row.total,
    pushed: row.pushed,
    failed: row.failed,
    message: row.message,
    isUndo: row.changes > 0 && row.undos === row.changes,
    undoRequestedAt: row.undo_requested_at,
    undoBlocked:
      row.state === 'running' && live(row) ? 'It is still running.' : undoBlocked(db, row.id),
  }));
}

function decideAndAnnounce(
  ctx: CoreContext,
  decision: Decision,
  selector: Parameters<typeof decide>[2],
  actor: string,
) {
  const result = decide(ctx.db(), decision, selector, {
    actor,
    nowIso: ctx.clock().toISOString(),
  });
  if (result.changed > 0) ctx.emit('changes:changed', { reason: decision });
  return result;
}

export const changesHandlers = {
  'changes:summary': async (input, ctx) => {
    const db = ctx.db();
    const service = pushServiceFor(ctx);
    const key = await ctx.secrets.get(ctx.secretAccount('lacrm'));
    return {
      counts: changeCounts(db),
      willWrite: approvedByKind(db),
      groups: changeGroups(db, input.states),
      batches: batches(db, service.running, ctx.clock()),
      push: service.progress(),
      lastPlan: lastPlanRun(db),
      lacrmConnected: key !== null && key !== '',
    };
  },

  'changes:list': async (input, ctx) =>
    listChanges(ctx.db(), {
      states: input.states,
      group: input.group,
      offset: input.offset,
      limit: input.limit,
    }),

  'changes:plan': async (_input, ctx) => {
    ctx.db();
    const outcome = planNow(ctx, 'manual');
    if (!outcome) throw new CoreError('db_unavailable', 'The database is not available.');
    return outcome;
  },

  'changes:approve': async (input, ctx) => decideAndAnnounce(ctx, 'approve', input, APP_ACTOR),

  'changes:reject': async (input, ctx) => decideAndAnnounce(ctx, 'reject', input, APP_ACTOR),

  'changes:push': async (_input, ctx) => {
    ctx.db();
    return pushServiceFor(ctx).push({ actor: APP_ACTOR });
  },

  'changes:cancel': async (_input, ctx) => ({ cancelled: pushServiceFor(ctx).cancel() }),

  'changes:undo': async (input, ctx) => {
    const outcome = proposeUndo(ctx.db(), input.batchId, {
      actor: APP_ACTOR,
      nowIso: ctx.clock().toISOString(),
    });
    ctx.emit('changes:changed', { reason: 'undo' });
    return outcome;
  },

  'changes:checkFields': async (_input, ctx) => pushServiceFor(ctx).checkFields(),

  'audit:list': async (input, ctx) => {
    const db = ctx.db();
    // One read, so the names match the entries listed (a sync may be writing on another connection).
    const { entries, abouts, total } = readTransaction(db, () => {
      const entries = listAudit(db, {
        limit: input.limit,
        beforeId: input.beforeId ?? null,
        action: input.action ?? null,
      });
      return {
        entries,
        abouts: auditAbout(db, entries),
        total: (stmt(db, 'SELECT count(*) AS n FROM audit_log').get() as { n: number }).n,
      };
    });
    return {
      total,
      entries: entries.map((e, index) => ({
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        detail: e.detail,
        lacrmId: e.lacrmId,
        hash: e.hash,
        prevHash: e.prevHash,
        about: abouts[index],
      })),
    };
  },

  'audit:verify': async (_input, ctx) => {
    const verdict = verifyAudit(ctx.db());
    return verdict.ok
      ? {
          ok: true,
          entries: verdict.entries,
          headHash: verdict.headHash,
          brokenAt: null,
          reason: null,
        }
      : {
          ok: false,
          entries: verdict.entriesChecked,
          headHash: null,
          brokenAt: verdict.brokenAt,
          reason: verdict.reason,
        };
  },

  'audit:export': async (_input, ctx) => {
    const db = ctx.db();
    const exportedAt = ctx.clock().toISOString();
    const bytes = exportAudit(db, { exportedAt });
    const text = bytes.toString('utf8');
    const end = JSON.parse(text.trimEnd().split('\n').at(-1) ?? '{}') as {
      entries?: number;
      verified?: boolean;
    };
    return {
      fileName: `cadence-audit-${exportedAt.slice(0, 19).replace(/[:T]/g, '-')}.jsonl`,
      text,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      entries: end.entries ?? 0,
      verified: end.verified ?? false,
    };
  },
} satisfies Partial<HandlerMap>;
