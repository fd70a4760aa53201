// Killing the real `cadence` CLI with SIGKILL at a chosen moment: when a simulator receives its
// n-th request (event-driven, so the kill lands inside the work, not before or after it), or a
// random time after some event. Shared by the sync and push kill trials.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { FaultPlan, SimRequest } from '../../src/main/demo/sim/kit';
import { cliCommand } from '../helpers/cli';

const root = resolve(import.meta.dirname, '../..');

export type Exit = Readonly<{ code: number | null; signal: NodeJS.Signals | null }>;

export type CadenceProcess = Readonly<{ child: ChildProcess; exited: Promise<Exit> }>;

/** Starts `cadence ARGS…` as an advisor's script would (stdin closed, output discarded). */
export function startCadence(args: readonly string[], env: NodeJS.ProcessEnv = {}): CadenceProcess {
  const child = spawn(process.execPath, [...cliCommand(), ...args], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
  const exited = new Promise<Exit>((done, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => done({ code, signal }));
  });
  return { child, exited };
}

/**
 * Watches every request the given simulators receive, in order, without ever faulting one. Call
 * it before adding any other rule, so it sees each request before a fault can answer it. Returns
 * a way to stop watching.
 */
export function watchRequests(
  plans: readonly FaultPlan[],
  onRequest: (n: number, req: SimRequest) => void,
  phase: 'before' | 'after' = 'before',
): () => void {
  let n = 0;
  let active = true;
  for (const plan of plans) {
    plan.add({
      phase,
      match: (req) => {
        if (active) onRequest(++n, req);
        return false;
      },
      fault: { kind: 'status', status: 599 },
    });
  }
  return () => {
    active = false;
  };
}

/** A seeded generator (LCG), so a failing trial can be replayed from the seed it prints. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `trials` kill points spread over 1…(total − 1): one at a random place in each of `trials` equal
 * stretches, so the early, middle and late parts of the work are all hit.
 */
export function stratifiedPoints(trials: number, total: number, random: () => number): number[] {
  const span = Math.max(1, total - 1);
  return Array.from({ length: trials }, (_, i) =>
    Math.min(span, 1 + Math.floor(((i + random()) / trials) * span)),
  );
}
