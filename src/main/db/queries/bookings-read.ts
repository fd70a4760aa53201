// Reading bookings for the UI and exports: current meetings only (a rescheduled booking shows as
// the booking that replaced it, with rescheduledFrom), 'completed' derived for held meetings.
import { DateTime } from 'luxon';
import type { BookingDetail, BookingFilter, BookingRow } from '../../../shared/contract';
import type { BookingSource, BookingStatus } from '../../../shared/domain';
import type { Db } from '../open';

/** SQL for the status a person sees: a scheduled meeting that has ended is 'completed'. */
export const EFFECTIVE_STATUS = `CASE WHEN b.status = 'scheduled' AND b.end_utc <= @now THEN 'completed' ELSE b.status END`;

type Row = {
  id: number;
  source: BookingSource;
  source_id: string;
  title: string;
  event_type_slug: string | null;
  event_type_name: string | null;
  start_utc: string;
  end_utc: string;
  time_zone: string | null;
  duration_minutes: number;
  status: BookingStatus;
  rescheduled_from: string | null;
};

function where(filter: BookingFilter, zone: string, params: Record<string, unknown>): string {
  const clauses = ['b.superseded_by IS NULL'];
  if (filter.sources?.length) {
    clauses.push(`b.source IN (${filter.sources.map((_, i) => `@src${i}`).join(', ')})`);
    filter.sources.forEach((s, i) => (params[`src${i}`] = s));
  }
  if (filter.statuses?.length) {
    clauses.push(
      `(${EFFECTIVE_STATUS}) IN (${filter.statuses.map((_, i) => `@st${i}`).join(', ')})`,
    );
    filter.statuses.forEach((s, i) => (params[`st${i}`] = s));
  }
  if (filter.from) {
    params.from = DateTime.fromISO(filter.from, { zone }).startOf('day').toUTC().toISO();
    clauses.push('b.start_utc >= @from');
  }
  if (filter.to) {
    params.to = DateTime.fromISO(filter.to, { zone })
      .plus({ days: 1 })
      .startOf('day')
      .toUTC()
      .toISO();
    clauses.push('b.start_utc < @to');
  }
  if (filter.search) {
    params.search = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
    clauses.push(`(lower(b.title) LIKE @search ESCAPE '\\' OR lower(coalesce(b.event_type_slug, '')) LIKE @search ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM attendees a WHERE a.booking_id = b.id AND (lower(coalesce(a.name, '')) LIKE @search ESCAPE '\\' OR coalesce(a.email_normalized, '') LIKE @search ESCAPE '\\')))`);
  }
  return clauses.join(' AND ');
}

const SELECT = `SELECT b.id, b.source, b.source_id, b.title, b.event_type_slug, b.event_type_name, b.start_utc, b.end_utc,
  b.time_zone, b.duration_minutes, ${EFFECTIVE_STATUS} AS status,
  (SELECT o.source_id FROM bookings o WHERE o.superseded_by = b.id ORDER BY o.id DESC LIMIT 1) AS rescheduled_from
  FROM bookings b`;

function attendeesFor(db: Db, ids: readonly number[]) {
  const out = new Map<number, BookingRow['attendees']>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT booking_id, name, email, role FROM attendees WHERE booking_id IN (${ids.map(() => '?').join(',')}) ORDER BY booking_id, position`,
    )
    .all(...ids) as {
    booking_id: number;
    name: string | null;
    email: string | null;
    role: string;
  }[];
  for (const r of rows) {
    const list = out.get(r.booking_id) ?? [];
    list.push({ name: r.name, email: r.email, role: r.role });
    out.set(r.booking_id, list);
  }
  return out;
}

function toRow(r: Row, attendees: BookingRow['attendees']): BookingRow {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    title: r.title,
    eventTypeSlug: r.event_type_slug,
    eventTypeName: r.event_type_name,
    startUtc: r.start_utc,
    endUtc: r.end_utc,
    timeZone: r.time_zone,
    durationMinutes: r.duration_minutes,
    status: r.status,
    attendees,
    rescheduledFrom: r.rescheduled_from,
  };
}

export function listBookings(
  db: Db,
  options: Readonly<{
    filter: BookingFilter;
    offset: number;
    limit: number;
    now: Date;
    zone: string;
    order?: 'asc' | 'desc';
  }>,
): { total: number; rows: BookingRow[] } {
  const params: Record<string, unknown> = { now: options.now.toISOString() };
  const clause = where(options.filter, options.zone, params);
  const total = (
    db.prepare(`SELECT count(*) AS n FROM bookings b WHERE ${clause}`).get(params) as { n: number }
  ).n;
  const rows = db
    .prepare(
      `${SELECT} WHERE ${clause} ORDER BY b.start_utc ${options.order === 'asc' ? 'ASC' : 'DESC'}, b.id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: options.limit, offset: options.offset }) as Row[];
  const attendees = attendeesFor(
    db,
    rows.map((r) => r.id),
  );
  return { total, rows: rows.map((r) => toRow(r, attendees.get(r.id) ?? [])) };
}

