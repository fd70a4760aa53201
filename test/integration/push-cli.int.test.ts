// The change commands as a black box: `export changes` with exactly the promised fields (JSON and
// CSV), `approve --all | ID…` with its argument errors, `push` with progress, `undo BATCH` proposing
// compensations that are approved and pushed, and `audit verify` passing, then failing (exit 1,
// naming the entry) once a row of the log is edited behind Cadence's back. Most commands run
// in-process through runCli (the same code as bin `cadence`); push and audit verify run as the real
// `cadence` in a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/run';
import { createCore } from '../../src/main/core/core';
import { storeBooking } from '../../src/main/db/queries/bookings';
import { startLacrmSim, type LacrmSim } from '../../src/main/demo/sim/lacrm';
import { matchAll } from '../../src/main/pipeline';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { testAttendee, testBooking } from '../helpers/booking';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

const FIELDS = [
  'id',
  'kind',
  'contactId',
  'bookingSource',
  'bookingId',
  'state',
  'before',
  'after',
  'lacrmId',
  'error',
];

const CALENDLY_URI =
  'https://api.calendly.com/scheduled_events/0f3c2a8e-1111-4000-8000-00000000abcd';

function meeting(source: 'calendly' | 'tidycal', sourceId: string, email: string, day: number) {
  return testBooking({
    source,
    sourceId,
    title: `Check-in ${day}`,
    eventTypeName: 'Check-in',
    startUtc: new Date(Date.UTC(2026, 2, day, 15)).toISOString(),
    timeZone: 'America/Denver',
    durationMinutes: 30,
    location: 'Zoom',
    attendees: [testAttendee(email, null)],
  });
}

let lacrm: LacrmSim;
let dataDir: string;
let annId: string;

beforeAll(async () => {
  lacrm = await startLacrmSim();
  annId = lacrm.addContactDirectly({
    Name: { FirstName: 'Ann', LastName: 'Example' },
    Email: [{ Text: 'ann@clients.example', Type: 'Work' }],
  });
  lacrm.addContactDirectly({
    Name: { FirstName: 'Bo', LastName: 'Example' },
    Email: [{ Text: 'bo@clients.example', Type: 'Work' }],
  });
  dataDir = tempDir();
  const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  await core.call('settings:set', {
    'lacrm.baseUrl': lacrm.baseUrl,
  });
  await core.call('secrets:set', { name: 'lacrm', value: lacrm.apiKey });
  await core.call('sync:run', { sources: ['lacrm'] });
  const db = core.context.db();
  db.transaction(() => {
    const now = new Date().toISOString();
    storeBooking(db, meeting('calendly', CALENDLY_URI, 'ann@clients.example', 3), null, now);
    storeBooking(db, meeting('tidycal', '9001', 'ann@clients.example', 10), null, now);
    storeBooking(db, meeting('tidycal', '9002', 'bo@clients.example', 12), null, now);
  })();
  matchAll(core.context);
  core.close();
}, 30_000);

afterAll(async () => {
  const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
  await core.context.secrets.delete(core.context.secretAccount('lacrm'));
  await core.context.secrets.delete(`${core.context.profile.profileId}:db-key`);
  core.close();
  await lacrm.close();
});

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['--data-dir', dataDir, ...args], {
    io: {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readSecret: async () => '',
      env: process.env,
    },
  });
  return { code, stdout, stderr };
}

type Exported = {
  id: number;
  kind: string;
  contactId: string | null;
  bookingSource: string | null;
  bookingId: string | null;
  state: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  lacrmId: string | null;
  error: string | null;
};

