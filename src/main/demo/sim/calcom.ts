// Local simulator of the Cal.com API v2 as /work/shared/api/calcom.md describes it: Bearer keys,
// the `cal-api-version` routing (unknown or missing → the legacy 2024-04-15 handlers and their other
// shape; a known version without a controller → 404), offset paging with the sheet's formulas,
// class-validator style 400s, a genuinely unstable order when no sort applies, the 120/min
// throttler with its block and `-Default` headers, and signed webhook deliveries. It is meant to
// be as strict as the real service: a client that passes here should pass there.
import { createHmac, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  FaultPlan,
  startSimServer,
  WindowRateLimiter,
  type LoggedRequest,
  type SimRequest,
  type SimResponse,
} from './kit';

// ---------------------------------------------------------------------------------------------
// The service's own shapes (section 2.4 bookings, section 3 event types)

export type CalcomHost = Readonly<{
  id: number;
  name: string;
  email: string;
  displayEmail: string;
  username: string;
  timeZone: string;
}>;

export type CalcomAttendee = Readonly<{
  name: string;
  email: string;
  displayEmail: string;
  timeZone: string;
  language?: string;
  absent: boolean;
  phoneNumber?: string;
}>;

/** The DB enum lowercased; `awaiting_host` is real even though the DTO enum omits it. */
export type CalcomBookingStatus =
  'accepted' | 'pending' | 'cancelled' | 'rejected' | 'awaiting_host';

export type CalcomBooking = Readonly<{
  id: number;
  uid: string;
  title: string;
  description: string;
  hosts: readonly CalcomHost[];
  status: CalcomBookingStatus;
  cancellationReason?: string;
  cancelledByEmail?: string;
  reschedulingReason?: string;
  rescheduledByEmail?: string | null;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  /** Set on every occurrence of a recurring series; GET /v2/bookings/{it} returns them all. */
  recurringBookingUid?: string;
  start: string;
  end: string;
  duration: number;
  eventTypeId: number | null;
  eventType: Readonly<{ id: number; slug: string }> | null;
  meetingUrl?: string;
  location: string;
  absentHost: boolean;
  createdAt: string;
  updatedAt: string | null;
  metadata: Readonly<Record<string, string>>;
  rating?: number | null;
  icsUid: string;
  attendees: readonly CalcomAttendee[];
  guests?: readonly string[];
  bookingFieldsResponses: Readonly<Record<string, unknown>>;
}>;

export type CalcomEventType = Readonly<{
  id: number;
  title: string;
  slug: string;
  lengthInMinutes: number;
  lengthInMinutesOptions?: readonly number[];
  description: string;
  locations: readonly Readonly<Record<string, unknown>>[];
  bookingFields: readonly Readonly<Record<string, unknown>>[];
  disableGuests: boolean;
  price: number;
  currency: string;
  recurrence: Readonly<Record<string, unknown>> | null;
  seatsPerTimeSlot?: number | null;
  scheduleId: number | null;
  metadata: Readonly<Record<string, unknown>>;
  isInstantEvent: boolean;
  requiresConfirmation: boolean;
  hidden: boolean;
  ownerId: number;
  createdAt: string;
  users: readonly Readonly<{ id: number; name: string; username: string }>[];
}>;

/** The key's owner, as GET /v2/me returns it. */
export type CalcomUser = Readonly<{
  id: number;
  username: string;
  email: string;
  name: string;
  timeZone: string;
  weekStart: string;
  timeFormat: number;
  defaultScheduleId: number | null;
  organizationId: number | null;
}>;

export type CalcomSimData = Readonly<{
  user: CalcomUser;
  eventTypes: readonly CalcomEventType[];
  bookings: readonly CalcomBooking[];
}>;

// ---------------------------------------------------------------------------------------------
// Options and the returned handle

export type CalcomRateLimit = Readonly<{
  /** Requests per window per API key (default 120, the documented API-key limit). */
  limit?: number;
  windowMs?: number;
  /** How long a key stays blocked once over the limit (default: the window length, 60 s). */
  blockMs?: number;
}>;

export type CalcomSimOptions = Readonly<{
  data?: CalcomSimData;
  apiKey?: string;
  port?: number;
  faults?: FaultPlan;
  /** Epoch milliseconds; drives status semantics (upcoming/past), timestamps and rate windows. */
  now?: () => number;
  /** false turns throttling (and its headers) off; default on with the sheet's numbers. */
  rateLimit?: false | CalcomRateLimit;
  /**
   * The `cal-api-version` values this server knows. Leave one out to play a self-hosted build
   * that lacks it: that value then falls back to the legacy handler, as the sheet's gotcha 1 says.
   */
  knownVersions?: readonly string[];
  /**
   * Unknown query keys. 'reject' (default) answers 400 `property x should not exist`;
   * 'ignore' drops them silently as the open-source global ValidationPipe (whitelist only) does.
   */
  unknownQueryParams?: 'reject' | 'ignore';
  /** Randomness behind the unspecified order of unsorted lists (default Math.random). */
  random?: () => number;
}>;

export type CalcomRescheduleInput = Readonly<{
  start: string;
  end?: string;
  reason?: string;
  byEmail?: string;
}>;

export type CalcomWebhookTrigger = (typeof CALCOM_WEBHOOK_TRIGGERS)[number];

export type WebhookDelivery = Readonly<{
  status: number;
  /** The exact body that was sent and signed. */
  body: string;
  headers: Readonly<Record<string, string>>;
  responseText: string;
}>;

export type CalcomState = Readonly<{
  bookings(): readonly CalcomBooking[];
  get(uid: string): CalcomBooking | undefined;
  /** Adds (or replaces, by uid) a booking exactly as given. */
  add(booking: CalcomBooking): void;
  cancel(uid: string, options?: Readonly<{ reason?: string; byEmail?: string }>): CalcomBooking;
  /** A host declines a pending booking. */
  reject(uid: string, reason?: string): CalcomBooking;
  /** A host accepts a pending booking. */
  confirm(uid: string): CalcomBooking;
  /** Cal.com's own reschedule: a new uid with rescheduledFromUid; the old one cancelled. */
  reschedule(
    uid: string,
    input: CalcomRescheduleInput,
  ): Readonly<{ previous: CalcomBooking; next: CalcomBooking }>;
  /** Marks an attendee (by email) or the host as a no-show. */
  markAbsent(
    uid: string,
    who: Readonly<{ attendeeEmail: string }> | 'host',
    absent?: boolean,
  ): CalcomBooking;
  /** Changes fields as an edit in Cal.com would, bumping updatedAt. */
  edit(uid: string, patch: Partial<CalcomBooking>): CalcomBooking;
  /** Touches a booking (updatedAt = now) without changing anything else. */
  touch(uid: string): CalcomBooking;
  remove(uid: string): void;
  eventTypes(): readonly CalcomEventType[];
}>;

