// The matching CLI as a black box (the real `cadence` in a child process, the real keychain):
// export matches in JSON and CSV with exactly the promised fields, and match confirm / ignore /
// undo making the same decisions as the review queue, with exit codes and readable errors.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/run';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { ADVISOR, arrive, booking, ids, setup } from './match-fixtures';
import { parse } from 'csv-parse/sync';

const FIELDS = [
  'source',
  'bookingId',
  'attendeeEmail',
  'attendeeName',
  'contactId',
  'state',
  'score',
  'reason',
  'candidates',
];

const CALENDLY_ID =
  'https://api.calendly.com/scheduled_events/7f3c2a8e-0000-4000-8000-000000000001';

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
const parseCsv = (text: string): string[][] => parse(text, { bom: true });

async function preparedDataDir() {
  const { core } = await setup();
  const dataDir = core.context.dataDir;
  await arrive(
    core,
    booking(
      [
        { email: 'jane@acme.example', name: 'Jane Doe' },
        { email: 'bob.smith.home@mail.example', name: 'Bob Smith' },
        { email: ADVISOR, name: 'Avery Advisor' },
      ],
      { sourceId: 'uid-cli-1' },
    ),
    booking([{ email: 'ngfamily@mail.example', name: 'Dan Ng' }], {
      source: 'calendly',
      sourceId: CALENDLY_ID,
    }),
    booking([{ email: 'office@frontdesk.example', name: 'Front Desk, Reception' }], {
      source: 'tidycal',
      sourceId: '4411',
    }),
  );
  core.close();
  return dataDir;
}

/** The same CLI in-process (for argument errors: no need to pay for a child process each). */
async function cliInProcess(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    io: {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      readSecret: async () => '',
      env: process.env,
    },
  });
  return { code, stdout, stderr };
}

async function exportJson(dataDir: string) {
  const result = await runCadence(['--data-dir', dataDir, 'export', 'matches', '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

describe('cadence export matches', () => {
  it('writes one row per attendee with exactly the promised fields, as JSON and as CSV', async () => {
    const dataDir = await preparedDataDir();
    const rows = await exportJson(dataDir);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(Object.keys(row)).toEqual(FIELDS);
    const jane = rows.find((r) => r.attendeeEmail === 'jane@acme.example')!;
    expect(jane).toMatchObject({
      source: 'calcom',
      bookingId: 'uid-cli-1',
      attendeeName: 'Jane Doe',
      contactId: ids.jane,
      state: 'auto',
      score: 1,
      candidates: [ids.jane],
    });
    const dan = rows.find((r) => r.bookingId === CALENDLY_ID)!;
    expect(dan).toMatchObject({ source: 'calendly', state: 'suggested', contactId: ids.dan });
    expect(dan.candidates).toEqual(expect.arrayContaining([ids.dan, ids.carol]));
    expect(rows.some((r) => r.attendeeEmail === ADVISOR)).toBe(false);

    const out = join(tempDir(), 'matches.csv');
    const csv = await runCadence([
      '--data-dir',
      dataDir,
      'export',
      'matches',
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const [header, ...body] = parseCsv(readFileSync(out, 'utf8'));
    expect(header).toEqual(FIELDS);
    expect(body).toHaveLength(4);
    const danCsv = body.find((r) => r[1] === CALENDLY_ID)!;
    expect(danCsv[5]).toBe('suggested');
    expect(danCsv[8]!.split(';')).toEqual(dan.candidates);
    const office = body.find((r) => r[2] === 'office@frontdesk.example')!;
    expect(office[3]).toBe('Front Desk, Reception');
    expect(office[4]).toBe('');

    const bad = await cliInProcess(['--data-dir', dataDir, 'export', 'matches', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be one of: json, csv');
  });
});

describe('cadence match', () => {
  it('confirms, ignores and undoes like the review queue, and explains bad arguments', async () => {
    const dataDir = await preparedDataDir();

    const confirm = await runCadence([
      '--data-dir',
      dataDir,
      'match',
      'confirm',
      `calendly:${CALENDLY_ID}`,
      'NGFamily@mail.example',
      ids.dan,
    ]);
    expect(confirm.code, confirm.stderr).toBe(0);
    expect(confirm.stdout).toContain('Confirmed ngfamily@mail.example → Dan Ng');
    const ignore = await runCadence([
      '--data-dir',
      dataDir,
      'match',
      'ignore',
      'office@frontdesk.example',
    ]);
    expect(ignore.code, ignore.stderr).toBe(0);
    expect(ignore.stdout).toContain('Ignoring office@frontdesk.example from now on');

    let rows = await exportJson(dataDir);
    expect(rows.find((r) => r.bookingId === CALENDLY_ID)).toMatchObject({
      state: 'confirmed',
      contactId: ids.dan,
      candidates: [ids.dan],
    });
    expect(rows.find((r) => r.attendeeEmail === 'office@frontdesk.example')).toMatchObject({
      state: 'ignored',
      contactId: null,
    });

    const undo = await runCadence(['--data-dir', dataDir, 'match', 'undo']);
    expect(undo.code, undo.stderr).toBe(0);
    rows = await exportJson(dataDir);
    expect(rows.find((r) => r.attendeeEmail === 'office@frontdesk.example')?.state).not.toBe(
      'ignored',
    );
    expect(rows.find((r) => r.bookingId === CALENDLY_ID)?.state).toBe('confirmed');

    const usage = async (args: string[], message: RegExp) => {
      const result = await cliInProcess(['--data-dir', dataDir, 'match', ...args]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    };
    await usage(
      ['confirm', 'uid-cli-1', 'jane@acme.example', ids.jane],
      /BOOKING must be SOURCE:ID/,
    );
    await usage(
      ['confirm', 'calcom:uid-cli-1', 'jane-at-acme', ids.jane],
      /EMAIL must be an email/,
    );
    await usage(['confirm', 'calcom:uid-cli-1', 'jane@acme.example', 'Jane'], /CONTACT_ID must be/);
    await usage(['ignore'], /expected 1 argument/);

    const unknown = await cliInProcess([
      '--data-dir',
      dataDir,
      'match',
      'confirm',
      'calcom:uid-cli-1',
      'jane@acme.example',
      '123',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Contact 123 is not in the synced contact list');
    const noAttendee = await cliInProcess([
      '--data-dir',
      dataDir,
      'match',
      'confirm',
      'calcom:uid-cli-1',
      'someone@else.example',
      ids.jane,
    ]);
    expect(noAttendee.code).toBe(1);
    expect(noAttendee.stderr).toContain('has no attendee with the address');
  });
});
