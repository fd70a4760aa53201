// The metrics and compliance commands through the real `cadence` CLI (a child process, the real
// keychain) on the fixture practice: export metrics with exactly the promised fields in JSON and
// CSV and the same figures as the app; export bookings with category and rule after the existing
// columns; report compliance to a file with its SHA-256 on stderr and in the record, in CSV, JSON
// and PDF (rendered to PNG with pdftoppm to be looked at); wrong arguments exit 2 and say why.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOKING_EXPORT_COLUMNS } from '../../src/main/cli/commands-sync';
import { METRICS_EXPORT_COLUMNS } from '../../src/main/cli/commands-metrics';
import { policySettings } from '../../src/main/metrics/policy';
import { allContactMetrics } from '../../src/main/metrics/queries';
import { ComplianceReport } from '../../src/main/report/types';
import { runCadence } from '../helpers/cli';
import { tempDir } from '../helpers/temp';
import { fixturePractice, ids } from './metrics-fixtures';

const FIELDS = [
  'contactId',
  'name',
  'meetings30',
  'meetings90',
  'meetings365',
  'lastMeeting',
  'lastReview',
  'nextReviewDue',
  'status',
  'cancellations',
  'noShows',
];

const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('cadence export metrics / export bookings / report compliance', () => {
  it('exports one row per contact with exactly the promised fields, as the app computes them', async () => {
    const { core } = await fixturePractice({ clock: () => new Date() });
    const dataDir = core.context.dataDir;
    const json = await runCadence(['--data-dir', dataDir, 'export', 'metrics', '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect([...METRICS_EXPORT_COLUMNS]).toEqual(FIELDS);
    for (const row of rows) expect(Object.keys(row)).toEqual(FIELDS);
    // The CLI runs on the real clock; so does this core: the same figures as the app shows.
    const app = allContactMetrics(core.context.db(), {
      ...policySettings(core.context.settings()),
      now: new Date(),
    }).map((row) => Object.fromEntries(FIELDS.map((f) => [f, row[f as keyof typeof row]])));
    expect(rows).toEqual(app);
    expect(rows.map((r) => r.contactId)).toContain(ids.erin);
    expect(rows.find((r) => r.contactId === ids.erin)!.status).toBeNull();
    expect(rows.find((r) => r.contactId === ids.frank)).toMatchObject({
      status: 'never_reviewed',
      cancellations: 1,
    });

    const out = join(tempDir(), 'metrics.csv');
    const csv = await runCadence([
      '--data-dir',
      dataDir,
      'export',
      'metrics',
      '--format',
      'csv',
      '--out',
      out,
    ]);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toContain(`Wrote ${out}`);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(FIELDS.join(','));
    expect(lines).toHaveLength(rows.length + 1);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('adds category and rule to export bookings, after the existing columns', async () => {
    const { core } = await fixturePractice();
    const result = await runCadence([
      '--data-dir',
      core.context.dataDir,
      'export',
      'bookings',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(Object.keys(rows[0]!)).toEqual([...BOOKING_EXPORT_COLUMNS]);
    expect(BOOKING_EXPORT_COLUMNS.slice(-2)).toEqual(['category', 'rule']);
    const bySourceId = new Map(rows.map((r) => [r.sourceId, r]));
    expect(bySourceId.get('alice-r1')).toMatchObject({
      category: 'portfolio_review',
      rule: 'Review event types',
    });
    expect(bySourceId.get('dan-catchup')).toMatchObject({
      category: 'portfolio_review',
      rule: 'override',
    });
    expect(bySourceId.get('erin-1')).toMatchObject({ category: 'general', rule: null });

    const csv = await runCadence([
      '--data-dir',
      core.context.dataDir,
      'export',
      'bookings',
      '--format',
      'csv',
    ]);
    expect(csv.stdout.split('\n')[0]).toBe(
      'source,sourceId,title,eventTypeSlug,start,end,status,attendeeEmails,rescheduledFrom,category,rule',
    );
  });

  it('writes the compliance report with its SHA-256 on stderr and in the record', async () => {
    const { core } = await fixturePractice();
    const dataDir = core.context.dataDir;
    const folder = tempDir();
    const run = (format: string, file: string) =>
      runCadence([
        '--data-dir',
        dataDir,
        'report',
        'compliance',
        '--from',
        '2025-04-01',
        '--to',
        '2026-03-31',
        '--format',
        format,
        '--out',
        join(folder, file),
      ]);

    const json = await run('json', 'report.json');
    expect(json.code).toBe(0);
    const path = join(folder, 'report.json');
    expect(json.stderr).toContain(`SHA-256 ${sha256(path)}  ${path}`);
    const report = ComplianceReport.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(report).toMatchObject({
      periodFrom: '2025-04-01',
      periodTo: '2026-03-31',
      advisorName: 'Avery Advisor',
      timeZone: 'America/New_York',
    });
    // Clients with no held review in the period first.
    const reviewed = report.clients.map((c) => c.reviews.length > 0);
    expect(reviewed).toEqual([...reviewed].sort((a, b) => Number(a) - Number(b)));
    const dan = report.clients.find((c) => c.contactId === ids.dan)!;
    expect(dan.reviews[0]).toMatchObject({
      source: 'calcom',
      bookingId: 'dan-catchup',
      date: '2025-09-15 11:00',
      durationMinutes: 60,
      status: 'completed',
      ruleName: null,
      matchConfirmedBy: 'Automatic: exact email address on the contact',
      pushedToLacrm: null,
    });
    expect(dan.reviews[0]!.classificationReason).toMatch(/^Set by you on .* as Portfolio review/);
    // A cancelled or missed review is no evidence: Alice's list holds her two held ones only.
    const alice = report.clients.find((c) => c.contactId === ids.alice)!;
    expect(alice.reviews.map((r) => r.bookingId)).toEqual(['alice-r1', 'alice-r2']);
    expect(alice.reviews[1]!.date).toBe('2025-11-30 23:30');

    const csv = await run('csv', 'report.csv');
    expect(csv.code).toBe(0);
    expect(readFileSync(join(folder, 'report.csv'), 'utf8').split('\r\n')[0]).toMatch(
      /^contact_id,client_name,/,
    );
    const pdf = await run('pdf', 'report.pdf');
    expect(pdf.code).toBe(0);
    const pdfPath = join(folder, 'report.pdf');
    expect(pdf.stderr).toContain(`SHA-256 ${sha256(pdfPath)}`);
    // Rendered to look at; on a fresh clone the folder does not exist yet.
    mkdirSync(screenshots, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '70',
      '-f',
      '1',
      '-l',
      '1',
      pdfPath,
      join(screenshots, 'compliance-cli-pdf'),
    ]);

    const recorded = core.context
      .db()
      .prepare('SELECT kind, sha256, path, exported_by FROM report_exports ORDER BY id')
      .all();
    expect(recorded).toEqual([
      { kind: 'json', sha256: sha256(path), path, exported_by: 'cli' },
      {
        kind: 'csv',
        sha256: sha256(join(folder, 'report.csv')),
        path: join(folder, 'report.csv'),
        exported_by: 'cli',
      },
      { kind: 'pdf', sha256: sha256(pdfPath), path: pdfPath, exported_by: 'cli' },
    ]);
  });

  it('refuses wrong arguments with exit code 2 and a reason', async () => {
    const { core } = await fixturePractice();
    const dataDir = core.context.dataDir;
    const cases: [string[], RegExp][] = [
      [
        ['report', 'compliance', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'pdf'],
        /--out FILE is required/,
      ],
      [
        [
          'report',
          'compliance',
          '--from',
          '2026-02-30',
          '--to',
          '2026-03-01',
          '--format',
          'csv',
          '--out',
          'x',
        ],
        /--from is not a real date/,
      ],
      [
        [
          'report',
          'compliance',
          '--from',
          '2026-03-01',
          '--to',
          '2026-01-01',
          '--format',
          'csv',
          '--out',
          'x',
        ],
        /--to must not be before from/,
      ],
      [
        [
          'report',
          'compliance',
          '--from',
          '2026-01-01',
          '--to',
          '2026-03-01',
          '--format',
          'docx',
          '--out',
          'x',
        ],
        /--format must be one of: csv, pdf, json/,
      ],
      [['export', 'metrics', '--format', 'xml'], /--format must be one of: json, csv/],
    ];
    for (const [args, message] of cases) {
      const result = await runCadence(['--data-dir', dataDir, ...args]);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toMatch(message);
    }
  });
});
