// Review status and meeting metrics, computed in SQL in the store. They read the narrow rows
// migration 0070's triggers keep: metric_links (one per attendee linked to a contact: a match that
// is automatic or confirmed) and the booking facts in booking_classifications. Only current
// bookings count (a rescheduled meeting once, as the booking that replaced it); a booking with
// several matched contacts counts for each.
//
// A review is a booking whose shown category (override, else rules) is portfolio_review. It was
// held when its status can be held (scheduled or completed; never pending, cancelled, rejected or
// no-show), it has ended by now, and the client's own attendee was neither a no-show nor
// cancelled. Next review due = the local date of the last held review + the client's cadence,
// month-end clamped (add_months_in_zone), in the advisor's zone; nothing rolls forward by itself.
// Statuses compare the last held review with per-cadence boundaries (thresholds.ts), which give
// the same answer as comparing due dates, without a due date per client.
//
// Clients (CLIENT_DEFINITION): live contacts with a cadence of their own, in a review group, or
// with a portfolio review on record (held, booked or missed).
import { DateTime } from 'luxon';
import type {
  ClientListFilter,
  ClientMetrics,
  DashboardCards,
  DashboardData,
  MetricsBookingRow,
  ReviewStatus,
} from '../../shared/contract-metrics';
import type { BookingSource, BookingStatus } from '../../shared/domain';
import type { Db } from '../db/open';
import { readTransaction } from '../db/transactions';
import { readPlanMark } from '../db/queries/plan-marks';
import { CONTACT_NAME_SQL, type PolicySettings } from './policy';
import { localDate } from './review-dates';
import { registerSqlFunctions } from './sql-functions';
import { overdueBoundaries, statusBoundaries } from './thresholds';

export type MetricsOptions = PolicySettings &
  Readonly<{
    now: Date;
    /**
     * For figures as of the end of a past day: that day (with `now` the instant it ended). The
     * statuses are then the ones the advisor would have seen that evening.
     */
    asOfDate?: string;
  }>;

const DAY_MS = 86_400_000;

type BaseParams = Record<string, string | number> & {
  now: string;
  zone: string;
  today: string;
  defaultCadence: number;
};

/** The cadences clients can have now: the default's and every one the policy sets. */
function cadencesInUse(db: Db, options: MetricsOptions): number[] {
  const set = db
    .prepare(
      `SELECT cadence_months FROM review_policy_contacts
       UNION SELECT cadence_months FROM review_policy_groups`,
    )
    .pluck()
    .all() as number[];
  return [...new Set([options.defaultCadenceMonths, ...set])].sort((a, b) => a - b);
}

/**
 * Parameters of the client CTEs: now, zone, today, the default cadence, and for each cadence in
 * use (cad0, cad1, …) the instants a last held review must reach to be on time (over0, …) and to
 * be clear of the due-soon window (soon0, …).
 */
function baseParams(options: MetricsOptions, cadences: readonly number[]): BaseParams {
  const now = options.now.toISOString();
  const today = options.asOfDate ?? localDate(now, options.timeZone);
  const params: BaseParams = {
    now,
    zone: options.timeZone,
    today,
    defaultCadence: options.defaultCadenceMonths,
  };
  statusBoundaries(today, options.dueSoonDays, options.timeZone, cadences).forEach((b, k) => {
    params[`cad${k}`] = b.cadence;
    params[`over${k}`] = b.overdueBefore;
    params[`soon${k}`] = b.soonBefore;
  });
  return params;
}

/** A value per cadence in use, picked by `cadenceSql` (the cadences are few: a CASE beats a join). */
function byCadence(cadenceSql: string, count: number, value: (k: number) => string): string {
  if (count === 1) return value(0);
  const arms = Array.from({ length: count }, (_, k) => `WHEN @cad${k} THEN ${value(k)}`);
  return `CASE ${cadenceSql} ${arms.join(' ')} END`;
}

/** A metric_links row (unaliased) that was held by now. */
const HELD_LINK = `(holdable = 1 AND end_utc <= @now)`;

