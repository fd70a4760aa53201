// Handlers for classification rules, overrides, review policy, metrics, the dashboard and
// compliance reports. Figures are read only after every booking is classified (one indexed probe
// when nothing is stale); every change the advisor makes here is audited by the stores.
import type { BookingClassificationView } from '../../shared/contract-metrics';
import { defaultRules, effectiveClassification } from '../classify/engine';
import type { Db } from '../db/open';
import { writeTransaction } from '../db/transactions';
import {
  currentRuleSet,
  deleteOverride,
  knownCategories,
  readClassification,
  readOverride,
  writeOverride,
} from '../metrics/classification-store';
import {
  deleteGroup,
  policySettings,
  PolicyError,
  readPolicy,
  setContactCadence,
  setGroupCadence,
} from '../metrics/policy';
import {
  contactMetrics,
  dashboard,
  metricsBookings,
  type MetricsOptions,
} from '../metrics/queries';
import { exportToDataFolder, listExports } from '../metrics/report-exports';
import { localDate } from '../metrics/review-dates';
import { plusDays, startOfLocalDay } from '../metrics/thresholds';
import { ensureClassified, previewRules, saveRules } from '../pipeline/classification';
import { buildComplianceReport } from '../report/compliance-query';
import type { CoreContext } from './context';
import { CoreError } from './errors';
import { matchBacklogOf } from './handlers-match';
import type { HandlerMap } from './handlers';

/** Who the app's changes are recorded as made by (the CLI records 'cli'). */
const ADVISOR = 'advisor';

function metricsOptions(ctx: CoreContext): MetricsOptions {
  return { ...policySettings(ctx.settings()), now: ctx.clock() };
}

function readyDb(ctx: CoreContext): Db {
  const db = ctx.db();
  ensureClassified(db, ctx.clock());
  return db;
}

function bookingExists(db: Db, bookingId: number): void {
  if (!db.prepare('SELECT 1 FROM bookings WHERE id = ?').get(bookingId)) {
    throw new CoreError('not_found', `There is no booking ${bookingId}.`);
  }
}

function classificationView(
  ctx: CoreContext,
  db: Db,
  bookingId: number,
): BookingClassificationView {
  bookingExists(db, bookingId);
  const stored = readClassification(db, bookingId);
  if (!stored) throw new CoreError('not_found', `Booking ${bookingId} has not been classified.`);
  const override = readOverride(db, bookingId);
  const automatic = { category: stored.category, ruleId: stored.ruleId, reason: stored.reason };
  const shown = effectiveClassification(automatic, override, {
    timeZone: ctx.settings()['review.timezone'],
  });
  return {
    bookingId,
    category: shown.category,
    ruleId: shown.ruleId,
    ruleName: shown.overridden ? null : stored.ruleName,
    reason: shown.reason,
    overridden: shown.overridden,
    automatic: { ...automatic, ruleName: stored.ruleName },
    override: override
      ? { category: override.category, note: override.note ?? null, setAt: override.setAt }
      : null,
    classifiedAt: stored.classifiedAt,
    rulesVersion: stored.rulesVersion,
    categories: knownCategories(db, currentRuleSet(db).rules),
  };
}

function policyCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PolicyError) throw new CoreError('not_found', error.message);
    throw error;
  }
}

function reportOptions(ctx: CoreContext, period: { from: string; to: string }) {
  const settings = ctx.settings();
  return {
    ...metricsOptions(ctx),
    ...period,
    advisorName: settings['advisor.name'].trim() || 'Advisor (name not set in Cadence)',
  };
}

