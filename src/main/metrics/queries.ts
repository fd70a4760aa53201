// Review status and meeting metrics, computed in SQL in the store. Who a booking was with comes
// from the matches (an attendee counts for a contact when its match is automatic or confirmed; a
// booking with several matched contacts counts for each). Only current bookings count (a
// rescheduled meeting once, as the booking that replaced it).
//
// A review is a booking whose shown category (override, else rules) is portfolio_review. It was
// held when its status can be held (scheduled or completed, never pending, cancelled, rejected or
// no-show), it has ended by now, and the client's own attendee was neither a no-show nor
// cancelled. Next review due = the local date of the last held review + the client's cadence,
// month-end clamped (add_months_in_zone), in the advisor's zone; nothing rolls forward by itself.
//
// Clients (see CLIENT_DEFINITION): live contacts with a cadence of their own, in a review group, or
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
import { CONTACT_NAME_SQL, type PolicySettings } from './policy';
import { localDate } from './review-dates';
import { registerSqlFunctions } from './sql-functions';

export type MetricsOptions = PolicySettings & Readonly<{ now: Date }>;

const DAY_MS = 86_400_000;

function plusDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

type BaseParams = {
  now: string;
  zone: string;
  today: string;
  soonLimit: string;
  defaultCadence: number;
};

function baseParams(options: MetricsOptions): BaseParams {
  const now = options.now.toISOString();
  const today = localDate(now, options.timeZone);
  return {
    now,
    zone: options.timeZone,
    today,
    soonLimit: plusDays(today, options.dueSoonDays),
    defaultCadence: options.defaultCadenceMonths,
  };
}

const LINKED = `m.state IN ('auto', 'confirmed') AND m.contact_id IS NOT NULL`;

/** A review link (alias-free columns of review_links) that was held by now. */
const HELD_LINK = `(status IN ('scheduled', 'completed') AND end_utc <= @now AND no_show = 0 AND attendee_cancelled = 0)`;

/** A booking `b` that was held by now: ended, a status that can be held, someone attended. */
const HELD_BOOKING = `(b.status IN ('scheduled', 'completed') AND b.end_utc <= @now
  AND (EXISTS (SELECT 1 FROM attendees x WHERE x.booking_id = b.id AND x.no_show = 0 AND x.cancelled = 0)
       OR NOT EXISTS (SELECT 1 FROM attendees x WHERE x.booking_id = b.id)))`;

/** A portfolio review booked after now: what "upcoming scheduled reviews" counts and lists. */
const UPCOMING_REVIEW = `k.effective_category = 'portfolio_review' AND b.superseded_by IS NULL
  AND b.status = 'scheduled' AND b.start_utc > @now`;

/**
 * The common CTEs: review_links, review_summary, group_cadence, clients (with cadence) and
 * statuses (last review, next due, status). Parameters: now, zone, today, soonLimit, defaultCadence.
 */
const CLIENT_CTES = `
review_links AS (
  SELECT m.contact_id AS contact_id, b.id AS booking_id, b.start_utc AS start_utc, b.end_utc AS end_utc,
    b.status AS status, a.no_show AS no_show, a.cancelled AS attendee_cancelled
  FROM booking_classifications k
  JOIN bookings b ON b.id = k.booking_id
  JOIN attendees a ON a.booking_id = b.id
  JOIN matches m ON m.attendee_id = a.id
  WHERE k.effective_category = 'portfolio_review' AND b.superseded_by IS NULL AND ${LINKED}
),
review_summary AS MATERIALIZED (
  SELECT contact_id,
    max(CASE WHEN ${HELD_LINK} THEN start_utc END) AS last_held_utc,
    min(CASE WHEN status = 'scheduled' AND start_utc > @now AND attendee_cancelled = 0 THEN start_utc END)
      AS next_booked_utc,
    max(status IN ('scheduled', 'completed', 'no_show')) AS on_record
  FROM review_links GROUP BY contact_id
),
group_cadence AS MATERIALIZED (
  SELECT gm.contact_id AS contact_id, min(g.cadence_months) AS cadence_months
  FROM review_group_members gm JOIN review_policy_groups g ON g.id = gm.group_id
  GROUP BY gm.contact_id
),
client_ids AS (
  SELECT contact_id FROM review_summary WHERE on_record = 1
  UNION SELECT contact_id FROM review_policy_contacts
  UNION SELECT contact_id FROM group_cadence
),
clients AS MATERIALIZED (
  SELECT c.contact_id AS contact_id, ${CONTACT_NAME_SQL} AS name,
    coalesce(pc.cadence_months, gc.cadence_months, @defaultCadence) AS cadence_months,
    CASE WHEN pc.cadence_months IS NOT NULL THEN 'contact'
         WHEN gc.cadence_months IS NOT NULL THEN 'group' ELSE 'default' END AS cadence_source,
    r.last_held_utc AS last_held_utc, r.next_booked_utc AS next_booked_utc
  FROM client_ids i
  JOIN contacts c ON c.contact_id = i.contact_id AND c.removed = 0
  LEFT JOIN review_summary r ON r.contact_id = i.contact_id
  LEFT JOIN review_policy_contacts pc ON pc.contact_id = i.contact_id
  LEFT JOIN group_cadence gc ON gc.contact_id = i.contact_id
),
client_dates AS MATERIALIZED (
  SELECT cl.*, local_date(cl.last_held_utc, @zone) AS last_review FROM clients cl
),
client_due AS MATERIALIZED (
  SELECT d.*, add_months_in_zone(d.last_review, d.cadence_months, @zone) AS next_due FROM client_dates d
),
statuses AS (
  SELECT u.*, CASE WHEN u.next_due IS NULL THEN 'never_reviewed'
    WHEN u.next_due < @today THEN 'overdue'
    WHEN u.next_due <= @soonLimit THEN 'due_soon'
    ELSE 'on_track' END AS status
  FROM client_due u
)`;

