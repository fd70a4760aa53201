// Classification in the store: the versioned rule sets, each booking's classification (which rule
// decided it and why), and the advisor's manual overrides. The tables and the triggers that keep
// them current come from migration 0070; the classification stage (pipeline/classification.ts)
// decides categories, this module only reads and writes rows. Every write that the advisor makes
// is recorded in the audit log in the same transaction.
import {
  builtInCategories,
  Category,
  RuleSet,
  type ClassificationOverride,
  type ClassificationRule,
} from '../../shared/classification';
import { describeZodError } from '../../shared/result';
import { appendAudit } from '../audit';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';

export type StoredRuleSet = Readonly<{
  version: number;
  rules: ClassificationRule[];
  savedAt: string;
  savedBy: string;
}>;

export class StoredRulesError extends Error {
  override name = 'StoredRulesError';
}

type RuleSetRow = { version: number; rules_json: string; saved_at: string; saved_by: string };

function parseRuleSetRow(row: RuleSetRow): StoredRuleSet {
  let raw: unknown;
  try {
    raw = JSON.parse(row.rules_json);
  } catch (error) {
    throw new StoredRulesError(
      `classification rules version ${row.version}: not JSON (${(error as Error).message})`,
    );
  }
  const parsed = RuleSet.safeParse(raw);
  if (!parsed.success) {
    throw new StoredRulesError(
      `classification rules version ${row.version}: ${describeZodError(parsed.error, 'rules')}`,
    );
  }
  return {
    version: row.version,
    rules: parsed.data,
    savedAt: row.saved_at,
    savedBy: row.saved_by,
  };
}

/** The rule set in force: the latest saved version (migration 0070 saves the defaults as 1). */
export function currentRuleSet(db: Db): StoredRuleSet {
  const row = stmt(
    db,
    'SELECT version, rules_json, saved_at, saved_by FROM classification_rule_sets ORDER BY version DESC LIMIT 1',
  ).get() as RuleSetRow | undefined;
  if (!row) throw new StoredRulesError('classification rules: no rule set is stored');
  return parseRuleSetRow(row);
}

/** Stores `rules` as the next version. Runs inside the caller's transaction. */
export function insertRuleSet(
  db: Db,
  rules: readonly ClassificationRule[],
  options: Readonly<{ savedBy: string; now: Date }>,
): StoredRuleSet {
  const next =
    ((stmt(db, 'SELECT max(version) AS v FROM classification_rule_sets').get() as { v: number })
      .v ?? 0) + 1;
  const savedAt = options.now.toISOString();
  stmt(
    db,
    'INSERT INTO classification_rule_sets (version, rules_json, saved_at, saved_by) VALUES (?, ?, ?, ?)',
  ).run(next, JSON.stringify(rules), savedAt, options.savedBy);
  return { version: next, rules: [...rules], savedAt, savedBy: options.savedBy };
}

// ---------------------------------------------------------------------------------------------
// Per-booking classifications

export type StoredClassification = Readonly<{
  bookingId: number;
  category: Category;
  ruleId: string | null;
  ruleName: string | null;
  reason: string;
  classifiedAt: string;
  rulesVersion: number;
  effectiveCategory: Category;
  stale: boolean;
}>;

export type ClassificationWrite = Readonly<{
  bookingId: number;
  category: string;
  ruleId: string | null;
  ruleName: string | null;
  reason: string;
}>;

/** Writes the rules' verdict for one booking and marks it current. Inside a transaction. */
export function writeClassification(
  db: Db,
  write: ClassificationWrite,
  rulesVersion: number,
  nowIso: string,
): void {
  const params = { ...write, version: rulesVersion, now: nowIso };
  const updated = stmt(
    db,
    `UPDATE booking_classifications SET category = @category, rule_id = @ruleId, rule_name = @ruleName,
       reason = @reason, classified_at = @now, rules_version = @version, stale = 0,
       effective_category = coalesce((SELECT category FROM classification_overrides WHERE booking_id = @bookingId), @category)
     WHERE booking_id = @bookingId`,
  ).run(params);
  if (updated.changes > 0) return;
  // Every booking gets its row from a trigger; this covers a row removed by hand.
  stmt(
    db,
    `INSERT INTO booking_classifications (booking_id, category, rule_id, rule_name, reason, classified_at,
       rules_version, effective_category, stale, start_utc, end_utc, status, current, all_absent)
     SELECT b.id, @category, @ruleId, @ruleName, @reason, @now, @version,
       coalesce((SELECT category FROM classification_overrides WHERE booking_id = b.id), @category), 0,
       b.start_utc, b.end_utc, b.status, b.superseded_by IS NULL,
       coalesce((SELECT count(*) > 0 AND sum(x.no_show = 0 AND x.cancelled = 0) = 0
         FROM attendees x WHERE x.booking_id = b.id), 0)
     FROM bookings b WHERE b.id = @bookingId`,
  ).run(params);
}

