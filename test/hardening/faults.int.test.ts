// Simulator faults across every source (Cal.com, Calendly, TidyCal and the LACRM contact pull) ×
// every fault the simulators can inject, plus a legacy-shaped Cal.com answer. A store is filled by
// a clean sync first; each case then injects its fault on a page in the middle of a full re-sync
// (the first page is stored before the fault hits) and checks:
// - transient faults (a 429 storm honouring Retry-After / X-RateLimit-Reset, a few 5xx, one
//   timeout, one dropped connection, a slow answer): the run recovers, ends 'ok', stores the same;
// - persistent faults: that source fails with a message naming the source, the endpoint and (for
//   a shape mismatch) the field; the others end 'ok'; the store is exactly as before; the run is in
//   sync_runs with its error; the checkpoint did not move; the next clean run ends 'ok'.
// LACRM pushes under faults are covered by push-faults.int.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CALCOM_KNOWN_VERSIONS } from '../../src/main/demo/sim/calcom';
import type { FaultKind, SimRequest } from '../../src/main/demo/sim/kit';
import { CALCOM_API_VERSION } from '../../src/main/sources/calcom/schemas';
import type { InputOf, SourceProgress, SyncOutcome } from '../../src/shared/contract';
import { sourceLabels, type SyncSource } from '../../src/shared/domain';
import { storeCounts } from '../helpers/world';
import {
  checkpointOf,
  faultSources,
  isGetContacts,
  lastRunOf,
  snapshotStore,
  startFaultWorld,
  type FaultSource,
  type FaultWorld,
  type StoreSnapshot,
} from './faults-support';

const syncOnce = (request: InputOf<'sync:run'>) => fw.core.call('sync:run', request);

/** How each source is reached, and what a middle page and a wrong field look like there. */
type SourceProfile = Readonly<{
  source: FaultSource;
  /** The endpoint as error messages name it. */
  endpoint: string;
  /** A list request after the first page of a full sync (LACRM: its one GetContacts page). */
  middlePage(req: SimRequest): boolean;
  /** The header the service's 429 says when to come back in (null: Retry-After). */
  resetHeader: string | null;
  /** Changes one field of a real middle page so it breaks the schema; returns the field path. */
  breakField(body: Record<string, unknown>): string;
}>;

function setIn(body: Record<string, unknown>, list: string, index: number, field: string) {
  const items = body[list] as Record<string, unknown>[];
  expect(items.length).toBeGreaterThan(index);
  items[index]![field] = field === 'LastUpdate' ? 'yesterday' : 'next Tuesday';
  return `${list}.${index}.${field}`;
}

const profiles: Readonly<Record<FaultSource, SourceProfile>> = {
  calcom: {
    source: 'calcom',
    endpoint: 'GET /bookings',
    middlePage: (req) => req.path === '/v2/bookings' && req.query.get('skip') === '250',
    resetHeader: 'X-RateLimit-Reset-Default',
    breakField: (body) => setIn(body, 'data', 3, 'start'),
  },
  calendly: {
    source: 'calendly',
    endpoint: 'GET /scheduled_events',
    middlePage: (req) => req.path === '/scheduled_events' && req.query.has('page_token'),
    resetHeader: 'X-RateLimit-Reset',
    breakField: (body) => setIn(body, 'collection', 2, 'start_time'),
  },
  tidycal: {
    source: 'tidycal',
    endpoint: 'GET /bookings',
    middlePage: (req) => req.path === '/api/bookings' && req.query.get('page') === '2',
    resetHeader: null, // TidyCal's own 429 has no rate headers; a proxy's may say Retry-After
    breakField: (body) => setIn(body, 'data', 1, 'starts_at'),
  },
  lacrm: {
    source: 'lacrm',
    endpoint: 'GetContacts',
    middlePage: isGetContacts,
    resetHeader: null, // LACRM publishes no limit; its 429 says Retry-After
    breakField: (body) => setIn(body, 'Results', 1, 'LastUpdate'),
  },
};

let fw: FaultWorld;
let clean: StoreSnapshot;
/** The request (path and query) each source's middle page was fetched with in the clean sync. */
const middleRequests = new Map<FaultSource, string>();

