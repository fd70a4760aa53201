// One scale of `npm run bench`, in a process of its own (so its peak RSS is this scale's): the
// practice is served by bench/sim-host.ts in another process, and this one runs Cadence's core on a
// fresh data folder through every phase the issue names:
//
//   1. full sync through the simulators, rate limits off (fetch → normalize → store → classify);
//   2. the contact pull, matching every attendee, the classification catch-up and the change plan;
//   3. the dashboard through the core (median and p95);
//   4. a re-sync with nothing changed (requests and time);
//   5. DB size on disk;
//   6. a full sync under the default rate budgets, in a second fresh data folder, each source on a
//      virtual clock running up to `timeScale` times faster than real time for the client's budget,
//      its backoff and the simulators' rate windows alike: the ratio of the time taken to the
//      minimum the budgets allow for the requests made does not depend on the compression, as
//      long as the source could go faster than its budget (chooseTimeScale makes sure of that);
//   7. peak RSS (before the benchmark's own raw-insert comparison, which holds every row);
//   8. the same rows inserted raw into a fresh encrypted database in one transaction.
//
//   tsx bench/scale.ts --scale small|medium|large --out FILE [--time-scale N] [--runs N]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createCore, type Core } from '../src/main/core/core';
import { DEFAULT_PRACTICE_NOW } from '../src/main/demo/practice';
import { TIDYCAL_PAGE_SIZE } from '../src/main/demo/sim/tidycal';
import { HttpClient } from '../src/main/net/http';
import { RateBudget } from '../src/main/net/rate-budget';
import { matchAll } from '../src/main/pipeline';
import { classifyBookingIds, ensureClassified } from '../src/main/pipeline/classification';
import { refreshContacts } from '../src/main/pipeline/lacrm';
import { planNow } from '../src/main/pipeline/plan';
import { CALCOM_PAGE_SIZE } from '../src/main/sources/calcom/connector';
import { CALENDLY_PAGE_SIZE } from '../src/main/sources/calendly/connector';
import { createConnector, defaultRequestsPerMinute } from '../src/main/sync/connectors';
import { runSourceSync } from '../src/main/sync/engine';
import { bookingSources, type BookingSource } from '../src/shared/domain';
import {
  SERVICE_LIMITS,
  type PracticeArgs,
  type RequestLog,
  type SimHostReply,
  type WorldInfo,
} from './sim-host';
import {
  BenchSecrets,
  folderBytes,
  sampleTimes,
  virtualNow,
  virtualSleep,
  type Timing,
  type VirtualClock,
} from './support';
import { rawInsertSeconds } from './sync';

export const scaleNames = ['small', 'medium', 'large'] as const;
export type ScaleName = (typeof scaleNames)[number];

/** Five years of history at every scale, so each scale is the same practice, only bigger. */
export const SCALES: Readonly<Record<ScaleName, Omit<PracticeArgs, 'seed'>>> = {
  small: { contacts: 1_000, bookings: 5_000, years: 5 },
  medium: { contacts: 5_000, bookings: 25_000, years: 5 },
  large: { contacts: 20_000, bookings: 100_000, years: 5 },
};
export const SEED = 11;
/** The most the budgeted sync is compressed: a minute of rate windows passes in 3 s. */
export const DEFAULT_TIME_SCALE = 20;

export type BudgetedSource = Readonly<{
  source: BookingSource;
  /** How many times faster than real time this source's clock ran. */
  timeScale: number;
  /** The client's requests per minute at the end (Calendly's is learned from X-RateLimit-Limit). */
  limitPerMinute: number;
  /** What the simulator allows per fixed minute window (null: no limit). */
  serviceLimitPerMinute: number | null;
  fetched: number;
  requestsMade: number;
  requestsNeeded: number;
  /** Requests the simulator answered with 429. */
  throttled: number;
  /** Virtual minutes, as if the run had happened in real time. */
  minutes: number;
  /** Of `minutes`, how long the budget held requests back. */
  waitedMinutes: number;
  /** What the client's budget allows for the requests made: a burst of L, then L a minute. */
  minimumMinutes: number;
  /**
   * The budget's minimum, or the service's fixed windows' when later: N requests at S per window
   * need ⌈N/S⌉ − 1 full windows before the last one opens.
   */
  floorMinutes: number;
  /**
   * Requests per virtual minute this source managed with limits off, at this compression: below
   * twice its budget, its time here is Cadence's own work stretched by the compression, not waits.
   */
  unthrottledPerMinute: number;
}>;

