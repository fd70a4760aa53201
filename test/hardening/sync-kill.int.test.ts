// `cadence sync` killed with SIGKILL at 20 random points, each in a fresh copy of the same
// configured data folder: 16 when a simulator receives a request picked at random across the whole
// run (schedulers and LACRM), 4 at a random moment after the last request (matching, the
// classification catch-up and the change plan). After each kill the database opens and is intact,
// nothing is duplicated and every stored booking is whole; a sync in the same folder then completes
// it exactly, keeping every row the killed run had stored. (Moved here from test/integration and
// extended from six timed kills in one folder.)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { secretNames } from '../../src/shared/domain';
import { tempDir } from '../helpers/temp';
import { configure, startWorld, storeCounts, testNet, type World } from '../helpers/world';
import { seeded, startCadence, stratifiedPoints, watchRequests } from './kill';

const TRIALS = 20;
const AFTER_SYNC_TRIALS = 4;
const SEED = Number(process.env.CADENCE_KILL_SEED ?? Date.now() % 1_000_000);

let world: World;
let lacrm: LacrmSim;
let template: string;
let profileId: string | null = null;
/** Called with each request any simulator receives; each run counts its own from 1. */
let onRequest: () => void = () => undefined;

beforeAll(async () => {
  // A smaller practice than the default keeps 40-odd CLI runs quick. Every run starts from scratch
  // against the same accounts within a few minutes, so the simulators allow far more than their
  // usual limits (Calendly still announces its limit, which the client's budget adopts).
  world = await startWorld({
    practice: { clients: 80, years: 1 },
    calcom: { rateLimit: { limit: 100_000 } },
    calendly: { rateLimit: { limit: 100_000 } },
  });
  const { practice } = world;
  lacrm = await startLacrmSim({
    user: practice.lacrm.user,
    contacts: practice.lacrm.contacts,
    customFields: practice.lacrm.customFields,
  });
  watchRequests(
    [world.calcom.faults, world.calendly.faults, world.tidycal.faults, lacrm.faults],
    () => onRequest(),
  );
  template = mkdtempSync(join(tmpdir(), 'cadence-kill-template-'));
  const setup = await createCore({ dataDir: template, secrets: new KeychainSecretStore() });
  profileId = setup.context.profile.profileId;
  await configure(setup, world);
  await setup.call('settings:set', {
    'lacrm.baseUrl': lacrm.baseUrl,
    'review.timezone': practice.advisor.timeZone,
  });
  await setup.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  setup.close();
}, 60_000);

afterAll(async () => {
  // Every trial folder is a copy of the template: one profile, one set of keychain entries.
  if (profileId !== null) {
    const secrets = new KeychainSecretStore();
    for (const name of [...secretNames, 'db-key']) await secrets.delete(`${profileId}:${name}`);
  }
  if (template) rmSync(template, { recursive: true, force: true });
  await Promise.all([world?.close(), lacrm?.close()]);
});

/** `cadence sync` in `dataDir`; `killAt` decides, per request number, when to SIGKILL it. */
async function syncKilled(
  dataDir: string,
  killAt: (n: number, kill: () => void) => void,
): Promise<NodeJS.Signals | null> {
  const run = startCadence(['--data-dir', dataDir, 'sync']);
  let n = 0;
  onRequest = () => killAt(++n, () => run.child.kill('SIGKILL'));
  try {
    return (await run.exited).signal;
  } finally {
    onRequest = () => undefined;
  }
}

function openCore(dataDir: string): Promise<Core> {
  return createCore({ dataDir, secrets: new KeychainSecretStore(), net: testNet });
}

