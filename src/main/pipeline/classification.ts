// The classification stage: decides each booking's category with the advisor's rules and stores
// the rule and the reason. It runs inside each sync page's transaction for the bookings that page
// created or changed, again after every sync (after matching) for anything a trigger marked stale
// (bookings a webhook hint stored, a booking whose attendees changed), before any figure is read,
// and over every booking, in one transaction, when the rules are saved. Overrides are never
// touched here: they live in their own table and win over whatever the rules say.
import type { ClassificationRule } from '../../shared/classification';
import type { RulesPreview, RulesSaved } from '../../shared/contract-metrics';
import type { BookingSource } from '../../shared/domain';
import { appendAudit } from '../audit';
import { compileRules, reclassificationPreview, type Classifier } from '../classify/engine';
import type { CoreContext } from '../core/context';
import { CoreError } from '../core/errors';
import type { Db } from '../db/open';
import { stmt } from '../db/statements';
import { writeTransaction } from '../db/transactions';
import { createLogger } from '../log';
import {
  currentRuleSet,
  hasStaleClassifications,
  insertRuleSet,
  staleBookingIds,
  writeClassification,
  type StoredRuleSet,
} from '../metrics/classification-store';

const log = createLogger('classify');

/** Bookings read and written per statement batch. */
const BATCH = 500;
/** Bookings per transaction when catching up outside a sync page. */
const PER_TRANSACTION = 5000;

type FactsRow = {
  id: number;
  event_type_slug: string | null;
  event_type_name: string | null;
  title: string;
  duration_minutes: number;
  source: BookingSource;
  attendee_count: number;
};

const FACTS_SELECT = `SELECT b.id, b.event_type_slug, b.event_type_name, b.title, b.duration_minutes, b.source,
  (SELECT count(*) FROM attendees a WHERE a.booking_id = b.id) AS attendee_count FROM bookings b`;

function factsOf(row: FactsRow) {
  return {
    eventTypeSlug: row.event_type_slug,
    eventTypeName: row.event_type_name,
    title: row.title,
    durationMinutes: row.duration_minutes,
    source: row.source,
    attendeeCount: row.attendee_count,
  };
}

type CompiledRuleSet = Readonly<{
  version: number;
  classifier: Classifier;
  names: ReadonlyMap<string, string>;
}>;

// One compiled rule set per connection, recompiled when another version is saved (possibly by
// another process: the version is read from the store each time, which costs one indexed row).
const compiledCache = new WeakMap<Db, CompiledRuleSet>();

function compiledFor(db: Db, ruleSet?: StoredRuleSet): CompiledRuleSet {
  const version =
    ruleSet?.version ??
    (stmt(db, 'SELECT max(version) AS v FROM classification_rule_sets').get() as { v: number }).v;
  const cached = compiledCache.get(db);
  if (cached && cached.version === version) return cached;
  const rules = ruleSet ?? currentRuleSet(db);
  const compiled = {
    version: rules.version,
    classifier: compileRules(rules.rules),
    names: new Map(rules.rules.map((rule) => [rule.id, rule.name])),
  };
  compiledCache.set(db, compiled);
  return compiled;
}

/** Classifies these bookings with the rules in force. Runs inside the caller's transaction. */
export function classifyBookingIds(db: Db, ids: readonly number[], now: Date): number {
  if (ids.length === 0) return 0;
  const compiled = compiledFor(db);
  const nowIso = now.toISOString();
  let done = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const chunk = ids.slice(i, i + BATCH);
    const rows = stmt(db, `${FACTS_SELECT} WHERE b.id IN (${chunk.map(() => '?').join(',')})`).all(
      ...chunk,
    ) as FactsRow[];
    for (const row of rows) {
      const verdict = compiled.classifier.classify(factsOf(row));
      writeClassification(
        db,
        {
          bookingId: row.id,
          category: verdict.category,
          ruleId: verdict.ruleId,
          ruleName: verdict.ruleId === null ? null : (compiled.names.get(verdict.ruleId) ?? null),
          reason: verdict.reason,
        },
        compiled.version,
        nowIso,
      );
      done += 1;
    }
  }
  return done;
}

/** Classifies everything a trigger marked stale, a transaction per few thousand bookings. */
export function classifyStale(db: Db, now: Date): number {
  let total = 0;
  for (;;) {
    const ids = staleBookingIds(db).slice(0, PER_TRANSACTION);
    if (ids.length === 0) return total;
    total += writeTransaction(db, () => classifyBookingIds(db, ids, now));
  }
}

/** Before figures are read: nothing may be left unclassified (one indexed probe when all is well). */
export function ensureClassified(db: Db, now: Date): number {
  return hasStaleClassifications(db) ? classifyStale(db, now) : 0;
}

