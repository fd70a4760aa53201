// Matching benchmark (not a test): builds a deterministic practice CRM and a stream of booking
// attendees, then times the contact index build and matching every attendee.
//
//   npx tsx bench/match.ts [--contacts 20000] [--attendees 100000] [--seed 7] [--threads 2]
//
// Attendees mix exact addresses (with case/whitespace noise), Gmail and +tag variants, clients
// under a nickname / typo / initial / personal address, and strangers — some sharing a client's
// surname — so the fuzzy path does real work. The product target is 100,000 attendees against
// 20,000 contacts in under 2 s on a 2-core machine. The run is done twice, each time in fresh
// worker threads so neither benefits from the other's warm JIT or caches: once on one thread, once
// split over --threads (default: 2, or 1 on a one-core machine). Each worker generates the same
// data from the seed before the clock starts (the app has its contacts and bookings in memory
// from the database when it matches; making test data is not matching), then the main thread
// says go and times until the last worker has built its index and matched its share. Workers run
// this file bundled (as the app runs bundled code), not TypeScript compiled on the fly.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { AttendeeForMatching, ContactForMatching, MatchOutcome } from '../src/main/match';
import { buildContactIndex, localityOrder, matchAttendee, nicknamesOf } from '../src/main/match';

export type Options = Readonly<{
  contacts: number;
  attendees: number;
  seed: number;
  threads: number;
}>;

function parseOptions(argv: readonly string[]): Options {
  const read = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at === -1) return fallback;
    const value = Number(argv[at + 1]);
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`bench/match: ${flag} needs a positive whole number, got "${argv[at + 1]}"`);
    }
    return value;
  };
  return {
    contacts: read('--contacts', 20_000),
    attendees: read('--attendees', 100_000),
    seed: read('--seed', 7),
    threads: read('--threads', Math.min(2, availableParallelism())),
  };
}

/** mulberry32: a small seeded PRNG, so every run generates the same data. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST_NAMES = (
  'robert william james john michael david richard joseph thomas charles christopher daniel ' +
  'matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ' +
  'ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott ' +
  'brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron ' +
  'jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith ' +
  'roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy ' +
  'bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent mason roy ralph ' +
  'bobby russell bradley philip eugene mary patricia jennifer linda elizabeth barbara susan ' +
  'jessica sarah karen lisa nancy betty sandra margaret ashley kimberly emily donna michelle ' +
  'carol amanda melissa deborah stephanie dorothy rebecca sharon laura cynthia amy kathleen ' +
  'angela shirley brenda emma anna pamela nicole samantha katherine christine helen debra ' +
  'rachel carolyn janet maria catherine heather diane olivia julie joyce victoria ruth virginia ' +
  'lauren kelly christina joan evelyn judith andrea hannah megan cheryl jacqueline martha ' +
  'madison teresa gloria sara janice ann kathryn abigail sophia frances jean alice judy isabella ' +
  'julia grace amber denise danielle marilyn beverly charlotte natalie theresa diana brittany ' +
  'doris kayla alexis lori marie zoe soren francois renee bjorn lukasz siobhan minh lan anil ' +
  'anjali priya wei li hiroshi fatima ahmed mohammed nadia carlos gabriela pieter ian'
).split(' ');

const COMMON_SURNAMES = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez ' +
  'gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris ' +
  'sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill ' +
  'flores green adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips ' +
  'evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy cook rogers ' +
  'gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson ' +
  'watson brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo ' +
  'sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan bell ' +
  'coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson ' +
  'alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant herrera ' +
  'gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez ' +
  'mcdonald woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns ' +
  'crawford olson simpson porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt ' +
  'hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer ' +
  'rice schmidt garza daniels ferguson nichols stephens soto weaver ryan gardner payne grant ' +
  'dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight ' +
  'elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado ' +
  'berry perkins hoffman johnston matthews pena richards willis carpenter lawrence sandoval ' +
  'obrien oconnor muller lindqvist lefevre cote astrom wojcik garcia-lopez van-den-berg'
).split(' ');

const SYLLABLES = (
  'al an ar ba be bel ber bo bran ca car cas chel da dan del den do dor el en er fa fen fer ' +
  'ga gar gil ha han har hel ka kar kel ko la lan lar le len li lo lor ma man mar mel mo mor ' +
  'na nel no or pa par pel ra ran rel ro ros sa san sel so stan ta tan tel to tor va vel vin ' +
  'wa wel win ya za zel'
).split(' ');

const PERSONAL_DOMAINS = ['mail.example', 'inbox.test', 'home.example'];

/** How a generated attendee relates to the CRM, so the run can also report whether it was right. */
export type AttendeeKind =
  'exact' | 'tagged' | 'shared' | 'nickname' | 'typo' | 'initial' | 'order' | 'stranger';

