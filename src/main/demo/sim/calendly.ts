// Local simulator of the Calendly API v2 as /work/shared/api/calendly-tidycal.md (part A) describes
// it: Bearer tokens, URIs as ids, `{resource}` and `{collection, pagination}` envelopes with opaque
// page tokens and a `next_page` URL, the scope rules of GET /scheduled_events (own `user`, or an
// organization), invitees per event (the N+1), `{title, message, details}` errors, X-RateLimit-*
// headers on every response (50/min free, 500/min paid), webhook subscriptions and signed
// `t=…,v1=…` deliveries. Reschedules are a cancel plus a new event, linked on the invitees.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { parseStrictIso } from './calcom';
import {
  FaultPlan,
  startSimServer,
  WindowRateLimiter,
  type LoggedRequest,
  type SimRequest,
  type SimResponse,
} from './kit';

// ---------------------------------------------------------------------------------------------
// The service's own shapes (A1–A5)

export const CALENDLY_API_ORIGIN = 'https://api.calendly.com';

export type CalendlyUser = Readonly<{
  uri: string;
  name: string;
  slug: string;
  email: string;
  scheduling_url: string;
  timezone: string;
  avatar_url: string | null;
  created_at: string;
  updated_at: string;
  current_organization: string;
  resource_type: 'User';
  locale: string;
}>;

export type CalendlyEventType = Readonly<{
  uri: string;
  name: string;
  active: boolean;
  booking_method: 'instant' | 'poll';
  slug: string;
  scheduling_url: string;
  duration: number;
  duration_options: readonly number[] | null;
  kind: 'solo' | 'group';
  pooling_type: 'round_robin' | 'collective' | null;
  type: 'StandardEventType' | 'AdhocEventType';
  color: string;
  created_at: string;
  updated_at: string;
  internal_note: string | null;
  description_plain: string | null;
  description_html: string | null;
  profile: Readonly<{ type: 'User'; name: string; owner: string }>;
  secret: boolean;
  deleted_at: string | null;
  admin_managed: boolean;
  locale: string;
  position: number;
  custom_questions: readonly Readonly<Record<string, unknown>>[];
}>;

export type CalendlyCancellation = Readonly<{
  /** A display name, not a URI. */
  canceled_by: string;
  reason: string | null;
  canceler_type: 'host' | 'invitee';
  created_at: string;
}>;

export type CalendlyEvent = Readonly<{
  uri: string;
  name: string;
  meeting_notes_plain: string | null;
  meeting_notes_html: string | null;
  status: 'active' | 'canceled';
  start_time: string;
  end_time: string;
  event_type: string;
  location: Readonly<{ type: string } & Record<string, unknown>>;
  invitees_counter: Readonly<{ total: number; active: number; limit: number }>;
  created_at: string;
  updated_at: string;
  event_memberships: readonly Readonly<{
    user: string;
    user_email: string;
    user_name: string;
    buffered_start_time: string;
    buffered_end_time: string;
  }>[];
  event_guests: readonly Readonly<{ email: string; created_at: string; updated_at: string }>[];
  calendar_event: Readonly<{ kind: string; external_id: string }> | null;
  /** Present only once the event is cancelled. */
  cancellation?: CalendlyCancellation;
}>;

export type CalendlyInvitee = Readonly<{
  uri: string;
  event: string;
  email: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  status: 'active' | 'canceled';
  timezone: string;
  created_at: string;
  updated_at: string;
  questions_and_answers: readonly Readonly<{
    question: string;
    answer: string;
    position: number;
  }>[];
  rescheduled: boolean;
  old_invitee: string | null;
  new_invitee: string | null;
  cancellation: CalendlyCancellation | null;
  cancel_url: string;
  reschedule_url: string;
  no_show: Readonly<{ uri: string; created_at: string }> | null;
  payment: null;
  reconfirmation: null;
  routing_form_submission: null;
  text_reminder_number: string | null;
  tracking: Readonly<Record<string, string | null>>;
  scheduling_method: string | null;
  invitee_scheduled_by: string | null;
}>;

export type CalendlySimData = Readonly<{
  user: CalendlyUser;
  eventTypes: readonly CalendlyEventType[];
  events: readonly CalendlyEvent[];
  invitees: readonly CalendlyInvitee[];
}>;

export const CALENDLY_WEBHOOK_EVENTS = [
  'invitee.created',
  'invitee.canceled',
  'invitee_no_show.created',
  'invitee_no_show.deleted',
  'routing_form_submission.created',
] as const;
export type CalendlyWebhookEvent = (typeof CALENDLY_WEBHOOK_EVENTS)[number];

export type CalendlyWebhookSubscription = Readonly<{
  uri: string;
  callback_url: string;
  created_at: string;
  updated_at: string;
  retry_started_at: string | null;
  state: 'active' | 'disabled';
  events: readonly CalendlyWebhookEvent[];
  scope: 'user' | 'organization' | 'group';
  organization: string;
  user: string | null;
  group: string | null;
  creator: string;
}>;

