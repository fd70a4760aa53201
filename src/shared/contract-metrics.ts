// IPC methods for classification rules, overrides, review policy, metrics, the dashboard and
// compliance reports (merged into contract.ts). Every input is parsed here before a handler sees
// it; every output is checked on the way out.
import { z } from 'zod';
import { Category, ClassificationRule, RuleSet } from './classification';
import { MatchBacklog } from './contract-match';
import { BookingSource, BookingStatus } from './domain';

// The same tiny helper as contract.ts (importing it from there would be an import cycle).
function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output } as const;
}

const Empty = z.object({}).strict().optional().default({});

function isRealDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isRealDate, 'is not a real date');
export type IsoDate = z.infer<typeof IsoDate>;

export const IsoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

export const CadenceMonths = z
  .number()
  .int('must be a whole number of months')
  .min(1, 'must be at least 1 month')
  .max(60, 'must be at most 60 months');

const BookingId = z.number().int().positive();
const Count = z.number().int().nonnegative();

// ---------------------------------------------------------------------------------------------
// Review status

export const reviewStatuses = ['on_track', 'due_soon', 'overdue', 'never_reviewed'] as const;
export const ReviewStatus = z.enum(reviewStatuses);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const reviewStatusLabels: Readonly<Record<ReviewStatus, string>> = {
  on_track: 'On track',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  never_reviewed: 'Never reviewed',
};

/** How Cadence decides who is a client; shown on the dashboard and in the README. */
export const CLIENT_DEFINITION =
  'Clients are contacts with a review cadence set for them or for one of their groups, or with at least one portfolio review on record (held, booked or missed). Contacts you only meet for other reasons, such as professionals and prospects, are not counted.';

// ---------------------------------------------------------------------------------------------
// Rules and classification

export const RulesState = z.object({
  version: z.number().int(),
  rules: z.array(ClassificationRule),
  savedAt: z.string(),
  /** Categories in use (built-ins, the rules', overrides'), for pickers. */
  categories: z.array(Category),
  /** What a new install starts with, for "restore the defaults". */
  defaults: z.array(ClassificationRule),
});
export type RulesState = z.infer<typeof RulesState>;

export const CategoryTransition = z.object({ from: Category, to: Category, count: Count });

export const RulesPreview = z.object({
  /** Current bookings looked at (reschedules counted once). */
  total: Count,
  /** Bookings whose shown category would change. */
  changed: Count,
  /** Bookings the new rules would move but a manual override keeps. */
  heldByOverride: Count,
  /** Bookings that keep their category but would be decided by another rule. */
  ruleChangedOnly: Count,
  transitions: z.array(CategoryTransition),
  samples: z.array(
    z.object({
      bookingId: BookingId,
      source: BookingSource,
      title: z.string(),
      startUtc: z.string(),
      from: Category,
      to: Category,
    }),
  ),
});
export type RulesPreview = z.infer<typeof RulesPreview>;

export const RulesSaved = z.object({
  version: z.number().int(),
  /** Bookings whose shown category changed. */
  changed: Count,
  /** Bookings classified again (all of them). */
  classified: Count,
});
export type RulesSaved = z.infer<typeof RulesSaved>;

export const BookingClassificationView = z.object({
  bookingId: BookingId,
  /** What the booking shows: the override's category, else the rules'. */
  category: Category,
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  reason: z.string(),
  overridden: z.boolean(),
  /** What the rules alone decided. */
  automatic: z.object({
    category: Category,
    ruleId: z.string().nullable(),
    ruleName: z.string().nullable(),
    reason: z.string(),
  }),
  override: z
    .object({ category: Category, note: z.string().nullable(), setAt: z.string() })
    .nullable(),
  classifiedAt: z.string(),
  rulesVersion: z.number().int(),
  /** Categories the override picker offers. */
  categories: z.array(Category),
});
export type BookingClassificationView = z.infer<typeof BookingClassificationView>;

// ---------------------------------------------------------------------------------------------
// Review policy

export const PolicyGroup = z.object({
  id: z.number().int(),
  field: z.string(),
  value: z.string(),
  cadenceMonths: CadenceMonths,
  /** Contacts currently in the group. */
  members: Count,
});
export type PolicyGroup = z.infer<typeof PolicyGroup>;

export const PolicyContact = z.object({
  contactId: z.string(),
  name: z.string(),
  cadenceMonths: CadenceMonths,
});
export type PolicyContact = z.infer<typeof PolicyContact>;

export const ReviewPolicy = z.object({
  defaultCadenceMonths: CadenceMonths,
  dueSoonDays: Count,
  timeZone: z.string(),
  groups: z.array(PolicyGroup),
  contacts: z.array(PolicyContact),
  /** LACRM custom fields with their most common values, to pick a group from. */
  fields: z.array(
    z.object({
      field: z.string(),
      values: z.array(z.object({ value: z.string(), contacts: Count })),
    }),
  ),
});
export type ReviewPolicy = z.infer<typeof ReviewPolicy>;

const FieldText = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');

// ---------------------------------------------------------------------------------------------
// Metrics and the dashboard

