// Fills the compliance report from the store: every client (see CLIENT_DEFINITION) with their
// cadence, status as of now, last review and next review due, and each portfolio review held in
// the period with its booking source and id, local date and time, duration, status, the rule that
// classified it (or the advisor's override) and why, who linked the booking to the client and
// when, and what was written to LACRM about it. Clients with no review in the period come first.
//
// Only held reviews are listed: a cancelled, missed or future meeting is not evidence of a review.
import { DateTime } from 'luxon';
import { effectiveClassification } from '../classify/engine';
import type { Db } from '../db/open';
import { readTransaction } from '../db/transactions';
import { clientStatuses, type MetricsOptions } from '../metrics/queries';
import { localDate } from '../metrics/review-dates';
import {
  parseComplianceReport,
  reportSummary,
  type ComplianceReport,
  type ReportClient,
  type ReportReview,
} from './types';

export const COMPLIANCE_REPORT_TITLE = 'Portfolio review compliance report';

export type ComplianceQueryOptions = MetricsOptions &
  Readonly<{
    /** Local dates in options.timeZone, inclusive. */
    from: string;
    to: string;
    advisorName: string;
    firmName?: string | null;
  }>;

type ReviewRow = {
  contact_id: string;
  source: string;
  source_id: string;
  booking_id: number;
  start_utc: string;
  end_utc: string;
  duration_minutes: number;
  status: string;
  rules_category: string;
  rule_id: string | null;
  rule_name: string | null;
  reason: string;
  override_category: string | null;
  override_note: string | null;
  override_set_at: string | null;
  via: string;
  decided_by: string;
  decided_at: string;
  decision_actor: string | null;
  alias_created_at: string | null;
  pushed_at: string | null;
};

/** Who linked the attendee to the client, in words an examiner can read, and when. */
function confirmation(row: ReviewRow): { by: string; at: string | null } {
  if (row.decided_by === 'advisor') {
    const actor =
      row.decision_actor && row.decision_actor !== 'advisor' ? ` (${row.decision_actor})` : '';
    return { by: `Advisor${actor}, confirmed in the review queue`, at: row.decided_at };
  }
  switch (row.via) {
    case 'alias':
      return {
        by: 'Advisor, an earlier confirmation of this address',
        at: row.alias_created_at ?? row.decided_at,
      };
    case 'email':
      return { by: 'Automatic: exact email address on the contact', at: row.decided_at };
    default:
      return { by: `Automatic (${row.via})`, at: row.decided_at };
  }
}

function reviewOf(row: ReviewRow, zone: string, now: string): ReportReview {
  const automatic = { category: row.rules_category, ruleId: row.rule_id, reason: row.reason };
  const override =
    row.override_category !== null
      ? {
          category: row.override_category,
          note: row.override_note,
          setAt: row.override_set_at ?? now,
        }
      : null;
  const shown = effectiveClassification(automatic, override, { timeZone: zone });
  const confirmed = confirmation(row);
  return {
    source: row.source,
    bookingId: row.source_id,
    date: DateTime.fromISO(row.start_utc, { zone: 'utc' })
      .setZone(zone)
      .toFormat('yyyy-MM-dd HH:mm'),
    durationMinutes: row.duration_minutes,
    status: row.status === 'scheduled' && row.end_utc <= now ? 'completed' : row.status,
    ruleName: shown.overridden ? null : row.rule_name,
    classificationReason: shown.reason,
    matchConfirmedBy: confirmed.by,
    matchConfirmedAt: confirmed.at,
    pushedToLacrm: row.pushed_at,
  };
}

function periodBounds(from: string, to: string, zone: string): { start: string; end: string } {
  const start = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(to, { zone }).startOf('day').plus({ days: 1 });
  if (!start.isValid || !end.isValid) {
    throw new RangeError(`report period ${from} to ${to} is not a pair of dates in ${zone}`);
  }
  return { start: start.toUTC().toISO()!, end: end.toUTC().toISO()! };
}

/**
 * What reached LACRM about each (booking, client): the latest push of the meeting's event or of the
 * client's review note, from the change ledger (migration 0080), when this store has one.
 */