/** Every current booking, in start order, in batches (for exports of any size). */
export function* iterateBookings(db: Db, now: Date, batch = 2000): Generator<BookingRow[]> {
  let lastStart = '';
  let lastId = 0;
  for (;;) {
    const rows = db
      .prepare(
        `${SELECT} WHERE b.superseded_by IS NULL AND (b.start_utc > @lastStart OR (b.start_utc = @lastStart AND b.id > @lastId))
        ORDER BY b.start_utc, b.id LIMIT @batch`,
      )
      .all({ now: now.toISOString(), lastStart, lastId, batch }) as Row[];
    if (rows.length === 0) return;
    const attendees = attendeesFor(
      db,
      rows.map((r) => r.id),
    );
    yield rows.map((r) => toRow(r, attendees.get(r.id) ?? []));
    const last = rows[rows.length - 1]!;
    lastStart = last.start_utc;
    lastId = last.id;
  }
}

export function getBooking(db: Db, id: number, now: Date): BookingDetail | null {
  const r = db.prepare(`${SELECT} WHERE b.id = @id`).get({ id, now: now.toISOString() }) as
    Row | undefined;
  if (!r) return null;
  const extra = db
    .prepare(
      'SELECT location, hosts_json, custom_answers_json, cancellation_reason FROM bookings WHERE id = ?',
    )
    .get(id) as {
    location: string | null;
    hosts_json: string;
    custom_answers_json: string;
    cancellation_reason: string | null;
  };
  // The history of the whole meeting: this booking and every booking it replaced.
  const chain: { id: number; source_id: string }[] = [{ id: r.id, source_id: r.source_id }];
  const prev = db.prepare(
    'SELECT id, source_id FROM bookings WHERE superseded_by = ? ORDER BY id DESC LIMIT 1',
  );
  for (let cursor = r.id, guard = 0; guard < 50; guard++) {
    const p = prev.get(cursor) as { id: number; source_id: string } | undefined;
    if (!p) break;
    chain.push(p);
    cursor = p.id;
  }
  const history = db
    .prepare(
      `SELECT h.booking_id, h.observed_at, h.kind, h.from_status, h.to_status, h.from_start_utc, h.to_start_utc, h.detail
      FROM booking_history h WHERE h.booking_id IN (${chain.map(() => '?').join(',')}) ORDER BY h.observed_at, h.id`,
    )
    .all(...chain.map((c) => c.id)) as {
    booking_id: number;
    observed_at: string;
    kind: string;
    from_status: string | null;
    to_status: string | null;
    from_start_utc: string | null;
    to_start_utc: string | null;
    detail: string | null;
  }[];
  const sourceIdOf = new Map(chain.map((c) => [c.id, c.source_id]));
  return {
    ...toRow(r, attendeesFor(db, [r.id]).get(r.id) ?? []),
    location: extra.location,
    hosts: JSON.parse(extra.hosts_json) as BookingDetail['hosts'],
    customAnswers: JSON.parse(extra.custom_answers_json) as BookingDetail['customAnswers'],
    cancellationReason: extra.cancellation_reason,
    history: history.map((h) => ({
      observedAt: h.observed_at,
      kind: h.kind,
      fromStatus: h.from_status,
      toStatus: h.to_status,
      fromStartUtc: h.from_start_utc,
      toStartUtc: h.to_start_utc,
      detail: h.detail,
      sourceId: sourceIdOf.get(h.booking_id) ?? '',
    })),
  };
}
