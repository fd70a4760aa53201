// Shared pieces of the benchmarks: an in-memory keychain that still lets the store be a real
// encrypted file, median/p95 sampling, the machine a run came from, the size of a data folder, and
// a clock that runs faster than real time so rate windows of minutes pass in seconds.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { MemorySecretStore } from '../src/main/secrets/secret-store';
import { realSleep, type Now, type Sleep } from '../src/main/net/rate-budget';

/** Keeps keys in memory but reports a working keychain, so the store is a real encrypted file. */
export class BenchSecrets extends MemorySecretStore {
  override status() {
    return { available: true, message: null };
  }
}

export type Timing = Readonly<{ medianMs: number; p95Ms: number; minMs: number; runs: number }>;

/** Runs `work` three times to warm up, then `runs` times, and reports median, p95 and minimum. */
export async function sampleTimes(
  runs: number,
  work: () => unknown | Promise<unknown>,
): Promise<Timing> {
  for (let i = 0; i < 3; i += 1) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { medianMs: at(0.5), p95Ms: at(0.95), minMs: samples[0]!, runs };
}

export type Machine = Readonly<{
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-, 5- and 15-minute load averages when the run started. */
  loadAverage: readonly [number, number, number];
}>;

/** The machine a run came from; the CPU model as /proc/cpuinfo names it on Linux. */
export function machine(): Machine {
  const [one, five, fifteen] = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: [round2(one ?? 0), round2(five ?? 0), round2(fifteen ?? 0)],
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Bytes on disk of every file under `dir` (the database, its WAL and shared memory, logs). */
export function folderBytes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      const info = statSync(path);
      if (info.isDirectory()) walk(path, `${prefix}${name}/`);
      else out[`${prefix}${name}`] = info.size;
    }
  };
  walk(dir, '');
  return out;
}

/**
 * Time that runs `factor` times faster than the wall clock, starting at `originMs`. The rate
 * budgets, the backoff and the simulators' rate windows all read it, so a minute-long window
 * passes in 60/factor seconds while every ratio between them stays what it would be in real time.
 * Processes that share `startedAtRealMs` share the same virtual clock.
 */
export type VirtualClock = Readonly<{
  factor: number;
  originMs: number;
  startedAtRealMs: number;
}>;

export function virtualNow(clock: VirtualClock): Now {
  return () => clock.originMs + (Date.now() - clock.startedAtRealMs) * clock.factor;
}

export function virtualSleep(clock: VirtualClock): Sleep {
  return (ms, signal) => realSleep(ms / clock.factor, signal);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