// ---------------------------------------------------------------------------------------------
// Options and handle

export type CalendlyPlan = 'free' | 'standard';

export type CalendlySimOptions = Readonly<{
  data?: CalendlySimData;
  apiKey?: string;
  port?: number;
  faults?: FaultPlan;
  now?: () => number;
  /** 'free' means 50 requests/min and no webhooks; paid plans get 500/min (default 'standard'). */
  plan?: CalendlyPlan;
  /** false turns limiting (and its headers) off; `limit` overrides the plan's number. */
  rateLimit?: false | Readonly<{ limit?: number; windowMs?: number }>;
  /** The advisor's role in their organization; a plain 'user' cannot use organization scope. */
  organizationRole?: 'owner' | 'user';
}>;

export type CalendlyDelivery = Readonly<{
  status: number;
  body: string;
  headers: Readonly<Record<string, string>>;
  responseText: string;
}>;

export type CalendlyRescheduled = Readonly<{
  previousEvent: CalendlyEvent;
  previousInvitee: CalendlyInvitee;
  nextEvent: CalendlyEvent;
  nextInvitee: CalendlyInvitee;
}>;

export type CalendlyState = Readonly<{
  events(): readonly CalendlyEvent[];
  invitees(eventUri?: string): readonly CalendlyInvitee[];
  getEvent(uriOrUuid: string): CalendlyEvent | undefined;
  getInvitee(uri: string): CalendlyInvitee | undefined;
  addEvent(event: CalendlyEvent, invitees: readonly CalendlyInvitee[]): void;
  /** The host (or the invitee of a one-on-one) cancels the whole event. */
  cancelEvent(
    eventUri: string,
    options?: Readonly<{ by?: 'host' | 'invitee'; reason?: string }>,
  ): CalendlyEvent;
  /** One invitee cancels; a one-on-one event is cancelled with them, a group event stays. */
  cancelInvitee(inviteeUri: string, reason?: string): CalendlyInvitee;
  /** Calendly's reschedule: the old invitee and event cancelled, a new event with a new invitee. */
  reschedule(
    inviteeUri: string,
    input: Readonly<{ start: string; end?: string }>,
  ): CalendlyRescheduled;
  markNoShow(inviteeUri: string): CalendlyInvitee;
  unmarkNoShow(inviteeUri: string): CalendlyInvitee;
  editEvent(eventUri: string, patch: Partial<CalendlyEvent>): CalendlyEvent;
  editInvitee(inviteeUri: string, patch: Partial<CalendlyInvitee>): CalendlyInvitee;
  /** A data-compliance erase: the event and its invitees are gone. */
  removeEvent(eventUri: string): void;
  subscriptions(): readonly CalendlyWebhookSubscription[];
  /** What Calendly does after 24 h of failed deliveries. */
  disableSubscription(uri: string): CalendlyWebhookSubscription;
}>;

export type CalendlySim = Readonly<{
  /** The API root as a client configures it: http://127.0.0.1:PORT */
  baseUrl: string;
  apiKey: string;
  faults: FaultPlan;
  log: LoggedRequest[];
  requestCount(): number;
  state: CalendlyState;
  /** POSTs a signed delivery of `event` for an invitee to the subscription's callback URL. */
  deliverWebhook(
    subscription: CalendlyWebhookSubscription | string,
    event: CalendlyWebhookEvent,
    inviteeUri: string,
  ): Promise<CalendlyDelivery>;
  close(): Promise<void>;
}>;

// ---------------------------------------------------------------------------------------------
// Helpers

const DEFAULT_API_KEY =
  'eyJraWQiOiIxY2UxZTEzNjE3ZGNmNzY2YjNjZWJjY2Y4ZGM1YmFmYThhNjVlNjg0MDIzZjdjMzJiZTgzNDliMjM4MDEzNWI0IiwidHlwIjoiUEFUIiwiYWxnIjoiRVMyNTYifQ.simulator';

/** Microsecond timestamps, as Calendly writes them; `micros` supplies the three digits below the
 * millisecond (only its value modulo 1000 is used). */
export function calendlyTime(ms: number, micros = 0): string {
  const iso = new Date(ms).toISOString(); // …HH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

function uuidOf(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function bearer(headers: Readonly<Record<string, string>>): string | null {
  const m = /^Bearer\s+(.+)$/i.exec((headers.authorization ?? '').trim());
  return m ? m[1]!.trim() : null;
}

type Detail = Readonly<{ parameter?: string; message: string }>;

function errorResponse(
  status: number,
  title: string,
  message: string,
  details?: readonly Detail[],
): SimResponse {
  return { status, body: details ? { title, message, details } : { title, message } };
}

const invalid = (details: readonly Detail[]): SimResponse =>
  errorResponse(400, 'Invalid Argument', 'The supplied parameters are invalid.', details);
const notFound = (): SimResponse =>
  errorResponse(404, 'Resource Not Found', 'The server could not find the requested resource.');
const forbidden = (message: string): SimResponse =>
  errorResponse(403, 'Permission Denied', message);

type PageToken = Readonly<{ offset: number; signature: string }>;

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([token.offset, token.signature])).toString('base64url');
}

