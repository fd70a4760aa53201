// Exactly once under fire (moved here from test/integration): 1,000 approved CreateEvent changes
// pushed through the real `cadence push` against the LACRM simulator with ~10% timeouts (the
// create happened, the answer was lost: hung and dropped connections), 5xx before and after
// processing, and 429s; the first push process is killed with SIGKILL in the middle of the batch
// and `cadence push` is run again. Every change must end 'pushed' with its LACRM id, and the
// simulator must hold exactly one event per marker.
//
// The child processes get short timeouts through CADENCE_TEST_LACRM_NET (read by `cadence push`
// only; see src/main/cli/commands-changes.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../src/main/audit';
import { createCore, type Core } from '../../src/main/core/core';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import { lacrmFunctionOf, onLacrmFunction, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { changeRows } from '../integration/push-fixtures';
import { seeded, startCadence } from './kill';
import { approvedPushFolder } from './push-world';

const CONTACTS = 100;
const MEETINGS_PER_CONTACT = 10;
const TOTAL = CONTACTS * MEETINGS_PER_CONTACT;
const KILL_AT_CREATE = 350;

const testNet = JSON.stringify({
  timeoutMs: 150,
  baseBackoffMs: 2,
  maxRetries: 12,
  retryDelayMs: 5,
  requestsPerMinute: null,
});

let lacrm: LacrmSim;
let dataDir: string;
let profileId: string | null = null;
let core: Core | null = null;
const faultPlan = new FaultPlan(seeded(20_261_125));
let onCreate: (() => void) | null = null;
let creates = 0;

beforeAll(async () => {
  dataDir = tempDir();
  ({ lacrm, profileId } = await approvedPushFolder(dataDir, {
    contacts: CONTACTS,
    meetingsPerContact: MEETINGS_PER_CONTACT,
    lacrm: { faults: faultPlan },
  }));

  // The hook first (it never fires a fault; it sees every request), then the faults.
  faultPlan.add({
    match: (req) => {
      if (lacrmFunctionOf(req) === 'CreateEvent' && ++creates === KILL_AT_CREATE) onCreate?.();
      return false;
    },
    fault: { kind: 'status', status: 599 },
  });
  const creating = onLacrmFunction('CreateEvent');
  faultPlan
    .add({ phase: 'before', fault: { kind: 'status', status: 429 }, probability: 0.05 })
    .add({
      phase: 'before',
      match: creating,
      fault: { kind: 'status', status: 503 },
      probability: 0.05,
    })
    .add({
      phase: 'before',
      match: onLacrmFunction('GetEvents'),
      fault: { kind: 'status', status: 500 },
      probability: 0.05,
    })
    .add({ phase: 'after', match: creating, fault: { kind: 'hang' }, probability: 0.05 })
    .add({ phase: 'after', match: creating, fault: { kind: 'drop' }, probability: 0.05 })
    .add({
      phase: 'after',
      match: creating,
      fault: { kind: 'status', status: 502 },
      probability: 0.05,
    });
}, 60_000);

afterAll(async () => {
  core?.close();
  if (profileId !== null) {
    const secrets = new KeychainSecretStore();
    await secrets.delete(`${profileId}:lacrm`);
    await secrets.delete(`${profileId}:db-key`);
  }
  await lacrm?.close();
});

/** `cadence push`, SIGKILLed the moment the simulator receives its KILL_AT_CREATE-th create. */
async function pushUntilKilled(): Promise<NodeJS.Signals | null> {
  const run = startCadence(['--data-dir', dataDir, 'push'], { CADENCE_TEST_LACRM_NET: testNet });
  onCreate = () => run.child.kill('SIGKILL');
  try {
    return (await run.exited).signal;
  } finally {
    onCreate = null;
  }
}

describe('1,000 pushes with timeouts, 5xx, 429 and a kill in the middle', () => {
  it('writes every approved change exactly once', async () => {
    expect(await pushUntilKilled()).toBe('SIGKILL');
    const afterKill = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    const midway = changeRows(afterKill, "state = 'pushed'").length;
    afterKill.close();
    expect(midway).toBeGreaterThan(100);
    expect(midway).toBeLessThan(TOTAL);

    const final = await runCadence(['--data-dir', dataDir, 'push'], {
      env: { CADENCE_TEST_LACRM_NET: testNet },
      timeoutMs: 90_000,
    });
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toMatch(/written to LACRM, 0 failed/);
    expect(final.stderr).toMatch(/Pushing \d+\/\d+/);

    core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    const rows = changeRows(core);
    expect(rows).toHaveLength(TOTAL);
    const events = new Map(lacrm.events().map((e) => [e.EventId, e]));
    expect(events.size).toBe(TOTAL);
    for (const row of rows) {
      expect(row.state).toBe('pushed');
      expect(lacrm.eventsWithMarker(row.marker!)).toBe(1);
      expect(events.get(row.lacrm_id!)?.Description).toContain(row.marker!);
    }

    // The kill landed mid-batch, and lost answers were resolved by finding the marker.
    const db = core.context.db();
    const batches = db.prepare('SELECT state, pushed FROM push_batches ORDER BY id').all() as {
      state: string;
      pushed: number;
    }[];
    expect(batches.map((b) => b.state)).toEqual(['interrupted', 'finished']);
    expect(batches[0]!.pushed).toBe(midway);
    const adopted = listAudit(db, { limit: 1000, action: 'push.event_created' }).filter(
      (e) => e.detail?.adopted === true,
    );
    expect(adopted.length).toBeGreaterThan(10);
    expect(lacrm.callCount('GetEvents')).toBeGreaterThan(adopted.length);
    expect(verifyAudit(db).ok).toBe(true);
  }, 120_000);
});
