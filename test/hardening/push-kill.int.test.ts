// `cadence push` killed with SIGKILL at 20 random points, each in a fresh copy of one data folder
// holding 30 approved CreateEvent changes, against a fresh LACRM simulator with the same contacts:
// half the kills land as a create reaches LACRM and is never processed (the change is left
// 'pushing' with nothing in LACRM), half just after LACRM made the event and before its answer
// arrives (left 'pushing' with the event in LACRM). After each kill the database opens and is
// intact, nothing in LACRM is doubled and no change is lost; the next push in the same folder
// writes every change exactly once (finding the made event by its marker instead of creating it
// again), the interrupted batch is recorded as such, and the audit chain holds.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../src/main/audit';
import { createCore, type Core } from '../../src/main/core/core';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import { lacrmFunctionOf, startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import type { LacrmContact } from '../../src/main/crm/lacrm/types';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { tempDir } from '../helpers/temp';
import { testNet } from '../helpers/world';
import { changeRows } from '../integration/push-fixtures';
import { seeded, startCadence, stratifiedPoints } from './kill';
import { approvedPushFolder } from './push-world';

const TRIALS = 20;
const CONTACTS = 10;
const MEETINGS_PER_CONTACT = 3;
const SEED = Number(process.env.CADENCE_KILL_SEED ?? Date.now() % 1_000_000);

let template: string;
let profileId: string | null = null;
let contacts: LacrmContact[] = [];
let total = 0;

beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), 'cadence-push-kill-template-'));
  const made = await approvedPushFolder(template, {
    contacts: CONTACTS,
    meetingsPerContact: MEETINGS_PER_CONTACT,
  });
  profileId = made.profileId;
  total = made.total;
  contacts = made.lacrm.contacts();
  await made.lacrm.close();
}, 60_000);

afterAll(() => {
  if (profileId !== null) {
    const secrets = new KeychainSecretStore();
    void secrets.delete(`${profileId}:lacrm`);
    void secrets.delete(`${profileId}:db-key`);
  }
  if (template) rmSync(template, { recursive: true, force: true });
});

function openCore(dataDir: string): Promise<Core> {
  return createCore({ dataDir, secrets: new KeychainSecretStore(), net: testNet });
}

type Trial = Readonly<{ createNumber: number; when: 'before' | 'after' }>;

/**
 * A copy of the template pointed at a new simulator that kills the push on its n-th CreateEvent:
 * 'before' answers that create never (it is not processed), 'after' processes it first.
 */
async function pushKilled(trial: Trial): Promise<{ dataDir: string; lacrm: LacrmSim }> {
  const faults = new FaultPlan();
  const lacrm = await startLacrmSim({ contacts, faults });
  const dataDir = tempDir();
  cpSync(template, dataDir, { recursive: true });
  const setup = await openCore(dataDir);
  await setup.call('settings:set', { 'lacrm.baseUrl': lacrm.baseUrl });
  setup.close();

  const run = startCadence(['--data-dir', dataDir, 'push']);
  let creates = 0;
  faults.add({
    phase: trial.when,
    match: (req) => {
      if (lacrmFunctionOf(req) !== 'CreateEvent' || ++creates !== trial.createNumber) return false;
      run.child.kill('SIGKILL');
      // Before: the create is swallowed unprocessed. After: it was made; the answer goes nowhere.
      return trial.when === 'before';
    },
    fault: { kind: 'hang' },
  });
  const exit = await run.exited;
  expect(exit.signal, `create ${trial.createNumber} ${trial.when}`).toBe('SIGKILL');
  return { dataDir, lacrm };
}

/** Right after the kill: intact, nothing doubled in LACRM, nothing lost or failed. */
function checkAfterKill(core: Core, lacrm: LacrmSim, trial: Trial): void {
  expect(core.context.store.state).toBe('open');
  expect(core.context.db().pragma('integrity_check', { simple: true })).toBe('ok');
  const rows = changeRows(core);
  expect(rows).toHaveLength(total);
  for (const row of rows) {
    expect(['approved', 'pushing', 'pushed'], `change ${row.id}`).toContain(row.state);
    expect(lacrm.eventsWithMarker(row.marker!)).toBeLessThanOrEqual(1);
    if (row.state === 'pushed') {
      expect(row.lacrm_id).not.toBeNull();
      expect(lacrm.eventsWithMarker(row.marker!)).toBe(1);
    }
  }
  // The kill came during the n-th create: the changes before it were written and recorded.
  expect(rows.filter((r) => r.state === 'pushed').length).toBeGreaterThanOrEqual(
    trial.createNumber - 1,
  );
  expect(rows.filter((r) => r.state === 'pushed').length).toBeLessThan(total);
  expect(lacrm.events()).toHaveLength(trial.createNumber - (trial.when === 'before' ? 1 : 0));
}

/** After the next push: every change written once, with its id; the history says what happened. */
function checkComplete(core: Core, lacrm: LacrmSim): void {
  const rows = changeRows(core);
  expect(rows).toHaveLength(total);
  const events = new Map(lacrm.events().map((e) => [e.EventId, e]));
  expect(events.size).toBe(total);
  for (const row of rows) {
    expect(row.state).toBe('pushed');
    expect(lacrm.eventsWithMarker(row.marker!)).toBe(1);
    expect(events.get(row.lacrm_id!)?.Description).toContain(row.marker!);
  }
  const db = core.context.db();
  const batches = (
    db.prepare('SELECT state FROM push_batches ORDER BY id').all() as { state: string }[]
  ).map((b) => b.state);
  expect(batches).toEqual(['interrupted', 'finished']);
  expect(verifyAudit(db).ok).toBe(true);
  expect(listAudit(db, { limit: 1000, action: 'push.event_created' }).length).toBe(total);
}

describe(`push killed at ${TRIALS} random points (seed ${SEED})`, () => {
  it('writes every approved change exactly once after any kill', async () => {
    const random = seeded(SEED);
    const points = stratifiedPoints(TRIALS, total, random);
    for (const [i, createNumber] of points.entries()) {
      const trial: Trial = { createNumber, when: i % 2 === 0 ? 'before' : 'after' };
      const { dataDir, lacrm } = await pushKilled(trial);
      try {
        const core = await openCore(dataDir);
        try {
          checkAfterKill(core, lacrm, trial);
          const outcome = await core.call('changes:push', {});
          expect(outcome.failed, JSON.stringify(outcome)).toBe(0);
          checkComplete(core, lacrm);
        } finally {
          core.close();
        }
      } finally {
        await lacrm.close();
      }
    }
  }, 240_000);
});
