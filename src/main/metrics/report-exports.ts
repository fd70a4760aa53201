// Report exports: render the compliance report (CSV, PDF or JSON), write it where the advisor asked
// (the data folder's exports/ from the app, --out from the CLI), and record each export's SHA-256
// in report_exports and the audit log, so an examiner can check a file against the record.
// Records are never deleted: report_exports is append-only (migration 0070).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReportExportView, ReportFormat } from '../../shared/contract-metrics';
import { assertNever } from '../../shared/result';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import {
  renderComplianceCsv,
  renderCompliancePdf,
  sha256Hex,
  type ComplianceReport,
} from '../report';

export const EXPORTS_FOLDER = 'exports';

export async function renderReport(
  report: ComplianceReport,
  format: ReportFormat,
): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return renderComplianceCsv(report);
    case 'pdf':
      return renderCompliancePdf(report);
    case 'json':
      return Buffer.from(`${JSON.stringify(report, null, 2)}\n`, 'utf8');
    default:
      return assertNever(format, 'report format');
  }
}

/** compliance_2025-11-21_to_2026-11-20_generated_20261120T150312.123Z.pdf */
export function exportFileName(report: ComplianceReport, format: ReportFormat): string {
  const stamp = report.generatedAt.replace(/[-:]/g, '');
  return `compliance_${report.periodFrom}_to_${report.periodTo}_generated_${stamp}.${format}`;
}

/** Writes the file readable by its owner only, whole or not at all. */
export function writePrivateFile(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  writeFileSync(temporary, bytes, { mode: 0o600 });
  renameSync(temporary, path);
}

type ExportRow = {
  id: number;
  kind: ReportFormat;
  period_from: string;
  period_to: string;
  generated_at: string;
  sha256: string;
  bytes: number;
  path: string | null;
  clients: number;
  reviews: number;
  exported_by: string;
};

function toView(row: ExportRow): ReportExportView {
  return {
    id: row.id,
    format: row.kind,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    generatedAt: row.generated_at,
    sha256: row.sha256,
    bytes: row.bytes,
    // The name only: the app's exports are named by their file name already, and the folder a
    // command-line export went to is not the renderer's business.
    fileName: row.path === null ? null : basename(row.path),
    clients: row.clients,
    reviews: row.reviews,
    exportedBy: row.exported_by,
  };
}

/** Records one export (and audits it) in one transaction. */
export function recordExport(
  db: Db,
  entry: Readonly<{
    report: ComplianceReport;
    format: ReportFormat;
    sha256: string;
    bytes: number;
    path: string | null;
    exportedBy: string;
  }>,
): ReportExportView {
  return writeTransaction(db, () => {
    const reviews = entry.report.clients.reduce((sum, client) => sum + client.reviews.length, 0);
    const id = Number(
      db
        .prepare(
          `INSERT INTO report_exports (report, kind, period_from, period_to, generated_at, sha256, bytes, path,
             clients, reviews, exported_by)
           VALUES ('compliance', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.format,
          entry.report.periodFrom,
          entry.report.periodTo,
          entry.report.generatedAt,
          entry.sha256,
          entry.bytes,
          entry.path,
          entry.report.clients.length,
          reviews,
          entry.exportedBy,
        ).lastInsertRowid,
    );
    appendAudit(db, {
      actor: entry.exportedBy,
      action: 'report.exported',
      subjectType: 'report_export',
      subjectId: String(id),
      detail: {
        report: 'compliance',
        format: entry.format,
        periodFrom: entry.report.periodFrom,
        periodTo: entry.report.periodTo,
        sha256: entry.sha256,
        bytes: entry.bytes,
        clients: entry.report.clients.length,
        reviews,
      },
      at: entry.report.generatedAt,
    });
    return toView(
      db
        .prepare(
          `SELECT id, kind, period_from, period_to, generated_at, sha256, bytes, path, clients, reviews, exported_by
           FROM report_exports WHERE id = ?`,
        )
        .get(id) as ExportRow,
    );
  });
}

export function listExports(db: Db, limit: number): ReportExportView[] {
  return (
    db
      .prepare(
        `SELECT id, kind, period_from, period_to, generated_at, sha256, bytes, path, clients, reviews, exported_by
         FROM report_exports ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as ExportRow[]
  ).map(toView);
}

/**
 * Renders, writes into `<dataDir>/exports/` and records. The view names the file, never its
 * folder: the renderer is not told paths.
 */
export async function exportToDataFolder(
  db: Db,
  dataDir: string,
  report: ComplianceReport,
  format: ReportFormat,
  exportedBy: string,
): Promise<ReportExportView> {
  const bytes = await renderReport(report, format);
  const fileName = exportFileName(report, format);
  writePrivateFile(join(dataDir, EXPORTS_FOLDER, fileName), bytes);
  return recordExport(db, {
    report,
    format,
    sha256: sha256Hex(bytes),
    bytes: bytes.length,
    path: fileName,
    exportedBy,
  });
}
