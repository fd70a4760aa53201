// Whether long work another process started (a sync, a push) is still going. Its process id alone
// does not say: if that process died and another program got the id, the work would look live
// until that program exits. So the working process also records a heartbeat every minute, waits
// included, and work that has not beaten for ten minutes is nobody's.
import { createLogger } from './log';

const log = createLogger('heartbeat');

/** How often running work records that it is alive. */
export const HEARTBEAT_MS = 60_000;
/** Work without a heartbeat for this long is not being done by anyone. */
export const HEARTBEAT_STALE_MS = 10 * 60_000;

/** Whether work whose last heartbeat was at `beatIso` may still be going at `now`. */
export function beatIsRecent(beatIso: string, now: Date): boolean {
  return now.getTime() - Date.parse(beatIso) < HEARTBEAT_STALE_MS;
}

/**
 * Runs `beat` every `everyMs` until the returned function is called. A beat that fails (the
 * database busy past its timeout, say) is logged and the next one tried; it never throws.
 */
export function beatEvery(what: string, beat: () => void, everyMs = HEARTBEAT_MS): () => void {
  const timer = setInterval(() => {
    try {
      beat();
    } catch (error) {
      log.warn(`${what}: could not record that it is still running: ${String(error)}`);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
