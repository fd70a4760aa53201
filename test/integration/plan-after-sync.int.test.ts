// The change plan after a sync runs only when something it reads changed or time moved a fact: a
// quiet sync re-plans nothing, and a plan it skipped is never stale (planning by hand right after
// finds nothing to change). New bookings, a meeting that has since ended, a setting, an approval
// and a match decision each bring the plan back. Against the LACRM simulator, with the real
// encrypted store and keychain.
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { openDatabase } from '../../src/main/db/open';
import { timeMovedPlanFacts } from '../../src/main/db/queries/plan-marks';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { testAttendee, testBooking } from '../helpers/booking';
import { tempDir } from '../helpers/temp';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 2, 12);

async function practice() {
  const lacrm: LacrmSim = await startLacrmSim();
  cleanups.push(() => lacrm.close());
  const ann = lacrm.addContactDirectly({
    Name: { FirstName: 'Ann', LastName: 'Archer' },
    Email: [{ Text: 'ann@archer.example', Type: 'Work' }],
  });
  let nowMs = START;
  const core: Core = await createCore({
    dataDir: tempDir(),
    secrets: new KeychainSecretStore(),
    net: { requestsPerMinute: { lacrm: Infinity }, timeoutMs: 2000, baseBackoffMs: 2 },
    clock: () => new Date(nowMs),
  });
  cleanups.push(async () => {
    await core.context.secrets.delete(core.context.secretAccount('lacrm'));
    core.close();
  });
  await core.call('settings:set', { 'lacrm.baseUrl': lacrm.baseUrl });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  const db = core.context.db();
  const planRuns = () => db.prepare('SELECT count(*) FROM plan_runs').pluck().get() as number;
  // The plan's step events of each sync: 'started' (only when it plans), then 'done'.
  let steps: string[] = [];
  core.subscribe((event, payload) => {
    if (event === 'sync:step-started' || event === 'sync:step-done') {
      const { step } = payload as { step: string };
      if (step === 'plan') steps.push(event.slice('sync:step-'.length));
    }
  });
  const sync = async () => {
    const before = planRuns();
    steps = [];
    const outcome = await core.call('sync:run', { sources: ['lacrm'] });
    expect(outcome.results[0]?.state).toBe('ok');
    const planned = planRuns() - before;
    // The panel is told the plan is being worked out exactly when it is.
    expect(steps).toEqual(planned > 0 ? ['started', 'done'] : ['done']);
    return planned;
  };
  /** A plan made by hand now finds nothing to change: what the skipped plan left is current. */
  const expectPlanCurrent = async () => {
    const fresh = await core.call('changes:plan', {});
    expect(fresh).toMatchObject({ proposed: 0, updated: 0, reproposed: 0, withdrawn: 0 });
  };
  const meeting = (id: string, startMs: number) =>
    storeBooking(
      db,
      testBooking({
        sourceId: id,
        title: 'Annual review',
        eventTypeSlug: 'annual-review',
        startUtc: new Date(startMs).toISOString(),
        attendees: [testAttendee('ann@archer.example', 'Ann Archer')],
      }),
      null,
      new Date(nowMs).toISOString(),
    );
  return {
    core,
    db,
    lacrm,
    ann,
    sync,
    expectPlanCurrent,
    meeting,
    advance: (ms: number) => (nowMs += ms),
  };
}

describe('the change plan after a sync', () => {
  it('skips a quiet sync and comes back for every kind of change', async () => {
    const p = await practice();
    expect(await p.sync()).toBe(1); // the first plan
    expect(await p.sync()).toBe(0); // nothing changed
    await p.expectPlanCurrent();
    expect(await p.sync()).toBe(0);

    // Bookings stored (a scheduler sync, a webhook): a held review and one still to come.
    p.meeting('past', START - 48 * HOUR);
    p.meeting('later', START + 2 * HOUR);
    expect(await p.sync()).toBe(1);
    const planned = await p.core.call('changes:list', {});
    expect(await p.sync()).toBe(0);
    await p.expectPlanCurrent();

    // Time alone: the second review has been held since the last plan.
    p.advance(4 * HOUR);
    expect(await p.sync()).toBe(1);
    const afterHeld = await p.core.call('changes:list', {});
    expect(afterHeld.total).toBeGreaterThan(planned.total);
    expect(await p.sync()).toBe(0);
    await p.expectPlanCurrent();

    // Time that ends no meeting and moves none out of the last twelve months: still quiet.
    p.advance(HOUR);
    expect(await p.sync()).toBe(0);

    // A setting the plan reads.
    await p.core.call('settings:set', { 'lacrm.notes.enabled': true });
    expect(await p.sync()).toBe(1);
    expect(await p.sync()).toBe(0);
    await p.expectPlanCurrent();

    // The advisor approves a change.
    const open = await p.core.call('changes:list', {});
    const first = open.changes[0];
    expect(first).toBeDefined();
    await p.core.call('changes:approve', { ids: [first!.id] });
    expect(await p.sync()).toBe(1);
    expect(await p.sync()).toBe(0);

    // The contact changes in LACRM, and the refresh brings it in.
    p.advance(60_000);
    p.lacrm.editContactDirectly(p.ann, { Name: { FirstName: 'Annie', LastName: 'Archer' } });
    expect(await p.sync()).toBe(1);
    expect(await p.sync()).toBe(0);
    await p.expectPlanCurrent();

    // A match decision: the advisor ignores the address from now on.
    await p.core.call('matches:ignore', { email: 'ann@archer.example' });
    expect(await p.sync()).toBe(1);
    await p.expectPlanCurrent();
  });
});

describe('time moving plan facts', () => {
  it('counts a meeting that ended or left the last twelve months, nothing else', () => {
    const db = openDatabase({
      file: join(tempDir(), 't.db'),
      keyHex: randomBytes(32).toString('hex'),
    });
    storeBooking(
      db,
      testBooking({ sourceId: 'm', title: 'Review', startUtc: '2025-03-10T15:00:00.000Z' }),
      null,
      '2025-03-01T00:00:00.000Z',
    );
    const moved = (from: string, to: string) => timeMovedPlanFacts(db, from, to);
    // It ends at 16:00 on 10 March 2025.
    expect(moved('2025-03-10T15:30:00.000Z', '2025-03-10T16:00:00.000Z')).toBe(true);
    expect(moved('2025-03-10T16:00:00.000Z', '2025-06-01T00:00:00.000Z')).toBe(false);
    // It leaves the last twelve months 365 days after it started.
    expect(moved('2026-03-10T14:00:00.000Z', '2026-03-10T15:30:00.000Z')).toBe(true);
    expect(moved('2026-03-10T15:30:00.000Z', '2026-09-01T00:00:00.000Z')).toBe(false);
    // The same instant, and a clock that went backwards.
    expect(moved('2025-03-10T12:00:00.000Z', '2025-03-10T12:00:00.000Z')).toBe(false);
    expect(moved('2025-03-10T13:00:00.000Z', '2025-03-10T12:00:00.000Z')).toBe(true);
    db.close();
  });
});