function pushedCte(db: Db): string | null {
  const ledger = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'changes'")
    .get();
  if (!ledger) return null;
  return `pushed AS MATERIALIZED (
    SELECT ch.booking_id AS booking_id, l.contact_id AS contact_id, max(ch.pushed_at) AS pushed_at
    FROM changes ch JOIN metric_links l ON l.booking_id = ch.booking_id
    WHERE ch.state = 'pushed' AND ch.booking_id IS NOT NULL AND ch.pushed_at IS NOT NULL
      AND (ch.contact_id IS NULL OR ch.contact_id = l.contact_id)
      AND ch.kind IN ('CreateEvent', 'EditEvent', 'CreateNote', 'EditNote')
    GROUP BY ch.booking_id, l.contact_id
  )`;
}

/** Held portfolio reviews in the period, per client, with everything the report shows. */
function reviewsInPeriod(db: Db, options: ComplianceQueryOptions): ReviewRow[] {
  const bounds = periodBounds(options.from, options.to, options.timeZone);
  const pushed = pushedCte(db);
  return db
    .prepare(
      `${pushed ? `WITH ${pushed}` : ''}
       SELECT m.contact_id, b.source, b.source_id, b.id AS booking_id, b.start_utc, b.end_utc,
         b.duration_minutes, b.status, k.category AS rules_category, k.rule_id, k.rule_name, k.reason,
         o.category AS override_category, o.note AS override_note, o.set_at AS override_set_at,
         m.via, m.decided_by, m.decided_at, d.decided_by AS decision_actor,
         CASE WHEN m.via = 'alias' THEN (
           SELECT al.created_at FROM aliases al WHERE al.email_key = m.email_key AND al.contact_id = m.contact_id
           ORDER BY al.undone_at IS NOT NULL, al.id DESC LIMIT 1) END AS alias_created_at,
         ${pushed ? 'p.pushed_at' : 'NULL'} AS pushed_at
       FROM booking_classifications k INDEXED BY booking_classifications_start
       JOIN bookings b ON b.id = k.booking_id
       JOIN attendees a ON a.booking_id = b.id
       JOIN matches m ON m.attendee_id = a.id
       LEFT JOIN classification_overrides o ON o.booking_id = b.id
       LEFT JOIN match_decisions d ON d.id = m.decision_id
       ${pushed ? 'LEFT JOIN pushed p ON p.booking_id = b.id AND p.contact_id = m.contact_id' : ''}
       WHERE k.current = 1 AND k.start_utc >= @start AND k.start_utc < @end
         AND k.effective_category = 'portfolio_review'
         AND k.status IN ('scheduled', 'completed') AND k.end_utc <= @now
         AND m.state IN ('auto', 'confirmed') AND m.contact_id IS NOT NULL
         AND a.no_show = 0 AND a.cancelled = 0
       GROUP BY m.contact_id, b.id
       ORDER BY m.contact_id, b.start_utc, b.id`,
    )
    .all({ ...bounds, now: options.now.toISOString() }) as ReviewRow[];
}

/** The report as of options.now; parsed with the report schema before it is returned. */
export function buildComplianceReport(db: Db, options: ComplianceQueryOptions): ComplianceReport {
  return readTransaction(db, (): ComplianceReport => {
    const zone = options.timeZone;
    const now = options.now.toISOString();
    const statuses = clientStatuses(db, options);
    const reviewsByContact = new Map<string, ReportReview[]>();
    for (const row of reviewsInPeriod(db, options)) {
      const list = reviewsByContact.get(row.contact_id) ?? [];
      list.push(reviewOf(row, zone, now));
      reviewsByContact.set(row.contact_id, list);
    }
    const clients: ReportClient[] = statuses.map((status) => ({
      contactId: status.contact_id,
      name: status.name,
      cadenceMonths: status.cadence_months ?? options.defaultCadenceMonths,
      status: status.status ?? 'never_reviewed',
      lastReview: status.last_review,
      nextReviewDue: status.next_due,
      reviews: reviewsByContact.get(status.contact_id) ?? [],
    }));
    clients.sort(
      (a, b) =>
        Number(a.reviews.length > 0) - Number(b.reviews.length > 0) ||
        a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
        (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
    );
    return parseComplianceReport({
      title: COMPLIANCE_REPORT_TITLE,
      periodFrom: options.from,
      periodTo: options.to,
      advisorName: options.advisorName,
      firmName: options.firmName ?? null,
      generatedAt: now,
      timeZone: zone,
      summary: reportSummary(clients),
      clients,
    });
  });
}

/** The default period: the twelve months up to and including today. */
export function defaultReportPeriod(now: Date, zone: string): { from: string; to: string } {
  const to = localDate(now.toISOString(), zone);
  const from = DateTime.fromISO(to, { zone }).minus({ years: 1 }).plus({ days: 1 }).toISODate()!;
  return { from, to };
}
