// The compliance report as CSV for spreadsheets: one row per review, plus one row per client with
// no review in the period, under a header of stable column names (scripts and examiners key on
// them, so renaming one is a breaking change). RFC 4180 quoting and CRLF line ends come from
// csv-stringify. Advisors open these files in Excel, so any text cell that a spreadsheet would read
// as a formula is prefixed with an apostrophe (OWASP "CSV injection").
import { stringify } from 'csv-stringify/sync';
import { sourceLabels, SyncSource } from '../../shared/domain';
import { type ComplianceReport, parseComplianceReport, type ReportReview } from './types';

export const complianceCsvColumns = [
  'contact_id',
  'client_name',
  'cadence_months',
  'client_status',
  'last_review',
  'next_review_due',
  'reviewed_in_period',
  'review_source',
  'booking_id',
  'review_date_local',
  'time_zone',
  'duration_minutes',
  'booking_status',
  'rule_name',
  'classification_reason',
  'match_confirmed_by',
  'match_confirmed_at',
  'pushed_to_lacrm',
] as const;
export type ComplianceCsvColumn = (typeof complianceCsvColumns)[number];

type CsvRow = Record<ComplianceCsvColumn, string | number>;

// csv-stringify's escape_formulas covers cells that start with = + - @ tab or CR (and their
// full-width forms). Spreadsheets also skip leading spaces before deciding a cell is a formula,
// so those are guarded here as well.
const FORMULA_AFTER_SPACES = /^[ \u00a0]+[=+\-@\uff1d\uff0b\uff0d\uff20]/;

function guardLeadingSpaceFormula(value: string): string {
  return FORMULA_AFTER_SPACES.test(value) ? `'${value}` : value;
}

function sourceLabel(source: string): string {
  const known = SyncSource.safeParse(source);
  return known.success ? sourceLabels[known.data] : source;
}

function reviewCells(review: ReportReview | null, timeZone: string): Partial<CsvRow> {
  if (review === null) return { reviewed_in_period: 'no' };
  return {
    reviewed_in_period: 'yes',
    review_source: sourceLabel(review.source),
    booking_id: review.bookingId,
    review_date_local: review.date,
    time_zone: timeZone,
    duration_minutes: review.durationMinutes,
    booking_status: review.status,
    rule_name: review.ruleName ?? '',
    classification_reason: review.classificationReason,
    match_confirmed_by: review.matchConfirmedBy,
    match_confirmed_at: review.matchConfirmedAt ?? '',
    pushed_to_lacrm: review.pushedToLacrm ?? '',
  };
}

/** UTF-8 without a byte-order mark, CRLF line ends, header row first. */
export function renderComplianceCsv(input: ComplianceReport): Buffer {
  const report = parseComplianceReport(input);
  const rows: CsvRow[] = [];
  for (const client of report.clients) {
    const clientCells = {
      contact_id: client.contactId,
      client_name: client.name,
      cadence_months: client.cadenceMonths,
      client_status: client.status,
      last_review: client.lastReview ?? '',
      next_review_due: client.nextReviewDue ?? '',
    };
    const reviews = client.reviews.length > 0 ? client.reviews : [null];
    for (const review of reviews) {
      const row = Object.fromEntries(complianceCsvColumns.map((column) => [column, ''])) as CsvRow;
      rows.push({ ...row, ...clientCells, ...reviewCells(review, report.timeZone) });
    }
  }
  const text = stringify(rows, {
    header: true,
    columns: [...complianceCsvColumns],
    bom: false,
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify stops quoting bare \n and \r unless told
    // to, and a name with a line break would then split its row in Excel.
    quote_record_delimiter: true,
    escape_formulas: true,
    cast: {
      string: (value) => guardLeadingSpaceFormula(value),
      number: (value) => String(value),
    },
  });
  return Buffer.from(text, 'utf8');
}