/** A booking (booking_classifications `k`) that was held by now: someone attended. */
const HELD_BOOKING = `(k.status IN ('scheduled', 'completed') AND k.end_utc <= @now AND k.all_absent = 0)`;

/** A portfolio review booked after now: what "upcoming scheduled reviews" counts and lists. */
const UPCOMING_REVIEW = `k.current = 1 AND k.start_utc > @now AND k.effective_category = 'portfolio_review'
  AND k.status = 'scheduled'`;

/**
 * The common CTEs, ending in `statuses` (contact_id, cadence_months, cadence_source,
 * last_held_utc, next_booked_utc, status, and with `window` held_before_window: the last review
 * held by @firstHeldBy). Parameters: baseParams (and firstHeldBy).
 */
function clientCtes(
  cadenceCount: number,
  options: Readonly<{
    /**
     * The CTE (window_lasts, defined first) holding each client's last review held by each
     * point; its column `lastColumn` is the last held by now. The review pass then only keeps the
     * last review held by the first point, and the last held review comes from the window.
     */
    window?: Readonly<{ cte: string; lastColumn: string; columns: readonly string[] }>;
    nextBooked?: boolean;
  }> = {},
): string {
  // Only what the caller reads is computed: each CASE costs over every review.
  const { window } = options;
  const beforeWindow = window
    ? `max(CASE WHEN holdable = 1 AND end_utc <= @firstHeldBy THEN start_utc END)`
    : 'NULL';
  const lastHeld = window ? 'NULL' : `max(CASE WHEN ${HELD_LINK} THEN start_utc END)`;
  const nextBooked =
    options.nextBooked === false
      ? 'NULL'
      : `min(CASE WHEN status = 'scheduled' AND start_utc > @now AND cancelled = 0 THEN start_utc END)`;
  // Window reviews start at most two days before the first point, so when a client has one held
  // by a point it is at least as late as their last review held by the first point.
  const lastHeldOf = (alias: string) =>
    window
      ? `coalesce(w.${window.lastColumn}, ${alias}.held_before_window)`
      : `${alias}.last_held_utc`;
  // The window's columns ride along to `statuses`, so it is joined once.
  const carry = (alias: string | null) =>
    (window?.columns ?? []).map((c) => `, ${alias ? `${alias}.${c}` : 'NULL'} AS ${c}`).join('');
  return `${window ? `${window.cte},` : ''}
review_summary AS MATERIALIZED (
  SELECT contact_id,
    ${lastHeld} AS last_held_utc,
    ${beforeWindow} AS held_before_window,
    ${nextBooked} AS next_booked_utc,
    max(on_record) AS on_record
  FROM metric_links INDEXED BY metric_links_category
  WHERE category = 'portfolio_review' AND current = 1
  GROUP BY contact_id
),
policy_rows AS (
  SELECT contact_id, cadence_months AS own, NULL AS grp FROM review_policy_contacts
  UNION ALL SELECT gm.contact_id, NULL, g.cadence_months
    FROM review_group_members gm JOIN review_policy_groups g ON g.id = gm.group_id
),
policy AS MATERIALIZED (
  SELECT contact_id, min(own) AS own_cadence, min(grp) AS group_cadence FROM policy_rows
  GROUP BY contact_id
),
removed AS MATERIALIZED (
  SELECT contact_id FROM contacts INDEXED BY contacts_removed WHERE removed = 1
),
clients AS MATERIALIZED (
  SELECT r.contact_id AS contact_id,
    coalesce(p.own_cadence, p.group_cadence, @defaultCadence) AS cadence_months,
    CASE WHEN p.own_cadence IS NOT NULL THEN 'contact'
         WHEN p.group_cadence IS NOT NULL THEN 'group' ELSE 'default' END AS cadence_source,
    ${lastHeldOf('r')} AS last_held_utc, r.held_before_window AS held_before_window,
    r.next_booked_utc AS next_booked_utc${carry('w')}
  FROM review_summary r LEFT JOIN policy p ON p.contact_id = r.contact_id
  ${window ? 'LEFT JOIN window_lasts w ON w.contact_id = r.contact_id' : ''}
  WHERE (r.on_record = 1 OR p.contact_id IS NOT NULL) AND r.contact_id NOT IN removed
  UNION ALL
  SELECT p.contact_id, coalesce(p.own_cadence, p.group_cadence, @defaultCadence),
    CASE WHEN p.own_cadence IS NOT NULL THEN 'contact' ELSE 'group' END, NULL, NULL, NULL${carry(null)}
  FROM policy p
  WHERE NOT EXISTS (SELECT 1 FROM metric_links INDEXED BY metric_links_category
      WHERE category = 'portfolio_review' AND current = 1 AND contact_id = p.contact_id)
    AND p.contact_id NOT IN removed
),
statuses AS (
  SELECT cl.contact_id AS contact_id, cl.cadence_months AS cadence_months,
    cl.cadence_source AS cadence_source, cl.last_held_utc AS last_held_utc,
    cl.held_before_window AS held_before_window, cl.next_booked_utc AS next_booked_utc${carry('cl')},
    CASE WHEN cl.last_held_utc IS NULL THEN 'never_reviewed'
      ELSE ${byCadence(
        'cl.cadence_months',
        cadenceCount,
        (k) => `CASE WHEN cl.last_held_utc < @over${k} THEN 'overdue'
          WHEN cl.last_held_utc < @soon${k} THEN 'due_soon' ELSE 'on_track' END`,
      )} END AS status
  FROM clients cl
)`;
}