export type BenchData = Readonly<{
  contacts: readonly ContactForMatching[];
  attendees: readonly AttendeeForMatching[];
  /** Per attendee: how it was made, and the contact it came from (null for a stranger). */
  kinds: readonly AttendeeKind[];
  sources: readonly (string | null)[];
  personalDomains: readonly string[];
}>;

/** The practice CRM and attendee stream; the same options always give the same data. */
export function generateBenchData(
  options: Pick<Options, 'contacts' | 'attendees' | 'seed'>,
): BenchData {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;
  const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

  // Surnames: a Zipf-like head of common names and a long synthetic tail, as real CRMs have.
  const tail = Array.from({ length: 6_000 }, () => {
    const parts = 2 + Math.floor(random() * 2);
    return Array.from({ length: parts }, () => pick(SYLLABLES)).join('');
  });
  const surname = (): string => {
    if (chance(0.45)) {
      const rank = Math.floor(COMMON_SURNAMES.length * Math.pow(random(), 2.2));
      return COMMON_SURNAMES[rank]!;
    }
    return pick(tail);
  };
  const companies = Array.from(
    { length: Math.max(50, Math.floor(options.contacts / 8)) },
    (_, i) => ({
      name: `${capitalize(pick(tail))} ${pick(['Partners', 'Group', 'Holdings', 'Labs', 'Dental', 'Realty'])}`,
      domain: `${pick(tail)}-${i}.example`,
    }),
  );

  const contacts: ContactForMatching[] = [];
  const sharedFamilyAddresses: string[] = [];
  for (let i = 0; i < options.contacts; i += 1) {
    const first = pick(FIRST_NAMES);
    const last = surname();
    const company = chance(0.6) ? pick(companies) : null;
    const emails: string[] = [];
    const plainLast = last.replaceAll('-', '');
    const localPart = pick([
      `${first}.${plainLast}`,
      `${first[0]}${plainLast}`,
      `${first}${plainLast[0]}`,
      first,
    ]);
    if (company !== null) emails.push(`${localPart}@${company.domain}`);
    if (company === null || chance(0.4)) {
      emails.push(
        `${first}.${plainLast}${chance(0.3) ? Math.floor(random() * 99) : ''}@${pick(PERSONAL_DOMAINS)}`,
      );
    }
    // A household: the previous contact shares an address with this one.
    if (i > 0 && chance(0.02)) {
      const family = `the.${plainLast}s.${i}@${pick(PERSONAL_DOMAINS)}`;
      emails.push(family);
      const previous = contacts[i - 1]!;
      contacts[i - 1] = { ...previous, emails: [...previous.emails, family] };
      sharedFamilyAddresses.push(family);
    }
    contacts.push({
      contactId: `40${String(1_000_003 + i * 7_919).padStart(29, '0')}`,
      isCompany: false,
      firstName: capitalize(first),
      middleName: chance(0.3) ? capitalize(pick(FIRST_NAMES)) : null,
      lastName: last.split('-').map(capitalize).join('-'),
      suffix: chance(0.01) ? 'Jr.' : null,
      companyName: company?.name ?? null,
      emails,
      lastUpdate: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 1.5e11)).toISOString(),
    });
  }

  const typo = (word: string): string => {
    if (word.length < 4) return word;
    const at = 1 + Math.floor(random() * (word.length - 2));
    return chance(0.5)
      ? word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2)
      : word.slice(0, at) + word.slice(at + 1);
  };
  const noisyCase = (email: string): string =>
    (chance(0.3) ? ' ' : '') +
    (chance(0.5) ? email.toUpperCase() : email) +
    (chance(0.2) ? '\t' : '');

  const ownersByEmail = new Map<string, ContactForMatching[]>();
  for (const contact of contacts) {
    for (const email of contact.emails) {
      ownersByEmail.set(email, [...(ownersByEmail.get(email) ?? []), contact]);
    }
  }
  const attendees: AttendeeForMatching[] = [];
  const kinds: AttendeeKind[] = [];
  const sources: (string | null)[] = [];
  const add = (attendee: AttendeeForMatching, kind: AttendeeKind, source: string | null): void => {
    attendees.push(attendee);
    kinds.push(kind);
    sources.push(source);
  };
  for (let i = 0; i < options.attendees; i += 1) {
    const roll = random();
    const contact = pick(contacts);
    const first = contact.firstName.toLowerCase();
    const last = contact.lastName.toLowerCase();
    const fullName = `${contact.firstName} ${contact.lastName}`;
    if (roll < 0.45) {
      const email = pick(contact.emails);
      // A shared family address has two owners: the name decides, not the generator.
      add(
        { email: noisyCase(email), name: chance(0.8) ? fullName : null },
        (ownersByEmail.get(email)?.length ?? 0) > 1 ? 'shared' : 'exact',
        contact.contactId,
      );
    } else if (roll < 0.5) {
      const [local, domain] = pick(contact.emails).split('@') as [string, string];
      add(
        { email: `${local}+cal${i % 7}@${domain}`, name: chance(0.5) ? fullName : null },
        'tagged',
        contact.contactId,
      );
    } else if (roll < 0.52 && sharedFamilyAddresses.length > 0) {
      const family = pick(sharedFamilyAddresses);
      const owner = pick(ownersByEmail.get(family) ?? [contact]);
      add({ email: family, name: owner.firstName }, 'shared', owner.contactId);
    } else if (roll < 0.75) {
      const nicknames = nicknamesOf(first);
      const variant = pick(['nickname', 'typo', 'initial', 'order'] as const);
      const given =
        variant === 'nickname' && nicknames.length > 0
          ? pick(nicknames)
          : variant === 'initial'
            ? `${first[0]}.`
            : first;
      const family = variant === 'typo' ? typo(last) : last;
      const name =
        variant === 'order'
          ? `${capitalize(family)}, ${capitalize(given)}`
          : `${capitalize(given)} ${capitalize(family)}`;
      const email = chance(0.8)
        ? `${given.replace('.', '')}${family.replaceAll('-', '')}${i % 97}@${pick(PERSONAL_DOMAINS)}`
        : null;
      add({ email, name }, variant, contact.contactId);
    } else {
      const stranger = `${pick(FIRST_NAMES)} ${surname()}`;
      // Never a client's exact address: that would be the client, not a stranger.
      let email: string | null = null;
      if (chance(0.9)) {
        const domain = pick([...PERSONAL_DOMAINS, pick(companies).domain]);
        email = `${stranger.replace(' ', '.')}${i % 101}@${domain}`;
        if (ownersByEmail.has(email)) email = `${stranger.replace(' ', '.')}.x${i}@${domain}`;
      }
      add(
        {
          email,
          name: chance(0.9) ? stranger.split(' ').map(capitalize).join(' ') : null,
        },
        'stranger',
        null,
      );
    }
  }

  return { contacts, attendees, kinds, sources, personalDomains: PERSONAL_DOMAINS };
}