function* currentBookingsForPreview(db: Db, ids: number[]) {
  const rows = db
    .prepare(
      `${FACTS_SELECT.replace(' FROM bookings b', ', o.category AS override_category FROM bookings b')}
       LEFT JOIN classification_overrides o ON o.booking_id = b.id
       WHERE b.superseded_by IS NULL ORDER BY b.id`,
    )
    .iterate() as IterableIterator<FactsRow & { override_category: string | null }>;
  for (const row of rows) {
    ids.push(row.id);
    yield { ...factsOf(row), overrideCategory: row.override_category };
  }
}

/** What saving `proposed` would change, over every current booking; nothing is written. */
export function previewRules(db: Db, proposed: readonly ClassificationRule[]): RulesPreview {
  const current = currentRuleSet(db);
  const ids: number[] = [];
  const preview = reclassificationPreview(
    currentBookingsForPreview(db, ids),
    current.rules,
    proposed,
  );
  const sampleIds = preview.samples.map((sample) => ids[sample.index]!);
  const details = new Map<number, { source: BookingSource; title: string; start_utc: string }>();
  if (sampleIds.length > 0) {
    const rows = db
      .prepare(
        `SELECT id, source, title, start_utc FROM bookings WHERE id IN (${sampleIds.map(() => '?').join(',')})`,
      )
      .all(...sampleIds) as {
      id: number;
      source: BookingSource;
      title: string;
      start_utc: string;
    }[];
    for (const row of rows) details.set(row.id, row);
  }
  return {
    total: preview.total,
    changed: preview.changed,
    heldByOverride: preview.heldByOverride,
    ruleChangedOnly: preview.ruleChangedOnly,
    transitions: preview.transitions.map((t) => ({ ...t })),
    samples: preview.samples.flatMap((sample, position) => {
      const bookingId = sampleIds[position]!;
      const detail = details.get(bookingId);
      return detail
        ? [
            {
              bookingId,
              source: detail.source,
              title: detail.title,
              startUtc: detail.start_utc,
              from: sample.from,
              to: sample.to,
            },
          ]
        : [];
    }),
  };
}

/** The category every current booking shows, to count what a rules change moved. */
function shownCategories(db: Db): Map<number, string> {
  const rows = db
    .prepare('SELECT booking_id, effective_category FROM booking_classifications WHERE current = 1')
    .raw()
    .all() as [number, string][];
  return new Map(rows);
}

/**
 * Saves the rules as a new version and reclassifies every booking, all in one transaction: the
 * figures never mix two rule sets. Audited with the version and how much changed.
 */
export function saveRules(
  db: Db,
  rules: readonly ClassificationRule[],
  options: Readonly<{ expectedVersion?: number; savedBy: string; now: Date }>,
): RulesSaved {
  return writeTransaction(db, (): RulesSaved => {
    const current = currentRuleSet(db);
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new CoreError(
        'conflict',
        `The rules were changed elsewhere (now version ${current.version}, you edited version ${options.expectedVersion}). Reload them and make your change again.`,
      );
    }
    const before = shownCategories(db);
    const saved = insertRuleSet(db, rules, { savedBy: options.savedBy, now: options.now });
    compiledFor(db, saved);
    const ids = stmt(db, 'SELECT id FROM bookings ORDER BY id').pluck().all() as number[];
    const classified = classifyBookingIds(db, ids, options.now);
    const after = shownCategories(db);
    let changed = 0;
    for (const [id, category] of after) if (before.get(id) !== category) changed += 1;
    appendAudit(db, {
      actor: options.savedBy,
      action: 'classification.rules_saved',
      subjectType: 'rule_set',
      subjectId: String(saved.version),
      detail: {
        version: saved.version,
        previousVersion: current.version,
        rules: saved.rules.length,
        classified,
        changed,
      },
      at: options.now.toISOString(),
    });
    log.info(
      `rules version ${saved.version}: ${classified} bookings classified, ${changed} changed`,
    );
    return { version: saved.version, changed, classified };
  });
}

/** Hooks the stage into every sync: inside each page's transaction, and after matching. */
export function registerClassification(ctx: CoreContext): void {
  ctx.sync.extend({
    onStored(ids) {
      const db = ctx.store.db;
      if (!db) return;
      try {
        classifyBookingIds(db, ids, ctx.clock());
      } catch (error) {
        // The page's bookings stay marked stale and are classified after the sync.
        log.error(`classification of a sync page failed: ${(error as Error).message}`);
      }
    },
    afterSync(_outcome, _signal, after) {
      const db = ctx.store.db;
      if (!db) return;
      try {
        const caughtUp = classifyStale(db, ctx.clock());
        if (caughtUp > 0) log.info(`classified ${caughtUp} bookings stored outside a sync page`);
        ctx.emit('sync:step-done', { step: 'classification', after });
      } catch (error) {
        const message = (error as Error).message;
        log.error(`classification after sync failed: ${message}`);
        ctx.emit('sync:step-failed', { step: 'classification', error: message, after });
      }
      ctx.emit('metrics:changed', { reason: 'sync' });
    },
  });
}
