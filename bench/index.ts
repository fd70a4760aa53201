// `npm run bench`: Cadence at three practice sizes, end to end, against the simulators. Each scale
// runs in a fresh process (bench/scale.ts, with the simulators in another, bench/sim-host.ts), so
// its peak RSS is its own and no scale warms the next. Prints a table, the cost per 1,000 bookings
// of every phase at each scale with a verdict on linearity, and writes the same as JSON.
//
//   npm run bench [-- --scale small|medium|large] [--json FILE] [--time-scale N] [--runs N]
//
// small: 1,000 contacts, 5,000 bookings; medium: 5,000 and 25,000; large: 20,000 and 100,000;
// five years of history and all three schedulers at every scale.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  DEFAULT_TIME_SCALE,
  SCALES,
  scaleNames,
  type Budgeted,
  type ScaleName,
  type ScaleResult,
} from './scale';
import { formatCount, machine, type Machine } from './support';

const Args = z.object({
  scale: z.enum(scaleNames).optional(),
  json: z.string().min(1).optional(),
  'time-scale': z.coerce.number().min(1).max(600).default(DEFAULT_TIME_SCALE),
  runs: z.coerce.number().int().min(3).max(1000).default(30),
});

/** Per booking, large against small: beyond these a phase is not called linear. */
const LINEAR_BAND = { below: 0.67, above: 1.5 } as const;

export type PhaseCost = Readonly<{
  phase: string;
  unit: string;
  /** Cost per 1,000 bookings at each scale that ran. */
  perThousand: Readonly<Partial<Record<ScaleName, number>>>;
  /** Per-booking cost at the largest scale over the smallest. */
  factor: number;
  verdict: 'close to linear' | 'slower than linear' | 'faster than linear';
}>;

export type BenchReport = Readonly<{
  machine: Machine;
  loadAverageAtEnd: readonly [number, number, number];
  maxTimeScale: number;
  scales: Readonly<Partial<Record<ScaleName, ScaleResult>>>;
  linearity: readonly PhaseCost[] | null;
  summary: string;
}>;