export type CalcomSim = Readonly<{
  /** The API root as a client configures it: http://127.0.0.1:PORT/v2 */
  baseUrl: string;
  apiKey: string;
  faults: FaultPlan;
  log: LoggedRequest[];
  requestCount(): number;
  state: CalcomState;
  /** Changes which `cal-api-version` values are known (see the option). */
  setKnownVersions(versions: readonly string[]): void;
  /** POSTs a signed 2021-10-20 webhook for a booking in the current state to `url`. */
  deliverWebhook(
    url: string,
    secret: string | null,
    triggerEvent: CalcomWebhookTrigger,
    uid: string,
  ): Promise<WebhookDelivery>;
  close(): Promise<void>;
}>;

// ---------------------------------------------------------------------------------------------
// Constants from the sheet

export const CALCOM_KNOWN_VERSIONS = [
  '2024-04-15',
  '2024-06-11',
  '2024-06-14',
  '2024-08-13',
  '2024-09-04',
  '2026-02-25',
] as const;
const LEGACY_VERSION = '2024-04-15';
const BOOKINGS_VERSIONS = new Set(['2024-08-13', '2026-02-25']);
const EVENT_TYPES_VERSION = '2024-06-14';
// The 2024-04-15 event-types controller also answered 2024-06-11.
const LEGACY_EVENT_TYPES_VERSIONS = new Set(['2024-04-15', '2024-06-11']);

export const CALCOM_WEBHOOK_TRIGGERS = [
  'BOOKING_CREATED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
  'BOOKING_REQUESTED',
  'BOOKING_REJECTED',
  'BOOKING_PAYMENT_INITIATED',
  'BOOKING_PAID',
  'BOOKING_NO_SHOW_UPDATED',
  'MEETING_STARTED',
  'MEETING_ENDED',
  'RECORDING_READY',
  'RECORDING_TRANSCRIPTION_GENERATED',
  'INSTANT_MEETING',
  'OOO_CREATED',
  'FORM_SUBMITTED',
  'FORM_SUBMITTED_NO_EVENT',
  'AFTER_HOSTS_CAL_VIDEO_NO_SHOW',
  'AFTER_GUESTS_CAL_VIDEO_NO_SHOW',
  'WRONG_ASSIGNMENT_REPORT',
  'DELEGATION_CREDENTIAL_ERROR',
  'ROUTING_FORM_FALLBACK_HIT',
] as const;

const STATUS_FILTERS = ['upcoming', 'recurring', 'past', 'cancelled', 'unconfirmed'] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

const SORT_KEYS = ['sortStart', 'sortEnd', 'sortCreated', 'sortUpdatedAt'] as const;
type SortKey = (typeof SORT_KEYS)[number];

const LIST_KEYS = new Set<string>([
  'status',
  'attendeeEmail',
  'attendeeName',
  'bookingUid',
  'eventTypeId',
  'eventTypeIds',
  'teamId',
  'teamsIds',
  'afterStart',
  'beforeEnd',
  'afterCreatedAt',
  'beforeCreatedAt',
  'afterUpdatedAt',
  'beforeUpdatedAt',
  ...SORT_KEYS,
  'take',
  'skip',
]);
const LEGACY_LIST_KEYS = new Set<string>([
  'filters[status]',
  'filters[attendeeEmail]',
  'filters[attendeeName]',
  'limit',
  'cursor',
]);
const EVENT_TYPE_KEYS = new Set<string>([
  'username',
  'eventSlug',
  'usernames',
  'orgSlug',
  'orgId',
  'sortCreatedAt',
]);

const DEFAULT_API_KEY = 'cal_live_simulatorkey0000000000000000';
const DEFAULT_USER: CalcomUser = {
  id: 1,
  username: 'advisor',
  email: 'advisor@harborwealth.example',
  name: 'Advisor',
  timeZone: 'America/New_York',
  weekStart: 'Sunday',
  timeFormat: 12,
  defaultScheduleId: null,
  organizationId: null,
};

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

// ---------------------------------------------------------------------------------------------
// Small parsers (class-validator semantics where the sheet names them)

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Strict ISO 8601 (real calendar dates only), read as UTC when no offset is given. */
export function parseStrictIso(value: string): number | null {
  const m = ISO_8601.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59))
    return null;
  if (m[4] === undefined) return Date.UTC(year, month - 1, day);
  let zone = (m[8] ?? 'Z').toUpperCase();
  if (zone !== 'Z')
    zone = zone.length === 3 ? `${zone}:00` : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const fraction = (m[7] ?? '').slice(0, 3).padEnd(3, '0');
  const parsed = Date.parse(
    `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${fraction}${zone}`,
  );
  return Number.isNaN(parsed) ? null : parsed;
}

/** JavaScript's parseInt, which is how the input classes read numbers. */
function jsInt(value: string): number {
  return Number.parseInt(value, 10);
}

function bearer(headers: Readonly<Record<string, string>>): string | null {
  const value = headers.authorization;
  if (!value) return null;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1]!.trim() : null;
}

