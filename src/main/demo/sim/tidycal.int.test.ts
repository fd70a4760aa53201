// Conformance of the TidyCal simulator with /work/shared/api/calendly-tidycal.md part B: Bearer
// auth and `{"message":"Unauthenticated."}`, the bare /me, `{data}`-only pages of a fixed size
// (page until empty), the one-filter-at-a-time 422s in Laravel's shape, date format, `cancelled`
// semantics, bare single bookings, booking types, the misleading one-segment 404, cancel via
// PATCH, in-place reschedules, the optional header-less 429, and faults.
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTidyCalSim,
  TIDYCAL_PAGE_SIZE,
  tidycalTime,
  type TidyCalBooking,
  type TidyCalBookingType,
  type TidyCalSim,
  type TidyCalSimOptions,
} from './tidycal';

const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const reviewType: TidyCalBookingType = {
  id: 1128016,
  user_id: 55,
  title: 'Portfolio Review',
  description: '',
  duration_minutes: 60,
  padding_minutes: 0,
  disabled_at: null,
  url_slug: 'portfolio-review',
  url: 'https://tidycal.com/advisor/portfolio-review',
  price: null,
  private: false,
  latest_availability_days: 60,
  booking_threshold_minutes: 240,
  max_bookings: null,
  redirect_url: null,
  created_at: '2024-01-01T00:00:00.000000Z',
  updated_at: '2024-01-01T00:00:00.000000Z',
};

function booking(id: number, startMs: number, cancelled: boolean): TidyCalBooking {
  const created = tidycalTime(startMs - 7 * DAY);
  return {
    id,
    contact_id: 90_000 + id,
    booking_type_id: reviewType.id,
    starts_at: tidycalTime(startMs),
    ends_at: tidycalTime(startMs + HOUR),
    cancelled_at: cancelled ? tidycalTime(startMs - DAY) : null,
    created_at: created,
    updated_at: created,
    timezone: 'America/New_York',
    meeting_url: null,
    meeting_id: null,
    questions: [],
    contact: {
      id: 90_000 + id,
      name: `Carl Contact ${id}`,
      email: `carl${id}@client.example`,
      phone_number: null,
      ip_address: '203.0.113.7',
      timezone: 'America/New_York',
      created_at: created,
      updated_at: created,
    },
    payment: null,
    ...(id % 4 === 0
      ? {}
      : { booking_type: { id: reviewType.id, title: reviewType.title, duration_minutes: 60 } }),
  };
}

/** 60 bookings a day apart, every 5th cancelled; one team booking. */
function data() {
  const bookings = Array.from({ length: 60 }, (_, i) =>
    booking(1000 + i, NOW + (i - 40) * DAY, i % 5 === 0),
  );
  return {
    me: {
      name: 'Advisor',
      email: 'advisor@harborwealth.example',
      lifetime_pro_at: null,
      vanity_path: 'advisor',
      language: 'en',
      profile_picture_url: null,
      currency_symbol: '$',
    },
    bookingTypes: [reviewType],
    bookings,
    teamBookings: [booking(5000, NOW + 2 * DAY, false)],
  };
}

const sims: TidyCalSim[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
});

async function start(options: Partial<TidyCalSimOptions> = {}): Promise<TidyCalSim> {
  const sim = await startTidyCalSim({ data: data(), now: () => NOW, ...options });
  sims.push(sim);
  return sim;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies under test

async function call(
  sim: TidyCalSim,
  path: string,
  init: { method?: string; body?: string; auth?: string | null } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const auth = init.auth === undefined ? sim.apiKey : init.auth;
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: auth === null ? {} : { authorization: `Bearer ${auth}` },
    body: init.body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Json) : {},
    headers: response.headers,
  };
}

async function allPages(sim: TidyCalSim, query = ''): Promise<TidyCalBooking[]> {
  const out: TidyCalBooking[] = [];
  for (let page = 1; ; page += 1) {
    const { body } = await call(sim, `/bookings?page=${page}${query}`);
    if (body.data.length === 0) return out;
    out.push(...(body.data as TidyCalBooking[]));
  }
}