export type Budgeted = Readonly<{
  realSeconds: number;
  minutes: number;
  minimumMinutes: number;
  /** minutes / minimumMinutes: against the token bucket alone (reachable only by drawing 429s). */
  ratio: number;
  /** The minimum the budget allows: its token bucket and the service windows it waits out. */
  floorMinutes: number;
  /** minutes / floorMinutes: the goal is 1.1 or less. */
  ratioToFloor: number;
  requestsMade: number;
  requestsNeeded: number;
  sources: readonly BudgetedSource[];
}>;

/** A source's pace with limits off: requests and seconds from its row in sync_runs. */
export type Unthrottled = Readonly<Record<BookingSource, { requests: number; seconds: number }>>;

export type ScaleResult = Readonly<{
  scale: ScaleName;
  practice: Readonly<{
    contacts: number;
    bookings: number;
    attendees: number;
    generateSeconds: number;
    bySource: Readonly<Record<BookingSource, number>>;
  }>;
  fullSync: Readonly<{
    seconds: number;
    bookingsPerSecond: number;
    requests: number;
    rawInsertSeconds: number;
    rawBookingsPerSecond: number;
    /** Sync throughput over raw-insert throughput (1 would be as fast as the bare inserts). */
    ratioToRaw: number;
  }>;
  contacts: Readonly<{ seconds: number; stored: number; requests: number }>;
  matching: Readonly<{ seconds: number; attendees: number; engineSeconds: number }>;
  classificationCatchUpSeconds: number;
  plan: Readonly<{ seconds: number; proposed: number }>;
  dashboard: Timing;
  resync: Readonly<{
    seconds: number;
    requests: number;
    bySource: Readonly<Record<string, number>>;
    createdOrUpdated: number;
  }>;
  db: Readonly<{ bytes: number; files: Readonly<Record<string, number>> }>;
  fullSyncBySource: Unthrottled;
  budgeted: Budgeted;
  peakRssMiB: number;
  wallSeconds: number;
}>;

// ---------------------------------------------------------------------------------------------
// The simulators' process

type SimHost = Readonly<{
  request(message: object, expect: SimHostReply['type']): Promise<SimHostReply>;
  close(): Promise<void>;
}>;