function decodeToken(raw: string): PageToken | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isInteger(value[0]) &&
      (value[0] as number) >= 0 &&
      typeof value[1] === 'string'
    )
      return { offset: value[0] as number, signature: value[1] };
  } catch {
    // falls through: an unreadable token is an invalid argument
  }
  return null;
}

/**
 * A page token is only good for the query that produced it (count may change): resending it
 * with other filters is a 400, as with any opaque cursor.
 */
function querySignature(path: string, query: URLSearchParams): string {
  const parts = [...query.entries()]
    .filter(([k]) => k !== 'page_token' && k !== 'count')
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256')
    .update(JSON.stringify([path, parts]))
    .digest('base64url')
    .slice(0, 16);
}

function parseCount(query: URLSearchParams, details: Detail[]): number {
  const raw = query.get('count');
  if (raw === null) return 20;
  if (!/^\d+$/.test(raw.trim())) {
    details.push({ parameter: 'count', message: 'must be an integer' });
    return 20;
  }
  const n = Number(raw);
  if (n > 100) details.push({ parameter: 'count', message: 'must be less than or equal to 100' });
  else if (n < 1)
    details.push({ parameter: 'count', message: 'must be greater than or equal to 1' });
  return n;
}

/** Pages `items` with the query's token and count, building Calendly's pagination envelope. */
function paginate<T>(
  items: readonly T[],
  req: SimRequest,
  baseUrl: string,
  count: number,
): SimResponse {
  const signature = querySignature(req.path, req.query);
  let offset = 0;
  const rawToken = req.query.get('page_token');
  if (rawToken !== null && rawToken !== '') {
    const token = decodeToken(rawToken);
    if (!token || token.signature !== signature)
      return invalid([{ parameter: 'page_token', message: 'is invalid' }]);
    offset = token.offset;
  }
  const page = items.slice(offset, offset + count);
  const link = (nextOffset: number) => {
    const token = encodeToken({ offset: nextOffset, signature });
    const query = new URLSearchParams(req.query);
    query.set('page_token', token);
    query.set('count', String(count));
    return { token, url: `${baseUrl}${req.path}?${query.toString()}` };
  };
  const next = offset + count < items.length ? link(offset + count) : null;
  const previous = offset > 0 ? link(Math.max(0, offset - count)) : null;
  return {
    status: 200,
    body: {
      collection: page,
      pagination: {
        count: page.length,
        next_page: next?.url ?? null,
        previous_page: previous?.url ?? null,
        next_page_token: next?.token ?? null,
        previous_page_token: previous?.token ?? null,
      },
    },
  };
}

function msOf(iso: string): number {
  return Date.parse(iso);
}

// ---------------------------------------------------------------------------------------------
// World and state

class CalendlyWorld {
  readonly events = new Map<string, CalendlyEvent>();
  readonly invitees = new Map<string, CalendlyInvitee>();
  readonly inviteesByEvent = new Map<string, string[]>();
  readonly subscriptions = new Map<string, CalendlyWebhookSubscription>();
  readonly signingKeys = new Map<string, string>();
  private sortedCache: CalendlyEvent[] | null = null;

  constructor(
    readonly user: CalendlyUser,
    readonly eventTypes: readonly CalendlyEventType[],
  ) {}

  putEvent(event: CalendlyEvent): void {
    this.events.set(event.uri, event);
    this.sortedCache = null;
  }

  putInvitee(invitee: CalendlyInvitee): void {
    if (!this.invitees.has(invitee.uri)) {
      const list = this.inviteesByEvent.get(invitee.event) ?? [];
      list.push(invitee.uri);
      this.inviteesByEvent.set(invitee.event, list);
    }
    this.invitees.set(invitee.uri, invitee);
    this.sortedCache = null;
  }

  inviteesOf(eventUri: string): CalendlyInvitee[] {
    return (this.inviteesByEvent.get(eventUri) ?? []).map((uri) => this.invitees.get(uri)!);
  }

  removeEvent(eventUri: string): void {
    for (const uri of this.inviteesByEvent.get(eventUri) ?? []) this.invitees.delete(uri);
    this.inviteesByEvent.delete(eventUri);
    this.events.delete(eventUri);
    this.sortedCache = null;
  }

  /** Events by start time ascending (then uri), cached until something changes. */
  sortedEvents(): CalendlyEvent[] {
    this.sortedCache ??= [...this.events.values()].sort(
      (a, b) => msOf(a.start_time) - msOf(b.start_time) || a.uri.localeCompare(b.uri),
    );
    return this.sortedCache;
  }

