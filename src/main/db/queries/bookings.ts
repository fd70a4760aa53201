// Storing bookings: idempotent upsert by (source, source_id), attendees kept by a stable key,
// changes recorded as history, reschedule chains linked. Every function here runs inside the
// caller's transaction.
import { createHash } from 'node:crypto';
import type { BookingSource } from '../../../shared/domain';
import type { KnownBooking } from '../../sources/connector';
import type { NormalizedAttendee, NormalizedBooking } from '../../sources/types';
import type { Db } from '../open';
import { stmt } from '../statements';

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** The attendee's identity within its booking: its address, else its name, else its position. */
export function attendeeKey(a: NormalizedAttendee, position: number): string {
  const email = a.email?.trim().toLowerCase();
  if (email) return `e:${email}`;
  const name = a.name?.trim().toLowerCase().replace(/\s+/g, ' ');
  return name ? `n:${name}` : `p:${position}`;
}

/** A hash of what the booking means (not of the raw payload), to tell updated from unchanged. */
export function contentHash(b: NormalizedBooking): string {
  const { raw: _raw, ...meaning } = b;
  return createHash('sha256').update(JSON.stringify(meaning)).digest('hex');
}

type ExistingRow = {
  id: number;
  content_hash: string;
  status: string;
  start_utc: string;
  end_utc: string;
};

export function knownBookings(
  db: Db,
  source: BookingSource,
  sourceIds: readonly string[],
): Map<string, KnownBooking> {
  const out = new Map<string, KnownBooking>();
  const lookup = stmt(
    db,
    'SELECT source_updated_at, change_key, details_read_at FROM bookings WHERE source = ? AND source_id = ?',
  );
  for (const id of sourceIds) {
    const row = lookup.get(source, id) as
      | {
          source_updated_at: string | null;
          change_key: string | null;
          details_read_at: string | null;
        }
      | undefined;
    if (row) {
      out.set(id, {
        sourceUpdatedAt: row.source_updated_at,
        contentKey: row.change_key,
        detailsReadAt: row.details_read_at,
      });
    }
  }
  return out;
}

export function upsertBooking(
  db: Db,
  b: NormalizedBooking,
  runId: number | null,
  nowIso: string,
): UpsertOutcome {
  return storeBooking(db, b, runId, nowIso).outcome;
}

/** Upserts one booking and links its reschedule chain; says what happened and the row id. */
export function storeBooking(
  db: Db,
  b: NormalizedBooking,
  runId: number | null,
  nowIso: string,
): { outcome: UpsertOutcome; id: number } {
  const result = writeBooking(db, b, runId, nowIso);
  if (result.outcome !== 'unchanged') linkReschedules(db, result.id, runId, nowIso);
  return result;
}