/** Last review (local date) and next review due of a `statuses` row `s`, for listed rows. */
const DUE_COLUMNS = `local_date(s.last_held_utc, @zone) AS last_review,
  add_months_in_zone(local_date(s.last_held_utc, @zone), s.cadence_months, @zone) AS next_due`;

// ---------------------------------------------------------------------------------------------
// The dashboard

type ClientFigures = Readonly<{
  clients: number;
  onTrack: number;
  dueSoon: number;
  overdue: number;
  neverReviewed: number;
  /** Clients overdue at each point, in order. */
  overdueAt: readonly number[];
}>;

/**
 * Status counts now and overdue counts at each point, in one statement over one client list.
 * Overdue at a point: the last review held by then (ended by the end of the point's day, or by now
 * for today), plus the client's cadence, fell before that day. One pass over all reviews keeps
 * each client's last one held by the first point; one pass over the reviews since keeps the last
 * held by each point; each is compared with its cadence's boundary for that point (thresholds.ts).
 * The same answer as metrics:clients with asOf for that day.
 */
function clientFigures(
  db: Db,
  options: MetricsOptions,
  points: readonly OverduePoint[],
): ClientFigures {
  registerSqlFunctions(db);
  const cadences = cadencesInUse(db, options);
  const firstHeldBy = points[0]?.heldBy ?? options.now.toISOString();
  const params: Record<string, unknown> = {
    ...baseParams(options, cadences),
    firstHeldBy,
    // A review held by the first point may have started the day before (meetings last at most a day).
    windowStart: new Date(Date.parse(firstHeldBy) - 2 * DAY_MS).toISOString(),
    lastHeldBy: points[points.length - 1]?.heldBy ?? options.now.toISOString(),
  };
  points.forEach((point, i) => (params[`heldBy${i}`] = point.heldBy));
  overdueBoundaries(
    points.map((p) => p.date),
    options.timeZone,
    cadences,
  ).forEach((b, k) => b.overdueBefore.forEach((before, i) => (params[`p${i}c${k}`] = before)));
  const windowColumns = points
    .map((_, i) => `max(CASE WHEN end_utc <= @heldBy${i} THEN start_utc END) AS last${i}`)
    .join(',\n    ');
  // The last review held by the point: the last in the window if there is one (it is at least
  // as late as any before the window), else the last one held by the first point.
  const lastAt = (i: number) => `coalesce(s.last${i}, s.held_before_window)`;
  const overdueColumns = points
    .map(
      (_, i) =>
        `coalesce(sum(${lastAt(i)} < ${byCadence('s.cadence_months', cadences.length, (k) => `@p${i}c${k}`)}), 0)`,
    )
    .join(',\n    ');
  const statusColumns = `count(*), coalesce(sum(s.status = 'on_track'), 0),
    coalesce(sum(s.status = 'due_soon'), 0), coalesce(sum(s.status = 'overdue'), 0),
    coalesce(sum(s.status = 'never_reviewed'), 0)`;
  const windowCte = `window_lasts AS MATERIALIZED (
    SELECT contact_id, ${windowColumns}
    FROM metric_links INDEXED BY metric_links_window
    WHERE category = 'portfolio_review' AND current = 1 AND start_utc >= @windowStart
      AND start_utc < @lastHeldBy AND holdable = 1
    GROUP BY contact_id)`;
  const sql =
    points.length === 0
      ? `WITH ${clientCtes(cadences.length, { nextBooked: false })}
         SELECT ${statusColumns} FROM statuses s`
      : `WITH ${clientCtes(cadences.length, {
          window: {
            cte: windowCte,
            lastColumn: `last${points.length - 1}`,
            columns: points.map((_, i) => `last${i}`),
          },
          nextBooked: false,
        })}
         SELECT ${statusColumns}, ${overdueColumns} FROM statuses s`;
  const row = db.prepare(sql).raw().get(params) as number[];
  return {
    clients: row[0] ?? 0,
    onTrack: row[1] ?? 0,
    dueSoon: row[2] ?? 0,
    overdue: row[3] ?? 0,
    neverReviewed: row[4] ?? 0,
    overdueAt: points.map((_, i) => row[5 + i] ?? 0),
  };
}