export const DashboardCards = z.object({
  clients: Count,
  /** Clients on track or due soon: their last held review is within their cadence. */
  reviewedWithinCadence: Count,
  /** reviewedWithinCadence / clients; null without clients. */
  reviewedWithinCadenceShare: z.number().min(0).max(1).nullable(),
  onTrack: Count,
  dueSoon: Count,
  overdue: Count,
  neverReviewed: Count,
  /** Portfolio reviews booked after now (scheduled, not cancelled). */
  upcomingReviews: Count,
});
export type DashboardCards = z.infer<typeof DashboardCards>;

export const MonthCategoryCount = z.object({
  month: IsoMonth,
  category: Category,
  meetings: Count,
});

export const DashboardData = z.object({
  asOf: z.string(),
  /** The advisor's today in their zone. */
  today: IsoDate,
  timeZone: z.string(),
  defaultCadenceMonths: CadenceMonths,
  dueSoonDays: Count,
  cards: DashboardCards,
  /** The last 12 months, oldest first (every month listed, even without meetings). */
  months: z.array(IsoMonth),
  /** Held meetings per month and category (zero counts left out). */
  meetingsPerMonth: z.array(MonthCategoryCount),
  /** Clients overdue at each month end of the last 11 months, and today. */
  overdueOverTime: z.array(z.object({ date: IsoDate, overdue: Count })),
  /** What is in the store, so empty states can say what is missing. */
  store: z.object({ bookings: Count, contacts: Count, hasMatches: z.boolean() }),
  /** Bookings matching has yet to go over, so the figures leave them out (null when none). */
  matchBacklog: MatchBacklog.nullable().optional(),
});
export type DashboardData = z.infer<typeof DashboardData>;

export const ClientMetrics = z.object({
  contactId: z.string(),
  name: z.string(),
  /** Null for a contact who is not a client (see CLIENT_DEFINITION). */
  status: ReviewStatus.nullable(),
  cadenceMonths: CadenceMonths.nullable(),
  cadenceSource: z.enum(['contact', 'group', 'default']).nullable(),
  lastReview: IsoDate.nullable(),
  nextReviewDue: IsoDate.nullable(),
  /** The next booked portfolio review (UTC instant), if any. */
  nextBookedReview: z.string().nullable(),
  meetings30: Count,
  meetings90: Count,
  meetings365: Count,
  lastMeeting: IsoDate.nullable(),
  cancellations: Count,
  noShows: Count,
});
export type ClientMetrics = z.infer<typeof ClientMetrics>;

/** 'all': every contact with a meeting or a cadence; 'clients': clients only; then by status. */
export const ClientListFilter = z.enum([
  'all',
  'clients',
  'within_cadence',
  'on_track',
  'due_soon',
  'overdue',
  'never_reviewed',
]);
export type ClientListFilter = z.infer<typeof ClientListFilter>;

export const BookingList = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('month'), month: IsoMonth, category: Category.optional() }).strict(),
  z.object({ kind: z.literal('upcoming_reviews') }).strict(),
]);
export type BookingList = z.infer<typeof BookingList>;

export const MetricsBookingRow = z.object({
  id: BookingId,
  source: BookingSource,
  sourceId: z.string(),
  title: z.string(),
  startUtc: z.string(),
  durationMinutes: Count,
  status: BookingStatus,
  category: Category,
  ruleName: z.string().nullable(),
  overridden: z.boolean(),
  clients: z.array(z.object({ contactId: z.string(), name: z.string() })),
});
export type MetricsBookingRow = z.infer<typeof MetricsBookingRow>;

// ---------------------------------------------------------------------------------------------
// Compliance reports. src/main/report/types.ts tightens these for the CSV and PDF renderers.

const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'must be yyyy-mm-dd HH:mm');

export const ComplianceReviewView = z.object({
  source: z.string().min(1),
  bookingId: z.string().min(1),
  date: LocalDateTime,
  durationMinutes: Count,
  status: z.string().min(1),
  ruleName: z.string().nullable(),
  classificationReason: z.string(),
  matchConfirmedBy: z.string(),
  matchConfirmedAt: z.string().nullable(),
  pushedToLacrm: z.string().nullable(),
});

export const ComplianceClientView = z.object({
  contactId: z.string().min(1),
  name: z.string(),
  cadenceMonths: z.number().int().positive(),
  status: ReviewStatus,
  lastReview: IsoDate.nullable(),
  nextReviewDue: IsoDate.nullable(),
  reviews: z.array(ComplianceReviewView),
});

export const ComplianceReportView = z.object({
  title: z.string().min(1),
  periodFrom: IsoDate,
  periodTo: IsoDate,
  advisorName: z.string().min(1),
  firmName: z.string().nullish(),
  generatedAt: z.string(),
  timeZone: z.string(),
  summary: z.object({
    clients: Count,
    reviewedInPeriod: Count,
    notReviewed: Count,
    overdueNow: Count,
  }),
  clients: z.array(ComplianceClientView),
});
export type ComplianceReportView = z.infer<typeof ComplianceReportView>;

export const reportFormats = ['csv', 'pdf', 'json'] as const;
export const ReportFormat = z.enum(reportFormats);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** Most years a report may span. */
export const MAX_REPORT_YEARS = 10;