beforeAll(async () => {
  fw = await startFaultWorld({
    world: {
      // Big enough that Cal.com (take 250) and Calendly (count 100) have a second page, TidyCal
      // (25 a page) five; the simulators' own limiters off so only the injected faults fire.
      practice: { clients: 90, years: 2 },
      calcom: { rateLimit: false },
      calendly: { rateLimit: false },
    },
  });
  const first = await syncOnce({ sources: 'all' });
  expect(first.results.map((r) => [r.source, r.state, r.error?.message ?? null]).sort()).toEqual(
    faultSources.map((s) => [s, 'ok', null]).sort(),
  );
  const counts = storeCounts(fw.core);
  expect(counts.calcom!.n).toBeGreaterThan(250);
  expect(counts.calendly!.n).toBeGreaterThan(100);
  expect(counts.tidycal!.n).toBeGreaterThan(50);
  // The first sync was a full one: its log shows the request each middle page is fetched with.
  for (const source of faultSources) {
    const [entry] = fw
      .sim(source)
      .log.filter((l) =>
        profiles[source].middlePage(asRequest(l.method, l.path, l.query, lacrmBodyProbe)),
      );
    expect(entry, `${source} has a middle page`).toBeDefined();
    middleRequests.set(source, `${entry!.path}${entry!.query}`);
  }
  clean = snapshotStore(fw.core);
  expect(clean.counts.contacts).toBe(fw.world.practice.lacrm.contacts.length);
}, 60_000);

afterEach(() => {
  for (const source of faultSources) fw.sim(source).faults.clear();
  fw.world.calcom.setKnownVersions(CALCOM_KNOWN_VERSIONS);
});

afterAll(async () => {
  await fw?.close();
});

/** The LACRM log has no bodies; every POST of a contact pull is GetContacts. */
const lacrmBodyProbe = JSON.stringify({ Function: 'GetContacts' });

function asRequest(method: string, path: string, query: string, bodyText: string): SimRequest {
  return { method, path, query: new URLSearchParams(query), headers: {}, bodyText };
}