/** What a worker is told: the data to generate, and its share of the attendees. */
type WorkerTask = Readonly<{
  options: Pick<Options, 'contacts' | 'attendees' | 'seed'>;
  from: number;
  to: number;
}>;

/** One worker's data: every contact, its share of the attendees. */
type WorkerData = Readonly<{
  contacts: readonly ContactForMatching[];
  attendees: readonly AttendeeForMatching[];
  kinds: readonly AttendeeKind[];
  sources: readonly (string | null)[];
  personalDomains: readonly string[];
}>;

type KindStats = {
  count: number;
  auto: number;
  suggested: number;
  right: number;
  wrongAuto: number;
};

type WorkerReport = Readonly<{
  buildMs: number;
  matchMs: number;
  blockingKeys: number;
  counts: Readonly<Record<string, number>>;
  byKind: Readonly<Record<string, KindStats>>;
}>;

/** One thread's share: build its own index (as a fresh isolate would), match its attendees. */
function runTask(task: WorkerData): WorkerReport {
  const noAliases: ReadonlyMap<string, string | null> = new Map();
  const buildStart = performance.now();
  const index = buildContactIndex(task.contacts, { personalEmailDomains: task.personalDomains });
  const buildMs = performance.now() - buildStart;

  // Outcomes are tallied as they come, not kept: the sync writes them away in batches too, and
  // holding 100,000 of them would time the garbage collector rather than matching.
  const counts: Record<string, number> = {};
  const byKind: Record<string, KindStats> = {};
  const tally = (outcome: MatchOutcome, i: number): void => {
    const key = `${outcome.state}/${outcome.via}`;
    counts[key] = (counts[key] ?? 0) + 1;
    const kind = task.kinds[i]!;
    const stats = (byKind[kind] ??= { count: 0, auto: 0, suggested: 0, right: 0, wrongAuto: 0 });
    const proposed =
      outcome.state === 'auto' || outcome.state === 'suggested' ? outcome.contactId : null;
    stats.count += 1;
    if (outcome.state === 'auto') stats.auto += 1;
    if (outcome.state === 'suggested') stats.suggested += 1;
    if (proposed === task.sources[i]) stats.right += 1;
    if (outcome.state === 'auto' && outcome.contactId !== task.sources[i]) stats.wrongAuto += 1;
  };
  const matchStart = performance.now();
  // In locality order, as the app's matching run takes its bookings (match/order.ts); working out
  // the order is part of the time.
  for (const i of localityOrder(task.attendees)) {
    tally(matchAttendee(index, task.attendees[i]!, noAliases), i);
  }
  const matchMs = performance.now() - matchStart;
  return { buildMs, matchMs, blockingKeys: index.blocks.size, counts, byKind };
}