// ---------------------------------------------------------------------------------------------
// The dashboard

export function dashboardCards(db: Db, options: MetricsOptions): DashboardCards {
  registerSqlFunctions(db);
  const params = baseParams(options);
  const row = db
    .prepare(
      `WITH ${CLIENT_CTES}
       SELECT count(*) AS clients,
         coalesce(sum(status = 'on_track'), 0) AS on_track,
         coalesce(sum(status = 'due_soon'), 0) AS due_soon,
         coalesce(sum(status = 'overdue'), 0) AS overdue,
         coalesce(sum(status = 'never_reviewed'), 0) AS never_reviewed
       FROM statuses`,
    )
    .get(params) as {
    clients: number;
    on_track: number;
    due_soon: number;
    overdue: number;
    never_reviewed: number;
  };
  const upcoming = db
    .prepare(
      `SELECT count(*) FROM booking_classifications k JOIN bookings b ON b.id = k.booking_id
       WHERE ${UPCOMING_REVIEW}`,
    )
    .pluck()
    .get({ now: params.now }) as number;
  const within = row.on_track + row.due_soon;
  return {
    clients: row.clients,
    reviewedWithinCadence: within,
    reviewedWithinCadenceShare: row.clients > 0 ? within / row.clients : null,
    onTrack: row.on_track,
    dueSoon: row.due_soon,
    overdue: row.overdue,
    neverReviewed: row.never_reviewed,
    upcomingReviews: upcoming,
  };
}

export type MonthSpan = Readonly<{ month: string; start: string; end: string }>;