export const metricsHandlers = {
  'rules:get': async (_input, ctx) => {
    const db = ctx.db();
    const current = currentRuleSet(db);
    return {
      version: current.version,
      rules: current.rules,
      savedAt: current.savedAt,
      categories: knownCategories(db, current.rules),
      defaults: defaultRules(),
    };
  },

  'rules:preview': async (input, ctx) => previewRules(ctx.db(), input.rules),

  'rules:save': async (input, ctx) => {
    const saved = saveRules(ctx.db(), input.rules, {
      expectedVersion: input.expectedVersion,
      savedBy: ADVISOR,
      now: ctx.clock(),
    });
    ctx.emit('metrics:changed', { reason: 'rules' });
    return saved;
  },

  'classification:get': async (input, ctx) =>
    classificationView(ctx, readyDb(ctx), input.bookingId),

  'classification:override': async (input, ctx) => {
    const db = readyDb(ctx);
    bookingExists(db, input.bookingId);
    writeTransaction(db, () =>
      writeOverride(
        db,
        input.bookingId,
        { category: input.category, note: input.note ?? null },
        { setBy: ADVISOR, now: ctx.clock() },
      ),
    );
    ctx.emit('metrics:changed', { reason: 'override' });
    return classificationView(ctx, db, input.bookingId);
  },

  'classification:clearOverride': async (input, ctx) => {
    const db = readyDb(ctx);
    bookingExists(db, input.bookingId);
    const removed = writeTransaction(db, () =>
      deleteOverride(db, input.bookingId, { by: ADVISOR, now: ctx.clock() }),
    );
    if (removed) ctx.emit('metrics:changed', { reason: 'override' });
    return classificationView(ctx, db, input.bookingId);
  },

  'policy:get': async (_input, ctx) => readPolicy(ctx.db(), policySettings(ctx.settings())),

  'policy:setGroup': async (input, ctx) => {
    const db = ctx.db();
    setGroupCadence(db, input, { by: ADVISOR, now: ctx.clock() });
    ctx.emit('metrics:changed', { reason: 'policy' });
    return readPolicy(db, policySettings(ctx.settings()));
  },

  'policy:deleteGroup': async (input, ctx) => {
    const db = ctx.db();
    policyCall(() => deleteGroup(db, input.id, { by: ADVISOR, now: ctx.clock() }));
    ctx.emit('metrics:changed', { reason: 'policy' });
    return readPolicy(db, policySettings(ctx.settings()));
  },

  'policy:setContact': async (input, ctx) => {
    const db = ctx.db();
    policyCall(() =>
      setContactCadence(db, input.contactId, input.cadenceMonths, {
        by: ADVISOR,
        now: ctx.clock(),
      }),
    );
    ctx.emit('metrics:changed', { reason: 'policy' });
    return readPolicy(db, policySettings(ctx.settings()));
  },

  'metrics:dashboard': async (_input, ctx) => ({
    ...dashboard(readyDb(ctx), metricsOptions(ctx)),
    matchBacklog: matchBacklogOf(ctx),
  }),

  'metrics:clients': async (input, ctx) => {
    const options = metricsOptions(ctx);
    if (input.asOf === undefined) return contactMetrics(readyDb(ctx), options, input);
    const today = localDate(options.now.toISOString(), options.timeZone);
    if (input.asOf >= today) {
      throw new CoreError(
        'invalid_input',
        `metrics:clients: asOf must be a day before today (${today}).`,
      );
    }
    // As the advisor would have seen it that evening: reviews that had ended by midnight.
    const endOfDay = startOfLocalDay(plusDays(input.asOf, 1), options.timeZone);
    return contactMetrics(
      readyDb(ctx),
      { ...options, now: new Date(endOfDay), asOfDate: input.asOf },
      input,
    );
  },

  'metrics:bookings': async (input, ctx) =>
    metricsBookings(readyDb(ctx), metricsOptions(ctx), input),

  'reports:compliance': async (input, ctx) =>
    buildComplianceReport(readyDb(ctx), reportOptions(ctx, input)),

  'reports:export': async (input, ctx) => {
    const db = readyDb(ctx);
    const report = buildComplianceReport(db, reportOptions(ctx, input));
    const recorded = await exportToDataFolder(db, ctx.dataDir, report, input.format, ADVISOR);
    ctx.emit('metrics:changed', { reason: 'export' });
    return recorded;
  },

  'reports:exports': async (input, ctx) => ({
    exports: listExports(ctx.db(), input.limit),
    retentionYears: ctx.settings()['retention.years'],
  }),
} satisfies Partial<HandlerMap>;
