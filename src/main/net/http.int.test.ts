// HttpClient against a real local server with injected faults.
import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan, startSimServer, type SimServer } from '../demo/sim/kit';
import { CancelledError, ConnectionError, HttpStatusError } from './errors';
import { HttpClient, joinUrl, serverWaitMs } from './http';
import { RateBudget } from './rate-budget';

const servers: SimServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(faults = new FaultPlan()) {
  const s = await startSimServer(() => ({ status: 200, body: { ok: true } }), { faults });
  servers.push(s);
  return s;
}

function client(options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({
    source: 'calcom',
    budget: new RateBudget({ limitPerMinute: Infinity }),
    baseBackoffMs: 5,
    maxBackoffMs: 20,
    timeoutMs: 500,
    ...options,
  });
}

describe('HttpClient', () => {
  it('retries 5xx for idempotent requests with backoff, and counts every request', async () => {
    const s = await server(
      new FaultPlan().add({ fault: { kind: 'status', status: 503 }, times: 3 }),
    );
    const waits: number[] = [];
    const res = await new HttpClient({
      ...clientOptions(),
      onWait: (w) => waits.push(w.ms),
    }).request({
      method: 'GET',
      url: s.baseUrl,
      endpoint: 'GET /',
    });
    expect(res.status).toBe(200);
    expect(waits).toHaveLength(3);
    expect(s.log.map((l) => l.status)).toEqual([503, 503, 503, 200]);
  });

  it('honours Retry-After on 429 and pauses the whole source', async () => {
    const s = await server(
      new FaultPlan().add({
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
        times: 1,
      }),
    );
    const http = client();
    const started = Date.now();
    const res = await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(http.requestCount).toBe(2);
  });

  it('waits out a spent window announced by X-RateLimit-Remaining-<Name>: 0 (Cal.com)', async () => {
    let served = 0;
    const s = await startSimServer(() => {
      served++;
      return {
        status: 200,
        headers:
          served === 1
            ? { 'X-RateLimit-Remaining-Default': '0', 'X-RateLimit-Reset-Default': '1' }
            : { 'X-RateLimit-Remaining-Default': '119', 'X-RateLimit-Reset-Default': '60' },
        body: { ok: true },
      };
    });
    servers.push(s);
    const http = client();
    await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' });
    const started = Date.now();
    await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // A window with requests left does not pause the source.
    const again = Date.now();
    await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' });
    expect(Date.now() - again).toBeLessThan(900);
    expect(s.log.map((l) => l.status)).toEqual([200, 200, 200]);
  });

  it('returns the last 5xx after maxRetries, with a readable error for the caller', async () => {
    const s = await server(new FaultPlan().add({ fault: { kind: 'status', status: 500 } }));
    const http = client({ maxRetries: 2 });
    const res = await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /bookings' });
    expect(res.status).toBe(500);
    expect(http.requestCount).toBe(3);
    expect(http.statusError({ endpoint: 'GET /bookings' }, res).message).toBe(
      'Cal.com GET /bookings: the service had an internal error (HTTP 500)',
    );
  });

  it('times out a hanging request and retries it when idempotent', async () => {
    const s = await server(new FaultPlan().add({ fault: { kind: 'hang' }, times: 1 }));
    const http = client({ timeoutMs: 300 });
    const res = await http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' });
    expect(res.status).toBe(200);
    expect(http.requestCount).toBe(2);
  });

  it('never blindly retries an unsafe request whose outcome is unknown', async () => {
    const s = await server(
      new FaultPlan().add({ fault: { kind: 'hang' }, phase: 'after', times: 1 }),
    );
    const http = client({ timeoutMs: 300 });
    const error = await http
      .request({ method: 'POST', url: s.baseUrl, endpoint: 'POST /', body: '{}', retry: 'unsafe' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).reason).toBe('timeout');
    expect(http.requestCount).toBe(1);
  });

  it('retries an unsafe request on 429 (it was certainly not processed)', async () => {
    const s = await server(
      new FaultPlan().add({
        fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
        times: 2,
      }),
    );
    const http = client();
    const res = await http.request({
      method: 'POST',
      url: s.baseUrl,
      endpoint: 'POST /',
      body: '{}',
      retry: 'unsafe',
    });
    expect(res.status).toBe(200);
    expect(http.requestCount).toBe(3);
  });

  it('returns a 5xx to an unsafe request without retrying', async () => {
    const s = await server(
      new FaultPlan().add({ fault: { kind: 'status', status: 502 }, times: 1 }),
    );
    const http = client();
    const res = await http.request({
      method: 'POST',
      url: s.baseUrl,
      endpoint: 'POST /',
      body: '{}',
      retry: 'unsafe',
    });
    expect(res.status).toBe(502);
    expect(() => {
      throw http.statusError({ endpoint: 'POST /' }, res);
    }).toThrow(HttpStatusError);
  });

  it('cancels promptly', async () => {
    const s = await server(new FaultPlan().add({ fault: { kind: 'hang' } }));
    const http = client({ timeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = http.request({
      method: 'GET',
      url: s.baseUrl,
      endpoint: 'GET /',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('reports a refused connection', async () => {
    const s = await server();
    await s.close();
    servers.length = 0;
    const http = client({ maxRetries: 1 });
    await expect(
      http.request({ method: 'GET', url: s.baseUrl, endpoint: 'GET /' }),
    ).rejects.toThrow(/could not connect/);
  });
});

describe('serverWaitMs', () => {
  it('reads Retry-After seconds and dates, and X-RateLimit-Reset in seconds or epoch', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(serverWaitMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(serverWaitMs({ 'retry-after': 'Wed, 25 Nov 2026 12:00:30 GMT' }, now)).toBe(30_000);
    expect(serverWaitMs({ 'x-ratelimit-reset': '60' }, now)).toBe(60_000);
    expect(serverWaitMs({ 'x-ratelimit-reset-default': '42' }, now)).toBe(42_000);
    expect(serverWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 15) }, now)).toBe(15_000);
    expect(serverWaitMs({}, now)).toBeNull();
  });
});

describe('joinUrl', () => {
  it('keeps the version path of the API root', () => {
    expect(joinUrl('https://api.cal.com/v2', '/bookings', { take: 250, skip: 0 })).toBe(
      'https://api.cal.com/v2/bookings?take=250&skip=0',
    );
    expect(joinUrl('https://api.cal.com/v2/', 'bookings')).toBe('https://api.cal.com/v2/bookings');
    expect(joinUrl('https://api.lessannoyingcrm.com/v2/', '/')).toBe(
      'https://api.lessannoyingcrm.com/v2/',
    );
  });
});

function clientOptions() {
  return {
    source: 'calcom' as const,
    budget: new RateBudget({ limitPerMinute: Infinity }),
    baseBackoffMs: 5,
    maxBackoffMs: 20,
    timeoutMs: 500,
  };
}
