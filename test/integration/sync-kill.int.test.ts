// A sync process killed with SIGKILL at random moments and run again: nothing is lost, nothing is
// duplicated, the database opens, and the final counts are exact.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core/core';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { configure, startWorld, storeCounts, type World } from '../helpers/world';

const root = resolve(import.meta.dirname, '../..');
let world: World;

beforeAll(async () => {
  // Slow every request a little so a sync takes long enough to be killed in the middle of it.
  const slow = () => new FaultPlan().add({ fault: { kind: 'slow', ms: 25 } });
  world = await startWorld({
    calcom: { faults: slow() },
    calendly: { faults: slow() },
    tidycal: { faults: slow() },
  });
});
afterAll(async () => world?.close());

function syncAndKillAfter(dataDir: string, ms: number): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(root, 'src/main/cli.ts'), '--data-dir', dataDir, 'sync'],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

describe('sync killed at random points', () => {
  it('loses nothing and duplicates nothing across kills and re-runs', async () => {
    const dataDir = tempDir();
    const setup = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    await configure(setup, world);
    setup.close();

    // Kill points spread over start-up, the first pages, and late in the run.
    const killAfter = [900, 1300, 1700, 2100, 2600, 3200];
    for (const ms of killAfter)
      await syncAndKillAfter(dataDir, ms + Math.floor(Math.random() * 300));

    const final = await runCadence(['--data-dir', dataDir, 'sync'], { timeoutMs: 120_000 });
    expect(final.code, final.stderr).toBe(0);

    const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    try {
      const db = core.context.db();
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const counts = storeCounts(core);
      for (const source of ['calcom', 'calendly', 'tidycal'] as const) {
        expect(counts[source]!.n, source).toBe(world.practice.stats.bookings[source]);
        expect(counts[source]!.distinct_ids).toBe(counts[source]!.n);
      }
      // Attendees: exactly the simulators' count, each once per booking.
      const attendees = (db.prepare('SELECT count(*) AS n FROM attendees').get() as { n: number })
        .n;
      const dupes = db
        .prepare(
          'SELECT booking_id, attendee_key, count(*) AS n FROM attendees GROUP BY 1, 2 HAVING n > 1',
        )
        .all();
      expect(dupes).toEqual([]);
      const expected = world.practice.truth.attendees.filter(
        (a) => !world.practice.advisor.emails.all.includes(a.email.toLowerCase()),
      ).length;
      expect(attendees).toBe(expected);
      // Interrupted runs are recorded as such, and the last one finished.
      const states = (
        db.prepare('SELECT state FROM sync_runs ORDER BY id').all() as { state: string }[]
      ).map((r) => r.state);
      expect(states.filter((s) => s === 'running')).toEqual([]);
      // The kills really landed mid-sync: runs were left running and later marked interrupted.
      expect(states.filter((s) => s === 'interrupted').length).toBeGreaterThan(0);
      expect(states.slice(-3)).toEqual(['ok', 'ok', 'ok']);
    } finally {
      core.close();
    }
  }, 180_000);
});