  requireEvent(uriOrUuid: string): CalendlyEvent {
    const event =
      this.events.get(uriOrUuid) ??
      this.events.get(`${CALENDLY_API_ORIGIN}/scheduled_events/${uriOrUuid}`);
    if (!event) throw new Error(`calendly sim: no event ${uriOrUuid}`);
    return event;
  }

  requireInvitee(uri: string): CalendlyInvitee {
    const invitee = this.invitees.get(uri);
    if (!invitee) throw new Error(`calendly sim: no invitee ${uri}`);
    return invitee;
  }
}

function createState(world: CalendlyWorld, nowTime: () => string): CalendlyState {
  const hostName = world.user.name;

  const updateEvent = (uri: string, patch: Partial<CalendlyEvent>): CalendlyEvent => {
    const next = { ...world.requireEvent(uri), ...patch, updated_at: nowTime() };
    world.putEvent(next);
    return next;
  };
  const updateInvitee = (uri: string, patch: Partial<CalendlyInvitee>): CalendlyInvitee => {
    const next = { ...world.requireInvitee(uri), ...patch, updated_at: nowTime() };
    world.putInvitee(next);
    return next;
  };
  const recount = (eventUri: string): Partial<CalendlyEvent> => {
    const event = world.requireEvent(eventUri);
    const all = world.inviteesOf(event.uri);
    return {
      invitees_counter: {
        ...event.invitees_counter,
        total: all.length,
        active: all.filter((i) => i.status === 'active').length,
      },
    };
  };

  const cancelInvitee = (
    inviteeUri: string,
    cancellation: CalendlyCancellation,
    extra: Partial<CalendlyInvitee> = {},
  ): CalendlyInvitee => {
    const invitee = world.requireInvitee(inviteeUri);
    if (invitee.status === 'canceled')
      throw new Error(`calendly sim: invitee ${inviteeUri} is already canceled`);
    const next = updateInvitee(inviteeUri, { status: 'canceled', cancellation, ...extra });
    const event = world.requireEvent(invitee.event);
    const counts = recount(event.uri);
    // A one-on-one event goes with its only invitee; a group event stays active.
    const eventGoes = event.invitees_counter.limit <= 1 && counts.invitees_counter?.active === 0;
    updateEvent(event.uri, eventGoes ? { ...counts, status: 'canceled', cancellation } : counts);
    return next;
  };

  return {
    events: () => [...world.events.values()],
    invitees: (eventUri) =>
      eventUri === undefined ? [...world.invitees.values()] : world.inviteesOf(eventUri),
    getEvent(uriOrUuid) {
      try {
        return world.requireEvent(uriOrUuid);
      } catch {
        return undefined;
      }
    },
    getInvitee: (uri) => world.invitees.get(uri),
    addEvent(event, invitees) {
      world.putEvent(event);
      for (const invitee of invitees) world.putInvitee({ ...invitee, event: event.uri });
    },
    cancelEvent(eventUri, options = {}) {
      const event = world.requireEvent(eventUri);
      if (event.status === 'canceled')
        throw new Error(`calendly sim: ${eventUri} is already canceled`);
      const by = options.by ?? 'host';
      const active = world.inviteesOf(event.uri).filter((i) => i.status === 'active');
      const cancellation: CalendlyCancellation = {
        canceled_by: by === 'host' ? hostName : (active[0]?.name ?? hostName),
        reason: options.reason ?? null,
        canceler_type: by,
        created_at: nowTime(),
      };
      for (const invitee of active)
        updateInvitee(invitee.uri, { status: 'canceled', cancellation });
      return updateEvent(event.uri, { ...recount(event.uri), status: 'canceled', cancellation });
    },
    cancelInvitee(inviteeUri, reason) {
      const invitee = world.requireInvitee(inviteeUri);
      return cancelInvitee(inviteeUri, {
        canceled_by: invitee.name,
        reason: reason ?? null,
        canceler_type: 'invitee',
        created_at: nowTime(),
      });
    },
    reschedule(inviteeUri, input) {
      const previousInvitee = world.requireInvitee(inviteeUri);
      const previousEvent = world.requireEvent(previousInvitee.event);
      const startMs = parseStrictIso(input.start);
      if (startMs === null) throw new Error(`calendly sim: bad start ${input.start}`);
      const endMs =
        input.end !== undefined
          ? parseStrictIso(input.end)
          : startMs + (msOf(previousEvent.end_time) - msOf(previousEvent.start_time));
      if (endMs === null || endMs <= startMs) throw new Error('calendly sim: bad end');
      const created = nowTime();
      const eventUri = `${CALENDLY_API_ORIGIN}/scheduled_events/${randomUUID()}`;
      const nextInviteeUuid = randomUUID();
      const nextInviteeUri = `${eventUri}/invitees/${nextInviteeUuid}`;
      const nextEvent: CalendlyEvent = {
        ...previousEvent,
        uri: eventUri,
        status: 'active',
        start_time: calendlyTime(startMs),
        end_time: calendlyTime(endMs),
        invitees_counter: { ...previousEvent.invitees_counter, total: 1, active: 1 },
        created_at: created,
        updated_at: created,
        event_memberships: previousEvent.event_memberships.map((m) => ({
          ...m,
          buffered_start_time: calendlyTime(startMs),
          buffered_end_time: calendlyTime(endMs),
        })),
        cancellation: undefined,
      };
      world.putEvent(nextEvent);
      const nextInvitee: CalendlyInvitee = {
        ...previousInvitee,
        uri: nextInviteeUri,
        event: eventUri,
        status: 'active',
        created_at: created,
        updated_at: created,
        rescheduled: false,
        old_invitee: previousInvitee.uri,
        new_invitee: null,
        cancellation: null,
        no_show: null,
        cancel_url: `https://calendly.com/cancellations/${nextInviteeUuid}`,
        reschedule_url: `https://calendly.com/reschedulings/${nextInviteeUuid}`,
      };
      world.putInvitee(nextInvitee);
      const cancelled = cancelInvitee(
        previousInvitee.uri,
        {
          canceled_by: previousInvitee.name,
          reason: null,
          canceler_type: 'invitee',
          created_at: created,
        },
        { rescheduled: true, new_invitee: nextInviteeUri },
      );
      return {
        previousEvent: world.requireEvent(previousEvent.uri),
        previousInvitee: cancelled,
        nextEvent,
        nextInvitee,
      };
    },
    markNoShow(inviteeUri) {
      return updateInvitee(inviteeUri, {
        no_show: {
          uri: `${CALENDLY_API_ORIGIN}/invitee_no_shows/${randomUUID()}`,
          created_at: nowTime(),
        },
      });
    },
    unmarkNoShow: (inviteeUri) => updateInvitee(inviteeUri, { no_show: null }),
    editEvent: (eventUri, patch) => updateEvent(eventUri, patch),
    editInvitee: (inviteeUri, patch) => updateInvitee(inviteeUri, patch),
    removeEvent(eventUri) {
      world.removeEvent(world.requireEvent(eventUri).uri);
    },
    subscriptions: () => [...world.subscriptions.values()],
    disableSubscription(uri) {
      const subscription = world.subscriptions.get(uri);
      if (!subscription) throw new Error(`calendly sim: no subscription ${uri}`);
      const next = { ...subscription, state: 'disabled' as const, updated_at: nowTime() };
      world.subscriptions.set(uri, next);
      return next;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Server

export async function startCalendlySim(options: CalendlySimOptions = {}): Promise<CalendlySim> {
  const now = options.now ?? Date.now;
  const nowTime = () => calendlyTime(now(), Math.floor(Math.random() * 1000));
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const plan = options.plan ?? 'standard';
  const role = options.organizationRole ?? 'owner';
  const data = options.data ?? {
    user: defaultUser(),
    eventTypes: [],
    events: [],
    invitees: [],
  };
  const world = new CalendlyWorld(data.user, data.eventTypes);
  for (const event of data.events) world.putEvent(event);
  for (const invitee of data.invitees) world.putInvitee(invitee);
  const state = createState(world, nowTime);
  const user = world.user;

  const limits =
    options.rateLimit === false
      ? null
      : new WindowRateLimiter(
          options.rateLimit?.limit ?? (plan === 'free' ? 50 : 500),
          options.rateLimit?.windowMs ?? 60_000,
        );

  let baseUrl = '';

  /** The scope rules of A2: own user alone, or the organization (admins and owners). */
  const checkScope = (query: URLSearchParams, details: Detail[]): SimResponse | null => {
    const userParam = query.get('user');
    const organization = query.get('organization');
    if (!userParam && !organization && !query.get('group')) {
      details.push({ parameter: 'user', message: 'user or organization is required' });
      return null;
    }
    if (organization) {
      if (organization !== user.current_organization || role !== 'owner')
        return forbidden('You do not have permission to access this resource.');
      return null;
    }
    if (userParam && userParam !== user.uri)
      return forbidden(
        'Please also specify organization when requesting events for a user within your organization',
      );
    if (!userParam) return forbidden('You do not have permission to access this resource.');
    return null;
  };

  const timeParam = (query: URLSearchParams, key: string, details: Detail[]): number | null => {
    const raw = query.get(key);
    if (raw === null || raw === '') return null;
    const ms = parseStrictIso(raw);
    if (ms === null)
      details.push({ parameter: key, message: 'must be a valid ISO 8601 date-time' });
    return ms;
  };

  const listEvents = (req: SimRequest): SimResponse => {
    const query = req.query;
    const details: Detail[] = [];
    const scopeError = checkScope(query, details);
    if (scopeError) return scopeError;
    const min = timeParam(query, 'min_start_time', details);
    const max = timeParam(query, 'max_start_time', details);
    const status = query.get('status');
    if (status !== null && status !== 'active' && status !== 'canceled')
      details.push({ parameter: 'status', message: 'must be one of active, canceled' });
    const sort = query.get('sort') ?? 'start_time:asc';
    if (sort !== 'start_time:asc' && sort !== 'start_time:desc')
      details.push({
        parameter: 'sort',
        message: 'must be one of start_time:asc, start_time:desc',
      });
    const count = parseCount(query, details);
    if (details.length > 0) return invalid(details);
    const email = query.get('invitee_email')?.trim().toLowerCase() ?? null;
    let events = world.sortedEvents().filter((e) => {
      const startMs = msOf(e.start_time);
      if (min !== null && startMs < min) return false;
      if (max !== null && startMs >= max) return false;
      if (status !== null && e.status !== status) return false;
      if (email && !world.inviteesOf(e.uri).some((i) => i.email.toLowerCase() === email))
        return false;
      return true;
    });
    if (sort === 'start_time:desc') events = events.reverse();
    return paginate(events, req, baseUrl, count);
  };

  const listInvitees = (req: SimRequest, eventUuid: string): SimResponse => {
    const event = world.events.get(`${CALENDLY_API_ORIGIN}/scheduled_events/${eventUuid}`);
    if (!event) return notFound();
    const query = req.query;
    const details: Detail[] = [];
    const status = query.get('status');
    if (status !== null && status !== 'active' && status !== 'canceled')
      details.push({ parameter: 'status', message: 'must be one of active, canceled' });
    const sort = query.get('sort') ?? 'created_at:asc';
    if (sort !== 'created_at:asc' && sort !== 'created_at:desc')
      details.push({
        parameter: 'sort',
        message: 'must be one of created_at:asc, created_at:desc',
      });
    const count = parseCount(query, details);
    if (details.length > 0) return invalid(details);
    const email = query.get('email')?.trim().toLowerCase() ?? null;
    const sign = sort === 'created_at:asc' ? 1 : -1;
    const invitees = world
      .inviteesOf(event.uri)
      .filter(
        (i) =>
          (status === null || i.status === status) && (!email || i.email.toLowerCase() === email),
      )
      .sort(
        (a, b) => sign * (msOf(a.created_at) - msOf(b.created_at)) || a.uri.localeCompare(b.uri),
      );
    return paginate(invitees, req, baseUrl, count);
  };

  const listEventTypes = (req: SimRequest): SimResponse => {
    const query = req.query;
    const details: Detail[] = [];
    const scopeError = checkScope(query, details);
    if (scopeError) return scopeError;
    const sort = query.get('sort') ?? 'name:asc';
    const sortMatch = /^(name|position|created_at|updated_at):(asc|desc)$/.exec(sort);
    if (!sortMatch)
      details.push({
        parameter: 'sort',
        message: 'must be one of name, position, created_at, updated_at with :asc or :desc',
      });
    const active = query.get('active');
    if (active !== null && active !== 'true' && active !== 'false')
      details.push({ parameter: 'active', message: 'must be a boolean' });
    const count = parseCount(query, details);
    if (details.length > 0 || !sortMatch) return invalid(details);
    const field = sortMatch[1] as 'name' | 'position' | 'created_at' | 'updated_at';
    const sign = sortMatch[2] === 'asc' ? 1 : -1;
    const types = world.eventTypes
      .filter((t) => t.deleted_at === null && (active === null || String(t.active) === active))
      .sort((a, b) => {
        const va = a[field];
        const vb = b[field];
        return (
          sign *
          (typeof va === 'number' && typeof vb === 'number'
            ? va - vb
            : String(va).localeCompare(String(vb)))
        );
      });
    return paginate(types, req, baseUrl, count);
  };

  const createSubscription = (req: SimRequest): SimResponse => {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(req.bodyText || 'null');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return invalid([{ message: 'The request body must be a JSON object' }]);
      body = parsed as Record<string, unknown>;
    } catch {
      return invalid([{ message: 'The request body is not valid JSON' }]);
    }
    const details: Detail[] = [];
    const url = body.url;
    if (typeof url !== 'string' || url === '')
      details.push({ parameter: 'url', message: 'is required' });
    else if (!/^https?:\/\/[^\s/]+/i.test(url))
      details.push({ parameter: 'url', message: 'must be a valid URL' });
    const events = body.events;
    if (!Array.isArray(events) || events.length === 0)
      details.push({ parameter: 'events', message: 'must contain at least one event' });
    else if (!events.every((e) => (CALENDLY_WEBHOOK_EVENTS as readonly unknown[]).includes(e)))
      details.push({
        parameter: 'events',
        message: `must only contain ${CALENDLY_WEBHOOK_EVENTS.join(', ')}`,
      });
    const scope = body.scope;
    if (scope !== 'user' && scope !== 'organization' && scope !== 'group')
      details.push({ parameter: 'scope', message: 'must be one of user, organization, group' });
    if (typeof body.organization !== 'string' || body.organization === '')
      details.push({ parameter: 'organization', message: 'is required' });
    if (scope === 'user' && (typeof body.user !== 'string' || body.user === ''))
      details.push({ parameter: 'user', message: 'is required for user scope' });
    if (scope === 'group' && (typeof body.group !== 'string' || body.group === ''))
      details.push({ parameter: 'group', message: 'is required for group scope' });
    if (
      Array.isArray(events) &&
      events.includes('routing_form_submission.created') &&
      scope !== 'organization'
    )
      details.push({
        parameter: 'events',
        message: 'routing_form_submission.created is only available for organization scope',
      });
    if (body.signing_key !== undefined && typeof body.signing_key !== 'string')
      details.push({ parameter: 'signing_key', message: 'must be a string' });
    if (details.length > 0) return invalid(details);
    if (body.organization !== user.current_organization)
      return forbidden('You do not have permission to access this resource.');
    if (scope === 'user' && body.user !== user.uri)
      return forbidden('You do not have permission to access this resource.');
    if ((scope === 'organization' || scope === 'group') && role !== 'owner')
      return forbidden('You do not have permission to access this resource.');
    if (plan === 'free') return forbidden('Please upgrade your Calendly account to Standard');
    const subscriptionUser = scope === 'user' ? user.uri : null;
    const duplicate = [...world.subscriptions.values()].some(
      (s) =>
        s.callback_url === url &&
        s.organization === body.organization &&
        s.user === subscriptionUser,
    );
    if (duplicate) return errorResponse(409, 'Already Exists', 'Hook with this url already exists');
    const created = nowTime();
    const subscription: CalendlyWebhookSubscription = {
      uri: `${CALENDLY_API_ORIGIN}/webhook_subscriptions/${randomUUID()}`,
      callback_url: url as string,
      created_at: created,
      updated_at: created,
      retry_started_at: null,
      state: 'active',
      events: [...new Set(events as CalendlyWebhookEvent[])],
      scope: scope as CalendlyWebhookSubscription['scope'],
      organization: user.current_organization,
      user: subscriptionUser,
      group: scope === 'group' ? (body.group as string) : null,
      creator: user.uri,
    };
    world.subscriptions.set(subscription.uri, subscription);
    if (typeof body.signing_key === 'string' && body.signing_key !== '')
      world.signingKeys.set(subscription.uri, body.signing_key);
    // The signing key is write-only: never echoed back.
    return { status: 201, body: { resource: subscription } };
  };

  const listSubscriptions = (req: SimRequest): SimResponse => {
    const query = req.query;
    const details: Detail[] = [];
    const organization = query.get('organization');
    const scope = query.get('scope');
    if (!organization) details.push({ parameter: 'organization', message: 'is required' });
    if (scope !== 'user' && scope !== 'organization' && scope !== 'group')
      details.push({ parameter: 'scope', message: 'must be one of user, organization, group' });
    if (scope === 'user' && !query.get('user'))
      details.push({ parameter: 'user', message: 'is required for user scope' });
    const count = parseCount(query, details);
    if (details.length > 0) return invalid(details);
    if (organization !== user.current_organization)
      return forbidden('You do not have permission to access this resource.');
    const userParam = query.get('user');
    if (scope === 'user' && userParam !== user.uri)
      return forbidden('You do not have permission to access this resource.');
    const subscriptions = [...world.subscriptions.values()]
      .filter((s) => s.scope === scope && (scope !== 'user' || s.user === userParam))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    return paginate(subscriptions, req, baseUrl, count);
  };

  const route = (req: SimRequest): SimResponse => {
    const segments = req.path.split('/').filter((s) => s !== '');
    const [resource, id, sub, subId, ...rest] = segments;
    if (rest.length > 0) return notFound();
    if (req.method === 'GET') {
      if (resource === 'users' && sub === undefined) {
        if (id === 'me' || id === uuidOf(user.uri))
          return { status: 200, body: { resource: user } };
        return notFound();
      }
      if (resource === 'scheduled_events') {
        if (id === undefined) return listEvents(req);
        const event = world.events.get(`${CALENDLY_API_ORIGIN}/scheduled_events/${id}`);
        if (sub === undefined)
          return event ? { status: 200, body: { resource: event } } : notFound();
        if (sub !== 'invitees') return notFound();
        if (subId === undefined) return listInvitees(req, id);
        const invitee = event ? world.invitees.get(`${event.uri}/invitees/${subId}`) : undefined;
        return invitee ? { status: 200, body: { resource: invitee } } : notFound();
      }
      if (resource === 'event_types' && sub === undefined) {
        if (id === undefined) return listEventTypes(req);
        const type = world.eventTypes.find((t) => uuidOf(t.uri) === id);
        return type ? { status: 200, body: { resource: type } } : notFound();
      }
      if (resource === 'webhook_subscriptions' && sub === undefined) {
        if (id === undefined) return listSubscriptions(req);
        const subscription = world.subscriptions.get(
          `${CALENDLY_API_ORIGIN}/webhook_subscriptions/${id}`,
        );
        return subscription ? { status: 200, body: { resource: subscription } } : notFound();
      }
      return notFound();
    }
    if (req.method === 'POST' && resource === 'webhook_subscriptions' && id === undefined)
      return createSubscription(req);
    if (
      req.method === 'DELETE' &&
      resource === 'webhook_subscriptions' &&
      id !== undefined &&
      sub === undefined
    ) {
      const uri = `${CALENDLY_API_ORIGIN}/webhook_subscriptions/${id}`;
      if (!world.subscriptions.delete(uri)) return notFound();
      world.signingKeys.delete(uri);
      return { status: 204 };
    }
    return notFound();
  };

  const handle = (req: SimRequest): SimResponse => {
    const token = bearer(req.headers);
    let rateHeaders: Record<string, string> = {};
    if (limits) {
      const verdict = limits.check(token ?? 'anonymous', now());
      rateHeaders = {
        'X-RateLimit-Limit': String(limits.limit),
        'X-RateLimit-Remaining': String(verdict.remaining),
        // Seconds until the window resets, not an epoch.
        'X-RateLimit-Reset': String(Math.ceil(verdict.resetMs / 1000)),
      };
      if (!verdict.allowed)
        return {
          ...errorResponse(
            429,
            'Too Many Requests',
            'You have exceeded the rate limit. Please try again later.',
          ),
          headers: rateHeaders,
        };
    }
    const response =
      token === null || token !== apiKey
        ? errorResponse(401, 'Unauthenticated', 'The access token is invalid')
        : route(req);
    return { ...response, headers: { ...rateHeaders, ...response.headers } };
  };

  const server = await startSimServer(handle, {
    port: options.port,
    faults: options.faults ?? new FaultPlan(),
    now,
  });
  baseUrl = server.baseUrl;

  const deliverWebhook = async (
    subscriptionOrUri: CalendlyWebhookSubscription | string,
    event: CalendlyWebhookEvent,
    inviteeUri: string,
  ): Promise<CalendlyDelivery> => {
    const uri = typeof subscriptionOrUri === 'string' ? subscriptionOrUri : subscriptionOrUri.uri;
    const subscription = world.subscriptions.get(uri);
    if (!subscription) throw new Error(`calendly sim: no subscription ${uri}`);
    if (subscription.state !== 'active')
      throw new Error(`calendly sim: subscription ${uri} is disabled; Calendly sends it nothing`);
    if (!subscription.events.includes(event))
      throw new Error(`calendly sim: subscription ${uri} is not subscribed to ${event}`);
    const invitee = world.requireInvitee(inviteeUri);
    const scheduledEvent = world.requireEvent(invitee.event);
    const { uri: _eventUri, ...scheduledEventFields } = scheduledEvent;
    const body = JSON.stringify({
      event,
      created_at: nowTime(),
      created_by: user.uri,
      payload: {
        ...invitee,
        scheduled_event: { uri: scheduledEvent.uri, ...scheduledEventFields },
      },
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    const signingKey = world.signingKeys.get(uri);
    if (signingKey) {
      const t = Math.floor(now() / 1000);
      const v1 = createHmac('sha256', signingKey).update(`${t}.${body}`).digest('hex');
      headers['Calendly-Webhook-Signature'] = `t=${t},v1=${v1}`;
    }
    const response = await fetch(subscription.callback_url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
    });
    const responseText = await response.text();
    // Only 2xx succeeds; 410 Gone deletes the subscription at once; other failures start retries.
    if (response.status === 410) {
      world.subscriptions.delete(uri);
      world.signingKeys.delete(uri);
    } else {
      const succeeded = response.status >= 200 && response.status < 300;
      world.subscriptions.set(uri, {
        ...subscription,
        retry_started_at: succeeded ? null : (subscription.retry_started_at ?? nowTime()),
      });
    }
    return { status: response.status, body, headers, responseText };
  };

  return {
    baseUrl,
    apiKey,
    faults: server.faults,
    log: server.log,
    requestCount: () => server.log.length,
    state,
    deliverWebhook,
    close: () => server.close(),
  };
}

function defaultUser(): CalendlyUser {
  const created = '2023-01-02T15:04:05.123456Z';
  return {
    uri: `${CALENDLY_API_ORIGIN}/users/0b6a1f8e-4c7d-4e2a-9f3b-5d8c7e6a1b20`,
    name: 'Advisor',
    slug: 'advisor',
    email: 'advisor@harborwealth.example',
    scheduling_url: 'https://calendly.com/advisor',
    timezone: 'America/New_York',
    avatar_url: null,
    created_at: created,
    updated_at: created,
    current_organization: `${CALENDLY_API_ORIGIN}/organizations/7d2c9a4e-1b3f-4e8a-8c6d-2f5e9a1b3c40`,
    resource_type: 'User',
    locale: 'en',
  };
}
