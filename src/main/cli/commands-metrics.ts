// export metrics, report compliance: per-contact meeting and review figures, and the compliance
// report as CSV, PDF or JSON with its SHA-256 recorded, from the same store and queries as the app.
import { resolve } from 'node:path';
import { z } from 'zod';
import { IsoDate, ReportFormat, ReportPeriod } from '../../shared/contract-metrics';
import { sha256Hex } from '../report';
import { buildComplianceReport } from '../report/compliance-query';
import { policySettings } from '../metrics/policy';
import { allContactMetrics } from '../metrics/queries';
import { recordExport, renderReport, writePrivateFile } from '../metrics/report-exports';
import { ensureClassified } from '../pipeline/classification';
import { UsageError, type Command } from './command';
import { parseFormat, toCsv, writeOutput } from './output';

/** The fields of `export metrics`, in order: a public contract (add, never rename). */
export const METRICS_EXPORT_COLUMNS = [
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
] as const;

function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

function dateOption(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new UsageError(`--${name} YYYY-MM-DD is required`);
  const parsed = IsoDate.safeParse(value);
  if (!parsed.success) {
    throw new UsageError(
      `--${name} ${parsed.error.issues[0]?.message ?? 'is not valid'} (got "${value}")`,
    );
  }
  return parsed.data;
}

export const metricsCommands: Command[] = [
  {
    name: ['export', 'metrics'],
    usage: 'export metrics --format json|csv [--out FILE]',
    summary:
      'One row per contact with a meeting or a review cadence: contactId, name, meetings30/90/365, lastMeeting, lastReview, nextReviewDue, status, cancellations, noShows.',
    options: { format: { type: 'string' }, out: { type: 'string' } },
    async run(args, { io, core }) {
      noPositionals(args.positionals);
      const format = parseFormat(args.values.format);
      const c = await core();
      const db = c.context.db();
      ensureClassified(db, c.context.clock());
      const options = { ...policySettings(c.context.settings()), now: c.context.clock() };
      const rows = allContactMetrics(db, options).map((row) =>
        Object.fromEntries(METRICS_EXPORT_COLUMNS.map((column) => [column, row[column]])),
      );
      const text =
        format === 'json'
          ? `${JSON.stringify(rows, null, 2)}\n`
          : toCsv(METRICS_EXPORT_COLUMNS, rows);
      writeOutput(io, text, args.values.out as string | undefined);
    },
  },
  {
    name: ['report', 'compliance'],
    usage: 'report compliance --from YYYY-MM-DD --to YYYY-MM-DD --format csv|pdf|json --out FILE',
    summary:
      'The portfolio-review compliance report for the period (dates in review.timezone), written to FILE; its SHA-256 is printed on stderr and recorded.',
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
    async run(args, { io, core }) {
      noPositionals(args.positionals);
      const from = dateOption('from', args.values.from);
      const to = dateOption('to', args.values.to);
      const period = ReportPeriod.safeParse({ from, to });
      if (!period.success) {
        const issue = period.error.issues[0];
        throw new UsageError(
          `--${String(issue?.path[0] ?? 'to')} ${issue?.message ?? 'is not valid'}`,
        );
      }
      const format = ReportFormat.safeParse(args.values.format);
      if (!format.success) throw new UsageError('--format must be one of: csv, pdf, json');
      const out = z.string().trim().min(1).safeParse(args.values.out);
      if (!out.success) throw new UsageError('--out FILE is required');
      const c = await core();
      const db = c.context.db();
      ensureClassified(db, c.context.clock());
      const settings = c.context.settings();
      const report = buildComplianceReport(db, {
        ...policySettings(settings),
        now: c.context.clock(),
        from,
        to,
        advisorName: settings['advisor.name'].trim() || 'Advisor (name not set in Cadence)',
      });
      const bytes = await renderReport(report, format.data);
      const path = resolve(out.data);
      writePrivateFile(path, bytes);
      const sha256 = sha256Hex(bytes);
      recordExport(db, {
        report,
        format: format.data,
        sha256,
        bytes: bytes.length,
        path,
        exportedBy: 'cli',
      });
      io.stderr(
        `Wrote ${path}: ${report.summary.clients} clients, ${report.summary.reviewedInPeriod} reviewed in the period, ${report.summary.overdueNow} overdue now\n`,
      );
      io.stderr(`SHA-256 ${sha256}  ${path}\n`);
    },
  },
];