function msOf(iso: string): number {
  return Date.parse(iso);
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A 22-character base58 uid, the shape Cal.com's short UUIDs have. */
export function calcomUid(random: () => number = () => randomBytes(1)[0]! / 256): string {
  let out = '';
  for (let i = 0; i < 22; i += 1) out += BASE58[Math.floor(random() * BASE58.length)];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Responses

type ValidationEntry = Readonly<{
  property: string;
  value?: string;
  children: readonly never[];
  constraints: Readonly<Record<string, string>>;
}>;

type Ctx = Readonly<{ req: SimRequest; nowMs: number }>;

function fullPath(req: SimRequest): string {
  const q = req.query.toString();
  return q ? `${req.path}?${q}` : req.path;
}

function errorBody(ctx: Ctx, status: number, code: string, message: string, details?: unknown) {
  return {
    status: 'error',
    timestamp: new Date(ctx.nowMs).toISOString(),
    path: fullPath(ctx.req),
    error: {
      code,
      message,
      details: details ?? { message, error: REASON_PHRASES[status] ?? 'Error', statusCode: status },
    },
  };
}

function fail(
  ctx: Ctx,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): SimResponse {
  return { status, body: errorBody(ctx, status, code, message, details) };
}

function validationFailure(ctx: Ctx, errors: readonly ValidationEntry[]): SimResponse {
  return fail(ctx, 400, 'BadRequestException', 'Bad Request Exception', { errors });
}

function notFoundRoute(ctx: Ctx): SimResponse {
  return fail(ctx, 404, 'NotFoundException', `Cannot ${ctx.req.method} ${fullPath(ctx.req)}`);
}

function ok(data: unknown, extra: Record<string, unknown> = {}): SimResponse {
  return { status: 200, body: { status: 'success', data, ...extra } };
}

// ---------------------------------------------------------------------------------------------
// The bookings list: validation, filtering, ordering, paging

type ListQuery = Readonly<{
  statuses: readonly StatusFilter[];
  attendeeEmail: string | null;
  attendeeName: string | null;
  bookingUid: string | null;
  eventTypeIds: readonly number[] | null;
  teamIds: readonly number[] | null;
  afterStart: number | null;
  beforeEnd: number | null;
  afterCreatedAt: number | null;
  beforeCreatedAt: number | null;
  afterUpdatedAt: number | null;
  beforeUpdatedAt: number | null;
  sort: Readonly<{ key: SortKey; direction: 'asc' | 'desc' }> | null;
  take: number;
  skip: number;
}>;

function unknownKeyErrors(query: URLSearchParams, allowed: ReadonlySet<string>): ValidationEntry[] {
  const seen = new Set<string>();
  const errors: ValidationEntry[] = [];
  for (const key of query.keys()) {
    if (allowed.has(key) || seen.has(key)) continue;
    seen.add(key);
    errors.push({
      property: key,
      value: query.get(key) ?? '',
      children: [],
      constraints: { whitelistValidation: `property ${key} should not exist` },
    });
  }
  return errors;
}

/** An empty value filters nothing (the services trim and skip empties). */
function param(query: URLSearchParams, key: string): string | null {
  const value = query.get(key);
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function parseListQuery(
  query: URLSearchParams,
  rejectUnknown: boolean,
): { ok: true; value: ListQuery } | { ok: false; errors: ValidationEntry[] } {
  const errors: ValidationEntry[] = rejectUnknown ? unknownKeyErrors(query, LIST_KEYS) : [];
  const entry = (property: string, value: string, constraints: Record<string, string>) =>
    errors.push({ property, value, children: [], constraints });

  const statusRaw = param(query, 'status');
  const statuses: StatusFilter[] = [];
  if (statusRaw !== null) {
    const parts = statusRaw.split(',').map((s) => s.trim());
    if (parts.every((p): p is StatusFilter => (STATUS_FILTERS as readonly string[]).includes(p)))
      statuses.push(...parts);
    else
      entry('status', statusRaw, {
        isEnum: 'Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed',
      });
  }

  const dates: Record<string, number | null> = {};
  for (const key of [
    'afterStart',
    'beforeEnd',
    'afterCreatedAt',
    'beforeCreatedAt',
    'afterUpdatedAt',
    'beforeUpdatedAt',
  ]) {
    const raw = param(query, key);
    dates[key] = null;
    if (raw === null) continue;
    const parsed = parseStrictIso(raw);
    if (parsed === null)
      entry(key, raw, {
        isIso8601: key.startsWith('after')
          ? 'fromDate must be a valid ISO 8601 date.'
          : 'toDate must be a valid ISO 8601 date.',
      });
    else dates[key] = parsed;
  }

  let sort: ListQuery['sort'] = null;
  for (const key of SORT_KEYS) {
    const raw = param(query, key);
    if (raw === null) continue;
    if (raw !== 'asc' && raw !== 'desc') {
      const label = key === 'sortUpdatedAt' ? 'SortCreated' : `S${key.slice(1)}`;
      entry(key, raw, { isEnum: `${label} must be either "asc" or "desc".` });
      continue;
    }
    // Only the first sort flag present applies (the service's precedence).
    sort ??= { key, direction: raw };
  }

  const idList = (key: string): number[] | null => {
    const raw = param(query, key);
    if (raw === null) return null;
    const ids = raw.split(',').map((s) => jsInt(s.trim()));
    if (ids.some((n) => Number.isNaN(n))) {
      entry(key, raw, {
        isNumber: `each value in ${key} must be a number conforming to the specified constraints`,
      });
      return null;
    }
    return ids;
  };
  const singleId = (key: string): number[] | null => {
    const raw = param(query, key);
    if (raw === null) return null;
    const n = Number(raw);
    if (!Number.isInteger(n)) {
      entry(key, raw, { isInt: `${key} must be an integer number` });
      return null;
    }
    return [n];
  };
  const eventTypeIds = idList('eventTypeIds') ?? singleId('eventTypeId');
  const teamIds = idList('teamsIds') ?? singleId('teamId');

  let take = 100;
  const takeRaw = param(query, 'take');
  if (takeRaw !== null) {
    const n = jsInt(takeRaw);
    if (Number.isNaN(n))
      entry('take', takeRaw, {
        isNumber: 'take must be a number conforming to the specified constraints',
      });
    else if (n > 250) entry('take', takeRaw, { max: 'take must not be greater than 250' });
    else if (n < 1) entry('take', takeRaw, { min: 'take must not be less than 1' });
    else take = n;
  }
  let skip = 0;
  const skipRaw = param(query, 'skip');
  if (skipRaw !== null) {
    const n = jsInt(skipRaw);
    if (Number.isNaN(n))
      entry('skip', skipRaw, {
        isNumber: 'skip must be a number conforming to the specified constraints',
      });
    else if (n < 0) entry('skip', skipRaw, { min: 'skip must not be less than 0' });
    else skip = n;
  }

  if (errors.length > 0) return { ok: false, errors };
  const attendeeEmailRaw = param(query, 'attendeeEmail');
  return {
    ok: true,
    value: {
      statuses,
      // URL decoding turns an unencoded '+' into a space; the service turns it back.
      attendeeEmail: attendeeEmailRaw === null ? null : attendeeEmailRaw.replace(/\s+/g, '+'),
      attendeeName: param(query, 'attendeeName'),
      bookingUid: param(query, 'bookingUid'),
      eventTypeIds,
      teamIds,
      afterStart: dates.afterStart ?? null,
      beforeEnd: dates.beforeEnd ?? null,
      afterCreatedAt: dates.afterCreatedAt ?? null,
      beforeCreatedAt: dates.beforeCreatedAt ?? null,
      afterUpdatedAt: dates.afterUpdatedAt ?? null,
      beforeUpdatedAt: dates.beforeUpdatedAt ?? null,
      sort,
      take,
      skip,
    },
  };
}

/** Section 2.2, evaluated against the simulator's clock. */
export function matchesStatusFilter(
  booking: CalcomBooking,
  filter: StatusFilter,
  nowMs: number,
): boolean {
  const endMs = msOf(booking.end);
  const closed = booking.status === 'cancelled' || booking.status === 'rejected';
  switch (filter) {
    case 'upcoming':
      return (
        endMs >= nowMs &&
        !closed &&
        (booking.recurringBookingUid === undefined || booking.status === 'accepted')
      );
    case 'recurring':
      return endMs >= nowMs && booking.recurringBookingUid !== undefined && !closed;
    case 'past':
      return endMs <= nowMs && !closed;
    case 'cancelled':
      return closed;
    case 'unconfirmed':
      return endMs >= nowMs && booking.status === 'pending';
  }
}

const DEFAULT_SORT: Readonly<Record<StatusFilter, 'asc' | 'desc'>> = {
  upcoming: 'asc',
  recurring: 'asc',
  past: 'desc',
  cancelled: 'desc',
  unconfirmed: 'asc',
};

function sortValue(booking: CalcomBooking, key: SortKey): number | null {
  switch (key) {
    case 'sortStart':
      return msOf(booking.start);
    case 'sortEnd':
      return msOf(booking.end);
    case 'sortCreated':
      return msOf(booking.createdAt);
    case 'sortUpdatedAt':
      return booking.updatedAt === null ? null : msOf(booking.updatedAt);
  }
}

function compareBy(key: SortKey, direction: 'asc' | 'desc') {
  const sign = direction === 'asc' ? 1 : -1;
  return (a: CalcomBooking, b: CalcomBooking): number => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    // Postgres puts NULLs last ascending and first descending.
    if (va === null || vb === null) {
      if (va === vb) return a.id - b.id;
      return va === null ? sign : -sign;
    }
    return va !== vb ? sign * (va - vb) : a.id - b.id;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export type CalcomPagination = Readonly<{
  totalItems: number;
  remainingItems: number;
  returnedItems: number;
  itemsPerPage: number;
  currentPage: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}>;

/** The envelope's numbers, with the formulas of section 2.3. */
export function calcomPagination(
  totalItems: number,
  take: number,
  skip: number,
  returnedItems: number,
): CalcomPagination {
  return {
    totalItems,
    remainingItems: Math.max(0, totalItems - (skip + take)),
    returnedItems,
    itemsPerPage: take,
    currentPage: Math.floor(skip / take) + 1,
    totalPages: Math.ceil(totalItems / take),
    hasNextPage: skip + take < totalItems,
    hasPreviousPage: skip > 0,
  };
}

// ---------------------------------------------------------------------------------------------
// The legacy 2024-04-15 shape (section 2.6)

function legacyBooking(booking: CalcomBooking, user: CalcomUser) {
  const host = booking.hosts[0];
  return {
    id: booking.id,
    uid: booking.uid,
    userId: host?.id ?? user.id,
    title: booking.title,
    description: booking.description,
    customInputs: {},
    responses: booking.bookingFieldsResponses,
    startTime: booking.start,
    endTime: booking.end,
    location: booking.location,
    createdAt: booking.createdAt,
    updatedAt: booking.updatedAt,
    status: booking.status.toUpperCase(),
    paid: false,
    eventTypeId: booking.eventTypeId,
    eventType: booking.eventType
      ? { id: booking.eventType.id, slug: booking.eventType.slug, team: null }
      : null,
    user: host
      ? { id: host.id, name: host.name, email: host.email }
      : { id: user.id, name: user.name, email: user.email },
    userPrimaryEmail: host?.email ?? user.email,
    attendees: booking.attendees.map((a, index) => ({
      id: booking.id * 10 + index,
      email: a.email,
      name: a.name,
      timeZone: a.timeZone,
      locale: a.language ?? 'en',
      bookingId: booking.id,
      noShow: a.absent,
    })),
    payment: [],
    references: [],
    rescheduled: booking.rescheduledToUid !== undefined ? true : null,
    fromReschedule: booking.rescheduledFromUid ?? null,
    recurringEventId: booking.recurringBookingUid ?? null,
    isRecorded: false,
    metadata: booking.metadata,
  };
}

function legacyEventType(eventType: CalcomEventType) {
  return {
    id: eventType.id,
    title: eventType.title,
    slug: eventType.slug,
    length: eventType.lengthInMinutes,
    description: eventType.description,
    hidden: eventType.hidden,
    price: eventType.price,
    currency: eventType.currency,
    requiresConfirmation: eventType.requiresConfirmation,
    userId: eventType.ownerId,
    teamId: null,
    schedulingType: null,
    metadata: eventType.metadata,
  };
}

// ---------------------------------------------------------------------------------------------
// Webhook payloads (section 5)

function utcOffsetMinutes(zone: string, atMs: number): number {
  const dt = DateTime.fromMillis(atMs, { zone });
  return dt.isValid ? dt.offset : 0;
}

function splitName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length <= 1) return { firstName: parts[0] ?? '', lastName: '' };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

function webhookResponses(booking: CalcomBooking): Record<string, unknown> {
  const labels: Record<string, string> = {
    name: 'your_name',
    email: 'email_address',
    location: 'location',
    guests: 'additional_guests',
    notes: 'additional_notes',
  };
  const out: Record<string, unknown> = {};
  for (const [slug, value] of Object.entries(booking.bookingFieldsResponses)) {
    if (slug === 'displayEmail' || slug === 'displayGuests') continue;
    out[slug] = { label: labels[slug] ?? slug, value, isHidden: false };
  }
  return out;
}

function webhookBookingFields(
  booking: CalcomBooking,
  eventTypes: ReadonlyMap<number, CalcomEventType>,
  user: CalcomUser,
) {
  const host = booking.hosts[0];
  const startMs = msOf(booking.start);
  const eventType = booking.eventType ? eventTypes.get(booking.eventType.id) : undefined;
  const videoCallUrl = booking.location.startsWith('http') ? booking.location : undefined;
  const organizerZone = host?.timeZone ?? user.timeZone;
  return {
    type: booking.eventType?.slug ?? null,
    title: booking.title,
    description: booking.description,
    additionalNotes:
      typeof booking.bookingFieldsResponses.notes === 'string'
        ? booking.bookingFieldsResponses.notes
        : '',
    customInputs: {},
    startTime: booking.start,
    endTime: booking.end,
    organizer: {
      id: host?.id ?? user.id,
      name: host?.name ?? user.name,
      email: host?.email ?? user.email,
      username: host?.username ?? user.username,
      timeZone: organizerZone,
      language: { locale: 'en' },
      timeFormat: 'h:mma',
      utcOffset: utcOffsetMinutes(organizerZone, startMs),
    },
    responses: webhookResponses(booking),
    userFieldsResponses: {},
    attendees: booking.attendees.map((a) => ({
      email: a.email,
      name: a.name,
      ...splitName(a.name),
      timeZone: a.timeZone,
      language: { locale: a.language ?? 'en' },
      utcOffset: utcOffsetMinutes(a.timeZone, startMs),
    })),
    location: booking.location,
    destinationCalendar: null,
    hideCalendarNotes: false,
    requiresConfirmation: eventType?.requiresConfirmation ?? false,
    eventTypeId: booking.eventTypeId,
    seatsShowAttendees: false,
    seatsPerTimeSlot: null,
    schedulingType: null,
    iCalUID: booking.icsUid,
    iCalSequence: booking.rescheduledFromUid ? 1 : 0,
    uid: booking.uid,
    bookingId: booking.id,
    metadata: videoCallUrl ? { videoCallUrl } : {},
    status: booking.status.toUpperCase(),
    length: booking.duration,
    price: eventType?.price ?? 0,
    currency: eventType?.currency ?? 'usd',
  };
}

// ---------------------------------------------------------------------------------------------
// The world the server reads, and the state API tests use to change it

class CalcomWorld {
  private byUid = new Map<string, CalcomBooking>();
  private nextId = 1;
  private version = 0;
  private cache = new Map<string, CalcomBooking[]>();
  readonly eventTypesById: Map<number, CalcomEventType>;

  constructor(
    readonly user: CalcomUser,
    readonly eventTypes: readonly CalcomEventType[],
    bookings: readonly CalcomBooking[],
    private readonly nowIso: () => string,
  ) {
    this.eventTypesById = new Map(eventTypes.map((e) => [e.id, e]));
    for (const booking of bookings) this.put(booking);
  }

  all(): CalcomBooking[] {
    return [...this.byUid.values()];
  }

  get(uid: string): CalcomBooking | undefined {
    return this.byUid.get(uid);
  }

  put(booking: CalcomBooking): void {
    this.byUid.set(booking.uid, booking);
    this.nextId = Math.max(this.nextId, booking.id + 1);
    this.changed();
  }

  delete(uid: string): void {
    if (!this.byUid.delete(uid)) throw new Error(`calcom sim: no booking ${uid}`);
    this.changed();
  }

  allocateId(): number {
    return this.nextId++;
  }

  /** Filtered lists are cached until the world changes; 100k bookings are re-sorted otherwise. */
  cached(key: string, compute: () => CalcomBooking[]): CalcomBooking[] {
    const hit = this.cache.get(`${this.version}|${key}`);
    if (hit) return hit;
    if (this.cache.size > 32) this.cache.clear();
    const value = compute();
    this.cache.set(`${this.version}|${key}`, value);
    return value;
  }

  require(uid: string): CalcomBooking {
    const booking = this.byUid.get(uid);
    if (!booking) throw new Error(`calcom sim: no booking ${uid}`);
    return booking;
  }

  update(uid: string, patch: Partial<CalcomBooking>): CalcomBooking {
    const next: CalcomBooking = { ...this.require(uid), ...patch, updatedAt: this.nowIso() };
    this.put(next);
    return next;
  }

  private changed(): void {
    this.version += 1;
    this.cache.clear();
  }
}

function createState(world: CalcomWorld, nowIso: () => string): CalcomState {
  return {
    bookings: () => world.all(),
    get: (uid) => world.get(uid),
    add: (booking) => world.put(booking),
    cancel(uid, options = {}) {
      const booking = world.require(uid);
      return world.update(uid, {
        status: 'cancelled',
        cancellationReason: options.reason ?? '',
        cancelledByEmail: options.byEmail ?? booking.hosts[0]?.email ?? '',
      });
    },
    reject(uid, reason = '') {
      if (world.require(uid).status !== 'pending')
        throw new Error(`calcom sim: booking ${uid} is not pending`);
      return world.update(uid, { status: 'rejected', cancellationReason: reason });
    },
    confirm(uid) {
      if (world.require(uid).status !== 'pending')
        throw new Error(`calcom sim: booking ${uid} is not pending`);
      return world.update(uid, { status: 'accepted' });
    },
    reschedule(uid, input) {
      const previous = world.require(uid);
      if (previous.status === 'cancelled' || previous.status === 'rejected')
        throw new Error(
          `calcom sim: booking ${uid} is ${previous.status}; it cannot be rescheduled`,
        );
      const startMs = parseStrictIso(input.start);
      if (startMs === null) throw new Error(`calcom sim: bad start ${input.start}`);
      const endMs =
        input.end !== undefined
          ? parseStrictIso(input.end)
          : startMs + (msOf(previous.end) - msOf(previous.start));
      if (endMs === null || endMs <= startMs) throw new Error('calcom sim: bad end');
      const newUid = calcomUid();
      const location = previous.location.includes(previous.uid)
        ? previous.location.replace(previous.uid, newUid)
        : previous.location;
      const next: CalcomBooking = {
        ...previous,
        id: world.allocateId(),
        uid: newUid,
        status: previous.status,
        cancellationReason: '',
        cancelledByEmail: '',
        reschedulingReason: input.reason ?? '',
        rescheduledByEmail: input.byEmail ?? previous.attendees[0]?.email ?? null,
        rescheduledFromUid: previous.uid,
        rescheduledToUid: undefined,
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        duration: Math.round((endMs - startMs) / 60_000),
        location,
        meetingUrl: previous.meetingUrl === undefined ? undefined : location,
        absentHost: false,
        attendees: previous.attendees.map((a) => ({ ...a, absent: false })),
        createdAt: nowIso(),
        updatedAt: null,
      };
      world.put(next);
      const cancelled = world.update(uid, {
        status: 'cancelled',
        rescheduledToUid: newUid,
        cancellationReason: input.reason ?? '',
        cancelledByEmail: input.byEmail ?? previous.attendees[0]?.email ?? '',
      });
      return { previous: cancelled, next };
    },
    markAbsent(uid, who, absent = true) {
      const booking = world.require(uid);
      if (who === 'host') return world.update(uid, { absentHost: absent });
      const target = who.attendeeEmail.toLowerCase();
      if (!booking.attendees.some((a) => a.email.toLowerCase() === target))
        throw new Error(`calcom sim: booking ${uid} has no such attendee`);
      // As Cal.com does it (packages/features/handleMarkNoShow.ts): an attendee's no-show is
      // written on the attendee row, so the booking's updatedAt stays as it was and an
      // afterUpdatedAt poll does not see it; the host's no-show is written on the booking.
      const next: CalcomBooking = {
        ...booking,
        attendees: booking.attendees.map((a) =>
          a.email.toLowerCase() === target ? { ...a, absent } : a,
        ),
      };
      world.put(next);
      return next;
    },
    edit: (uid, patch) => world.update(uid, patch),
    touch: (uid) => world.update(uid, {}),
    remove: (uid) => world.delete(uid),
    eventTypes: () => world.eventTypes,
  };
}

// ---------------------------------------------------------------------------------------------
// Routing

type Route =
  | { kind: 'me' }
  | { kind: 'bookings' }
  | { kind: 'booking'; uid: string }
  | { kind: 'legacyBookings' }
  | { kind: 'legacyBooking'; uid: string }
  | { kind: 'eventTypes' }
  | { kind: 'eventType'; id: string }
  | { kind: 'legacyEventTypes' }
  | { kind: 'legacyEventType'; id: string };

/** Which controller answers, the way Nest's custom versioning picks one; null is a 404. */
function resolveRoute(method: string, subPath: string, version: string): Route | null {
  if (method !== 'GET') return null;
  const segments = subPath.split('/').filter((s) => s !== '');
  const [resource, id, ...rest] = segments;
  if (rest.length > 0) return null;
  if (resource === 'me' && id === undefined) return { kind: 'me' };
  if (resource === 'bookings') {
    if (BOOKINGS_VERSIONS.has(version))
      return id === undefined ? { kind: 'bookings' } : { kind: 'booking', uid: id };
    if (version === LEGACY_VERSION)
      return id === undefined ? { kind: 'legacyBookings' } : { kind: 'legacyBooking', uid: id };
    return null;
  }
  if (resource === 'event-types') {
    if (version === EVENT_TYPES_VERSION)
      return id === undefined ? { kind: 'eventTypes' } : { kind: 'eventType', id };
    if (LEGACY_EVENT_TYPES_VERSIONS.has(version))
      return id === undefined ? { kind: 'legacyEventTypes' } : { kind: 'legacyEventType', id };
    return null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The server

export async function startCalcomSim(options: CalcomSimOptions = {}): Promise<CalcomSim> {
  const now = options.now ?? Date.now;
  const nowIso = () => new Date(now()).toISOString();
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const random = options.random ?? Math.random;
  const rejectUnknown = (options.unknownQueryParams ?? 'reject') === 'reject';
  let knownVersions = new Set<string>(options.knownVersions ?? CALCOM_KNOWN_VERSIONS);
  const data = options.data ?? { user: DEFAULT_USER, eventTypes: [], bookings: [] };
  const world = new CalcomWorld(data.user, data.eventTypes, data.bookings, nowIso);
  const state = createState(world, nowIso);

  const limits =
    options.rateLimit === false
      ? null
      : (() => {
          const windowMs = options.rateLimit?.windowMs ?? 60_000;
          return new WindowRateLimiter(
            options.rateLimit?.limit ?? 120,
            windowMs,
            options.rateLimit?.blockMs ?? windowMs,
          );
        })();

  const listBookings = (ctx: Ctx): SimResponse => {
    const parsed = parseListQuery(ctx.req.query, rejectUnknown);
    if (!parsed.ok) return validationFailure(ctx, parsed.errors);
    const q = parsed.value;
    const { take, skip, ...filters } = q;
    const usesClock = q.statuses.length > 0;
    const key = JSON.stringify(filters) + (usesClock ? `@${ctx.nowMs}` : '');
    const matching = world.cached(key, () => {
      const emailWanted = q.attendeeEmail;
      const filtered = world.all().filter((b) => {
        if (q.statuses.length > 0 && !q.statuses.some((s) => matchesStatusFilter(b, s, ctx.nowMs)))
          return false;
        if (emailWanted !== null && !b.attendees.some((a) => a.email === emailWanted)) return false;
        if (q.attendeeName !== null && !b.attendees.some((a) => a.name.trim() === q.attendeeName))
          return false;
        if (q.bookingUid !== null && b.uid !== q.bookingUid) return false;
        if (
          q.eventTypeIds !== null &&
          (b.eventTypeId === null || !q.eventTypeIds.includes(b.eventTypeId))
        )
          return false;
        // The advisor has no teams, so a team filter matches nothing.
        if (q.teamIds !== null) return false;
        const startMs = msOf(b.start);
        const endMs = msOf(b.end);
        const createdMs = msOf(b.createdAt);
        const updatedMs = b.updatedAt === null ? null : msOf(b.updatedAt);
        if (q.afterStart !== null && startMs < q.afterStart) return false;
        if (q.beforeEnd !== null && endMs > q.beforeEnd) return false;
        if (q.afterCreatedAt !== null && createdMs < q.afterCreatedAt) return false;
        if (q.beforeCreatedAt !== null && createdMs > q.beforeCreatedAt) return false;
        // A never-updated booking (updatedAt null) matches no updatedAt bound (gotcha 9).
        if (q.afterUpdatedAt !== null && (updatedMs === null || updatedMs < q.afterUpdatedAt))
          return false;
        if (q.beforeUpdatedAt !== null && (updatedMs === null || updatedMs > q.beforeUpdatedAt))
          return false;
        return true;
      });
      if (q.sort) return filtered.sort(compareBy(q.sort.key, q.sort.direction));
      if (q.statuses.length === 1)
        return filtered.sort(compareBy('sortStart', DEFAULT_SORT[q.statuses[0]!]));
      return filtered;
    });
    // With no sort and no single status the order is unspecified: make it differ per call, so a
    // client that pages without sorting is caught rather than lucky.
    const ordered = q.sort || q.statuses.length === 1 ? matching : shuffle([...matching], random);
    const page = ordered.slice(skip, skip + take);
    return ok(page, { pagination: calcomPagination(ordered.length, take, skip, page.length) });
  };

  const getBooking = (ctx: Ctx, uid: string, legacy: boolean): SimResponse => {
    const shape = (b: CalcomBooking) => (legacy ? legacyBooking(b, world.user) : b);
    const booking = world.get(uid);
    if (booking) return ok(shape(booking));
    const series = world
      .all()
      .filter((b) => b.recurringBookingUid === uid)
      .sort(compareBy('sortStart', 'asc'));
    if (series.length > 0) return ok(series.map(shape));
    return fail(
      ctx,
      404,
      'NotFoundException',
      `Booking with uid=${uid} was not found in the database`,
    );
  };

  const legacyList = (ctx: Ctx): SimResponse => {
    const query = ctx.req.query;
    const errors: ValidationEntry[] = rejectUnknown
      ? unknownKeyErrors(query, LEGACY_LIST_KEYS)
      : [];
    const status = param(query, 'filters[status]');
    if (status === null)
      errors.push({
        property: 'filters',
        children: [],
        constraints: { isNotEmptyObject: 'filters must be a non-empty object' },
      });
    else if (!(STATUS_FILTERS as readonly string[]).includes(status))
      errors.push({
        property: 'filters',
        value: status,
        children: [],
        constraints: {
          isEnum:
            'status must be one of the following values: upcoming, recurring, past, cancelled, unconfirmed',
        },
      });
    let limit = 10;
    const limitRaw = param(query, 'limit');
    if (limitRaw !== null) {
      const n = jsInt(limitRaw);
      if (Number.isNaN(n) || n < 1 || n > 100)
        errors.push({
          property: 'limit',
          value: limitRaw,
          children: [],
          constraints: {
            max: 'limit must not be greater than 100',
            min: 'limit must not be less than 1',
          },
        });
      else limit = n;
    }
    let cursor = 0;
    const cursorRaw = param(query, 'cursor');
    if (cursorRaw !== null) {
      const n = jsInt(cursorRaw);
      if (Number.isNaN(n) || n < 0)
        errors.push({
          property: 'cursor',
          value: cursorRaw,
          children: [],
          constraints: { min: 'cursor must not be less than 0' },
        });
      else cursor = n;
    }
    if (errors.length > 0) return validationFailure(ctx, errors);
    const filter = status as StatusFilter;
    const email = param(query, 'filters[attendeeEmail]');
    const name = param(query, 'filters[attendeeName]');
    const matching = world
      .all()
      .filter(
        (b) =>
          matchesStatusFilter(b, filter, ctx.nowMs) &&
          (email === null || b.attendees.some((a) => a.email === email)) &&
          (name === null || b.attendees.some((a) => a.name === name)),
      )
      .sort(compareBy('sortStart', DEFAULT_SORT[filter]));
    const page = matching.slice(cursor, cursor + limit);
    return ok({
      bookings: page.map((b) => legacyBooking(b, world.user)),
      recurringInfo: [],
      nextCursor: cursor + limit < matching.length ? cursor + limit : null,
    });
  };

  const listEventTypes = (ctx: Ctx): SimResponse => {
    const query = ctx.req.query;
    const errors: ValidationEntry[] = rejectUnknown ? unknownKeyErrors(query, EVENT_TYPE_KEYS) : [];
    const username = param(query, 'username');
    const eventSlug = param(query, 'eventSlug');
    const sortCreatedAt = param(query, 'sortCreatedAt');
    if (eventSlug !== null && username === null)
      errors.push({
        property: 'username',
        children: [],
        constraints: { isString: 'username must be a string' },
      });
    if (sortCreatedAt !== null && sortCreatedAt !== 'asc' && sortCreatedAt !== 'desc')
      errors.push({
        property: 'sortCreatedAt',
        value: sortCreatedAt,
        children: [],
        constraints: { isEnum: 'sortCreatedAt must be one of the following values: asc, desc' },
      });
    if (errors.length > 0) return validationFailure(ctx, errors);
    const usernames =
      param(query, 'usernames')
        ?.split(',')
        .map((s) => s.trim()) ?? null;
    const ownerMatches =
      (username === null || username === world.user.username) &&
      (usernames === null || usernames.every((u) => u === world.user.username));
    let types = ownerMatches ? [...world.eventTypes] : [];
    if (eventSlug !== null) types = types.filter((t) => t.slug === eventSlug);
    // Hidden types are only returned to their owner; with a username you see the public page.
    if (username !== null) types = types.filter((t) => !t.hidden);
    if (sortCreatedAt !== null) {
      const sign = sortCreatedAt === 'asc' ? 1 : -1;
      types.sort((a, b) => sign * (msOf(a.createdAt) - msOf(b.createdAt)));
    }
    return ok(types);
  };

  const eventTypeById = (ctx: Ctx, id: string, legacy: boolean): SimResponse => {
    const eventType = world.eventTypesById.get(Number(id));
    if (!eventType)
      return fail(ctx, 404, 'NotFoundException', `Event type with id ${id} not found`);
    return ok(legacy ? { eventType: legacyEventType(eventType) } : eventType);
  };

  const dispatch = (ctx: Ctx, route: Route): SimResponse => {
    switch (route.kind) {
      case 'me':
        return ok(world.user);
      case 'bookings':
        return listBookings(ctx);
      case 'booking':
        return getBooking(ctx, route.uid, false);
      case 'legacyBookings':
        return legacyList(ctx);
      case 'legacyBooking':
        return getBooking(ctx, route.uid, true);
      case 'eventTypes':
        return listEventTypes(ctx);
      case 'eventType':
        return eventTypeById(ctx, route.id, false);
      case 'legacyEventTypes':
        return ok({
          eventTypeGroups: [
            {
              teamId: null,
              profile: { slug: world.user.username, name: world.user.name },
              eventTypes: world.eventTypes.map(legacyEventType),
            },
          ],
          profiles: [{ slug: world.user.username, name: world.user.name }],
        });
      case 'legacyEventType':
        return eventTypeById(ctx, route.id, true);
    }
  };

  const handle = (req: SimRequest): SimResponse => {
    const ctx: Ctx = { req, nowMs: now() };
    if (req.path !== '/v2' && !req.path.startsWith('/v2/')) return notFoundRoute(ctx);
    const header = req.headers['cal-api-version'];
    // Values must be bare and known; anything else silently becomes the legacy version.
    const version = header !== undefined && knownVersions.has(header) ? header : LEGACY_VERSION;
    const route = resolveRoute(req.method, req.path.slice(3), version);
    if (!route) return notFoundRoute(ctx);

    const token = bearer(req.headers);
    let rateHeaders: Record<string, string> = {};
    if (limits) {
      // Tracked per hashed API key (per caller address when there is none).
      const verdict = limits.check(token ?? 'anonymous', ctx.nowMs);
      rateHeaders = {
        'X-RateLimit-Limit-Default': String(limits.limit),
        'X-RateLimit-Remaining-Default': String(verdict.remaining),
        'X-RateLimit-Reset-Default': String(Math.ceil(verdict.resetMs / 1000)),
      };
      if (!verdict.allowed) {
        const message = 'Too many requests. Please try again later.';
        return {
          status: 429,
          headers: rateHeaders,
          body: errorBody(ctx, 429, 'ThrottlerException', message, message),
        };
      }
    }
    const response =
      token === null
        ? fail(
            ctx,
            401,
            'UnauthorizedException',
            "ApiAuthStrategy - No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers",
          )
        : token !== apiKey
          ? fail(
              ctx,
              401,
              'UnauthorizedException',
              'ApiAuthStrategy - api key - Your api key is not valid',
            )
          : dispatch(ctx, route);
    return { ...response, headers: { ...rateHeaders, ...response.headers } };
  };

  const server = await startSimServer(handle, {
    rootPath: '/v2',
    port: options.port,
    faults: options.faults ?? new FaultPlan(),
    now,
  });

  const deliverWebhook = async (
    url: string,
    secret: string | null,
    triggerEvent: CalcomWebhookTrigger,
    uid: string,
  ): Promise<WebhookDelivery> => {
    if (!(CALCOM_WEBHOOK_TRIGGERS as readonly string[]).includes(triggerEvent))
      throw new Error(`calcom sim: ${String(triggerEvent)} is not a Cal.com webhook trigger`);
    const booking = world.require(uid);
    const fields: Record<string, unknown> = webhookBookingFields(
      booking,
      world.eventTypesById,
      world.user,
    );
    if (triggerEvent === 'BOOKING_RESCHEDULED') {
      const previousUid = booking.rescheduledFromUid;
      const previous = previousUid ? world.get(previousUid) : undefined;
      if (!previous)
        throw new Error(`calcom sim: BOOKING_RESCHEDULED needs the new booking of a reschedule`);
      Object.assign(fields, {
        rescheduleId: previous.id,
        rescheduleUid: previous.uid,
        rescheduleStartTime: previous.start,
        rescheduleEndTime: previous.end,
        rescheduledBy: booking.rescheduledByEmail ?? null,
      });
    }
    if (triggerEvent === 'BOOKING_CANCELLED' || triggerEvent === 'BOOKING_REJECTED')
      fields.cancellationReason = booking.cancellationReason ?? '';
    const createdAt = nowIso();
    let envelope: unknown;
    if (triggerEvent === 'BOOKING_NO_SHOW_UPDATED') {
      envelope = {
        triggerEvent,
        createdAt,
        payload: {
          bookingUid: booking.uid,
          bookingId: booking.id,
          attendees: booking.attendees.map((a) => ({ email: a.email, noShow: a.absent })),
          message: 'Attendees no-show status updated',
        },
      };
    } else if (triggerEvent === 'MEETING_STARTED' || triggerEvent === 'MEETING_ENDED') {
      // The documented examples of these two are flat: booking fields at the top level.
      envelope = { triggerEvent, createdAt, ...fields };
    } else {
      envelope = { triggerEvent, createdAt, payload: fields };
    }
    const body = JSON.stringify(envelope);
    const signature = secret
      ? createHmac('sha256', secret).update(body).digest('hex')
      : 'no-secret-provided';
    const headers = {
      'Content-Type': 'application/json',
      'X-Cal-Signature-256': signature,
      'X-Cal-Webhook-Version': '2021-10-20',
    };
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual' });
    return { status: response.status, body, headers, responseText: await response.text() };
  };

  return {
    baseUrl: server.baseUrl,
    apiKey,
    faults: server.faults,
    log: server.log,
    requestCount: () => server.log.length,
    state,
    setKnownVersions(versions) {
      knownVersions = new Set(versions);
    },
    deliverWebhook,
    close: () => server.close(),
  };
}