function upcomingReviews(db: Db, options: MetricsOptions): number {
  return db
    .prepare(`SELECT count(*) FROM booking_classifications k WHERE ${UPCOMING_REVIEW}`)
    .pluck()
    .get({ now: options.now.toISOString() }) as number;
}

function toCards(figures: ClientFigures, upcoming: number): DashboardCards {
  const within = figures.onTrack + figures.dueSoon;
  return {
    clients: figures.clients,
    reviewedWithinCadence: within,
    reviewedWithinCadenceShare: figures.clients > 0 ? within / figures.clients : null,
    onTrack: figures.onTrack,
    dueSoon: figures.dueSoon,
    overdue: figures.overdue,
    neverReviewed: figures.neverReviewed,
    upcomingReviews: upcoming,
  };
}

export function dashboardCards(db: Db, options: MetricsOptions): DashboardCards {
  return toCards(clientFigures(db, options, []), upcomingReviews(db, options));
}

export type MonthSpan = Readonly<{ month: string; start: string; end: string }>;

function todayIn(options: MetricsOptions): DateTime {
  return DateTime.fromISO(localDate(options.now.toISOString(), options.timeZone), {
    zone: options.timeZone,
  });
}

function utcIso(date: DateTime): string {
  return date.toUTC().toJSDate().toISOString();
}

/** The last `count` local months up to today's, oldest first, as UTC spans. */
export function recentMonths(options: MetricsOptions, count = 12): MonthSpan[] {
  const today = todayIn(options);
  const spans: MonthSpan[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const start = today.startOf('month').minus({ months: back });
    spans.push({
      month: start.toFormat('yyyy-MM'),
      start: utcIso(start),
      end: utcIso(start.plus({ months: 1 })),
    });
  }
  return spans;
}

/** Held meetings per local month and shown category, over `months`. */
export function meetingsPerMonth(
  db: Db,
  options: MetricsOptions,
  months: readonly MonthSpan[],
): { month: string; category: string; meetings: number }[] {
  return db
    .prepare(
      `WITH months AS MATERIALIZED (
         SELECT value ->> 'month' AS month, value ->> 'start' AS start_utc, value ->> 'end' AS end_utc
         FROM json_each(@months))
       SELECT months.month AS month, k.effective_category AS category, count(*) AS meetings
       FROM months
       JOIN booking_classifications k INDEXED BY booking_classifications_start
         ON k.current = 1 AND k.start_utc >= months.start_utc AND k.start_utc < months.end_utc
       WHERE ${HELD_BOOKING}
       GROUP BY months.month, k.effective_category
       ORDER BY months.month, k.effective_category`,
    )
    .all({ months: JSON.stringify(months), now: options.now.toISOString() }) as {
    month: string;
    category: string;
    meetings: number;
  }[];
}

