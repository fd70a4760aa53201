// The audit log's hash chain, independent of where the rows live (the database or an exported
// file): the canonical serialisation of an entry, its SHA-256, and the walk that checks a sequence
// of entries from the genesis value onwards. An examiner can re-implement this from the comments
// alone; the export test does exactly that.
//
//   hash = lowercase hex SHA-256 over the UTF-8 bytes of
//          JSON.stringify(["cadence-audit/1", id, at, actor, action, subject_type, subject_id,
//                          detail_json, lacrm_id, prev_hash])
//
// (Python: json.dumps([...], separators=(",", ":"), ensure_ascii=False).) detail_json is hashed as
// the stored text, so nobody needs to re-serialise JSON the same way to check it. The id is part of
// the hash, so renumbering or swapping rows breaks the chain even if the contents are kept.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeZodError } from '../../shared/result';

export const AUDIT_HASH_SCHEME = 'cadence-audit/1';
/** The prev_hash of the first entry (also written into migration 0050's insert trigger). */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** One audit row exactly as stored (and exported): the fields the hash covers, plus the hash. */
export const StoredAuditRow = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject_type: z.string().nullable(),
  subject_id: z.string().nullable(),
  detail_json: z.string(),
  lacrm_id: z.string().nullable(),
  prev_hash: z.string().regex(HEX_SHA256, 'must be 64 lowercase hex characters'),
  hash: z.string().regex(HEX_SHA256, 'must be 64 lowercase hex characters'),
});
export type StoredAuditRow = z.infer<typeof StoredAuditRow>;

export type HashedFields = Omit<StoredAuditRow, 'hash'>;

/** The exact bytes the hash is taken over. */
export function canonicalAuditBytes(fields: HashedFields): Buffer {
  return Buffer.from(
    JSON.stringify([
      AUDIT_HASH_SCHEME,
      fields.id,
      fields.at,
      fields.actor,
      fields.action,
      fields.subject_type,
      fields.subject_id,
      fields.detail_json,
      fields.lacrm_id,
      fields.prev_hash,
    ]),
    'utf8',
  );
}

export function auditEntryHash(fields: HashedFields): string {
  return createHash('sha256').update(canonicalAuditBytes(fields)).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so the same detail always produces the same text
 * (and hash) whatever order the caller built the object in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) {
      sorted[key] = (inner as Record<string, unknown>)[key];
    }
    return sorted;
  });
}

/** A point recorded earlier (in an export or a printed report): entry `id` had hash `hash`. */
export type AuditAnchor = Readonly<{ id: number; hash: string }>;

export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; brokenAt: number; reason: string; entriesChecked: number };

/**
 * Walks entries in id order and reports the first one that does not hold up: a gap in the ids
 * (deleted entry), a prev_hash that is not the previous entry's hash (deleted, inserted or
 * reordered entry, or an edited entry whose hash was recomputed), or a hash that does not match
 * the entry's own fields (edited entry). With an anchor it also catches a log that was cut short
 * or rewritten from scratch, which no chain can show on its own.
 */
export function verifyChain(
  rows: Iterable<unknown>,
  options: Readonly<{ anchor?: AuditAnchor }> = {},
): AuditVerification {
  let expectedId = 1;
  let previousHash = AUDIT_GENESIS_HASH;
  let anchorSeen = false;
  const broken = (brokenAt: number, reason: string): AuditVerification => ({
    ok: false,
    brokenAt,
    reason,
    entriesChecked: expectedId - 1,
  });

  for (const raw of rows) {
    const parsed = StoredAuditRow.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      return broken(
        typeof id === 'number' ? id : expectedId,
        `entry ${typeof id === 'number' ? id : `#${expectedId}`} is malformed: ${describeZodError(parsed.error)}`,
      );
    }
    const row = parsed.data;
    if (row.id !== expectedId) {
      return broken(
        row.id,
        row.id > expectedId
          ? `entry ${row.id} follows entry ${expectedId - 1}: ${
              row.id - expectedId === 1
                ? `entry ${expectedId} is missing`
                : `entries ${expectedId}–${row.id - 1} are missing`
            }`
          : `entry ${row.id} appears out of order after entry ${expectedId - 1}`,
      );
    }
    if (row.prev_hash !== previousHash) {
      return broken(
        row.id,
        row.id === 1
          ? 'entry 1 does not start from the genesis value'
          : `entry ${row.id} does not chain from entry ${row.id - 1}: an entry was changed, removed, inserted or reordered at this point`,
      );
    }
    if (auditEntryHash(row) !== row.hash) {
      return broken(row.id, `entry ${row.id} does not match its own hash: it was edited`);
    }
    if (options.anchor && row.id === options.anchor.id) {
      if (row.hash !== options.anchor.hash) {
        return broken(
          row.id,
          `entry ${row.id} differs from the recorded anchor: the log was rewritten up to this point`,
        );
      }
      anchorSeen = true;
    }
    previousHash = row.hash;
    expectedId += 1;
  }

  const entries = expectedId - 1;
  if (options.anchor && !anchorSeen) {
    return broken(
      options.anchor.id,
      entries === 0
        ? `the log is empty, but an anchor recorded entry ${options.anchor.id}`
        : `the log ends at entry ${entries}, but an anchor recorded entry ${options.anchor.id}: entries were removed from the end`,
    );
  }
  return { ok: true, entries, headHash: previousHash };
}
