// Exactly once under fire: 1,000 approved CreateEvent changes pushed through the real `cadence push`
// against the LACRM simulator with ~10% timeouts (the create happened, the answer was lost: hung
// and dropped connections), 5xx before and after processing, and 429s; the first push process is
// killed with SIGKILL in the middle of the batch and `cadence push` is run again. Every change must
// end 'pushed' with its LACRM id, and the simulator must hold exactly one event per marker.
//
// The child processes get short timeouts through CADENCE_TEST_LACRM_NET (read by `cadence push`
// only; see src/main/cli/commands-changes.ts).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../src/main/audit';
import { createCore, type Core } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { FaultPlan } from '../../src/main/demo/sim/kit';
import {
  lacrmFunctionOf,
  onLacrmFunction,
  startLacrmSim,
  type LacrmSim,
} from '../../src/main/demo/sim/lacrm';
import { matchAll } from '../../src/main/pipeline';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import type { NormalizedBooking } from '../../src/main/sources/types';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { changeRows } from './push-fixtures';

const root = resolve(import.meta.dirname, '../..');
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

/** A seeded generator, so the faults fall the same way on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function meeting(index: number, email: string, name: string): NormalizedBooking {
  const start = Date.UTC(2026, 0, 5, 14) + index * 5 * 3_600_000;
  return {
    source: 'tidycal',
    sourceId: String(500_000 + index),
    sourceAltId: null,
    title: `Planning meeting ${index}`,
    eventTypeSlug: 'planning-meeting',
    eventTypeName: 'Planning meeting',
    startUtc: new Date(start).toISOString(),
    endUtc: new Date(start + 45 * 60_000).toISOString(),
    timeZone: index % 2 === 0 ? 'America/Chicago' : 'Europe/Berlin',
    durationMinutes: 45,
    status: 'scheduled',
    location: null,
    hosts: [],
    attendees: [
      {
        email,
        name,
        role: 'attendee',
        timeZone: null,
        noShow: false,
        cancelled: false,
        sourceRef: null,
      },
    ],
    customAnswers: [],
    cancellationReason: null,
    rescheduledFromId: null,
    rescheduledToId: null,
    sourceCreatedAt: null,
    sourceUpdatedAt: null,
    changeKey: null,
    raw: {},
  };
}

let lacrm: LacrmSim;
let dataDir: string;
let core: Core | null = null;
const faultPlan = new FaultPlan(seeded(20_261_125));
let onCreate: (() => void) | null = null;
let creates = 0;

beforeAll(async () => {
  lacrm = await startLacrmSim({ faults: faultPlan });
  const people: { email: string; name: string }[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const email = `client${i}@clients.example`;
    lacrm.addContactDirectly({
      Name: { FirstName: `Client${i}`, LastName: 'Example' },
      Email: [{ Text: email, Type: 'Work' }],
    });
    people.push({ email, name: `Client${i} Example` });
  }
  dataDir = tempDir();
  core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  await core.call('settings:set', {
    'lacrm.baseUrl': lacrm.baseUrl,
  });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  const synced = await core.call('sync:run', { sources: ['lacrm'] });
  expect(synced.results[0]?.state).toBe('ok');
  const db = core.context.db();
  const nowIso = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < TOTAL; i++) {
      const person = people[i % CONTACTS]!;
      storeBooking(db, meeting(i, person.email, person.name), null, nowIso);
    }
  })();
  matchAll(core.context);
  const plan = await core.call('changes:plan', {});
  expect(plan.proposed).toBe(TOTAL);
  expect((await core.call('changes:approve', { all: true })).changed).toBe(TOTAL);
  core.close();
  core = null;

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
  const cleanup = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  await cleanup.context.secrets.delete(cleanup.context.secretAccount('lacrm'));
  await cleanup.context.secrets.delete(`${cleanup.context.profile.profileId}:db-key`);
  cleanup.close();
  await lacrm?.close();
});

/** `cadence push`, SIGKILLed the moment the simulator receives its KILL_AT_CREATE-th create. */
function pushUntilKilled(): Promise<NodeJS.Signals | null> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(root, 'src/main/cli.ts'), '--data-dir', dataDir, 'push'],
      { cwd: root, stdio: 'ignore', env: { ...process.env, CADENCE_TEST_LACRM_NET: testNet } },
    );
    onCreate = () => child.kill('SIGKILL');
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      onCreate = null;
      done(signal);
    });
  });
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
