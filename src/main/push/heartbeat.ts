// Whether a push batch marked 'running' is really being pushed by another process. Its process
// id alone does not say: if that process died and another program got the id, the batch would look
// live until that program exits. So a pushing process also beats (push_batches.heartbeat_at) every
// minute, waits included, and a batch that has not beaten for ten minutes is nobody's.
import type { Db } from '../db/open';
import { createLogger } from '../log';
import { processAlive } from '../process-alive';

const log = createLogger('push');

/** How often a running push records that it is alive. */
export const PUSH_HEARTBEAT_MS = 60_000;
/** A running batch without a heartbeat for this long is not being pushed by anyone. */
export const PUSH_STALE_MS = 10 * 60_000;

export type BatchLiveness = Readonly<{
  pid: number | null;
  started_at: string;
  heartbeat_at: string | null;
}>;

/**
 * Whether a batch is being pushed by a process other than `ownPid`: that process runs and the
 * batch beat within PUSH_STALE_MS of `now`.
 */
export function pushedElsewhere(batch: BatchLiveness, ownPid: number, now: Date): boolean {
  if (batch.pid === null || batch.pid === ownPid || !processAlive(batch.pid)) return false;
  const beat = Date.parse(batch.heartbeat_at ?? batch.started_at);
  return !(now.getTime() - beat >= PUSH_STALE_MS);
}

/** Beats for a running batch every `everyMs` until stopped. A failed beat is logged, not thrown. */
export function startHeartbeat(
  db: Db,
  batchId: number,
  now: () => Date,
  everyMs = PUSH_HEARTBEAT_MS,
): () => void {
  const beat = db.prepare(
    "UPDATE push_batches SET heartbeat_at = ? WHERE id = ? AND state = 'running'",
  );
  const timer = setInterval(() => {
    try {
      beat.run(now().toISOString(), batchId);
    } catch (error) {
      log.warn(`push #${batchId}: could not record that it is still running: ${String(error)}`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