/** The real answer to a source's middle page, fetched straight from its simulator. */
async function realMiddlePage(source: FaultSource): Promise<Record<string, unknown>> {
  const keys = {
    calcom: fw.world.calcom.apiKey,
    calendly: fw.world.calendly.apiKey,
    tidycal: fw.world.tidycal.apiKey,
  };
  if (source === 'lacrm') {
    const response = await fetch(fw.lacrm.baseUrl, {
      method: 'POST',
      headers: { authorization: fw.lacrm.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        Function: 'GetContacts',
        Parameters: {
          SortBy: 'DateCreated',
          SortDirection: 'Ascending',
          MaxNumberOfResults: 10000,
        },
      }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }
  const origin = new URL(fw.world[source].baseUrl).origin;
  const response = await fetch(`${origin}${middleRequests.get(source)}`, {
    headers: {
      authorization: `Bearer ${keys[source]}`,
      ...(source === 'calcom' ? { 'cal-api-version': CALCOM_API_VERSION } : {}),
    },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Cal.com's legacy 2024-04-15 answer (what a proxy that drops cal-api-version gets back). */
async function legacyCalcomPage(): Promise<string> {
  const response = await fetch(
    `${fw.world.calcom.baseUrl}/bookings?filters%5Bstatus%5D=past&limit=10`,
    { headers: { authorization: `Bearer ${fw.world.calcom.apiKey}` } },
  );
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const body = JSON.parse(text) as { status?: unknown; data?: { bookings?: unknown } };
  expect(body.status).toBe('success');
  expect(Array.isArray(body.data?.bookings)).toBe(true);
  return text;
}

/** Adds rules on a source's middle page; returns how many times they fired so far. */
function onMiddlePage(
  source: FaultSource,
  faults: readonly Readonly<{ fault: FaultKind; times?: number }>[],
): () => number {
  let fired = 0;
  const middle = profiles[source].middlePage;
  for (const { fault, times } of faults) {
    fw.sim(source).faults.add({
      fault,
      times,
      match: (req) => {
        if (!middle(req)) return false;
        fired++; // only asked while the rule has uses left, so every "true" fires
        return true;
      },
    });
  }
  return () => fired;
}

async function syncAll(): Promise<{ outcome: SyncOutcome; progress: SourceProgress[] }> {
  const progress: SourceProgress[] = [];
  const off = fw.core.subscribe((event, payload) => {
    if (event === 'sync:progress') progress.push(payload as SourceProgress);
  });
  try {
    const outcome = await syncOnce({ sources: 'all', mode: 'full' });
    return { outcome, progress };
  } finally {
    off();
  }
}

function resultOf(outcome: SyncOutcome, source: SyncSource): SourceProgress {
  const r = outcome.results.find((x) => x.source === source);
  if (!r) throw new Error(`no result for ${source}`);
  return r;
}

function expectOthersOk(outcome: SyncOutcome, faulted: FaultSource) {
  for (const other of faultSources.filter((s) => s !== faulted)) {
    const r = resultOf(outcome, other);
    expect([r.state, r.error?.message ?? null], other).toEqual(['ok', null]);
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Transient faults: recovered inside the run.

type TransientCase = Readonly<{
  name: string;
  faults(profile: SourceProfile): readonly Readonly<{ fault: FaultKind; times?: number }>[];
  /** Extra checks on the run (the wait a 429 asked for, for instance). */
  check?(
    source: FaultSource,
    run: Readonly<{ progress: SourceProgress[]; logStart: number }>,
  ): void;
}>;

const transientCases: readonly TransientCase[] = [
  {
    name: "a 429 storm (a wait asked for in the service's own header, then bare 429s)",
    faults: (p) => [
      {
        fault: { kind: 'status', status: 429, headers: { [p.resetHeader ?? 'Retry-After']: '1' } },
        times: 1,
      },
      { fault: { kind: 'status', status: 429 }, times: 2 },
    ],
    check(source, run) {
      // The one-second wait was honoured: nothing went to that source in the meantime.
      const log = fw.sim(source).log;
      const first429 = log.findIndex((l, i) => i >= run.logStart && l.status === 429);
      const next = log[first429 + 1];
      expect(next, 'a request after the first 429').toBeDefined();
      expect(next!.at - log[first429]!.at).toBeGreaterThanOrEqual(950);
      // The Sync panel was told it is waiting, and for how long.
      const waits = run.progress.filter((p) => p.source === source && p.state === 'waiting');
      expect(waits.length).toBeGreaterThan(0);
      expect(Math.max(...waits.map((w) => w.waitMs ?? 0))).toBeGreaterThan(500);
    },
  },
  {
    name: 'a few 5xx (500, then 503)',
    faults: () => [
      { fault: { kind: 'status', status: 500 }, times: 1 },
      { fault: { kind: 'status', status: 503 }, times: 1 },
    ],
  },
  { name: 'one timeout', faults: () => [{ fault: { kind: 'hang' }, times: 1 }] },
  { name: 'one dropped connection', faults: () => [{ fault: { kind: 'drop' }, times: 1 }] },
  { name: 'a slow answer', faults: () => [{ fault: { kind: 'slow', ms: 400 }, times: 1 }] },
];

// ---------------------------------------------------------------------------------------------
// Persistent faults: the source fails cleanly.

type Injected = Readonly<{ fired: () => number; code: string; message: RegExp }>;

type PersistentCase = Readonly<{
  name: string;
  only?: FaultSource;
  inject(profile: SourceProfile): Promise<Injected> | Injected;
}>;

function head(p: SourceProfile): string {
  return `^${escape(sourceLabels[p.source])} ${escape(p.endpoint)}: `;
}

const persistentCases: readonly PersistentCase[] = [
  {
    name: '5xx every time',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'status', status: 503 } }]),
      code: 'remote_error',
      message: new RegExp(`${head(p)}the service had an internal error \\(HTTP 503\\)$`),
    }),
  },
  {
    name: '429 every time',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'status', status: 429 } }]),
      code: 'rate_limited',
      message: new RegExp(
        `${head(p)}the rate limit was still exceeded after waiting and retrying$`,
      ),
    }),
  },
  {
    name: 'no answer, every time',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'hang' } }]),
      code: 'network',
      message: new RegExp(`${head(p)}no answer within the time limit \\(1 s\\)$`),
    }),
  },
  {
    name: 'the connection dropped, every time',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'drop' } }]),
      code: 'network',
      message: new RegExp(`${head(p)}the connection was closed before an answer arrived \\(.+\\)$`),
    }),
  },
  {
    name: 'a truncated body',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'truncated' } }]),
      code: 'schema_mismatch',
      message: new RegExp(`${head(p)}unexpected response shape: the body is not valid JSON`),
    }),
  },
  {
    name: 'a body that is not JSON',
    inject: (p) => ({
      fired: onMiddlePage(p.source, [{ fault: { kind: 'malformed' } }]),
      code: 'schema_mismatch',
      message: new RegExp(`${head(p)}unexpected response shape: the body is not valid JSON`),
    }),
  },
  {
    name: 'a field of the wrong shape',
    async inject(p) {
      const body = await realMiddlePage(p.source);
      const field = p.breakField(body);
      return {
        fired: onMiddlePage(p.source, [
          { fault: { kind: 'status', status: 200, body: JSON.stringify(body) } },
        ]),
        code: 'schema_mismatch',
        message: new RegExp(
          `${head(p)}unexpected response shape: (field )?${escape(field)}: (must be|expected) an ISO 8601 date-time`,
        ),
      };
    },
  },
  {
    name: 'a legacy-shaped answer on a middle page',
    only: 'calcom',
    async inject(p) {
      const legacy = await legacyCalcomPage();
      return {
        fired: onMiddlePage(p.source, [{ fault: { kind: 'status', status: 200, body: legacy } }]),
        code: 'schema_mismatch',
        message: new RegExp(
          `${head(p)}unexpected response shape: the server answered with its legacy 2024-04-15 API instead of cal-api-version 2026-02-25 or 2024-08-13`,
        ),
      };
    },
  },
  {
    name: 'a server that knows neither API version (legacy answers throughout)',
    only: 'calcom',
    inject(p) {
      const before = fw.world.calcom.log.length;
      fw.world.calcom.setKnownVersions(['2024-04-15', '2024-06-14']);
      return {
        fired: () => fw.world.calcom.log.slice(before).filter((l) => l.status === 400).length,
        code: 'schema_mismatch',
        message: new RegExp(
          `${head(p)}unexpected response shape: the server answered with its legacy 2024-04-15 API instead of cal-api-version 2026-02-25 or 2024-08-13`,
        ),
      };
    },
  },
];

