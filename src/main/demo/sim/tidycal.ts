// Local simulator of the TidyCal API as /work/shared/api/calendly-tidycal.md (part B) describes it:
// a Laravel app behind `/api` with Bearer tokens, `{"message":"Unauthenticated."}`, a bare `/me`,
// `GET /bookings` paged by a fixed, undocumented page size with only `{data}` (so a client pages
// until an empty page), 422s in Laravel's `{message, errors}` shape when filters are combined,
// status only through `cancelled_at`, an optional embedded `booking_type`, and the misleading 404
// for unknown one-segment paths. No rate limit by default; when on, a bare 429 without headers.
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
// The service's own shapes (B1, B2)

export type TidyCalMe = Readonly<{
  name: string;
  email: string;
  lifetime_pro_at: string | null;
  vanity_path: string;
  language: string;
  profile_picture_url: string | null;
  currency_symbol: string;
}>;

export type TidyCalContact = Readonly<{
  id: number;
  name: string;
  email: string;
  phone_number: string | null;
  ip_address: string | null;
  timezone: string;
  created_at: string;
  updated_at: string;
}>;

export type TidyCalQuestion = Readonly<{
  id: number;
  booking_id: number;
  question: string;
  answer: string;
  created_at: string;
  updated_at: string;
}>;

export type TidyCalBookingType = Readonly<{
  id: number;
  user_id: number;
  title: string;
  description: string;
  duration_minutes: number;
  padding_minutes: number;
  disabled_at: string | null;
  url_slug: string;
  url: string;
  price: string | null;
  private: boolean;
  latest_availability_days: number;
  booking_threshold_minutes: number;
  max_bookings: number | null;
  redirect_url: string | null;
  created_at: string;
  updated_at: string;
}>;

export type TidyCalBooking = Readonly<{
  id: number;
  contact_id: number;
  booking_type_id: number;
  starts_at: string;
  ends_at: string;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
  timezone: string;
  meeting_url: string | null;
  meeting_id: string | null;
  questions: readonly TidyCalQuestion[];
  contact: TidyCalContact;
  payment: Readonly<Record<string, unknown>> | null;
  /** Not in the spec; seen in list responses on most bookings, not all. */
  booking_type?: Readonly<{ id: number; title: string; duration_minutes: number }>;
}>;

export type TidyCalSimData = Readonly<{
  me: TidyCalMe;
  bookingTypes: readonly TidyCalBookingType[];
  bookings: readonly TidyCalBooking[];
  /** Bookings on the advisor's teams; listed only with include_teams=true. */
  teamBookings?: readonly TidyCalBooking[];
}>;

// ---------------------------------------------------------------------------------------------
// Options and handle

/** Undocumented in the sheet; we picked one so clients must page until an empty page. */
export const TIDYCAL_PAGE_SIZE = 25;

export type TidyCalSimOptions = Readonly<{
  data?: TidyCalSimData;
  apiKey?: string;
  port?: number;
  faults?: FaultPlan;
  now?: () => number;
  /** Off by default (no published limit); when on, a 429 with no rate headers at all. */
  rateLimit?: false | Readonly<{ limit: number; windowMs?: number }>;
  pageSize?: number;
}>;

export type TidyCalState = Readonly<{
  bookings(): readonly TidyCalBooking[];
  get(id: number): TidyCalBooking | undefined;
  add(booking: TidyCalBooking, options?: Readonly<{ team?: boolean }>): void;
  cancel(id: number): TidyCalBooking;
  /** Moves the booking in place (the same id), bumping updated_at. */
  reschedule(id: number, input: Readonly<{ start: string; end?: string }>): TidyCalBooking;
  edit(id: number, patch: Partial<TidyCalBooking>): TidyCalBooking;
  remove(id: number): void;
}>;

export type TidyCalSim = Readonly<{
  /** The API root as a client configures it: http://127.0.0.1:PORT/api */
  baseUrl: string;
  apiKey: string;
  faults: FaultPlan;
  log: LoggedRequest[];
  requestCount(): number;
  state: TidyCalState;
  close(): Promise<void>;
}>;