const truthAttendeesPerBooking = () => {
  const own = new Set(world.practice.advisor.emails.all);
  const counts = new Map<string, number>();
  for (const a of world.practice.truth.attendees) {
    if (own.has(a.email.toLowerCase())) continue;
    const key = `${a.source}|${a.bookingId}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

/** What must hold right after a kill, before anything repairs it. */
function checkAfterKill(core: Core): Map<number, string> {
  expect(core.context.store.state).toBe('open');
  const db = core.context.db();
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const bookings = db.prepare('SELECT id, source, source_id FROM bookings').all() as {
    id: number;
    source: string;
    source_id: string;
  }[];
  expect(new Set(bookings.map((b) => `${b.source}|${b.source_id}`)).size).toBe(bookings.length);
  expect(
    db
      .prepare('SELECT booking_id, attendee_key FROM attendees GROUP BY 1, 2 HAVING count(*) > 1')
      .all(),
  ).toEqual([]);
  // Every booking stored is whole: a page is stored in one transaction or not at all.
  const truth = truthAttendeesPerBooking();
  const stored = db
    .prepare(
      `SELECT b.source, b.source_id, count(a.id) AS n FROM bookings b
       LEFT JOIN attendees a ON a.booking_id = b.id GROUP BY b.id`,
    )
    .all() as { source: string; source_id: string; n: number }[];
  for (const row of stored)
    expect(row.n, `${row.source} ${row.source_id}`).toBe(
      truth.get(`${row.source}|${row.source_id}`) ?? 0,
    );
  const contacts = db
    .prepare('SELECT count(*) AS n, count(DISTINCT contact_id) AS d FROM contacts')
    .get() as {
    n: number;
    d: number;
  };
  expect(contacts.d).toBe(contacts.n);
  return new Map(bookings.map((b) => [b.id, `${b.source}|${b.source_id}`]));
}

/** What must hold once a sync has run to the end after the kill (the original test's checks). */
function checkComplete(core: Core, storedAtKill: Map<number, string>, midRun: boolean): void {
  const db = core.context.db();
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  const counts = storeCounts(core);
  for (const source of ['calcom', 'calendly', 'tidycal'] as const) {
    expect(counts[source]!.n, source).toBe(world.practice.stats.bookings[source]);
    expect(counts[source]!.distinct_ids).toBe(counts[source]!.n);
  }
  // Nothing the killed run stored was lost or re-created under another row.
  const now = new Map(
    (
      db.prepare('SELECT id, source, source_id FROM bookings').all() as {
        id: number;
        source: string;
        source_id: string;
      }[]
    ).map((b) => [b.id, `${b.source}|${b.source_id}`]),
  );
  for (const [id, key] of storedAtKill) expect(now.get(id), key).toBe(key);
  // Attendees: exactly the simulators' count, each once per booking.
  const attendees = db.prepare('SELECT count(*) FROM attendees').pluck().get() as number;
  const expected = world.practice.truth.attendees.filter(
    (a) => !world.practice.advisor.emails.all.includes(a.email.toLowerCase()),
  ).length;
  expect(attendees).toBe(expected);
  expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(
    world.practice.lacrm.contacts.length,
  );
  // The after-sync stages finished too: one match per attendee, one open change per key.
  expect(
    db
      .prepare(
        'SELECT count(*) FROM attendees a LEFT JOIN matches m ON m.attendee_id = a.id WHERE m.attendee_id IS NULL',
      )
      .pluck()
      .get(),
  ).toBe(0);
  expect(
    db
      .prepare(
        "SELECT change_key FROM changes WHERE state IN ('proposed', 'approved', 'pushing') GROUP BY 1 HAVING count(*) > 1",
      )
      .all(),
  ).toEqual([]);
  // Interrupted runs are recorded as such, and the last one of each source finished.
  const states = (
    db.prepare('SELECT state FROM sync_runs ORDER BY id').all() as { state: string }[]
  ).map((r) => r.state);
  expect(states.filter((s) => s === 'running')).toEqual([]);
  if (midRun) expect(states.filter((s) => s === 'interrupted').length).toBeGreaterThan(0);
  expect(states.slice(-4)).toEqual(['ok', 'ok', 'ok', 'ok']);
}

describe(`sync killed at ${TRIALS} random points (seed ${SEED})`, () => {
  it('loses nothing, duplicates nothing, and the database always opens', async () => {
    // A reference run: how many requests a whole sync makes, and how long it runs after the last.
    const reference = tempDir();
    cpSync(template, reference, { recursive: true });
    let total = 0;
    let lastRequestAt = 0;
    const run = startCadence(['--data-dir', reference, 'sync']);
    onRequest = () => {
      total++;
      lastRequestAt = performance.now();
    };
    expect((await run.exited).code).toBe(0);
    const afterLastMs = performance.now() - lastRequestAt;
    onRequest = () => undefined;
    expect(total).toBeGreaterThan(50);

    const random = seeded(SEED);
    const points = stratifiedPoints(TRIALS - AFTER_SYNC_TRIALS, total, random);
    const trials = [
      ...points.map((n) => ({ kind: 'request' as const, n, delayMs: 0 })),
      ...Array.from({ length: AFTER_SYNC_TRIALS }, () => ({
        kind: 'after-sync' as const,
        n: total,
        delayMs: Math.round((0.05 + 0.8 * random()) * afterLastMs),
      })),
    ];
    let killedMidRun = 0;
    for (const [i, trial] of trials.entries()) {
      const label = `trial ${i + 1} (${trial.kind}, request ${trial.n}${trial.delayMs ? ` + ${trial.delayMs} ms` : ''})`;
      let dataDir = '';
      let signal: NodeJS.Signals | null = null;
      // A kill timed after the last request can come too late if this run's after-sync stages
      // were quicker than the reference run's: then the same trial is tried again, sooner.
      for (let delayMs = trial.delayMs, attempt = 0; signal === null && attempt < 4; attempt++) {
        dataDir = tempDir();
        cpSync(template, dataDir, { recursive: true });
        signal = await syncKilled(dataDir, (n, kill) => {
          if (n !== trial.n) return;
          if (trial.kind === 'request') kill();
          else setTimeout(kill, delayMs);
        });
        delayMs = Math.floor(delayMs / 2);
      }
      expect(signal, label).toBe('SIGKILL');

      const core = await openCore(dataDir);
      try {
        const storedAtKill = checkAfterKill(core);
        const running = core.context
          .db()
          .prepare("SELECT count(*) FROM sync_runs WHERE state IN ('running', 'interrupted')")
          .pluck()
          .get() as number;
        if (running > 0) killedMidRun++;
        const outcome = await core.call('sync:run', { sources: 'all' });
        for (const r of outcome.results)
          expect(r.state, `${label}: ${r.source} ${r.error?.message}`).toBe('ok');
        checkComplete(core, storedAtKill, trial.kind === 'request');
      } finally {
        core.close();
      }
    }
    // The request-triggered kills really landed inside a run.
    expect(killedMidRun).toBeGreaterThanOrEqual(TRIALS - AFTER_SYNC_TRIALS);
  }, 300_000);
});