describe.each(faultSources)('%s under simulator faults', (source) => {
  const profile = profiles[source];

  it.each(transientCases)('recovers from $name and stores the same', async (c) => {
    const faults = c.faults(profile);
    const fired = onMiddlePage(source, faults);
    const logStart = fw.sim(source).log.length;
    const { outcome, progress } = await syncAll();
    const r = resultOf(outcome, source);
    expect([r.state, r.error?.message ?? null]).toEqual(['ok', null]);
    expectOthersOk(outcome, source);
    expect(fired()).toBe(faults.reduce((n, f) => n + (f.times ?? 1), 0));
    expect(snapshotStore(fw.core)).toEqual(clean);
    const run = lastRunOf(fw.core, source)!;
    expect(run).toMatchObject({ id: r.runId, state: 'ok', error_code: null, error: null });
    expect(run.requests).toBe(r.requests);
    c.check?.(source, { progress, logStart });
  });

  it.each(persistentCases.filter((c) => (c.only ?? source) === source))(
    'fails cleanly on $name, loses nothing, and the next run heals',
    async (c) => {
      const checkpoint = checkpointOf(fw.core, source);
      expect(checkpoint).not.toBeNull();
      const injected = await c.inject(profile);
      const { outcome } = await syncAll();
      const r = resultOf(outcome, source);
      expect(r.state).toBe('failed');
      expect(r.error?.code).toBe(injected.code);
      expect(r.error?.message).toMatch(injected.message);
      expect(injected.fired()).toBeGreaterThan(0);
      expectOthersOk(outcome, source);

      // Nothing the store held is lost or altered, and the checkpoint did not move.
      expect(snapshotStore(fw.core)).toEqual(clean);
      expect(checkpointOf(fw.core, source)).toBe(checkpoint);
      // The failed run is on record with its error.
      expect(lastRunOf(fw.core, source)).toMatchObject({
        id: r.runId,
        state: 'failed',
        error_code: injected.code,
        error: r.error!.message,
      });
      const status = await fw.core.call('sync:status', {});
      expect(status.last.find((l) => l.source === source)).toMatchObject({
        state: 'failed',
        error: r.error!.message,
      });

      // Without the fault the next sync (incremental, from the old checkpoint) completes.
      fw.sim(source).faults.clear();
      fw.world.calcom.setKnownVersions(CALCOM_KNOWN_VERSIONS);
      const healed = await syncOnce({ sources: [source] });
      const h = resultOf(healed, source);
      expect([h.state, h.error?.message ?? null]).toEqual(['ok', null]);
      expect(snapshotStore(fw.core)).toEqual(clean);
      expect(lastRunOf(fw.core, source)).toMatchObject({ id: h.runId, state: 'ok', error: null });
    },
  );
});

// The simulator's own limiter (not an injected fault): a key limited to 1 request per 400 ms with
// a 400 ms block. Each answer says the window is spent (X-RateLimit-Remaining-Default: 0) and when
// it resets; the client waits that out instead of drawing 429s. (429 storms themselves are the
// injected faults above, for every source.) A fresh store, so every page is new.
describe("Cal.com's own rate limiter", () => {
  it('waits out each window Cal.com reports spent, drawing no 429', async () => {
    const own = await startFaultWorld({
      world: {
        practice: { clients: 90, years: 2 }, // two pages: the second one meets the limit
        calcom: { rateLimit: { limit: 1, windowMs: 400, blockMs: 400 } },
      },
    });
    try {
      const outcome = await own.core.call('sync:run', { sources: ['calcom'], mode: 'full' });
      const r = resultOf(outcome, 'calcom');
      expect(r.state, r.error?.message).toBe('ok');
      expect(r.created).toBe(own.world.practice.stats.bookings.calcom);
      const log = own.world.calcom.log;
      expect(log.filter((l) => l.status === 429)).toEqual([]);
      expect(log.length).toBeGreaterThan(1);
      for (let i = 1; i < log.length; i++)
        expect(log[i]!.at - log[i - 1]!.at).toBeGreaterThanOrEqual(350);
    } finally {
      await own.close();
    }
  });
});
