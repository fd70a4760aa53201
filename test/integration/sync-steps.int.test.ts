// The steps after the sources and the matching — sorting the bookings into categories, working
// out the changes for LACRM — say when they fail (event `sync:step-failed`, a line on the Sync
// panel, `cadence sync` on stderr with exit 1) rather than only logging it, and the next sync runs
// them again.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { runCadence } from '../helpers/cli';
import { booking, setup, storeBookings } from './match-fixtures';
import { FAULTS } from '../helpers/faults';

const storeTwoBookings = (core: Core) =>
  storeBookings(
    core,
    booking([{ email: 'jane@acme.example', name: 'Jane Doe' }]),
    booking([{ email: 'bob.smith.home@mail.example', name: 'Bob Smith' }]),
  );

/** The step events of one sync of the contacts (failed, and run to the end), and the sources' states. */
async function syncContacts(core: Core) {
  const failures: unknown[] = [];
  const done: unknown[] = [];
  const off = core.subscribe((event, payload) => {
    if (event === 'sync:step-failed') failures.push(payload);
    if (event === 'sync:step-done') done.push(payload);
  });
  try {
    const outcome = await core.call('sync:run', { sources: ['lacrm'] });
    return { failures, done, states: outcome.results.map((r) => [r.source, r.state]) };
  } finally {
    off();
  }
}

const count = (core: Core, sql: string) =>
  core.context.db().prepare(sql).pluck().get() as number | string | null;

describe('steps after a sync that fail', () => {
  // Per step: what it has written once it ran (nothing after the failure, done after the next sync).
  const STEPS = [
    {
      step: 'classification',
      title: 'sorting into categories: says why, keeps the sync, and sorts on the next sync',
      done: (core: Core) =>
        count(core, 'SELECT count(*) FROM booking_classifications WHERE stale = 0') === 2,
      none: (core: Core) =>
        count(core, 'SELECT count(*) FROM booking_classifications WHERE stale = 0') === 0,
    },
    {
      step: 'plan',
      title: 'working out the changes for LACRM: says why, and plans on the next sync',
      done: (core: Core) => count(core, 'SELECT planned_at FROM plan_marks') !== null,
      none: (core: Core) => count(core, 'SELECT planned_at FROM plan_marks') === null,
    },
  ] as const;

  for (const { step, title, done, none } of STEPS) {
    it(title, async () => {
      const { core } = await setup();
      storeTwoBookings(core);
      core.context.db().exec(FAULTS[step]);
      const failed = await syncContacts(core);
      expect(failed.states).toEqual([['lacrm', 'ok']]);
      expect(failed.failures).toEqual([{ step, error: 'simulated write failure', after: 'sync' }]);
      // The other steps ran to the end, and say so; the failed one does not.
      const others = (['matching', 'classification', 'plan'] as const).filter((s) => s !== step);
      expect(failed.done).toEqual(others.map((s) => ({ step: s, after: 'sync' })));
      expect(none(core)).toBe(true);

      core.context.db().exec('DROP TRIGGER test_fault');
      const next = await syncContacts(core);
      expect(next.failures).toEqual([]);
      expect(next.done).toContainEqual({ step, after: 'sync' });
      expect(done(core)).toBe(true);
    });
  }

  it('cadence sync prints the failed step and exits 1', async () => {
    const { core } = await setup();
    const dataDir = core.context.dataDir;
    storeTwoBookings(core);
    core.context.db().exec(FAULTS.plan);
    core.close();

    const failed = await runCadence(['--data-dir', dataDir, 'sync', '--source', 'lacrm']);
    expect(failed.code, failed.stderr).toBe(1);
    const line =
      'Changes for LACRM: FAILED · simulated write failure · the list of changes was not updated and nothing was written to LACRM; the next sync works them out again';
    expect(failed.stderr).toContain(`\n${line}\n`);
    expect(failed.stderr).toContain(`\nSummary\n`);
    expect(failed.stderr).toContain(`  ${line}\n`);
    expect(failed.stderr).toContain('the changes for LACRM were not worked out');
    expect(failed.stderr).toContain('  Matching: done');
    expect(failed.stdout).toBe('');
  });
});
