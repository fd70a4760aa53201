// The two kinds of transaction the core runs, and the only place that opens one (lint enforces it).
//
// A data folder is shared by processes: the app, a `cadence` command an IT script runs, `cadence
// serve`. SQLite's default (deferred) transaction starts as a reader and becomes a writer at its
// first write; if another process committed in between, that upgrade fails at once with
// SQLITE_BUSY_SNAPSHOT ("database is locked") — the busy timeout does not help, because waiting
// cannot make the old snapshot current. A transaction that reads and then writes (nearly all of
// ours) must therefore take the write lock when it begins (BEGIN IMMEDIATE): then it waits its
// turn for up to the busy timeout and sees every earlier commit.
import type { Db } from './open';

/** How long a connection waits for another process's write lock before giving up (db/open.ts). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Runs `work` in a transaction that may write: BEGIN IMMEDIATE, so it waits for another process's
 * write to finish instead of failing. Inside an open transaction it nests (a savepoint).
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

/**
 * Runs `work` against one consistent snapshot of the database, without taking the write lock:
 * for reads that must agree with each other (a report, the dashboard). `work` must not write.
 */
export function readTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).deferred();
}

/**
 * Whether `error` is SQLite giving up on the write lock: another process held it for longer than
 * the busy timeout (SQLITE_BUSY and its extended codes).
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** What the advisor is told when isDatabaseBusy. */
export const DATABASE_BUSY_MESSAGE = `Another Cadence window or command kept this data folder busy for more than ${BUSY_TIMEOUT_MS / 1000} seconds, so Cadence stopped waiting. Try again in a moment.`;