/** The last `count` local months up to today's, oldest first, as UTC spans. */
export function recentMonths(options: MetricsOptions, count = 12): MonthSpan[] {
  const today = DateTime.fromISO(localDate(options.now.toISOString(), options.timeZone), {
    zone: options.timeZone,
  });
  const spans: MonthSpan[] = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const start = today.startOf('month').minus({ months: back });
    spans.push({
      month: start.toFormat('yyyy-MM'),
      start: start.toUTC().toISO()!,
      end: start.plus({ months: 1 }).toUTC().toISO()!,
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
      `WITH months AS (
         SELECT value ->> 'month' AS month, value ->> 'start' AS start_utc, value ->> 'end' AS end_utc
         FROM json_each(@months))
       SELECT months.month AS month, k.effective_category AS category, count(*) AS meetings
       FROM months
       JOIN bookings b ON b.superseded_by IS NULL AND b.start_utc >= months.start_utc AND b.start_utc < months.end_utc
       JOIN booking_classifications k ON k.booking_id = b.id
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

export type OverduePoint = Readonly<{ date: string; bound: string }>;

/** The last day of each of the previous `count - 1` local months, then today; each with the UTC
 * instant its day ends at. */
export function overduePoints(options: MetricsOptions, count = 12): OverduePoint[] {
  const zone = options.timeZone;
  const today = DateTime.fromISO(localDate(options.now.toISOString(), zone), { zone });
  const points: OverduePoint[] = [];
  for (let back = count - 1; back >= 1; back -= 1) {
    const monthEnd = today.startOf('month').minus({ months: back }).endOf('month').startOf('day');
    points.push({
      date: monthEnd.toISODate()!,
      bound: monthEnd.plus({ days: 1 }).toUTC().toISO()!,
    });
  }
  points.push({ date: today.toISODate()!, bound: today.plus({ days: 1 }).toUTC().toISO()! });
  return points;
}

/**
 * Clients overdue at each point: their last review held on or before that day, plus their
 * cadence, fell before it. Each held review covers the days until the client's next held review,
 * so a point counts the reviews whose span contains it and whose due date it has passed. Cadences
 * and the client list are today's.
 */
export function overdueOverTime(
  db: Db,
  options: MetricsOptions,
  points: readonly OverduePoint[],
): { date: string; overdue: number }[] {
  registerSqlFunctions(db);
  if (points.length === 0) return [];
  const params = {
    ...baseParams(options),
    points: JSON.stringify(points),
    firstBound: points[0]!.bound,
    lastBound: points[points.length - 1]!.bound,
  };
  return db
    .prepare(
      `WITH ${CLIENT_CTES},
       points AS (SELECT value ->> 'date' AS p_date, value ->> 'bound' AS p_bound FROM json_each(@points)),
       held AS (SELECT DISTINCT contact_id, start_utc FROM review_links WHERE ${HELD_LINK}),
       seq AS (
         SELECT contact_id, start_utc,
           lead(start_utc) OVER (PARTITION BY contact_id ORDER BY start_utc) AS next_start
         FROM held
       ),
       spans AS MATERIALIZED (
         SELECT s.start_utc AS start_utc, s.next_start AS next_start,
           add_months_in_zone(local_date(s.start_utc, @zone), cl.cadence_months, @zone) AS due
         FROM seq s JOIN clients cl ON cl.contact_id = s.contact_id
         WHERE s.start_utc < @lastBound AND (s.next_start IS NULL OR s.next_start >= @firstBound)
       )
       SELECT p.p_date AS date,
         (SELECT count(*) FROM spans s WHERE s.start_utc < p.p_bound
            AND (s.next_start IS NULL OR s.next_start >= p.p_bound) AND s.due < p.p_date) AS overdue
       FROM points p ORDER BY p.p_date`,
    )
    .all(params) as { date: string; overdue: number }[];
}

function storeFacts(db: Db): DashboardData['store'] {
  return {
    bookings: db
      .prepare('SELECT count(*) FROM bookings WHERE superseded_by IS NULL')
      .pluck()
      .get() as number,
    contacts: db.prepare('SELECT count(*) FROM contacts WHERE removed = 0').pluck().get() as number,
    hasMatches:
      db
        .prepare(
          `SELECT 1 FROM matches WHERE state IN ('auto', 'confirmed') AND contact_id IS NOT NULL LIMIT 1`,
        )
        .get() !== undefined,
  };
}

/** Everything the dashboard shows, in one read transaction (one consistent snapshot). */
export function dashboard(db: Db, options: MetricsOptions): DashboardData {
  return db
    .transaction((): DashboardData => {
      const months = recentMonths(options);
      const points = overduePoints(options);
      return {
        asOf: options.now.toISOString(),
        today: localDate(options.now.toISOString(), options.timeZone),
        timeZone: options.timeZone,
        defaultCadenceMonths: options.defaultCadenceMonths,
        dueSoonDays: options.dueSoonDays,
        cards: dashboardCards(db, options),
        months: months.map((m) => m.month),
        meetingsPerMonth: meetingsPerMonth(db, options, months),
        overdueOverTime: overdueOverTime(db, options, points),
        store: storeFacts(db),
      };
    })
    .deferred();
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

/** Per contact over their current bookings: one row per (contact, booking), attendance folded. */
function contactBookingsCte(restrictToIds: boolean): string {
  return `contact_bookings AS (
    SELECT m.contact_id AS contact_id, a.booking_id AS booking_id,
      max(a.no_show = 0 AND a.cancelled = 0) AS attended, max(a.no_show) AS no_show, min(a.cancelled) AS cancelled
    FROM matches m JOIN attendees a ON a.id = m.attendee_id
    WHERE ${LINKED} ${restrictToIds ? 'AND m.contact_id IN (SELECT value FROM json_each(@ids))' : ''}
    GROUP BY m.contact_id, a.booking_id
  )`;
}

const STATS_SELECT = `
  SELECT cb.contact_id AS contact_id,
    coalesce(sum(HELD AND b.start_utc >= @since30), 0) AS meetings30,
    coalesce(sum(HELD AND b.start_utc >= @since90), 0) AS meetings90,
    coalesce(sum(HELD AND b.start_utc >= @since365), 0) AS meetings365,
    max(CASE WHEN HELD THEN b.start_utc END) AS last_meeting_utc,
    coalesce(sum(b.status = 'cancelled' OR (cb.cancelled = 1 AND b.status NOT IN ('rejected', 'no_show'))), 0) AS cancellations,
    coalesce(sum(b.status = 'no_show' OR (b.status IN ('scheduled', 'completed') AND b.end_utc <= @now
      AND cb.attended = 0 AND cb.no_show = 1)), 0) AS no_shows
  FROM contact_bookings cb JOIN bookings b ON b.id = cb.booking_id AND b.superseded_by IS NULL
  GROUP BY cb.contact_id`.replaceAll(
  'HELD',
  `(b.status IN ('scheduled', 'completed') AND b.end_utc <= @now AND cb.attended = 1)`,
);

function statsParams(options: MetricsOptions) {
  const now = options.now.getTime();
  return {
    now: options.now.toISOString(),
    since30: new Date(now - 30 * DAY_MS).toISOString(),
    since90: new Date(now - 90 * DAY_MS).toISOString(),
    since365: new Date(now - 365 * DAY_MS).toISOString(),
  };
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
      return '1';
    case 'within_cadence':
      return `status IN ('on_track', 'due_soon')`;
    case 'on_track':
    case 'due_soon':
    case 'overdue':
    case 'never_reviewed':
      return `status = '${filter}'`;
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
  return db
    .transaction(() => {
      const params = {
        ...baseParams(options),
        search: query.search ? likePattern(query.search) : null,
        limit: query.limit,
        offset: query.offset,
      };
      const everyone = query.filter === 'all';
      const universe = everyone
        ? `universe AS (
           SELECT contact_id FROM statuses
           UNION SELECT m.contact_id FROM matches m JOIN attendees a ON a.id = m.attendee_id
             JOIN bookings b ON b.id = a.booking_id AND b.superseded_by IS NULL WHERE ${LINKED}
         ),
         listed AS (
           SELECT u.contact_id AS contact_id, coalesce(s.name, ${CONTACT_NAME_SQL}) AS name,
             s.cadence_months AS cadence_months, s.cadence_source AS cadence_source,
             s.last_review AS last_review, s.next_due AS next_due, s.next_booked_utc AS next_booked_utc,
             s.status AS status
           FROM universe u JOIN contacts c ON c.contact_id = u.contact_id AND c.removed = 0
           LEFT JOIN statuses s ON s.contact_id = u.contact_id
         )`
        : `listed AS (
           SELECT contact_id, name, cadence_months, cadence_source, last_review, next_due,
             next_booked_utc, status FROM statuses WHERE ${filterClause(query.filter)}
         )`;
      const order = everyone
        ? 'lower(name), contact_id'
        : 'next_due IS NULL, next_due, lower(name), contact_id';
      const page = db
        .prepare(
          `WITH ${CLIENT_CTES}, ${universe}
         SELECT *, count(*) OVER () AS total FROM listed
         WHERE @search IS NULL OR lower(name) LIKE @search ESCAPE '\\'
         ORDER BY ${order} LIMIT @limit OFFSET @offset`,
        )
        .all(params) as (StatusRow & { total: number })[];
      const total =
        page[0]?.total ??
        (query.offset > 0
          ? (db
              .prepare(
                `WITH ${CLIENT_CTES}, ${universe} SELECT count(*) FROM listed
               WHERE @search IS NULL OR lower(name) LIKE @search ESCAPE '\\'`,
              )
              .pluck()
              .get(params) as number)
          : 0);
      const stats = meetingStats(
        db,
        options,
        page.map((row) => row.contact_id),
      );
      return {
        total,
        rows: page.map((row) => toClientMetrics(row, stats.get(row.contact_id), options.timeZone)),
      };
    })
    .deferred();
}

/** Meeting figures for these contacts (or every linked contact with `ids` = 'all'). */
export function meetingStats(
  db: Db,
  options: MetricsOptions,
  ids: readonly string[] | 'all',
): Map<string, StatsRow> {
  if (ids !== 'all' && ids.length === 0) return new Map();
  const rows = db.prepare(`WITH ${contactBookingsCte(ids !== 'all')} ${STATS_SELECT}`).all({
    ...statsParams(options),
    ...(ids === 'all' ? {} : { ids: JSON.stringify(ids) }),
  }) as StatsRow[];
  return new Map(rows.map((row) => [row.contact_id, row]));
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

/** Every row of `cadence export metrics`: all contacts with a meeting or a client's standing. */
export function allContactMetrics(db: Db, options: MetricsOptions): ClientMetrics[] {
  registerSqlFunctions(db);
  return db
    .transaction(() => {
      const statuses = contactMetricsStatuses(db, options);
      const stats = meetingStats(db, options, 'all');
      const names = new Map(
        (
          db
            .prepare(
              `SELECT c.contact_id, ${CONTACT_NAME_SQL} AS name FROM contacts c WHERE c.removed = 0`,
            )
            .all() as { contact_id: string; name: string }[]
        ).map((row) => [row.contact_id, row.name]),
      );
      const rows: ClientMetrics[] = [];
      const seen = new Set<string>();
      for (const status of statuses) {
        seen.add(status.contact_id);
        rows.push(toClientMetrics(status, stats.get(status.contact_id), options.timeZone));
      }
      for (const [contactId, stat] of stats) {
        const name = names.get(contactId);
        if (seen.has(contactId) || name === undefined) continue;
        rows.push(
          toClientMetrics(
            {
              contact_id: contactId,
              name,
              cadence_months: null,
              cadence_source: null,
              last_review: null,
              next_due: null,
              next_booked_utc: null,
              status: null,
            },
            stat,
            options.timeZone,
          ),
        );
      }
      return rows.sort(
        (a, b) =>
          a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
          (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
      );
    })
    .deferred();
}

/** Every client's status row (no meeting figures). */
export function contactMetricsStatuses(db: Db, options: MetricsOptions): StatusRow[] {
  registerSqlFunctions(db);
  return db
    .prepare(
      `WITH ${CLIENT_CTES}
       SELECT contact_id, name, cadence_months, cadence_source, last_review, next_due, next_booked_utc, status
       FROM statuses ORDER BY contact_id`,
    )
    .all(baseParams(options)) as StatusRow[];
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
      where = `b.superseded_by IS NULL AND b.start_utc >= @start AND b.start_utc < @end AND ${HELD_BOOKING}
        AND (@category IS NULL OR k.effective_category = @category)`;
      order = 'b.start_utc DESC, b.id';
      break;
    }
    case 'upcoming_reviews':
      where = UPCOMING_REVIEW;
      order = 'b.start_utc, b.id';
      break;
  }
  return db
    .transaction(() => {
      const rows = db
        .prepare(
          `SELECT b.id, b.source, b.source_id, b.title, b.start_utc, b.end_utc, b.duration_minutes, b.status,
           k.effective_category AS category, k.rule_name,
           EXISTS (SELECT 1 FROM classification_overrides o WHERE o.booking_id = b.id) AS overridden,
           count(*) OVER () AS total
         FROM bookings b JOIN booking_classifications k ON k.booking_id = b.id
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
        total: number;
      }[];
      const total =
        rows[0]?.total ??
        (query.offset > 0
          ? (db
              .prepare(
                `SELECT count(*) FROM bookings b JOIN booking_classifications k ON k.booking_id = b.id WHERE ${where}`,
              )
              .pluck()
              .get(params) as number)
          : 0);
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
          // Shown as a person sees it: a scheduled meeting that has ended was held.
          status: row.status === 'scheduled' && row.end_utc <= now ? 'completed' : row.status,
          category: row.category,
          ruleName: row.overridden ? null : row.rule_name,
          overridden: row.overridden === 1,
          clients: clients.get(row.id) ?? [],
        })),
      };
    })
    .deferred();
}

function monthSpan(month: string, zone: string): { start: string; end: string } {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone }).startOf('month');
  return { start: start.toUTC().toISO()!, end: start.plus({ months: 1 }).toUTC().toISO()! };
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
      `SELECT DISTINCT a.booking_id, c.contact_id, ${CONTACT_NAME_SQL} AS name
       FROM attendees a JOIN matches m ON m.attendee_id = a.id JOIN contacts c ON c.contact_id = m.contact_id
       WHERE ${LINKED} AND a.booking_id IN (SELECT value FROM json_each(?))
       ORDER BY a.booking_id, name`,
    )
    .all(JSON.stringify(bookingIds)) as { booking_id: number; contact_id: string; name: string }[];
  for (const row of rows) {
    const list = out.get(row.booking_id) ?? [];
    list.push({ contactId: row.contact_id, name: row.name });
    out.set(row.booking_id, list);
  }
  return out;
}