function writeBooking(
  db: Db,
  b: NormalizedBooking,
  runId: number | null,
  nowIso: string,
): { outcome: UpsertOutcome; id: number } {
  const existing = stmt(
    db,
    'SELECT id, content_hash, status, start_utc, end_utc FROM bookings WHERE source = ? AND source_id = ?',
  ).get(b.source, b.sourceId) as ExistingRow | undefined;
  const hash = contentHash(b);
  if (existing && existing.content_hash === hash) {
    // Read in full and found the same: the read itself is remembered (migration 0120).
    stmt(db, 'UPDATE bookings SET last_seen_at = ?, details_read_at = ? WHERE id = ?').run(
      nowIso,
      nowIso,
      existing.id,
    );
    return { outcome: 'unchanged', id: existing.id };
  }
  const values = {
    source: b.source,
    source_id: b.sourceId,
    source_alt_id: b.sourceAltId,
    title: b.title,
    event_type_slug: b.eventTypeSlug,
    event_type_name: b.eventTypeName,
    start_utc: b.startUtc,
    end_utc: b.endUtc,
    time_zone: b.timeZone,
    duration_minutes: b.durationMinutes,
    status: b.status,
    location: b.location,
    hosts_json: JSON.stringify(b.hosts),
    custom_answers_json: JSON.stringify(b.customAnswers),
    cancellation_reason: b.cancellationReason,
    rescheduled_from_source_id: b.rescheduledFromId,
    rescheduled_to_source_id: b.rescheduledToId,
    source_created_at: b.sourceCreatedAt,
    source_updated_at: b.sourceUpdatedAt,
    raw_json: JSON.stringify(b.raw ?? null),
    change_key: b.changeKey,
    content_hash: hash,
    now: nowIso,
  };
  let bookingId: number;
  if (!existing) {
    bookingId = Number(
      stmt(
        db,
        `INSERT INTO bookings (source, source_id, source_alt_id, title, event_type_slug, event_type_name,
             start_utc, end_utc, time_zone, duration_minutes, status, location, hosts_json, custom_answers_json,
             cancellation_reason, rescheduled_from_source_id, rescheduled_to_source_id, source_created_at,
             source_updated_at, raw_json, change_key, content_hash, first_seen_at, last_seen_at, changed_at,
             details_read_at)
           VALUES (@source, @source_id, @source_alt_id, @title, @event_type_slug, @event_type_name,
             @start_utc, @end_utc, @time_zone, @duration_minutes, @status, @location, @hosts_json, @custom_answers_json,
             @cancellation_reason, @rescheduled_from_source_id, @rescheduled_to_source_id, @source_created_at,
             @source_updated_at, @raw_json, @change_key, @content_hash, @now, @now, @now, @now)`,
      ).run(values).lastInsertRowid,
    );
    addHistory(db, bookingId, runId, nowIso, {
      kind: 'created',
      to_status: b.status,
      to_start_utc: b.startUtc,
    });
  } else {
    bookingId = existing.id;
    stmt(
      db,
      `UPDATE bookings SET source_alt_id = @source_alt_id, title = @title, event_type_slug = @event_type_slug,
         event_type_name = @event_type_name, start_utc = @start_utc, end_utc = @end_utc, time_zone = @time_zone,
         duration_minutes = @duration_minutes, status = @status, location = @location, hosts_json = @hosts_json,
         custom_answers_json = @custom_answers_json, cancellation_reason = @cancellation_reason,
         rescheduled_from_source_id = @rescheduled_from_source_id, rescheduled_to_source_id = @rescheduled_to_source_id,
         source_created_at = @source_created_at, source_updated_at = @source_updated_at, raw_json = @raw_json,
         change_key = @change_key, content_hash = @content_hash, last_seen_at = @now, changed_at = @now,
         details_read_at = @now
       WHERE id = @id`,
    ).run({ ...values, id: bookingId });
    let recorded = false;
    if (existing.status !== b.status) {
      addHistory(db, bookingId, runId, nowIso, {
        kind: 'status',
        from_status: existing.status,
        to_status: b.status,
        detail: b.cancellationReason,
      });
      recorded = true;
    }
    if (existing.start_utc !== b.startUtc || existing.end_utc !== b.endUtc) {
      addHistory(db, bookingId, runId, nowIso, {
        kind: 'time',
        from_start_utc: existing.start_utc,
        to_start_utc: b.startUtc,
      });
      recorded = true;
    }
    if (syncAttendees(db, bookingId, b.attendees) && !recorded) {
      addHistory(db, bookingId, runId, nowIso, { kind: 'attendees' });
      recorded = true;
    }
    if (!recorded) addHistory(db, bookingId, runId, nowIso, { kind: 'details' });
    return { outcome: 'updated', id: bookingId };
  }
  syncAttendees(db, bookingId, b.attendees);
  return { outcome: 'created', id: bookingId };
}

type HistoryFields = {
  kind: 'created' | 'status' | 'time' | 'rescheduled' | 'attendees' | 'details';
  from_status?: string | null;
  to_status?: string | null;
  from_start_utc?: string | null;
  to_start_utc?: string | null;
  detail?: string | null;
};

