// The audit log's public surface: append, list, verify, export (and re-verify an export).
export {
  appendAudit,
  AuditInputError,
  listAudit,
  verifyAudit,
  type AuditDetail,
  type AuditEntry,
  type AuditEntryInput,
  type ListAuditOptions,
} from './audit-log';
export {
  AUDIT_GENESIS_HASH,
  AUDIT_HASH_SCHEME,
  auditEntryHash,
  type AuditAnchor,
  type AuditVerification,
} from './chain';
export {
  auditExportLines,
  exportAudit,
  verifyAuditExport,
  type AuditExportOptions,
} from './export';