function checkPeriod(period: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (period.from > period.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    return;
  }
  const [fromYear, ...fromRest] = period.from.split('-');
  const limit = `${Number(fromYear) + MAX_REPORT_YEARS}-${fromRest.join('-')}`;
  if (period.to >= limit) {
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `a report spans at most ${MAX_REPORT_YEARS} years`,
    });
  }
}

export const ReportPeriod = z
  .object({ from: IsoDate, to: IsoDate })
  .strict()
  .superRefine(checkPeriod);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

export const ReportExportView = z.object({
  id: z.number().int(),
  format: ReportFormat,
  periodFrom: IsoDate,
  periodTo: IsoDate,
  generatedAt: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: Count,
  /** The file's name in the exports folder (the app), or where the CLI wrote it. */
  fileName: z.string().nullable(),
  clients: Count,
  reviews: Count,
  exportedBy: z.string(),
});
export type ReportExportView = z.infer<typeof ReportExportView>;

// ---------------------------------------------------------------------------------------------

export const metricsMethods = {
  /** The rules in force, their version, the categories in use and the defaults. */
  'rules:get': method(Empty, RulesState),
  /** What saving `rules` would reclassify, before anything is saved. */
  'rules:preview': method(z.object({ rules: RuleSet }).strict(), RulesPreview),
  /**
   * Saves `rules` as a new version and reclassifies every booking in one transaction. With
   * `expectedVersion`, refuses (conflict) if someone saved another version in the meantime.
   */
  'rules:save': method(
    z.object({ rules: RuleSet, expectedVersion: z.number().int().min(1).optional() }).strict(),
    RulesSaved,
  ),
  /** One booking's category, the rule that decided it and why, and any override. */
  'classification:get': method(
    z.object({ bookingId: BookingId }).strict(),
    BookingClassificationView,
  ),
  /** The advisor's category for one booking; wins over the rules and survives re-sync. */
  'classification:override': method(
    z
      .object({
        bookingId: BookingId,
        category: Category,
        note: z.string().trim().max(500, 'at most 500 characters').nullish(),
      })
      .strict(),
    BookingClassificationView,
  ),
  /** Removes a booking's override: the rules decide again. */
  'classification:clearOverride': method(
    z.object({ bookingId: BookingId }).strict(),
    BookingClassificationView,
  ),
  'policy:get': method(Empty, ReviewPolicy),
  /** Sets the cadence of a LACRM group (custom field = value), adding the group if new. */
  'policy:setGroup': method(
    z.object({ field: FieldText, value: FieldText, cadenceMonths: CadenceMonths }).strict(),
    ReviewPolicy,
  ),
  'policy:deleteGroup': method(
    z.object({ id: z.number().int().positive() }).strict(),
    ReviewPolicy,
  ),
  /** Sets one contact's cadence; null removes it (the group's or the default applies again). */
  'policy:setContact': method(
    z
      .object({
        contactId: z
          .string()
          .trim()
          .regex(/^\d{1,40}$/, 'must be a LACRM contact id (digits only)'),
        cadenceMonths: CadenceMonths.nullable(),
      })
      .strict(),
    ReviewPolicy,
  ),
  /** The dashboard's figures: cards, meetings per month by category, overdue over time. */
  'metrics:dashboard': method(Empty, DashboardData),
  /**
   * Clients (or, with filter 'all', every contact with a meeting or a cadence), a page at a time;
   * with asOf, as they stood at the end of that past day.
   */
  'metrics:clients': method(
    z
      .object({
        filter: ClientListFilter.default('all'),
        search: z.string().trim().max(200).optional(),
        /** Statuses as they stood at the end of this past day (the overdue-over-time chart). */
        asOf: IsoDate.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ total: Count, rows: z.array(ClientMetrics) }),
  ),
  /** The bookings behind a dashboard number: a month's meetings (of a category), upcoming reviews. */
  'metrics:bookings': method(
    z
      .object({
        list: BookingList,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    z.object({ total: Count, rows: z.array(MetricsBookingRow) }),
  ),
  /** The compliance report for a period, for the screen. */
  'reports:compliance': method(ReportPeriod, ComplianceReportView),
  /**
   * Renders the report in main, writes it into the data folder's exports folder and records its
   * SHA-256. The renderer gets the file's name and checksum, never a path or the bytes.
   */
  'reports:export': method(
    z
      .object({ format: ReportFormat, from: IsoDate, to: IsoDate })
      .strict()
      .superRefine(checkPeriod),
    ReportExportView,
  ),
  /** Recorded exports, newest first, and how long records are kept. */
  'reports:exports': method(
    z
      .object({ limit: z.number().int().min(1).max(500).default(50) })
      .strict()
      .optional()
      .default({ limit: 50 }),
    z.object({
      exports: z.array(ReportExportView),
      retentionYears: z.number().int(),
    }),
  ),
} as const;

export const metricsEvents = {
  /** Rules, overrides, policy or classifications changed: figures need reloading. */
  'metrics:changed': z.object({ reason: z.string() }),
} as const;
