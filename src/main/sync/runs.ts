// Sync bookkeeping: one row per run per source, and the checkpoint each connector resumes from.
import type { SyncSource } from '../../shared/domain';
import { CoreError } from '../core/errors';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import { beatIsRecent } from '../heartbeat';
import { processAlive } from '../process-alive';

export type RunCounts = {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  requests: number;
  waitedMs: number;
};
export type RunState = 'running' | 'ok' | 'failed' | 'cancelled' | 'interrupted';

export function startRun(
  db: Db,
  source: SyncSource,
  trigger: string,
  mode: string,
  nowIso: string,
): number {
  return Number(
    db
      .prepare(
        "INSERT INTO sync_runs (source, trigger, started_at, state, mode) VALUES (?, ?, ?, 'running', ?)",
      )
      .run(source, trigger, nowIso, mode).lastInsertRowid,
  );
}

export function updateRunCounts(db: Db, runId: number, c: RunCounts): void {
  db.prepare(
    'UPDATE sync_runs SET fetched = ?, created = ?, updated = ?, unchanged = ?, requests = ?, waited_ms = ? WHERE id = ?',
  ).run(c.fetched, c.created, c.updated, c.unchanged, c.requests, c.waitedMs, runId);
}

export function finishRun(
  db: Db,
  runId: number,
  state: Exclude<RunState, 'running'>,
  c: RunCounts,
  error: { code: string; message: string } | null,
  nowIso: string,
): void {
  updateRunCounts(db, runId, c);
  db.prepare(
    'UPDATE sync_runs SET state = ?, finished_at = ?, error_code = ?, error = ? WHERE id = ?',
  ).run(state, nowIso, error?.code ?? null, error?.message ?? null, runId);
}

/** Runs left 'running' by a crash or kill are marked interrupted (their stored pages are kept). */
export function markInterruptedRuns(db: Db, nowIso: string): number {
  return db
    .prepare(
      "UPDATE sync_runs SET state = 'interrupted', finished_at = ?, error = 'Cadence stopped before this sync finished; the next sync picks up where it left off.' WHERE state = 'running'",
    )
    .run(nowIso).changes;
}

export function loadCheckpoint(db: Db, source: SyncSource): unknown {
  const row = db
    .prepare('SELECT checkpoint_json FROM sync_checkpoints WHERE source = ?')
    .get(source) as { checkpoint_json: string } | undefined;
  return row ? (JSON.parse(row.checkpoint_json) as unknown) : null;
}

export function saveCheckpoint(
  db: Db,
  source: SyncSource,
  checkpoint: unknown,
  nowIso: string,
): void {
  db.prepare(
    `INSERT INTO sync_checkpoints (source, checkpoint_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(source) DO UPDATE SET checkpoint_json = excluded.checkpoint_json, updated_at = excluded.updated_at`,
  ).run(source, JSON.stringify(checkpoint), nowIso);
}

export type LastRun = Readonly<{
  id: number;
  source: SyncSource;
  state: RunState;
  mode: string;
  startedAt: string;
  finishedAt: string | null;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  requests: number;
  waitedMs: number;
  errorCode: string | null;
  error: string | null;
}>;

export function lastRuns(db: Db): LastRun[] {
  return (
    db
      .prepare(
        `SELECT r.* FROM sync_runs r JOIN (SELECT source, MAX(id) AS id FROM sync_runs GROUP BY source) last ON last.id = r.id ORDER BY r.source`,
      )
      .all() as Record<string, unknown>[]
  ).map((r) => ({
    id: r.id as number,
    source: r.source as SyncSource,
    state: r.state as RunState,
    mode: r.mode as string,
    startedAt: r.started_at as string,
    finishedAt: (r.finished_at as string | null) ?? null,
    fetched: r.fetched as number,
    created: r.created as number,
    updated: r.updated as number,
    unchanged: r.unchanged as number,
    requests: r.requests as number,
    waitedMs: r.waited_ms as number,
    errorCode: (r.error_code as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------
// One sync at a time across processes (migrations 0130, 0150): the app and `cadence sync` may open
// the same data folder.

type LeaseRow = { pid: number; started_at: string; heartbeat_at: string | null };

/**
 * The other process that is syncing this data folder, or null: its process runs and its lease beat
 * recently (src/main/heartbeat.ts). A lease whose process is gone, or that stopped beating (the
 * process died and another program got its id), is nobody's.
 */
export function otherSyncHolder(
  db: Db,
  pid: number,
  now: Date,
): { pid: number; startedAt: string } | null {
  const row = db
    .prepare('SELECT pid, started_at, heartbeat_at FROM sync_lease WHERE id = 1')
    .get() as LeaseRow | undefined;
  if (!row || row.pid === pid || !processAlive(row.pid)) return null;
  if (!beatIsRecent(row.heartbeat_at ?? row.started_at, now)) return null;
  return { pid: row.pid, startedAt: row.started_at };
}

/**
 * Takes the sync lease for `pid`, or refuses (busy) while another live process holds it. Runs a
 * process that is gone left 'running' are marked interrupted as the lease is taken over.
 */
export function acquireSyncLease(db: Db, pid: number, nowIso: string): void {
  writeTransaction(db, () => {
    const holder = otherSyncHolder(db, pid, new Date(nowIso));
    if (holder !== null) {
      throw new CoreError(
        'busy',
        `A sync is already running in another Cadence window or command (process ${holder.pid}, since ${holder.startedAt}). Wait for it to finish, or cancel it there.`,
      );
    }
    markInterruptedRuns(db, nowIso);
    db.prepare(
      'INSERT OR REPLACE INTO sync_lease (id, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?)',
    ).run(pid, nowIso, nowIso);
  });
}

/** Records that this process's sync is still running (every HEARTBEAT_MS while it does). */
export function beatSyncLease(db: Db, pid: number, nowIso: string): void {
  db.prepare('UPDATE sync_lease SET heartbeat_at = ? WHERE id = 1 AND pid = ?').run(nowIso, pid);
}

/** Gives the lease back at the end of a sync (only this process's own). */
export function releaseSyncLease(db: Db, pid: number): void {
  db.prepare('DELETE FROM sync_lease WHERE id = 1 AND pid = ?').run(pid);
}