describe('TidyCal simulator: auth and /me', () => {
  it('answers a missing or bad token alike with 401 {"message":"Unauthenticated."}', async () => {
    const sim = await start();
    for (const auth of [null, 'wrong']) {
      const { status, body } = await call(sim, '/bookings', { auth });
      expect(status).toBe(401);
      expect(body).toEqual({ message: 'Unauthenticated.' });
    }
  });

  it('returns /me as a bare object with no id', async () => {
    const sim = await start();
    const { body } = await call(sim, '/me');
    expect(body.email).toBe('advisor@harborwealth.example');
    expect(body).not.toHaveProperty('data');
    expect(body).not.toHaveProperty('id');
  });
});

describe('TidyCal simulator: GET /bookings', () => {
  it('pages a fixed, undocumented size with only {data}, until an empty page', async () => {
    const sim = await start();
    const first = await call(sim, '/bookings');
    expect(Object.keys(first.body)).toEqual(['data']);
    expect(first.body.data).toHaveLength(TIDYCAL_PAGE_SIZE);
    expect((await call(sim, '/bookings?page=3')).body.data).toHaveLength(10);
    expect((await call(sim, '/bookings?page=4')).body.data).toEqual([]);
    const all = await allPages(sim);
    expect(all).toHaveLength(60);
    expect(new Set(all.map((b) => b.id)).size).toBe(60);
    // Newest start first, the order we chose for the undocumented sort.
    const starts = all.map((b) => b.starts_at);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it('returns both cancelled and active when cancelled is omitted, else one side', async () => {
    const sim = await start();
    const cancelled = await allPages(sim, '&cancelled=true');
    expect(cancelled).toHaveLength(12);
    expect(cancelled.every((b) => b.cancelled_at !== null)).toBe(true);
    const active = await allPages(sim, '&cancelled=false');
    expect(active).toHaveLength(48);
    expect(active.every((b) => b.cancelled_at === null)).toBe(true);
    expect((await allPages(sim, '&cancelled=1')).length).toBe(12);
  });

  it('filters starts_at and ends_at in the sheet’s format, one at a time', async () => {
    const sim = await start();
    const from = new Date(NOW).toISOString().slice(0, 19) + 'Z';
    const upcoming = await allPages(sim, `&starts_at=${from}`);
    expect(upcoming).toHaveLength(20);
    expect(upcoming.every((b) => Date.parse(b.starts_at) >= NOW)).toBe(true);
    const ended = await allPages(sim, `&ends_at=${from}`);
    expect(ended).toHaveLength(40);
  });

  it('answers 422 in Laravel’s shape for combined filters, a bad date format and a bad page', async () => {
    const sim = await start();
    const from = '2026-06-01T00:00:00Z';
    const combined = await call(sim, `/bookings?starts_at=${from}&cancelled=false`);
    expect(combined.status).toBe(422);
    expect(combined.body).toEqual({
      message: 'The starts_at field prohibits cancelled from being present.',
      errors: { starts_at: ['The starts_at field prohibits cancelled from being present.'] },
    });
    const withMillis = await call(sim, '/bookings?starts_at=2026-06-01T00:00:00.000Z');
    expect(withMillis.status).toBe(422);
    expect(withMillis.body.errors.starts_at[0]).toMatch(/must match the format/);
    expect((await call(sim, '/bookings?starts_at=2026-06-01')).status).toBe(422);
    const badPage = await call(sim, '/bookings?page=0&cancelled=maybe');
    expect(badPage.status).toBe(422);
    expect(badPage.body.message).toMatch(/\(and 1 more error\)$/);
    expect(Object.keys(badPage.body.errors).sort()).toEqual(['cancelled', 'page']);
    expect((await call(sim, '/bookings?page=abc')).status).toBe(422);
  });

  it('includes team bookings only with include_teams=true, and ignores unknown parameters', async () => {
    const sim = await start();
    expect(await allPages(sim, '&include_teams=true')).toHaveLength(61);
    expect(await allPages(sim, '&include_teams=false&colour=blue')).toHaveLength(60);
  });

  it('keeps microsecond timestamps, no status field, and booking_type on most but not all bookings', async () => {
    const sim = await start();
    const all = await allPages(sim);
    for (const b of all) {
      expect(b.starts_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(b).not.toHaveProperty('status');
    }
    const embedded = all.filter((b) => b.booking_type !== undefined).length;
    expect(embedded).toBeGreaterThan(0);
    expect(embedded).toBeLessThan(all.length);
  });
});

describe('TidyCal simulator: other routes', () => {
  it('returns a single booking bare, and Laravel’s 404 for an unknown one', async () => {
    const sim = await start();
    expect((await call(sim, '/bookings/1005')).body.id).toBe(1005);
    const missing = await call(sim, '/bookings/424242');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('No query results for model [App\\Models\\Booking] 424242');
  });

  it('lists booking types by page and has no single booking-type route', async () => {
    const sim = await start();
    expect((await call(sim, '/booking-types?page=1')).body.data[0].id).toBe(reviewType.id);
    expect((await call(sim, '/booking-types?page=2')).body.data).toEqual([]);
    expect((await call(sim, `/booking-types/${reviewType.id}`)).status).toBe(404);
  });

  it('answers an unknown one-segment path with the misleading User 404, with or without a token', async () => {
    const sim = await start();
    for (const auth of [null, sim.apiKey]) {
      const { status, body } = await call(sim, '/xyz', { auth });
      expect(status).toBe(404);
      expect(body.message).toBe('No query results for model [App\\Models\\User] api');
    }
    expect((await call(sim, '/bookings', { method: 'POST' })).status).toBe(405);
  });

  it('cancels with PATCH /bookings/{id}/cancel, and says 400 the second time', async () => {
    const sim = await start();
    const cancelled = await call(sim, '/bookings/1001/cancel', {
      method: 'PATCH',
      body: '{"reason":"Sick"}',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelled_at).toBe(tidycalTime(NOW));
    const again = await call(sim, '/bookings/1001/cancel', { method: 'PATCH' });
    expect(again.status).toBe(400);
  });
});

describe('TidyCal simulator: state and limits', () => {
  it('reschedules in place: same id, new times, updated_at bumped', async () => {
    const sim = await start();
    const moved = sim.state.reschedule(1003, { start: new Date(NOW + 30 * DAY).toISOString() });
    expect(moved.id).toBe(1003);
    expect(moved.starts_at).toBe(tidycalTime(NOW + 30 * DAY));
    expect(moved.ends_at).toBe(tidycalTime(NOW + 30 * DAY + HOUR));
    expect(moved.updated_at).toBe(tidycalTime(NOW));
    expect((await call(sim, '/bookings/1003')).body.starts_at).toBe(moved.starts_at);
    sim.state.remove(1003);
    expect((await call(sim, '/bookings/1003')).status).toBe(404);
  });

  it('has no limit by default; when on, a bare 429 with no rate headers', async () => {
    const open = await start();
    for (let i = 0; i < 30; i += 1) expect((await call(open, '/me')).status).toBe(200);
    const limited = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    await call(limited, '/me');
    await call(limited, '/me');
    const refused = await call(limited, '/me');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: 'Too Many Attempts.' });
    for (const name of refused.headers.keys()) expect(name).not.toMatch(/ratelimit|retry-after/i);
  });

  it('passes injected faults through', async () => {
    const sim = await start();
    sim.faults.add({ fault: { kind: 'malformed' }, times: 1 });
    const response = await fetch(`${sim.baseUrl}/bookings`, {
      headers: { authorization: `Bearer ${sim.apiKey}` },
    });
    await expect(response.json()).rejects.toThrow();
    sim.faults.add({ fault: { kind: 'hang' }, times: 1 });
    await expect(
      fetch(`${sim.baseUrl}/me`, { signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();
    sim.faults.add({ fault: { kind: 'status', status: 500 }, phase: 'after', times: 1 });
    expect((await call(sim, '/bookings/1002/cancel', { method: 'PATCH' })).status).toBe(500);
    // The cancel happened even though the client saw a 500.
    expect(sim.state.get(1002)!.cancelled_at).not.toBeNull();
  });
});