type ClassificationRow = {
  booking_id: number;
  category: string;
  rule_id: string | null;
  rule_name: string | null;
  reason: string;
  classified_at: string;
  rules_version: number;
  effective_category: string;
  stale: number;
};

export function readClassification(db: Db, bookingId: number): StoredClassification | null {
  const row = stmt(
    db,
    `SELECT booking_id, category, rule_id, rule_name, reason, classified_at, rules_version,
       effective_category, stale FROM booking_classifications WHERE booking_id = ?`,
  ).get(bookingId) as ClassificationRow | undefined;
  if (!row) return null;
  return {
    bookingId: row.booking_id,
    category: row.category,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    reason: row.reason,
    classifiedAt: row.classified_at,
    rulesVersion: row.rules_version,
    effectiveCategory: row.effective_category,
    stale: row.stale === 1,
  };
}

/** Bookings whose classification is missing a verdict or out of date (triggers mark them). */
export function staleBookingIds(db: Db): number[] {
  return stmt(db, 'SELECT booking_id FROM booking_classifications WHERE stale = 1')
    .pluck()
    .all() as number[];
}

export function hasStaleClassifications(db: Db): boolean {
  return (
    stmt(db, 'SELECT 1 FROM booking_classifications WHERE stale = 1 LIMIT 1').get() !== undefined
  );
}

/** For exports: category and "rule" (the rule's name, "override", or null) of these bookings. */
export function classificationLabels(
  db: Db,
  bookingIds: readonly number[],
): Map<number, { category: string; rule: string | null }> {
  const out = new Map<number, { category: string; rule: string | null }>();
  const CHUNK = 500;
  for (let i = 0; i < bookingIds.length; i += CHUNK) {
    const chunk = bookingIds.slice(i, i + CHUNK);
    const rows = db
      .prepare(
        `SELECT k.booking_id, k.effective_category, k.rule_name, o.booking_id IS NOT NULL AS overridden
         FROM booking_classifications k LEFT JOIN classification_overrides o ON o.booking_id = k.booking_id
         WHERE k.booking_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as {
      booking_id: number;
      effective_category: string;
      rule_name: string | null;
      overridden: number;
    }[];
    for (const row of rows) {
      out.set(row.booking_id, {
        category: row.effective_category,
        rule: row.overridden ? 'override' : row.rule_name,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Overrides

export type StoredOverride = ClassificationOverride & Readonly<{ setBy: string }>;

export function readOverride(db: Db, bookingId: number): StoredOverride | null {
  const row = stmt(
    db,
    'SELECT category, note, set_at, set_by FROM classification_overrides WHERE booking_id = ?',
  ).get(bookingId) as
    { category: string; note: string | null; set_at: string; set_by: string } | undefined;
  return row
    ? { category: row.category, note: row.note, setAt: row.set_at, setBy: row.set_by }
    : null;
}

/** Sets (or replaces) the advisor's category for one booking, audited. Inside a transaction. */
export function writeOverride(
  db: Db,
  bookingId: number,
  override: Readonly<{ category: Category; note: string | null }>,
  options: Readonly<{ setBy: string; now: Date }>,
): void {
  const before = readOverride(db, bookingId);
  const setAt = options.now.toISOString();
  stmt(
    db,
    `INSERT INTO classification_overrides (booking_id, category, note, set_at, set_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (booking_id) DO UPDATE SET category = excluded.category, note = excluded.note,
       set_at = excluded.set_at, set_by = excluded.set_by`,
  ).run(bookingId, override.category, override.note, setAt, options.setBy);
  appendAudit(db, {
    actor: options.setBy,
    action: 'classification.override_set',
    subjectType: 'booking',
    subjectId: String(bookingId),
    // The note is the advisor's own words and may name a client; the audit keeps categories only.
    detail: { category: override.category, previous: before?.category ?? null },
    at: setAt,
  });
}

/** Removes the override (the rules decide again), audited. Returns whether there was one. */
export function deleteOverride(
  db: Db,
  bookingId: number,
  options: Readonly<{ by: string; now: Date }>,
): boolean {
  const before = readOverride(db, bookingId);
  if (!before) return false;
  stmt(db, 'DELETE FROM classification_overrides WHERE booking_id = ?').run(bookingId);
  appendAudit(db, {
    actor: options.by,
    action: 'classification.override_cleared',
    subjectType: 'booking',
    subjectId: String(bookingId),
    detail: { previous: before.category },
    at: options.now.toISOString(),
  });
  return true;
}

/** Categories in use: the built-ins, those the rules produce, and those set by hand. */
export function knownCategories(db: Db, rules: readonly ClassificationRule[]): Category[] {
  const fromOverrides = stmt(db, 'SELECT DISTINCT category FROM classification_overrides')
    .pluck()
    .all() as string[];
  const all = new Set<string>([
    ...builtInCategories,
    ...rules.map((rule) => rule.category),
    ...fromOverrides,
  ]);
  return [...all].filter((category) => Category.safeParse(category).success);
}