// ---------------------------------------------------------------------------------------------
// Helpers

const DEFAULT_API_KEY =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIxIiwianRpIjoic2ltdWxhdG9yIn0.tidycal-simulator-token';

/** TidyCal's timestamps: UTC with microseconds. */
export function tidycalTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}000Z`;
}

const SECOND_PRECISION_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function message(text: string): SimResponse['body'] {
  return { message: text };
}

/** Laravel's validation response: the first message, "(and N more errors)", and every field. */
function unprocessable(errors: Readonly<Record<string, readonly string[]>>): SimResponse {
  const all = Object.values(errors).flat();
  const more = all.length - 1;
  const suffix = more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : '';
  return {
    status: 422,
    body: { message: `${all[0] ?? 'The given data was invalid.'}${suffix}`, errors },
  };
}

const BOOLEAN_VALUES = new Set(['true', 'false', '1', '0']);

function truthy(value: string): boolean {
  return value === 'true' || value === '1';
}

function bearer(headers: Readonly<Record<string, string>>): string | null {
  const m = /^Bearer\s+(.+)$/i.exec((headers.authorization ?? '').trim());
  return m ? m[1]!.trim() : null;
}

function byStartDescending(a: TidyCalBooking, b: TidyCalBooking): number {
  return Date.parse(b.starts_at) - Date.parse(a.starts_at) || b.id - a.id;
}

// ---------------------------------------------------------------------------------------------
// World and state

class TidyCalWorld {
  readonly own = new Map<number, TidyCalBooking>();
  readonly team = new Map<number, TidyCalBooking>();
  private sorted: { own: TidyCalBooking[]; all: TidyCalBooking[] } | null = null;

  constructor(
    readonly me: TidyCalMe,
    readonly bookingTypes: readonly TidyCalBookingType[],
  ) {}

  put(booking: TidyCalBooking, team = this.team.has(booking.id)): void {
    (team ? this.team : this.own).set(booking.id, booking);
    this.sorted = null;
  }

  get(id: number): TidyCalBooking | undefined {
    return this.own.get(id) ?? this.team.get(id);
  }

  require(id: number): TidyCalBooking {
    const booking = this.get(id);
    if (!booking) throw new Error(`tidycal sim: no booking ${id}`);
    return booking;
  }

  remove(id: number): void {
    if (!this.own.delete(id) && !this.team.delete(id))
      throw new Error(`tidycal sim: no booking ${id}`);
    this.sorted = null;
  }

  /** Newest start first (the order we chose for the undocumented sort), cached until a change. */
  ordered(includeTeams: boolean): TidyCalBooking[] {
    if (!this.sorted) {
      const own = [...this.own.values()].sort(byStartDescending);
      this.sorted = { own, all: [...own, ...this.team.values()].sort(byStartDescending) };
    }
    return includeTeams ? this.sorted.all : this.sorted.own;
  }
}

function createState(world: TidyCalWorld, nowTime: () => string): TidyCalState {
  const update = (id: number, patch: Partial<TidyCalBooking>): TidyCalBooking => {
    const next = { ...world.require(id), ...patch, updated_at: nowTime() };
    world.put(next);
    return next;
  };
  return {
    bookings: () => [...world.own.values(), ...world.team.values()],
    get: (id) => world.get(id),
    add: (booking, options = {}) => world.put(booking, options.team ?? false),
    cancel(id) {
      if (world.require(id).cancelled_at !== null)
        throw new Error(`tidycal sim: booking ${id} is already cancelled`);
      return update(id, { cancelled_at: nowTime() });
    },
    reschedule(id, input) {
      const booking = world.require(id);
      const startMs = parseStrictIso(input.start);
      if (startMs === null) throw new Error(`tidycal sim: bad start ${input.start}`);
      const endMs =
        input.end !== undefined
          ? parseStrictIso(input.end)
          : startMs + (Date.parse(booking.ends_at) - Date.parse(booking.starts_at));
      if (endMs === null || endMs <= startMs) throw new Error('tidycal sim: bad end');
      return update(id, { starts_at: tidycalTime(startMs), ends_at: tidycalTime(endMs) });
    },
    edit: (id, patch) => update(id, patch),
    remove: (id) => world.remove(id),
  };
}

// ---------------------------------------------------------------------------------------------
// Server

export async function startTidyCalSim(options: TidyCalSimOptions = {}): Promise<TidyCalSim> {
  const now = options.now ?? Date.now;
  const nowTime = () => tidycalTime(now());
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const pageSize = options.pageSize ?? TIDYCAL_PAGE_SIZE;
  const data = options.data ?? {
    me: {
      name: 'Advisor',
      email: 'advisor@harborwealth.example',
      lifetime_pro_at: null,
      vanity_path: 'advisor',
      language: 'en',
      profile_picture_url: null,
      currency_symbol: '$',
    },
    bookingTypes: [],
    bookings: [],
  };
  const world = new TidyCalWorld(data.me, data.bookingTypes);
  for (const booking of data.bookings) world.put(booking, false);
  for (const booking of data.teamBookings ?? []) world.put(booking, true);
  const state = createState(world, nowTime);
  const limits = options.rateLimit
    ? new WindowRateLimiter(options.rateLimit.limit, options.rateLimit.windowMs ?? 60_000)
    : null;

  const pageParam = (query: URLSearchParams, errors: Record<string, string[]>): number => {
    const raw = query.get('page');
    if (raw === null || raw === '') return 1;
    if (!/^-?\d+$/.test(raw)) {
      errors.page = ['The page field must be an integer.'];
      return 1;
    }
    const page = Number(raw);
    if (page < 1) errors.page = ['The page field must be at least 1.'];
    return page;
  };

  const listBookings = (query: URLSearchParams): SimResponse => {
    const errors: Record<string, string[]> = {};
    const add = (field: string, text: string) => (errors[field] ??= []).push(text);
    const filters = (['starts_at', 'ends_at', 'cancelled'] as const).filter(
      (key) => query.get(key) !== null && query.get(key) !== '',
    );
    const bounds: Record<string, number> = {};
    for (const key of ['starts_at', 'ends_at'] as const) {
      const raw = query.get(key);
      if (raw === null || raw === '') continue;
      const ms = SECOND_PRECISION_UTC.test(raw) ? parseStrictIso(raw) : null;
      if (ms === null) add(key, `The ${key} field must match the format Y-m-d\\TH:i:s\\Z.`);
      else bounds[key] = ms;
    }
    for (const key of ['cancelled', 'include_teams'] as const) {
      const raw = query.get(key);
      if (raw !== null && raw !== '' && !BOOLEAN_VALUES.has(raw))
        add(key, `The ${key} field must be true or false.`);
    }
    // The list takes one filter at a time; combining them is refused (sheet B2).
    if (filters.length > 1) {
      const [first, ...others] = filters;
      for (const other of others)
        add(first!, `The ${first} field prohibits ${other} from being present.`);
    }
    const page = pageParam(query, errors);
    if (Object.keys(errors).length > 0) return unprocessable(errors);

    const includeTeams = truthy(query.get('include_teams') ?? 'false');
    const cancelledRaw = query.get('cancelled');
    const wantCancelled =
      cancelledRaw === null || cancelledRaw === '' ? null : truthy(cancelledRaw);
    const matching = world.ordered(includeTeams).filter((b) => {
      if (bounds.starts_at !== undefined && Date.parse(b.starts_at) < bounds.starts_at)
        return false;
      if (bounds.ends_at !== undefined && Date.parse(b.ends_at) > bounds.ends_at) return false;
      if (wantCancelled !== null && (b.cancelled_at !== null) !== wantCancelled) return false;
      return true;
    });
    return { status: 200, body: { data: matching.slice((page - 1) * pageSize, page * pageSize) } };
  };

  const listBookingTypes = (query: URLSearchParams): SimResponse => {
    const errors: Record<string, string[]> = {};
    const page = pageParam(query, errors);
    if (Object.keys(errors).length > 0) return unprocessable(errors);
    const types = [...world.bookingTypes].sort((a, b) => a.id - b.id);
    return { status: 200, body: { data: types.slice((page - 1) * pageSize, page * pageSize) } };
  };

  const bookingNotFound = (id: string): SimResponse => ({
    status: 404,
    body: message(`No query results for model [App\\Models\\Booking] ${id}`),
  });

  type Route = Readonly<{ methods: readonly string[]; run: (req: SimRequest) => SimResponse }>;

  /** Laravel's route table; null when no route matches the path at all. */
  const match = (segments: readonly string[]): Route | null => {
    const [first, second, third, ...rest] = segments;
    if (rest.length > 0) return null;
    if (first === 'me' && second === undefined)
      return { methods: ['GET', 'HEAD'], run: () => ({ status: 200, body: world.me }) };
    if (first === 'booking-types' && second === undefined)
      return { methods: ['GET', 'HEAD'], run: (req) => listBookingTypes(req.query) };
    if (first !== 'bookings') return null;
    if (second === undefined)
      return { methods: ['GET', 'HEAD'], run: (req) => listBookings(req.query) };
    if (third === undefined)
      return {
        methods: ['GET', 'HEAD'],
        run: () => {
          const booking = /^\d+$/.test(second) ? world.get(Number(second)) : undefined;
          return booking ? { status: 200, body: booking } : bookingNotFound(second);
        },
      };
    if (third === 'cancel')
      return {
        methods: ['PATCH'],
        run: (req) => {
          const booking = /^\d+$/.test(second) ? world.get(Number(second)) : undefined;
          if (!booking) return bookingNotFound(second);
          let reason: unknown;
          try {
            reason = req.bodyText
              ? (JSON.parse(req.bodyText) as { reason?: unknown }).reason
              : undefined;
          } catch {
            return unprocessable({ reason: ['The request body must be valid JSON.'] });
          }
          if (reason !== undefined && reason !== null && typeof reason !== 'string')
            return unprocessable({ reason: ['The reason field must be a string.'] });
          if (booking.cancelled_at !== null)
            return { status: 400, body: message('Booking is already cancelled.') };
          return { status: 200, body: state.cancel(booking.id) };
        },
      };
    return null;
  };

  const handle = (req: SimRequest): SimResponse => {
    if (req.path !== '/api' && !req.path.startsWith('/api/'))
      return { status: 404, body: message('Not Found') };
    const segments = req.path
      .slice(4)
      .split('/')
      .filter((s) => s !== '');
    const route = match(segments);
    if (!route) {
      // One segment falls through to the public profile route `/{user}`, which looks up the
      // first path segment ("api") as a user: the misleading 404 the sheet quotes.
      if (segments.length <= 1)
        return { status: 404, body: message('No query results for model [App\\Models\\User] api') };
      return { status: 404, body: message(`The route ${req.path.slice(1)} could not be found.`) };
    }
    if (!route.methods.includes(req.method))
      return {
        status: 405,
        body: message(
          `The ${req.method} method is not supported for route ${req.path.slice(1)}. Supported methods: ${route.methods.join(', ')}.`,
        ),
      };
    const token = bearer(req.headers);
    if (limits && !limits.check(token ?? 'anonymous', now()).allowed)
      return { status: 429, body: message('Too Many Attempts.') };
    if (token !== apiKey) return { status: 401, body: message('Unauthenticated.') };
    return route.run(req);
  };

  const server = await startSimServer(handle, {
    rootPath: '/api',
    port: options.port,
    faults: options.faults ?? new FaultPlan(),
    now,
  });

  return {
    baseUrl: server.baseUrl,
    apiKey,
    faults: server.faults,
    log: server.log,
    requestCount: () => server.log.length,
    state,
    close: () => server.close(),
  };
}