function runScaleProcess(scale: ScaleName, timeScale: number, runs: number): Promise<ScaleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-out-'));
  const out = join(dir, `${scale}.json`);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'scale.ts'),
      '--scale',
      scale,
      '--out',
      out,
      '--time-scale',
      String(timeScale),
      '--runs',
      String(runs),
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  return new Promise((done, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      try {
        if (code !== 0)
          throw new Error(`bench: the ${scale} scale failed (${signal ?? `exit ${code}`})`);
        done(JSON.parse(readFileSync(out, 'utf8')) as ScaleResult);
      } catch (error) {
        reject(error as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The phases whose cost should grow with the practice, each as a number per scale. */
const phases: readonly Readonly<{ phase: string; unit: string; of: (r: ScaleResult) => number }>[] =
  [
    { phase: 'full sync, limits off', unit: 's', of: (r) => r.fullSync.seconds },
    { phase: 'raw insert of the same rows', unit: 's', of: (r) => r.fullSync.rawInsertSeconds },
    { phase: 'contact pull', unit: 's', of: (r) => r.contacts.seconds },
    { phase: 'matching', unit: 's', of: (r) => r.matching.seconds },
    { phase: 'change plan', unit: 's', of: (r) => r.plan.seconds },
    { phase: 'dashboard (median)', unit: 'ms', of: (r) => r.dashboard.medianMs },
    { phase: 'no-change re-sync', unit: 's', of: (r) => r.resync.seconds },
    { phase: 'no-change re-sync requests', unit: 'requests', of: (r) => r.resync.requests },
    { phase: 'budgeted sync (virtual time)', unit: 'min', of: (r) => r.budgeted.minutes },
    { phase: 'DB size on disk', unit: 'MB', of: (r) => r.db.bytes / 1e6 },
    { phase: 'peak RSS', unit: 'MiB', of: (r) => r.peakRssMiB },
    { phase: 'whole scale, wall clock', unit: 's', of: (r) => r.wallSeconds },
  ];

export function linearity(scales: Partial<Record<ScaleName, ScaleResult>>): PhaseCost[] | null {
  const ran = scaleNames.filter((s) => scales[s] !== undefined);
  if (ran.length < 2) return null;
  const smallest = scales[ran[0]!]!;
  const largest = scales[ran[ran.length - 1]!]!;
  return phases.map(({ phase, unit, of }) => {
    const perThousand: Partial<Record<ScaleName, number>> = {};
    for (const s of ran) perThousand[s] = (of(scales[s]!) / scales[s]!.practice.bookings) * 1000;
    const factor =
      of(largest) / largest.practice.bookings / (of(smallest) / smallest.practice.bookings);
    const verdict =
      factor > LINEAR_BAND.above
        ? 'slower than linear'
        : factor < LINEAR_BAND.below
          ? 'faster than linear'
          : 'close to linear';
    return { phase, unit, perThousand, factor, verdict };
  });
}

function describeLinearity(costs: readonly PhaseCost[] | null): string {
  if (costs === null) return 'Run more than one scale to see how cost grows with the practice.';
  const worse = costs.filter((c) => c.verdict === 'slower than linear');
  if (worse.length === 0)
    return 'Small → medium → large: close to linear (no phase costs more than 1.5× per booking at the largest scale than at the smallest).';
  return `Small → medium → large: not linear in ${worse
    .map((c) => `${c.phase} (×${c.factor.toFixed(2)} per booking)`)
    .join(', ')}; every other phase is close to linear or better.`;
}

const fixed = (n: number, digits = 2) => n.toFixed(digits);

function budgetLine(b: Budgeted): string {
  const goal = b.ratioToFloor <= 1.1 ? 'goal ≤ 1.1 met' : 'goal ≤ 1.1 NOT met';
  return `${fixed(b.minutes, 1)} min / ${fixed(b.floorMinutes, 1)} min = ${fixed(b.ratioToFloor)} (${goal}; ${fixed(b.ratio)} against the token bucket alone)`;
}

function table(report: BenchReport): string {
  const ran = scaleNames.filter((s) => report.scales[s] !== undefined);
  const cols = ran.map((s) => report.scales[s]!);
  const rows: [string, ...string[]][] = [
    ['', ...ran],
    [
      'contacts / bookings',
      ...cols.map(
        (r) => `${formatCount(r.practice.contacts)} / ${formatCount(r.practice.bookings)}`,
      ),
    ],
    ['attendees', ...cols.map((r) => formatCount(r.practice.attendees))],
    ['full sync, limits off', ...cols.map((r) => `${fixed(r.fullSync.seconds, 1)} s`)],
    ['  bookings/s', ...cols.map((r) => formatCount(r.fullSync.bookingsPerSecond))],
    ['  raw insert, bookings/s', ...cols.map((r) => formatCount(r.fullSync.rawBookingsPerSecond))],
    ['  sync / raw insert', ...cols.map((r) => fixed(r.fullSync.ratioToRaw, 3))],
    ['  requests', ...cols.map((r) => formatCount(r.fullSync.requests))],
    ['contact pull', ...cols.map((r) => `${fixed(r.contacts.seconds)} s`)],
    ['matching', ...cols.map((r) => `${fixed(r.matching.seconds)} s`)],
    [
      'change plan',
      ...cols.map((r) => `${fixed(r.plan.seconds)} s (${formatCount(r.plan.proposed)})`),
    ],
    [
      'dashboard median / p95',
      ...cols.map((r) => `${fixed(r.dashboard.medianMs, 1)} / ${fixed(r.dashboard.p95Ms, 1)} ms`),
    ],
    [
      'no-change re-sync',
      ...cols.map((r) => `${fixed(r.resync.seconds)} s, ${r.resync.requests} req`),
    ],
    ['DB on disk (db+wal+shm)', ...cols.map((r) => `${fixed(r.db.bytes / 1e6, 1)} MB`)],
    ['peak RSS', ...cols.map((r) => `${formatCount(r.peakRssMiB)} MiB`)],
    [
      'budgeted sync: time / minimum',
      ...cols.map(
        (r) => `${fixed(r.budgeted.minutes, 1)} / ${fixed(r.budgeted.floorMinutes, 1)} min`,
      ),
    ],
    ['  ratio (goal ≤ 1.1)', ...cols.map((r) => fixed(r.budgeted.ratioToFloor))],
    ['  ratio to the token bucket alone', ...cols.map((r) => fixed(r.budgeted.ratio))],
    [
      '  requests made / needed',
      ...cols.map(
        (r) =>
          `${formatCount(r.budgeted.requestsMade)} / ${formatCount(r.budgeted.requestsNeeded)}`,
      ),
    ],
    [
      '  429 answers',
      ...cols.map((r) => formatCount(r.budgeted.sources.reduce((n, s) => n + s.throttled, 0))),
    ],
    ['  real time taken', ...cols.map((r) => `${fixed(r.budgeted.realSeconds, 0)} s`)],
    ['wall clock for the scale', ...cols.map((r) => `${fixed(r.wallSeconds, 0)} s`)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[i]!)))
        .join('   '),
    )
    .join('\n');
}

function budgetDetail(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const s of scaleNames) {
    const r = report.scales[s];
    if (!r) continue;
    lines.push(`  ${s}: ${budgetLine(r.budgeted)}`);
    for (const src of r.budgeted.sources) {
      const service =
        src.serviceLimitPerMinute === null
          ? 'no service limit'
          : `service ${src.serviceLimitPerMinute}/min`;
      const paced =
        src.requestsMade > src.limitPerMinute && src.unthrottledPerMinute < 2 * src.limitPerMinute
          ? `; its own work sets its pace here (${formatCount(src.unthrottledPerMinute)} requests a virtual minute unthrottled)`
          : '';
      lines.push(
        `    ${src.source.padEnd(8)} ${formatCount(src.requestsMade)} requests (${formatCount(src.requestsNeeded)} needed, ${src.throttled} × 429) at ${src.limitPerMinute}/min (${service}), ` +
          `time ×${src.timeScale}: ${fixed(src.minutes, 2)} min (${fixed(src.waitedMinutes, 2)} waiting for the budget), ` +
          `minimum ${fixed(src.floorMinutes, 2)} (token bucket alone ${fixed(src.minimumMinutes, 2)})${paced}`,
      );
    }
  }
  return lines;
}

function linearityLines(costs: readonly PhaseCost[] | null): string[] {
  if (costs === null) return [];
  const ran = scaleNames.filter((s) => costs[0]!.perThousand[s] !== undefined);
  const width = Math.max(...costs.map((c) => c.phase.length + c.unit.length + 3));
  return costs.map((c) => {
    const values = ran.map((s) => fixed(c.perThousand[s]!, 3).padStart(9)).join(' →');
    return `  ${`${c.phase} (${c.unit})`.padEnd(width)} ${values}   ×${fixed(c.factor)}  ${c.verdict}`;
  });
}

export function render(report: BenchReport): string {
  const m = report.machine;
  return [
    `Cadence benchmark — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform})`,
    `load average ${m.loadAverage.join(' ')} at the start, ${report.loadAverageAtEnd.join(' ')} at the end`,
    '',
    table(report),
    '',
    'Full sync under the default budgets (Cal.com 100/min, Calendly 500/min once its X-RateLimit-Limit',
    'is read, TidyCal 60/min). A budget is a token bucket of L (a burst of L, then L a minute), which',
    'alone allows N requests in max(0, N − L) / L minutes, and it also stops when the service says',
    'its window is spent (X-RateLimit-Remaining: 0 until X-RateLimit-Reset, or a 429): against a',
    'service with fixed windows of S, N requests cannot finish before ⌈N/S⌉ − 1 windows have passed.',
    'The minimum the budget allows is the later of the two; the goal ratio is measured against it',
    '(the token bucket alone is shown too: it would only be reachable by drawing 429s). The sources',
    'run at once in the app, so the slowest decides. Time is compressed per source (×N below): the',
    'client budget, its backoff and the simulators’ windows all read one clock running N times faster',
    'than real time, chosen so the source could still go twice its budget’s pace; minutes are on that',
    'clock, as they would pass in real time, and the ratios do not depend on the compression. Each',
    'source runs alone, so work the compression does not shrink cannot eat another source’s windows.',
    ...budgetDetail(report),
    '',
    'Cost per 1,000 bookings (per-booking factor, largest over smallest scale)',
    ...linearityLines(report.linearity),
    '',
    report.summary,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      json: { type: 'string' },
      'time-scale': { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const args = Args.parse(values);
  const started = machine();
  if (started.loadAverage[0] > 1.5)
    process.stderr.write(
      `bench: the load average is ${started.loadAverage[0]}; figures taken on a busy machine run slow\n`,
    );
  const wanted = args.scale ? [args.scale] : [...scaleNames];
  const scales: Partial<Record<ScaleName, ScaleResult>> = {};
  for (const scale of wanted) {
    process.stderr.write(
      `bench: ${scale} (${formatCount(SCALES[scale].contacts)} contacts, ${formatCount(SCALES[scale].bookings)} bookings)\n`,
    );
    scales[scale] = await runScaleProcess(scale, args['time-scale'], args.runs);
  }
  const costs = linearity(scales);
  const report: BenchReport = {
    machine: started,
    loadAverageAtEnd: machine().loadAverage,
    maxTimeScale: args['time-scale'],
    scales,
    linearity: costs,
    summary: describeLinearity(costs),
  };
  process.stdout.write(render(report));
  if (args.json) writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