export type OverduePoint = Readonly<{
  date: string;
  /** Reviews that ended by this instant had been held by the point: the end of its day, or now. */
  heldBy: string;
}>;

/** The last day of each of the previous `count - 1` local months, then today. */
export function overduePoints(options: MetricsOptions, count = 12): OverduePoint[] {
  const today = todayIn(options);
  const points: OverduePoint[] = [];
  for (let back = count - 1; back >= 1; back -= 1) {
    const monthEnd = today.startOf('month').minus({ months: back }).endOf('month').startOf('day');
    points.push({ date: monthEnd.toISODate()!, heldBy: utcIso(monthEnd.plus({ days: 1 })) });
  }
  points.push({ date: today.toISODate()!, heldBy: options.now.toISOString() });
  return points;
}

/** Clients overdue at the end of each point's day (cadences and the client list are today's). */
export function overdueOverTime(
  db: Db,
  options: MetricsOptions,
  points: readonly OverduePoint[],
): { date: string; overdue: number }[] {
  const figures = clientFigures(db, options, points);
  return points.map((point, i) => ({ date: point.date, overdue: figures.overdueAt[i] ?? 0 }));
}

function storeFacts(db: Db): DashboardData['store'] {
  return {
    bookings: db
      .prepare('SELECT count(*) FROM booking_classifications WHERE current = 1')
      .pluck()
      .get() as number,
    contacts: db.prepare('SELECT count(*) FROM contacts WHERE removed = 0').pluck().get() as number,
    hasMatches: db.prepare('SELECT 1 FROM metric_links LIMIT 1').get() !== undefined,
  };
}

// The overdue counts at past month ends change only when what they are counted from does (or the
// settings they depend on). They are kept per connection under the store's input generation
// (plan_marks, migration 0100: triggers count every write to bookings, matches, classifications,
// contacts, policies and the rest, by any connection or process, but not a row merely seen again).
// A dashboard opened again without such a write in between, a quiet sync included, then only
// counts today's figures.
const pastOverdueCache = new WeakMap<Db, Readonly<{ key: string; overdueAt: readonly number[] }>>();

function storeVersion(db: Db): string {
  return String(readPlanMark(db).generation);
}

/** Drops the remembered past figures (the benchmark measures the first dashboard after a change). */
export function forgetPastFigures(db: Db): void {
  pastOverdueCache.delete(db);
}

