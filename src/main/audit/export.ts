// The audit log as a file an examiner can check without Cadence: JSON Lines, one header line that
// states the hash recipe, one line per entry with every stored field exactly as hashed, and an end
// line with the count, the head hash and whether the chain verified when it was exported. The head
// hash is the anchor to write down (or print in a report): a later verifyAudit({ anchor }) proves
// nothing before it was changed or removed since.
import { z } from 'zod';
import type { Db } from '../db/open';
import { readTransaction } from '../db/transactions';
import { describeZodError } from '../../shared/result';
import { iterateAuditRows, verifyAudit } from './audit-log';
import {
  AUDIT_GENESIS_HASH,
  AUDIT_HASH_SCHEME,
  type AuditVerification,
  StoredAuditRow,
  verifyChain,
} from './chain';

export const AUDIT_EXPORT_FORMAT = 'cadence-audit-export';

const ExportHeader = z.object({
  type: z.literal(AUDIT_EXPORT_FORMAT),
  version: z.literal(1),
  hashScheme: z.literal(AUDIT_HASH_SCHEME),
  algorithm: z.literal('sha256'),
  genesis: z.literal(AUDIT_GENESIS_HASH),
  canonical: z.string(),
  exportedAt: z.string(),
});

const ExportEntry = StoredAuditRow.extend({ type: z.literal('entry') });

const ExportEnd = z.object({
  type: z.literal('end'),
  entries: z.number().int().nonnegative(),
  headHash: z.string(),
  verified: z.boolean(),
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
});

export type AuditExportOptions = Readonly<{ exportedAt?: string }>;

/**
 * The export, line by line (each without its newline). The rows and the verdict are read in one
 * transaction, so the file is a consistent snapshot even while the app keeps appending.
 */
export function* auditExportLines(db: Db, options: AuditExportOptions = {}): Generator<string> {
  const header: z.infer<typeof ExportHeader> = {
    type: AUDIT_EXPORT_FORMAT,
    version: 1,
    hashScheme: AUDIT_HASH_SCHEME,
    algorithm: 'sha256',
    genesis: AUDIT_GENESIS_HASH,
    canonical:
      'hash = lowercase hex SHA-256 of the UTF-8 bytes of JSON.stringify(["cadence-audit/1", id, at, actor, action, subject_type, subject_id, detail_json, lacrm_id, prev_hash]) with no whitespace; the first entry has prev_hash = genesis, every later one the hash of the entry before it, and ids run 1, 2, 3, … without gaps',
    exportedAt: options.exportedAt ?? new Date().toISOString(),
  };
  yield JSON.stringify(header);
  const { rows, verdict } = readTransaction(db, () => ({
    rows: [...iterateAuditRows(db)],
    verdict: verifyAudit(db),
  }));
  for (const raw of rows) {
    yield JSON.stringify({ type: 'entry', ...(raw as object) });
  }
  const end: z.infer<typeof ExportEnd> = verdict.ok
    ? { type: 'end', entries: verdict.entries, headHash: verdict.headHash, verified: true }
    : {
        type: 'end',
        entries: rows.length,
        headHash: lastHash(rows),
        verified: false,
        brokenAt: verdict.brokenAt,
        reason: verdict.reason,
      };
  yield JSON.stringify(end);
}

function lastHash(rows: readonly unknown[]): string {
  const last = rows.at(-1) as { hash?: unknown } | undefined;
  return typeof last?.hash === 'string' ? last.hash : AUDIT_GENESIS_HASH;
}

/** The whole export as UTF-8 JSON Lines, newline-terminated. */
export function exportAudit(db: Db, options: AuditExportOptions = {}): Buffer {
  const lines = [...auditExportLines(db, options)];
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/**
 * Re-verifies an export on its own (what an examiner's script would do): the header names the
 * recipe, every entry chains, and the end line's count and head hash match the entries above it,
 * so a truncated or spliced file is caught too.
 */
export function verifyAuditExport(text: string | Buffer): AuditVerification {
  const lines = text.toString().split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parseLine = (index: number): unknown => {
    try {
      return JSON.parse(lines[index] ?? '');
    } catch {
      return undefined;
    }
  };
  const header = ExportHeader.safeParse(parseLine(0));
  if (!header.success) {
    return {
      ok: false,
      brokenAt: 0,
      reason: `line 1 is not a Cadence audit export header: ${describeZodError(header.error)}`,
      entriesChecked: 0,
    };
  }
  const endIndex = lines.length - 1;
  const end = endIndex >= 1 ? ExportEnd.safeParse(parseLine(endIndex)) : null;
  if (!end?.success) {
    return {
      ok: false,
      brokenAt: 0,
      reason: 'the export has no end line: it was cut short',
      entriesChecked: 0,
    };
  }
  function* entries(): Generator<unknown> {
    for (let index = 1; index < endIndex; index += 1) {
      const parsed = ExportEntry.safeParse(parseLine(index));
      // A line that is not an entry is passed on as it is, so verifyChain names it as malformed.
      if (!parsed.success) {
        yield { line: index + 1 };
        continue;
      }
      const { type: _type, ...row } = parsed.data;
      yield row;
    }
  }
  const verdict = verifyChain(entries());
  if (!verdict.ok) return verdict;
  if (verdict.entries !== end.data.entries || verdict.headHash !== end.data.headHash) {
    return {
      ok: false,
      // The first entry the end line vouches for that the file does not hold (or the last one).
      brokenAt: Math.min(verdict.entries, end.data.entries) + 1,
      reason: `the end line records ${end.data.entries} entries ending in ${end.data.headHash.slice(0, 12)}…, but the file holds ${verdict.entries} ending in ${verdict.headHash.slice(0, 12)}…`,
      entriesChecked: verdict.entries,
    };
  }
  return verdict;
}