type RunResult = Readonly<{
  threads: number;
  /** From "go" until the last worker reported: every index build and every match. */
  wallMs: number;
  /** Starting the workers and generating their data, before the clock (not matching). */
  setupMs: number;
  /** CPU time of the whole process during the run (all threads, GC helpers included). */
  cpuMs: number;
  reports: readonly WorkerReport[];
}>;

/**
 * Runs the match in `threads` fresh worker threads (each with its own cold JIT and caches, so one
 * thread and two threads compare fairly), the attendees split evenly. Each worker first generates
 * the data and says it is ready; the clock runs from "go" (sent to all at once) until the last
 * worker has built its index and matched its share.
 */
async function runInWorkers(
  options: Pick<Options, 'contacts' | 'attendees' | 'seed'>,
  threads: number,
  entry: URL,
): Promise<RunResult> {
  const setupStarted = performance.now();
  const share = Math.ceil(options.attendees / threads);
  const workers = Array.from({ length: threads }, (_, i) => {
    const task: WorkerTask = {
      options,
      from: i * share,
      to: Math.min(options.attendees, (i + 1) * share),
    };
    const worker = new Worker(entry, { workerData: task });
    const failed = new Promise<never>((_, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => {
        reject(new Error(`bench/match: worker ${i} exited with code ${code} before reporting`));
      });
    });
    const next = (): Promise<unknown> =>
      Promise.race([new Promise((resolve) => worker.once('message', resolve)), failed]);
    return { worker, ready: next(), next };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
    const setupMs = performance.now() - setupStarted;
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const reports = workers.map((w) => w.next() as Promise<WorkerReport>);
    for (const w of workers) w.worker.postMessage('go');
    const done = await Promise.all(reports);
    const cpu = process.cpuUsage(cpuAtStart);
    return {
      threads,
      wallMs: performance.now() - started,
      setupMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      reports: done,
    };
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}

/** In a worker: generate the data, say ready, and on "go" run the share and report it. */
function workerMain(task: WorkerTask): void {
  const data = generateBenchData(task.options);
  const own: WorkerData = {
    contacts: data.contacts,
    attendees: data.attendees.slice(task.from, task.to),
    kinds: data.kinds.slice(task.from, task.to),
    sources: data.sources.slice(task.from, task.to),
    personalDomains: data.personalDomains,
  };
  parentPort?.once('message', () => parentPort?.postMessage(runTask(own)));
  parentPort?.postMessage('ready');
}

/**
 * The file workers run: this one when it is already JavaScript; under tsx, this file bundled once
 * with esbuild before anything is timed. The app ships bundled code, so a worker should not spend
 * the run compiling TypeScript (tsx does that per worker, about 0.3 s each); Node 20 does not carry
 * tsx's module hooks into workers anyway.
 */
async function workerEntry(): Promise<{ url: URL; cleanup: () => void }> {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL(import.meta.url), cleanup: () => {} };
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'cadence-bench-match-'));
  const outfile = join(dir, 'match.mjs');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  return {
    url: pathToFileURL(outfile),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function describeRun(run: RunResult, attendeeCount: number): string[] {
  const ms = (value: number): string => `${value.toFixed(0).padStart(6)} ms`;
  const slowestBuild = Math.max(...run.reports.map((report) => report.buildMs));
  const slowestMatch = Math.max(...run.reports.map((report) => report.matchMs));
  const verdict = run.wallMs < 2000 ? 'under' : 'OVER';
  return [
    `${run.threads} thread${run.threads === 1 ? '' : 's'} (wall time of the slowest thread):`,
    `  index build ${ms(slowestBuild)}   (each thread builds its own index)`,
    `  matching    ${ms(slowestMatch)}   (${Math.round(attendeeCount / (slowestMatch / 1000)).toLocaleString('en-US')} attendees/s)`,
    `  wall time   ${ms(run.wallMs)}   ${verdict} the 2 s target (from go until every thread has built its index and matched)`,
    `  cpu used    ${ms(run.cpuMs)}   (all threads; on a busy machine wall time is higher than cpu/threads)`,
    `  before go   ${ms(run.setupMs)}   (not timed: starting the workers, each generating the data)`,
  ];
}

function describeQuality(run: RunResult): string[] {
  const merged = new Map<string, KindStats>();
  for (const report of run.reports) {
    for (const [kind, stats] of Object.entries(report.byKind)) {
      const into = merged.get(kind) ?? { count: 0, auto: 0, suggested: 0, right: 0, wrongAuto: 0 };
      into.count += stats.count;
      into.auto += stats.auto;
      into.suggested += stats.suggested;
      into.right += stats.right;
      into.wrongAuto += stats.wrongAuto;
      merged.set(kind, into);
    }
  }
  const percent = (part: number, whole: number): string =>
    `${whole === 0 ? '  –  ' : ((100 * part) / whole).toFixed(1).padStart(5)}%`;
  return [
    'by kind of attendee    count    auto  suggested  right (top-1, or nothing for strangers)  wrong auto',
    ...[...merged.entries()].map(
      ([kind, stats]) =>
        `  ${kind.padEnd(18)} ${String(stats.count).padStart(7)} ${String(stats.auto).padStart(7)} ` +
        `${String(stats.suggested).padStart(10)}  ${percent(stats.right, stats.count).padStart(6)}` +
        `${' '.repeat(35)}${String(stats.wrongAuto).padStart(6)}`,
    ),
    '  (a variant can be "wrong" when another contact has the same name: a 20,000-contact CRM has',
    "   namesakes, and a stranger can share a client's name; only wrong automatic matches are bugs)",
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const entry = await workerEntry();
  let single: RunResult;
  let parallel: RunResult | null;
  try {
    single = await runInWorkers(options, 1, entry.url);
    parallel = options.threads > 1 ? await runInWorkers(options, options.threads, entry.url) : null;
  } finally {
    entry.cleanup();
  }

  const counts = new Map<string, number>();
  for (const report of single.reports) {
    for (const [key, count] of Object.entries(report.counts)) {
      counts.set(key, (counts.get(key) ?? 0) + count);
    }
  }
  const lines = [
    `bench/match: ${options.contacts.toLocaleString('en-US')} contacts, ${options.attendees.toLocaleString('en-US')} attendees (seed ${options.seed}), node ${process.version}, ${single.reports[0]?.blockingKeys.toLocaleString('en-US')} blocking keys`,
    ...describeRun(single, options.attendees),
    ...(parallel === null ? [] : describeRun(parallel, options.attendees)),
    // Other work on the machine makes every figure above slower than an idle machine would.
    `load average  ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores`,
    'outcomes:',
    ...[...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([key, count]) => `  ${key.padEnd(18)} ${count.toLocaleString('en-US').padStart(8)}`),
    ...describeQuality(single),
  ];
  console.log(lines.join('\n'));
}

// Run when executed, not when imported (a profiling script may import generateBenchData).
const executedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (!isMainThread) {
  workerMain(workerData as WorkerTask);
} else if (executedDirectly && process.env.BENCH_MATCH_NO_MAIN === undefined) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