/** Everything the dashboard shows, in one read transaction (one consistent snapshot). */
export function dashboard(db: Db, options: MetricsOptions): DashboardData {
  registerSqlFunctions(db);
  return readTransaction(db, (): DashboardData => {
    const months = recentMonths(options);
    const points = overduePoints(options);
    const past = points.slice(0, -1);
    const key = JSON.stringify([
      storeVersion(db),
      options.defaultCadenceMonths,
      options.timeZone,
      past,
    ]);
    const cached = pastOverdueCache.get(db);
    let figures: ClientFigures;
    let pastOverdue: readonly number[];
    if (cached?.key === key) {
      figures = clientFigures(db, options, []);
      pastOverdue = cached.overdueAt;
    } else {
      figures = clientFigures(db, options, points);
      pastOverdue = figures.overdueAt.slice(0, past.length);
      pastOverdueCache.set(db, { key, overdueAt: pastOverdue });
    }
    return {
      asOf: options.now.toISOString(),
      today: localDate(options.now.toISOString(), options.timeZone),
      timeZone: options.timeZone,
      defaultCadenceMonths: options.defaultCadenceMonths,
      dueSoonDays: options.dueSoonDays,
      cards: toCards(figures, upcomingReviews(db, options)),
      months: months.map((m) => m.month),
      meetingsPerMonth: meetingsPerMonth(db, options, months),
      // Today's point is today's overdue count.
      overdueOverTime: points.map((point, i) => ({
        date: point.date,
        overdue: i < past.length ? (pastOverdue[i] ?? 0) : figures.overdue,
      })),
      store: storeFacts(db),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Per contact

type StatusRow = {
  contact_id: string;
  name: string;
  cadence_months: number | null;
  cadence_source: 'contact' | 'group' | 'default' | null;
  last_review: string | null;
  next_due: string | null;
  next_booked_utc: string | null;
  status: ReviewStatus | null;
};

type StatsRow = {
  contact_id: string;
  meetings30: number;
  meetings90: number;
  meetings365: number;
  last_meeting_utc: string | null;
  cancellations: number;
  no_shows: number;
};

/**
 * Meeting figures per contact over their current bookings. One row per (contact, booking) first:
 * a contact who is on a booking twice counts once, and attended if either of them did.
 */
function statsSql(restrictToIds: boolean): string {
  const held = `(cb.status IN ('scheduled', 'completed') AND cb.end_utc <= @now AND cb.attended = 1)`;
  return `WITH contact_bookings AS (
      SELECT contact_id, booking_id, max(start_utc) AS start_utc, max(end_utc) AS end_utc,
        max(status) AS status, max(no_show = 0 AND cancelled = 0) AS attended,
        max(no_show) AS no_show, min(cancelled) AS cancelled
      FROM metric_links INDEXED BY metric_links_contact
      WHERE current = 1 ${restrictToIds ? 'AND contact_id IN (SELECT value FROM json_each(@ids))' : ''}
      GROUP BY contact_id, booking_id
    )
    SELECT cb.contact_id AS contact_id,
      coalesce(sum(${held} AND cb.start_utc >= @since30), 0) AS meetings30,
      coalesce(sum(${held} AND cb.start_utc >= @since90), 0) AS meetings90,
      coalesce(sum(${held} AND cb.start_utc >= @since365), 0) AS meetings365,
      max(CASE WHEN ${held} THEN cb.start_utc END) AS last_meeting_utc,
      coalesce(sum(cb.status = 'cancelled' OR (cb.cancelled = 1 AND cb.status NOT IN ('rejected', 'no_show'))), 0)
        AS cancellations,
      coalesce(sum(cb.status = 'no_show' OR (cb.status IN ('scheduled', 'completed') AND cb.end_utc <= @now
        AND cb.attended = 0 AND cb.no_show = 1)), 0) AS no_shows
    FROM contact_bookings cb
    GROUP BY cb.contact_id`;
}

function statsParams(options: MetricsOptions) {
  const now = options.now.getTime();
  return {
    now: options.now.toISOString(),
    since30: new Date(now - 30 * DAY_MS).toISOString(),
    since90: new Date(now - 90 * DAY_MS).toISOString(),
    since365: new Date(now - 365 * DAY_MS).toISOString(),
  };
}

/** Meeting figures for these contacts (or every linked contact with `ids` = 'all'). */
export function meetingStats(
  db: Db,
  options: MetricsOptions,
  ids: readonly string[] | 'all',
): Map<string, StatsRow> {
  if (ids !== 'all' && ids.length === 0) return new Map();
  const rows = db.prepare(statsSql(ids !== 'all')).all({
    ...statsParams(options),
    ...(ids === 'all' ? {} : { ids: JSON.stringify(ids) }),
  }) as StatsRow[];
  return new Map(rows.map((row) => [row.contact_id, row]));
}

export type ContactListQuery = Readonly<{
  filter: ClientListFilter;
  search?: string;
  offset: number;
  /** -1: every row. */
  limit: number;
}>;

function filterClause(filter: ClientListFilter): string {
  switch (filter) {
    case 'all':
    case 'clients':
      return '1';
    case 'within_cadence':
      return `s.status IN ('on_track', 'due_soon')`;
    case 'on_track':
    case 'due_soon':
    case 'overdue':
    case 'never_reviewed':
      return `s.status = '${filter}'`;
  }
}

function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Clients with their status (filtered, searched, a page at a time) and, for the page only, their
 * meeting figures. Filter 'all' lists every live contact with a current matched meeting or a
 * client's standing; non-clients have a null status.
 */
export function contactMetrics(
  db: Db,
  options: MetricsOptions,
  query: ContactListQuery,
): { total: number; rows: ClientMetrics[] } {
  registerSqlFunctions(db);
  return readTransaction(db, () => {
    const cadences = cadencesInUse(db, options);
    const ctes = clientCtes(cadences.length);
    const params = {
      ...baseParams(options, cadences),
      search: query.search ? likePattern(query.search) : null,
      limit: query.limit,
      offset: query.offset,
    };
    const everyone = query.filter === 'all';
    const listed = everyone
      ? `universe AS (
             SELECT contact_id FROM statuses
             UNION SELECT contact_id FROM metric_links INDEXED BY metric_links_contact WHERE current = 1
           ),
           listed AS (
             SELECT u.contact_id AS contact_id, ${CONTACT_NAME_SQL} AS name,
               s.cadence_months AS cadence_months, s.cadence_source AS cadence_source,
               s.last_held_utc AS last_held_utc, s.next_booked_utc AS next_booked_utc, s.status AS status
             FROM universe u JOIN contacts c ON c.contact_id = u.contact_id AND c.removed = 0
             LEFT JOIN statuses s ON s.contact_id = u.contact_id
           )`
      : `listed AS (
             SELECT s.contact_id AS contact_id, ${CONTACT_NAME_SQL} AS name,
               s.cadence_months AS cadence_months, s.cadence_source AS cadence_source,
               s.last_held_utc AS last_held_utc, s.next_booked_utc AS next_booked_utc, s.status AS status
             FROM statuses s JOIN contacts c ON c.contact_id = s.contact_id
             WHERE ${filterClause(query.filter)}
           )`;
    // Status lists put the longest-waiting first; the full lists go by name.
    const order =
      everyone || query.filter === 'clients'
        ? 'lower(s.name), s.contact_id'
        : 'next_due IS NULL, next_due, lower(s.name), s.contact_id';
    const searched = `SELECT * FROM listed WHERE @search IS NULL OR lower(name) LIKE @search ESCAPE '\\'`;
    const page = db
      .prepare(
        `WITH ${ctes}, ${listed}
           SELECT s.contact_id, s.name, s.cadence_months, s.cadence_source, s.next_booked_utc, s.status,
             ${DUE_COLUMNS}
           FROM (${searched}) s ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .all(params) as StatusRow[];
    const total = db
      .prepare(`WITH ${ctes}, ${listed} SELECT count(*) FROM (${searched})`)
      .pluck()
      .get(params) as number;
    const stats = meetingStats(
      db,
      options,
      page.map((row) => row.contact_id),
    );
    return {
      total,
      rows: page.map((row) => toClientMetrics(row, stats.get(row.contact_id), options.timeZone)),
    };
  });
}

function toClientMetrics(row: StatusRow, stats: StatsRow | undefined, zone: string): ClientMetrics {
  return {
    contactId: row.contact_id,
    name: row.name,
    status: row.status,
    cadenceMonths: row.cadence_months,
    cadenceSource: row.cadence_source,
    lastReview: row.last_review,
    nextReviewDue: row.next_due,
    nextBookedReview: row.next_booked_utc,
    meetings30: stats?.meetings30 ?? 0,
    meetings90: stats?.meetings90 ?? 0,
    meetings365: stats?.meetings365 ?? 0,
    lastMeeting: stats?.last_meeting_utc ? localDate(stats.last_meeting_utc, zone) : null,
    cancellations: stats?.cancellations ?? 0,
    noShows: stats?.no_shows ?? 0,
  };
}

/** Every client's status row, with names, last review and next review due. */
export function clientStatuses(db: Db, options: MetricsOptions): StatusRow[] {
  registerSqlFunctions(db);
  const cadences = cadencesInUse(db, options);
  return db
    .prepare(
      `WITH ${clientCtes(cadences.length)}
       SELECT s.contact_id, ${CONTACT_NAME_SQL} AS name, s.cadence_months, s.cadence_source,
         s.next_booked_utc, s.status, ${DUE_COLUMNS}
       FROM statuses s JOIN contacts c ON c.contact_id = s.contact_id ORDER BY s.contact_id`,
    )
    .all(baseParams(options, cadences)) as StatusRow[];
}

/** Every row of `cadence export metrics`: all contacts with a meeting or a client's standing. */
export function allContactMetrics(db: Db, options: MetricsOptions): ClientMetrics[] {
  return contactMetrics(db, options, { filter: 'all', offset: 0, limit: -1 }).rows;
}

// ---------------------------------------------------------------------------------------------
// Bookings behind a number

export type BookingListQuery = Readonly<{
  list:
    | Readonly<{ kind: 'month'; month: string; category?: string }>
    | Readonly<{ kind: 'upcoming_reviews' }>;
  offset: number;
  limit: number;
}>;

function monthSpan(month: string, zone: string): { start: string; end: string } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone }).startOf('month');
  return { start: utcIso(start), end: utcIso(start.plus({ months: 1 })) };
}

export function metricsBookings(
  db: Db,
  options: MetricsOptions,
  query: BookingListQuery,
): { total: number; rows: MetricsBookingRow[] } {
  const now = options.now.toISOString();
  let where: string;
  let order: string;
  const params: Record<string, unknown> = { now, limit: query.limit, offset: query.offset };
  switch (query.list.kind) {
    case 'month': {
      const span = monthSpan(query.list.month, options.timeZone);
      params.start = span.start;
      params.end = span.end;
      params.category = query.list.category ?? null;
      where = `k.current = 1 AND k.start_utc >= @start AND k.start_utc < @end AND ${HELD_BOOKING}
        AND (@category IS NULL OR k.effective_category = @category)`;
      order = 'k.start_utc DESC, k.booking_id';
      break;
    }
    case 'upcoming_reviews':
      where = UPCOMING_REVIEW;
      order = 'k.start_utc, k.booking_id';
      break;
  }
  return readTransaction(db, () => {
    const rows = db
      .prepare(
        `SELECT b.id, b.source, b.source_id, b.title, b.start_utc, b.end_utc, b.duration_minutes,
             b.status, k.effective_category AS category, k.rule_name,
             EXISTS (SELECT 1 FROM classification_overrides o WHERE o.booking_id = b.id) AS overridden
           FROM booking_classifications k JOIN bookings b ON b.id = k.booking_id
           WHERE ${where} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
      )
      .all(params) as {
      id: number;
      source: BookingSource;
      source_id: string;
      title: string;
      start_utc: string;
      end_utc: string;
      duration_minutes: number;
      status: BookingStatus;
      category: string;
      rule_name: string | null;
      overridden: number;
    }[];
    const total = db
      .prepare(`SELECT count(*) FROM booking_classifications k WHERE ${where}`)
      .pluck()
      .get(params) as number;
    const clients = clientsOfBookings(
      db,
      rows.map((row) => row.id),
    );
    return {
      total,
      rows: rows.map((row) => ({
        id: row.id,
        source: row.source,
        sourceId: row.source_id,
        title: row.title,
        startUtc: row.start_utc,
        durationMinutes: row.duration_minutes,
        // As a person sees it: a scheduled meeting that has ended was held.
        status: row.status === 'scheduled' && row.end_utc <= now ? 'completed' : row.status,
        category: row.category,
        ruleName: row.overridden ? null : row.rule_name,
        overridden: row.overridden === 1,
        clients: clients.get(row.id) ?? [],
      })),
    };
  });
}

/** The matched contacts of each booking, by name. */
export function clientsOfBookings(
  db: Db,
  bookingIds: readonly number[],
): Map<number, { contactId: string; name: string }[]> {
  const out = new Map<number, { contactId: string; name: string }[]>();
  if (bookingIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT DISTINCT l.booking_id, c.contact_id, ${CONTACT_NAME_SQL} AS name
       FROM metric_links l JOIN contacts c ON c.contact_id = l.contact_id
       WHERE l.booking_id IN (SELECT value FROM json_each(?))
       ORDER BY l.booking_id, name`,
    )
    .all(JSON.stringify(bookingIds)) as { booking_id: number; contact_id: string; name: string }[];
  for (const row of rows) {
    const list = out.get(row.booking_id) ?? [];
    list.push({ contactId: row.contact_id, name: row.name });
    out.set(row.booking_id, list);
  }
  return out;
}
