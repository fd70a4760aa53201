// The Matching line of Sync now, said the same way on the panel and by `cadence sync`: how far the
// matching after a sync is, that it is done, or why it stopped early.
import type { MatchProgress, MatchStopped } from './contract-match';
import { labelAfter } from './sync-steps';

export type MatchingLine = Readonly<{
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** What follows the state's word ("done · …"); for a running match, the whole text. */
  detail: string;
}>;

const bookings = (n: number): string => `${n.toLocaleString()} booking${n === 1 ? '' : 's'}`;

/** The line from the latest progress of the run and how it stopped (null: it has not). */
export function matchingLine(p: MatchProgress | null, stopped: MatchStopped | null): MatchingLine {
  const sofar = p === null ? null : `${p.done.toLocaleString()} of ${bookings(p.total)}`;
  if (stopped?.state === 'failed') {
    return {
      state: 'failed',
      detail: `${stopped.error ?? 'unknown error'} · the bookings are stored, and the next sync matches them again`,
    };
  }
  if (stopped?.state === 'cancelled') {
    return {
      state: 'cancelled',
      detail: `${sofar === null ? 'before it began' : `after ${sofar}`} · the next sync matches the rest`,
    };
  }
  if (p === null || sofar === null) return { state: 'running', detail: 'starting' };
  return p.done >= p.total
    ? { state: 'done', detail: `attendees of ${bookings(p.total)} compared with your contacts` }
    : { state: 'running', detail: `${sofar} so far` };
}

/** The Matching line as `cadence sync` and `cadence serve` print it. */
export function matchingText(p: MatchProgress | null, stopped: MatchStopped | null): string {
  const label = labelAfter('Matching', stopped?.after);
  const { state, detail } = matchingLine(p, stopped);
  if (state === 'running') return `${label}: ${detail}`;
  return `${label}: ${state === 'failed' ? 'FAILED' : state} · ${detail}`;
}
