// Whether a push batch marked 'running' is really being pushed by another process: its process
// runs and it beat recently (src/main/heartbeat.ts; push_batches.heartbeat_at, migration 0140).
import type { Db } from '../db/open';
import { beatEvery, beatIsRecent, HEARTBEAT_MS } from '../heartbeat';
import { processAlive } from '../process-alive';

export type BatchLiveness = Readonly<{
  pid: number | null;
  started_at: string;
  heartbeat_at: string | null;
}>;

/** Whether a batch is being pushed by a process other than `ownPid`, as of `now`. */
export function pushedElsewhere(batch: BatchLiveness, ownPid: number, now: Date): boolean {
  if (batch.pid === null || batch.pid === ownPid || !processAlive(batch.pid)) return false;
  return beatIsRecent(batch.heartbeat_at ?? batch.started_at, now);
}

/** Records every `everyMs` that a running batch is still being pushed, until stopped. */
export function startHeartbeat(
  db: Db,
  batchId: number,
  now: () => Date,
  everyMs = HEARTBEAT_MS,
): () => void {
  const beat = db.prepare(
    "UPDATE push_batches SET heartbeat_at = ? WHERE id = ? AND state = 'running'",
  );
  return beatEvery(`push #${batchId}`, () => beat.run(now().toISOString(), batchId), everyMs);
}
