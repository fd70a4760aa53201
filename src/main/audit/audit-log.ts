// The audit log in the database: append an entry (inside the caller's transaction, so the record
// and the change it describes commit or roll back together), list entries for the UI, and verify
// the whole chain. The table and its append-only triggers come from migration 0050.
//
// What goes in: ids, states and decisions. Names and emails only if the caller passes them (the
// database is encrypted, but the export is meant to be handed to an examiner).
import { z } from 'zod';
import type { Db } from '../db/open';
import { readTransaction, writeTransaction } from '../db/transactions';
import { describeZodError } from '../../shared/result';
import {
  AUDIT_GENESIS_HASH,
  type AuditAnchor,
  type AuditVerification,
  auditEntryHash,
  canonicalJson,
  type StoredAuditRow,
  verifyChain,
} from './chain';

/** `domain.verb` in lowercase, e.g. `match.confirmed`, `change.approved`, `push.event_created`. */
const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
// Control characters in an actor or id would make the log hard to read and to print.
const PRINTABLE = /^[^\p{Cc}]+$/u;

const JsonObject = z.record(z.string(), z.json());
export type AuditDetail = z.infer<typeof JsonObject>;

export const AuditEntryInput = z.object({
  /** Who did it: 'advisor', 'system', 'cli', … */
  actor: z.string().min(1).max(200).regex(PRINTABLE, 'must not contain control characters'),
  action: z.string().max(100).regex(ACTION, 'must look like domain.verb in lowercase'),
  subjectType: z.string().min(1).max(100).regex(PRINTABLE).nullish(),
  subjectId: z.string().min(1).max(200).regex(PRINTABLE).nullish(),
  detail: JsonObject.optional(),
  /** LACRM ids are ~31-digit strings; a number would lose digits, so only strings are accepted. */
  lacrmId: z.string().min(1).max(100).regex(PRINTABLE).nullish(),
  /** When it happened, ISO 8601 in UTC; defaults to now. */
  at: z.iso.datetime().optional(),
});
export type AuditEntryInput = z.input<typeof AuditEntryInput>;

export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  /** The parsed detail, or null when the stored text is not a JSON object (a tampered row). */
  detail: AuditDetail | null;
  lacrmId: string | null;
  prevHash: string;
  hash: string;
};

export class AuditInputError extends Error {
  override name = 'AuditInputError';
}

const COLUMNS =
  'id, at, actor, action, subject_type, subject_id, detail_json, lacrm_id, prev_hash, hash';

function lastEntry(db: Db): { id: number; hash: string } | undefined {
  return db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string } | undefined;
}

/**
 * Appends one entry chained from the last one and returns it. Call it inside the transaction that
 * makes the change being recorded; outside one it opens its own (IMMEDIATE, so a second connection
 * cannot slip an entry in between reading the last hash and writing the new one).
 */
export function appendAudit(db: Db, entry: AuditEntryInput): AuditEntry {
  const parsed = AuditEntryInput.safeParse(entry);
  if (!parsed.success) {
    throw new AuditInputError(`audit: bad entry: ${describeZodError(parsed.error)}`);
  }
  const input = parsed.data;
  const append = (): AuditEntry => {
    const last = lastEntry(db);
    const fields = {
      id: (last?.id ?? 0) + 1,
      at: input.at ?? new Date().toISOString(),
      actor: input.actor,
      action: input.action,
      subject_type: input.subjectType ?? null,
      subject_id: input.subjectId ?? null,
      detail_json: canonicalJson(input.detail ?? {}),
      lacrm_id: input.lacrmId ?? null,
      prev_hash: last?.hash ?? AUDIT_GENESIS_HASH,
    };
    const row: StoredAuditRow = { ...fields, hash: auditEntryHash(fields) };
    db.prepare(
      `INSERT INTO audit_log (${COLUMNS}) VALUES (@id, @at, @actor, @action, @subject_type, @subject_id, @detail_json, @lacrm_id, @prev_hash, @hash)`,
    ).run(row);
    return toEntry(row);
  };
  return db.inTransaction ? append() : writeTransaction(db, append);
}

function toEntry(row: StoredAuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    detail: parseDetail(row.detail_json),
    lacrmId: row.lacrm_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function parseDetail(text: string): AuditDetail | null {
  try {
    const parsed = JsonObject.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const ListAuditOptions = z.object({
  limit: z.number().int().min(1).max(1000).default(100),
  /** Entries with an id below this (the next page of a newest-first list). */
  beforeId: z.number().int().positive().nullish(),
  action: z.string().max(100).regex(ACTION).nullish(),
});
export type ListAuditOptions = z.input<typeof ListAuditOptions>;

/** Newest first; page on with `beforeId` = the last id of the previous page. */
export function listAudit(db: Db, options: ListAuditOptions = {}): AuditEntry[] {
  const parsed = ListAuditOptions.safeParse(options);
  if (!parsed.success) {
    throw new AuditInputError(`audit: bad list options: ${describeZodError(parsed.error)}`);
  }
  const { limit, beforeId, action } = parsed.data;
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM audit_log
       WHERE (@beforeId IS NULL OR id < @beforeId) AND (@action IS NULL OR action = @action)
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ beforeId: beforeId ?? null, action: action ?? null, limit }) as StoredAuditRow[];
  return rows.map(toEntry);
}

/** Every stored row in id order, read lazily so a long log is not held in memory at once. */
export function iterateAuditRows(db: Db): IterableIterator<unknown> {
  return db.prepare(`SELECT ${COLUMNS} FROM audit_log ORDER BY id`).iterate();
}

/**
 * Recomputes the chain from the genesis value and names the first entry that does not hold up.
 * Pass an anchor (the head recorded in an earlier export or report) to also catch a log that was
 * cut short or rewritten wholesale by someone who dropped the triggers.
 */
export function verifyAudit(
  db: Db,
  options: Readonly<{ anchor?: AuditAnchor }> = {},
): AuditVerification {
  // One read transaction, so an append on another connection cannot land halfway through the walk.
  return readTransaction(db, () => verifyChain(iterateAuditRows(db), options));
}