function addHistory(
  db: Db,
  bookingId: number,
  runId: number | null,
  nowIso: string,
  h: HistoryFields,
): void {
  stmt(
    db,
    `INSERT INTO booking_history (booking_id, sync_run_id, observed_at, kind, from_status, to_status, from_start_utc, to_start_utc, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    bookingId,
    runId,
    nowIso,
    h.kind,
    h.from_status ?? null,
    h.to_status ?? null,
    h.from_start_utc ?? null,
    h.to_start_utc ?? null,
    h.detail ?? null,
  );
}

/** Makes the stored attendees equal the given list, keeping rows (and what hangs off them) by key. */
function syncAttendees(
  db: Db,
  bookingId: number,
  attendees: readonly NormalizedAttendee[],
): boolean {
  const existing = stmt(
    db,
    'SELECT id, attendee_key, position, email, name, role, time_zone, no_show, cancelled, source_ref FROM attendees WHERE booking_id = ?',
  ).all(bookingId) as {
    id: number;
    attendee_key: string;
    position: number;
    email: string | null;
    name: string | null;
    role: string;
    time_zone: string | null;
    no_show: number;
    cancelled: number;
    source_ref: string | null;
  }[];
  const byKey = new Map(existing.map((row) => [row.attendee_key, row]));
  const wanted = new Set<string>();
  let changed = false;
  attendees.forEach((a, position) => {
    let key = attendeeKey(a, position);
    while (wanted.has(key)) key = `${key}#${position}`;
    wanted.add(key);
    const row = byKey.get(key);
    const fields = {
      position,
      email: a.email,
      email_normalized: a.email?.trim().toLowerCase() ?? null,
      name: a.name,
      role: a.role,
      time_zone: a.timeZone,
      no_show: a.noShow ? 1 : 0,
      cancelled: a.cancelled ? 1 : 0,
      source_ref: a.sourceRef,
    };
    if (!row) {
      stmt(
        db,
        `INSERT INTO attendees (booking_id, attendee_key, position, email, email_normalized, name, role, time_zone, no_show, cancelled, source_ref)
         VALUES (@booking_id, @attendee_key, @position, @email, @email_normalized, @name, @role, @time_zone, @no_show, @cancelled, @source_ref)`,
      ).run({ ...fields, booking_id: bookingId, attendee_key: key });
      changed = true;
      return;
    }
    const same =
      row.position === position &&
      row.email === a.email &&
      row.name === a.name &&
      row.role === a.role &&
      row.time_zone === a.timeZone &&
      row.no_show === fields.no_show &&
      row.cancelled === fields.cancelled &&
      row.source_ref === a.sourceRef;
    if (!same) {
      stmt(
        db,
        `UPDATE attendees SET position = @position, email = @email, email_normalized = @email_normalized, name = @name, role = @role,
           time_zone = @time_zone, no_show = @no_show, cancelled = @cancelled, source_ref = @source_ref WHERE id = @id`,
      ).run({ ...fields, id: row.id });
      changed = true;
    }
  });
  for (const row of existing) {
    if (!wanted.has(row.attendee_key)) {
      stmt(db, 'DELETE FROM attendees WHERE id = ?').run(row.id);
      changed = true;
    }
  }
  return changed;
}

/**
 * Links the reschedule chain around one booking: it supersedes the booking it says it was
 * rescheduled from, and is superseded by the one it says it was rescheduled to — or by one that
 * says it came from it. Idempotent, and either end of a chain may arrive first.
 */
export function linkReschedules(
  db: Db,
  bookingId: number,
  runId: number | null,
  nowIso: string,
): void {
  const me = stmt(
    db,
    'SELECT id, source, source_id, start_utc, rescheduled_from_source_id AS from_id, rescheduled_to_source_id AS to_id FROM bookings WHERE id = ?',
  ).get(bookingId) as
    | {
        id: number;
        source: string;
        source_id: string;
        start_utc: string;
        from_id: string | null;
        to_id: string | null;
      }
    | undefined;
  if (!me) return;
  const bySourceId = stmt(
    db,
    'SELECT id, start_utc, superseded_by FROM bookings WHERE source = ? AND source_id = ?',
  );
  const supersede = (
    oldId: number,
    oldStart: string,
    oldSupersededBy: number | null,
    newId: number,
    newStart: string,
  ) => {
    if (oldId === newId || oldSupersededBy === newId) return;
    stmt(db, 'UPDATE bookings SET superseded_by = ? WHERE id = ?').run(newId, oldId);
    addHistory(db, oldId, runId, nowIso, {
      kind: 'rescheduled',
      from_start_utc: oldStart,
      to_start_utc: newStart,
    });
  };
  type Row = { id: number; start_utc: string; superseded_by: number | null };
  if (me.from_id) {
    const old = bySourceId.get(me.source, me.from_id) as Row | undefined;
    if (old) supersede(old.id, old.start_utc, old.superseded_by, me.id, me.start_utc);
  }
  const mine = stmt(db, 'SELECT superseded_by FROM bookings WHERE id = ?').get(me.id) as {
    superseded_by: number | null;
  };
  if (me.to_id) {
    const next = bySourceId.get(me.source, me.to_id) as Row | undefined;
    if (next) supersede(me.id, me.start_utc, mine.superseded_by, next.id, next.start_utc);
  } else {
    const next = stmt(
      db,
      'SELECT id, start_utc FROM bookings WHERE source = ? AND rescheduled_from_source_id = ? AND id <> ? ORDER BY id LIMIT 1',
    ).get(me.source, me.source_id, me.id) as { id: number; start_utc: string } | undefined;
    if (next) supersede(me.id, me.start_utc, mine.superseded_by, next.id, next.start_utc);
  }
}

/** The booking id for (source, source id), if stored. */
export function bookingIdOf(db: Db, source: BookingSource, sourceId: string): number | null {
  const row = stmt(db, 'SELECT id FROM bookings WHERE source = ? AND source_id = ?').get(
    source,
    sourceId,
  ) as { id: number } | undefined;
  return row?.id ?? null;
}