async function exported(): Promise<Exported[]> {
  const result = await cli('export', 'changes', '--format', 'json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Exported[];
}

describe('cadence export changes, approve, push, undo, audit verify', () => {
  it('runs the whole cycle from the command line', async () => {
    // Mapping a field from the command line changes that key only.
    const mapped = await cli(
      'config',
      'set',
      'lacrm.fields.meetings12m',
      'Meetings last 12 months',
    );
    expect(mapped.code, mapped.stderr).toBe(0);
    expect((await cli('config', 'get', 'lacrm.baseUrl')).stdout.trim()).toBe(lacrm.baseUrl);
    expect((await cli('plan')).stdout).toMatch(/^5 new changes, 0 updated/);
    const proposed = await exported();
    for (const row of proposed) expect(Object.keys(row)).toEqual(FIELDS);
    expect(proposed.map((r) => r.kind)).toEqual([
      'CreateEvent',
      'CreateEvent',
      'CreateEvent',
      'EditContact',
      'EditContact',
    ]);
    const calendly = proposed.find((r) => r.bookingSource === 'calendly')!;
    expect(calendly).toMatchObject({
      contactId: annId,
      bookingId: CALENDLY_URI,
      state: 'proposed',
      before: {},
      lacrmId: null,
      error: null,
    });
    expect(calendly.after).toMatchObject({
      Name: 'Check-in 3',
      StartDate: '2026-03-03T08:00:00-07:00',
      EndDate: '2026-03-03T08:30:00-07:00',
      Location: 'Zoom',
      Attendees: [annId],
    });
    // A Calendly URI becomes a short marker of safe characters.
    expect(calendly.after.Description).toMatch(
      /\[cadence:calendly:0f3c2a8e-1111-4000-8000-00000000abcd\]$/,
    );
    expect(proposed.find((r) => r.contactId === annId && r.kind === 'EditContact')).toMatchObject({
      before: { 'Meetings last 12 months': null },
      after: { 'Meetings last 12 months': 2 },
    });

    const csv = await cli('export', 'changes', '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe(FIELDS.join(','));

    // Argument errors: exit 2 with the usage.
    for (const args of [['approve'], ['approve', '--all', '3'], ['approve', 'x'], ['undo']]) {
      const bad = await cli(...args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/usage|must be|give --all/);
    }
    expect((await cli('approve', '999')).code).toBe(1);

    const first = await cli('approve', String(proposed[0]!.id), String(proposed[1]!.id));
    expect(first).toMatchObject({ code: 0, stdout: 'Approved 2 changes.\n' });
    expect((await cli('approve', '--all')).stdout).toBe('Approved 3 changes.\n');

    const push = await runCadence(['--data-dir', dataDir, 'push']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stdout).toBe('Push #1: 5 changes written to LACRM, 0 failed (of 5).\n');
    expect(push.stderr).toMatch(/Pushing 1\/5/);
    expect(push.stderr).toMatch(/Done · 5 · 5 pushed, 0 failed/);
    const pushed = await exported();
    expect(pushed.map((r) => r.state)).toEqual(pushed.map(() => 'pushed'));
    for (const row of pushed) expect(row.lacrmId).toMatch(/^\d+$/);
    expect(lacrm.contact(annId)!['Meetings last 12 months']).toBe(2);
    expect(lacrm.events()).toHaveLength(3);

    const undo = await cli('undo', '1');
    expect(undo.code, undo.stderr).toBe(0);
    const ids = /undo push #1: ([\d ]+)\n/.exec(undo.stdout)![1]!.split(' ');
    expect(ids).toHaveLength(5);
    expect(undo.stdout).toContain(`cadence approve ${ids.join(' ')}`);
    expect((await cli('approve', ...ids)).stdout).toBe('Approved 5 changes.\n');
    const undoPush = await cli('push');
    expect(undoPush.code, undoPush.stderr).toBe(0);
    expect(lacrm.events()).toHaveLength(0);
    // The field was empty before: restored by sending null.
    expect(lacrm.contact(annId)!['Meetings last 12 months']).toBeNull();
    const after = await exported();
    expect(after.filter((r) => r.state === 'undone')).toHaveLength(5);
    expect(
      after
        .filter((r) => r.state === 'pushed')
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['DeleteEvent', 'DeleteEvent', 'DeleteEvent', 'EditContact', 'EditContact']);

    const verified = await runCadence(['--data-dir', dataDir, 'audit', 'verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^The audit log verifies: \d+ entries, head [0-9a-f]{64}\.\n$/);

    // Someone with the database drops the guard and edits an approval.
    const core = await createCore({ dataDir, secrets: new KeychainSecretStore() });
    const db = core.context.db();
    db.exec('DROP TRIGGER audit_log_append_only_update');
    const approval = db
      .prepare("SELECT id FROM audit_log WHERE action = 'change.approved' ORDER BY id LIMIT 1")
      .get() as { id: number };
    db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE id = ?").run(approval.id);
    core.close();
    const broken = await runCadence(['--data-dir', dataDir, 'audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`entry ${approval.id} does not match its own hash`);
    expect(broken.stderr).toContain(`first bad entry: ${approval.id}`);
  }, 60_000);
});
