// The compliance report's public surface: the data shape, and its CSV and PDF renderings.
export { complianceCsvColumns, renderComplianceCsv, type ComplianceCsvColumn } from './csv';
export { renderCompliancePdf, sha256Hex } from './pdf';
export {
  ComplianceReport,
  parseComplianceReport,
  ReportInputError,
  type ReportClient,
  type ReportReview,
} from './types';