async function startSimHost(args: PracticeArgs): Promise<SimHost> {
  const child: ChildProcess = fork(
    resolve(import.meta.dirname, 'sim-host.ts'),
    Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]),
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const replies: unknown[] = [];
  let waiting: ((reply: unknown) => void) | null = null;
  child.on('message', (reply) => {
    if (waiting) {
      const done = waiting;
      waiting = null;
      done(reply);
    } else replies.push(reply);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const next = () =>
    new Promise<unknown>((resolveReply, reject) => {
      if (replies.length > 0) return resolveReply(replies.shift());
      waiting = resolveReply;
      void exited.then(() => reject(new Error('bench: the simulators’ process exited')));
    });
  await next(); // 'ready': the practice is generated
  return {
    async request(message, expect) {
      child.send(message);
      const reply = (await next()) as SimHostReply;
      if (reply.type === 'error') throw new Error(`simulators: ${reply.message}`);
      if (reply.type !== expect)
        throw new Error(`simulators: expected ${expect}, got ${reply.type}`);
      return reply;
    },
    async close() {
      child.disconnect();
      await exited;
    },
  };
}

async function startWorld(host: SimHost, limits: 'off' | 'default', clock: VirtualClock) {
  const reply = await host.request({ type: 'start', limits, clock }, 'started');
  return (reply as Extract<SimHostReply, { type: 'started' }>).world;
}

async function requestLog(host: SimHost): Promise<RequestLog> {
  return ((await host.request({ type: 'log' }, 'log')) as Extract<SimHostReply, { type: 'log' }>)
    .log;
}

// ---------------------------------------------------------------------------------------------
// Cores

async function benchCore(dataDir: string, world: WorldInfo, clock: () => Date): Promise<Core> {
  const secrets = new BenchSecrets();
  const core = await createCore({
    dataDir,
    secrets,
    clock,
    // Phases other than the budgeted sync measure Cadence's own work, not the budgets.
    net: {
      requestsPerMinute: {
        calcom: Infinity,
        calendly: Infinity,
        tidycal: Infinity,
        lacrm: Infinity,
      },
    },
  });
  await core.call('settings:set', {
    'sources.calcom.baseUrl': world.urls.calcom,
    'sources.calendly.baseUrl': world.urls.calendly,
    'sources.tidycal.baseUrl': world.urls.tidycal,
    'lacrm.baseUrl': world.urls.lacrm,
    'advisor.emails': [...world.advisorEmails],
    'review.timezone': world.advisorTimeZone,
    // The practice's CRM has these fields, so the plan proposes field updates as well as events.
    'lacrm.fields.lastReview': 'Last portfolio review',
    'lacrm.fields.nextReviewDue': 'Next review due',
  });
  for (const name of ['calcom', 'calendly', 'tidycal', 'lacrm'] as const)
    await secrets.set(core.context.secretAccount(name), world.keys[name]);
  return core;
}

const seconds = (since: number) => (performance.now() - since) / 1000;
const count = (core: Core, sql: string) => core.context.db().prepare(sql).pluck().get() as number;

/** The fewest requests a full sync of what the source listed can make (see the connectors). */
function requestsNeeded(source: BookingSource, fetched: number, world: WorldInfo): number {
  const pages = (items: number, size: number) => Math.max(1, Math.ceil(items / size));
  switch (source) {
    case 'calcom':
      return pages(fetched, CALCOM_PAGE_SIZE);
    case 'calendly':
      // GET /users/me, the event pages, one invitee call per (new) event, the event types once.
      return (
        1 +
        pages(fetched, CALENDLY_PAGE_SIZE) +
        fetched +
        (fetched > 0 ? pages(world.catalog.calendlyEventTypes, CALENDLY_PAGE_SIZE) : 0)
      );
    case 'tidycal':
      // The page size is undocumented, so paging ends at an empty page; the booking types are
      // read once if any booking does not embed its own.
      return (
        Math.ceil(fetched / TIDYCAL_PAGE_SIZE) +
        1 +
        (world.catalog.tidycalWithoutEmbeddedType > 0
          ? Math.ceil(world.catalog.tidycalBookingTypes / TIDYCAL_PAGE_SIZE) + 1
          : 0)
      );
  }
}

/** The client's budget once it has heard from the service (Calendly adopts X-RateLimit-Limit). */
function effectiveLimit(source: BookingSource): number {
  return source === 'calendly' ? SERVICE_LIMITS.calendly : defaultRequestsPerMinute[source];
}

/**
 * How much to compress time for one source: at most `max`, and little enough that the source
 * could still go at least twice its budget's pace unthrottled. Compression speeds up the rate
 * windows but not Cadence's own work, so past that point the run would measure the work (sped up
 * relative to the windows), not the waiting.
 */
export function chooseTimeScale(
  source: BookingSource,
  pace: Readonly<{ requests: number; seconds: number }>,
  max: number,
): number {
  const perMinute = (pace.requests / Math.max(pace.seconds, 1e-3)) * 60;
  return Math.max(1, Math.min(max, Math.floor(perMinute / (2 * effectiveLimit(source)))));
}

/**
 * One source's full sync under its default budget, built exactly as SyncService builds it, on a
 * virtual clock shared with the simulators (restarted with the services' limits on that clock).
 */
async function budgetedSource(
  core: Core,
  host: SimHost,
  source: BookingSource,
  clock: VirtualClock,
  pace: Readonly<{ requests: number; seconds: number }>,
): Promise<BudgetedSource> {
  const world = await startWorld(host, 'default', clock);
  const now = virtualNow(clock);
  const sleep = virtualSleep(clock);
  const db = core.context.db();
  const settings = {
    ...core.context.settings(),
    'sources.calcom.baseUrl': world.urls.calcom,
    'sources.calendly.baseUrl': world.urls.calendly,
    'sources.tidycal.baseUrl': world.urls.tidycal,
  };
  const budget = new RateBudget({ limitPerMinute: defaultRequestsPerMinute[source], now, sleep });
  const http = new HttpClient({ source, budget, now, sleep });
  const startedAt = now();
  const result = await runSourceSync({
    db,
    connector: createConnector(source, http, settings, world.keys[source]),
    http,
    mode: 'full',
    signal: new AbortController().signal,
    now: () => new Date(now()),
    trigger: 'bench',
    ownEmails: new Set(world.advisorEmails.map((e) => e.toLowerCase())),
    onProgress: () => undefined,
    // As the classification stage does inside each page's transaction during Sync now.
    onStored: (ids) => classifyBookingIds(db, ids, new Date(now())),
  });
  const minutes = (now() - startedAt) / 60_000;
  if (result.state !== 'ok')
    throw new Error(`budgeted sync of ${source} failed: ${result.error?.message}`);
  const throttled = (await requestLog(host))[source].throttled;
  const limit = budget.limitPerMinute;
  const made = http.requestCount;
  const serviceLimit = world.serviceLimits?.[source] ?? null;
  const minimumMinutes = Math.max(0, made - limit) / limit;
  const windowMinutes =
    serviceLimit === null ? 0 : Math.max(0, Math.ceil((made - throttled) / serviceLimit) - 1);
  return {
    source,
    timeScale: clock.factor,
    limitPerMinute: limit,
    serviceLimitPerMinute: serviceLimit,
    fetched: result.fetched,
    requestsMade: made,
    requestsNeeded: requestsNeeded(source, result.fetched, world),
    throttled,
    minutes,
    waitedMinutes: budget.waitedMs / 60_000,
    minimumMinutes,
    floorMinutes: Math.max(minimumMinutes, windowMinutes),
    unthrottledPerMinute: (pace.requests / Math.max(pace.seconds, 1e-3)) * (60 / clock.factor),
  };
}

/**
 * The full sync under the default budgets. In the app the sources run at once and the slowest
 * decides; here each runs alone on its own compressed clock (so one source's work, which the
 * compression does not shrink, cannot eat another's rate windows) and the slowest decides.
 */
async function budgetedSync(
  core: Core,
  host: SimHost,
  unthrottled: Unthrottled,
  maxTimeScale: number,
): Promise<Budgeted> {
  const originMs = Date.parse(DEFAULT_PRACTICE_NOW);
  const startedReal = performance.now();
  const sources: BudgetedSource[] = [];
  for (const source of bookingSources) {
    const factor = chooseTimeScale(source, unthrottled[source], maxTimeScale);
    const clock: VirtualClock = { factor, originMs, startedAtRealMs: Date.now() };
    sources.push(await budgetedSource(core, host, source, clock, unthrottled[source]));
  }
  const minutes = Math.max(...sources.map((s) => s.minutes));
  const minimumMinutes = Math.max(...sources.map((s) => s.minimumMinutes));
  const floorMinutes = Math.max(...sources.map((s) => s.floorMinutes));
  return {
    realSeconds: seconds(startedReal),
    minutes,
    minimumMinutes,
    ratio: minutes / Math.max(minimumMinutes, 1 / 60),
    floorMinutes,
    ratioToFloor: minutes / Math.max(floorMinutes, 1 / 60),
    requestsMade: sources.reduce((n, s) => n + s.requestsMade, 0),
    requestsNeeded: sources.reduce((n, s) => n + s.requestsNeeded, 0),
    sources,
  };
}

/** Each source's first (full) run: requests and seconds, on the factor-1 clock. */
function unthrottledPace(core: Core): Unthrottled {
  const rows = core.context
    .db()
    .prepare(
      `SELECT source, requests, started_at, finished_at FROM sync_runs
       WHERE id IN (SELECT min(id) FROM sync_runs GROUP BY source)`,
    )
    .all() as { source: string; requests: number; started_at: string; finished_at: string }[];
  const pace = (source: BookingSource) => {
    const row = rows.find((r) => r.source === source);
    if (!row) throw new Error(`no sync run for ${source}`);
    return {
      requests: row.requests,
      seconds: (Date.parse(row.finished_at) - Date.parse(row.started_at)) / 1000,
    };
  };
  return { calcom: pace('calcom'), calendly: pace('calendly'), tidycal: pace('tidycal') };
}

export type ScaleOptions = Readonly<{ scale: ScaleName; timeScale: number; runs: number }>;

export async function runScale(options: ScaleOptions): Promise<ScaleResult> {
  const wallStarted = performance.now();
  const say = (line: string) => process.stderr.write(`bench ${options.scale}: ${line}\n`);
  const practiceArgs: PracticeArgs = { seed: SEED, ...SCALES[options.scale] };
  say(
    `generating ${practiceArgs.contacts.toLocaleString('en-US')} contacts, ${practiceArgs.bookings.toLocaleString('en-US')} bookings`,
  );
  const host = await startSimHost(practiceArgs);
  const folders: string[] = [];
  const cores: Core[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), `cadence-bench-${options.scale}-`));
    folders.push(dir);
    return dir;
  };
  try {
    const originMs = Date.parse(DEFAULT_PRACTICE_NOW);
    // Real time for every phase but the budgeted sync, starting at the practice's own "now".
    const realClock: VirtualClock = { factor: 1, originMs, startedAtRealMs: Date.now() };
    const world = await startWorld(host, 'off', realClock);
    const clock = () => new Date(virtualNow(realClock)());
    const dataDir = folder();
    const core = await benchCore(dataDir, world, clock);
    cores.push(core);
    await core.call('policy:setGroup', { field: 'Client tier', value: 'Top', cadenceMonths: 3 });

    say('full sync, rate limits off');
    let started = performance.now();
    const full = await core.call('sync:run', { sources: [...bookingSources], mode: 'full' });
    const fullSeconds = seconds(started);
    const fullFailed = full.results.filter((r) => r.state !== 'ok');
    if (fullFailed.length > 0)
      throw new Error(`full sync failed: ${fullFailed.map((r) => r.error?.message).join('; ')}`);
    const stored = count(core, 'SELECT count(*) FROM bookings');
    const attendees = count(core, 'SELECT count(*) FROM attendees');

    say('contacts, matching, plan');
    started = performance.now();
    const contacts = await refreshContacts(core.context, {
      signal: new AbortController().signal,
      mode: 'full',
      onProgress: () => undefined,
      trigger: 'bench',
    });
    const contactsSeconds = seconds(started);
    if (contacts.state !== 'ok') throw new Error(`contact pull: ${contacts.error?.message}`);
    started = performance.now();
    const matched = matchAll(core.context);
    const matchingSeconds = seconds(started);
    if (!matched) throw new Error('matching did not run');
    started = performance.now();
    ensureClassified(core.context.db(), clock());
    const classificationCatchUpSeconds = seconds(started);
    started = performance.now();
    const plan = planNow(core.context, 'bench');
    const planSeconds = seconds(started);

    say('dashboard');
    const dashboard = await sampleTimes(options.runs, () => core.call('metrics:dashboard', {}));

    say('re-sync with nothing changed');
    started = performance.now();
    const resync = await core.call('sync:run', { sources: 'all', mode: 'incremental' });
    const resyncSeconds = seconds(started);
    const db = folderBytes(dataDir);

    const fullSyncBySource = unthrottledPace(core);
    say(`full sync under the default budgets, each source on a compressed clock`);
    const limitedCore = await benchCore(folder(), world, clock);
    cores.push(limitedCore);
    const budgeted = await budgetedSync(limitedCore, host, fullSyncBySource, options.timeScale);

    const peakRssMiB = process.resourceUsage().maxRSS / 1024;
    say('raw insert of the same rows');
    const rawSeconds = rawInsertSeconds(core.context.db(), join(folder(), 'raw.db'));

    return {
      scale: options.scale,
      practice: {
        contacts: contacts.fetched,
        bookings: stored,
        attendees,
        generateSeconds: world.generateSeconds,
        bySource: world.stats.bookings,
      },
      fullSync: {
        seconds: fullSeconds,
        bookingsPerSecond: stored / fullSeconds,
        requests: full.results.reduce((n, r) => n + r.requests, 0),
        rawInsertSeconds: rawSeconds,
        rawBookingsPerSecond: stored / rawSeconds,
        ratioToRaw: stored / fullSeconds / (stored / rawSeconds),
      },
      contacts: {
        seconds: contactsSeconds,
        stored: count(core, 'SELECT count(*) FROM contacts'),
        requests: contacts.requests,
      },
      matching: {
        seconds: matchingSeconds,
        attendees: matched.examined,
        engineSeconds: matched.engineMs / 1000,
      },
      classificationCatchUpSeconds,
      plan: { seconds: planSeconds, proposed: plan?.proposed ?? 0 },
      dashboard,
      resync: {
        seconds: resyncSeconds,
        requests: resync.results.reduce((n, r) => n + r.requests, 0),
        bySource: Object.fromEntries(resync.results.map((r) => [r.source, r.requests])),
        createdOrUpdated: resync.results.reduce((n, r) => n + r.created + r.updated, 0),
      },
      db: { bytes: Object.values(db).reduce((a, b) => a + b, 0), files: db },
      fullSyncBySource,
      budgeted,
      peakRssMiB,
      wallSeconds: seconds(wallStarted),
    };
  } finally {
    for (const c of cores) c.close();
    await host.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  }
}

const Args = z.object({
  scale: z.enum(scaleNames),
  out: z.string().min(1),
  'time-scale': z.coerce.number().min(1).max(600).default(DEFAULT_TIME_SCALE),
  runs: z.coerce.number().int().min(3).max(1000).default(30),
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      out: { type: 'string' },
      'time-scale': { type: 'string' },
      runs: { type: 'string' },
    },
  });
  const args = Args.parse(values);
  const result = await runScale({
    scale: args.scale,
    timeScale: args['time-scale'],
    runs: args.runs,
  });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
}
