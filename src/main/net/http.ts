// The one HTTP module. Every call to an outside service goes through an HttpClient: a per-source
// rate budget, a timeout, cancellation, and retries with exponential backoff and jitter on 429,
// 5xx and timeouts, honouring Retry-After and X-RateLimit-Reset. It counts the requests it sends.
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import type { SyncSource } from '../../shared/domain';
import { createLogger } from '../log';
import { CancelledError, ConnectionError, HttpStatusError } from './errors';
import type { RateBudget } from './rate-budget';
import { realSleep, type Now, type Sleep } from './rate-budget';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export type HttpRequest = Readonly<{
  method: HttpMethod;
  url: string;
  /** A name for errors and logs, without ids or query: "GET /v2/bookings". */
  endpoint: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  signal?: AbortSignal;
  /**
   * 'idempotent' (reads, deletes, edits): retried on 429, 5xx and timeouts.
   * 'unsafe' (creates): retried only when the service certainly did not act on it (429, or the
   * connection was refused before anything was sent). Other failures surface to the caller, which
   * must find out whether the write happened before trying again.
   */
  retry?: 'idempotent' | 'unsafe';
}>;

export type HttpResponse = Readonly<{
  status: number;
  headers: Readonly<Record<string, string>>;
  text: string;
}>;

export type WaitInfo = Readonly<{ reason: 'rate_limit' | 'backoff'; ms: number; status?: number }>;

/** A wait as the advisor hears of it: the rate limit, or a pause before trying again. */
export type WaitReason = 'rate_limit' | 'retry';

export function waitReasonOf(info: WaitInfo): WaitReason {
  return info.reason === 'rate_limit' ? 'rate_limit' : 'retry';
}

export type HttpClientOptions = Readonly<{
  source: SyncSource;
  budget: RateBudget;
  timeoutMs?: number;
  maxRetries?: number;
  /** Longest single backoff; a Retry-After beyond it is honoured anyway. */
  maxBackoffMs?: number;
  baseBackoffMs?: number;
  dispatcher?: Dispatcher;
  onWait?: (info: WaitInfo) => void;
  now?: Now;
  sleep?: Sleep;
  random?: () => number;
}>;

const log = createLogger('net');

const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

function headerValue(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Milliseconds the service asked us to wait: Retry-After (seconds or a date), or an
 * X-RateLimit-Reset[-Name] header in seconds (a value above 1e9 is an epoch time in seconds).
 */
export function serverWaitMs(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): number | null {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!/^x-ratelimit-reset(-[a-z0-9]+)?$/.test(name)) continue;
    const n = Number(value);
    if (!Number.isFinite(n)) continue;
    return n > 1e9 ? Math.max(0, n * 1000 - nowMs) : Math.max(0, n * 1000);
  }
  return null;
}

export class HttpClient {
  /** Requests actually sent (each retry counts). */
  requestCount = 0;
  readonly source: SyncSource;
  readonly budget: RateBudget;
  private readonly options: HttpClientOptions;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private readonly random: () => number;

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.source = options.source;
    this.budget = options.budget;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const maxRetries = this.options.maxRetries ?? 6;
    const retry = req.retry ?? (req.method === 'GET' ? 'idempotent' : 'unsafe');
    for (let attempt = 0; ; attempt++) {
      this.throwIfCancelled(req);
      await this.budget.acquire(req.signal, (ms) =>
        this.options.onWait?.({ reason: 'rate_limit', ms }),
      );
      let response: HttpResponse;
      try {
        response = await this.send(req);
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        const connection = error as ConnectionError;
        const retryable =
          retry === 'idempotent' ||
          (connection.reason === 'connection' && isRefused(connection.cause));
        if (!retryable || attempt >= maxRetries) throw error;
        await this.backoff(req, attempt, null);
        continue;
      }
      this.learnFromHeaders(response);
      if (response.status === 429) {
        const wait = serverWaitMs(response.headers, this.now());
        this.budget.pauseUntil(this.now() + (wait ?? this.backoffMs(attempt)));
        if (attempt >= maxRetries) throw this.statusError(req, response);
        log.info(
          `${this.source}: 429 on ${req.endpoint}; waiting ${Math.round((wait ?? 0) / 1000)} s`,
        );
        continue; // the budget makes every request of this source wait for the reset
      }
      if (response.status >= 500 && retry === 'idempotent' && attempt < maxRetries) {
        await this.backoff(
          req,
          attempt,
          serverWaitMs(response.headers, this.now()),
          response.status,
        );
        continue;
      }
      return response;
    }
  }

  /** Throws an HttpStatusError for a status the caller did not expect. */
  statusError(req: Pick<HttpRequest, 'endpoint'>, response: HttpResponse): HttpStatusError {
    const what =
      response.status === 429
        ? 'the rate limit was still exceeded after waiting and retrying'
        : response.status >= 500
          ? `the service had an internal error (HTTP ${response.status})`
          : `HTTP ${response.status}`;
    return new HttpStatusError(
      this.source,
      req.endpoint,
      response.status,
      response.text.slice(0, 2000),
      what,
    );
  }

  private learnFromHeaders(response: HttpResponse): void {
    const limit = Number(response.headers['x-ratelimit-limit']);
    if (Number.isFinite(limit) && limit > 0 && this.source === 'calendly')
      this.budget.setLimit(limit);
    if (response.status === 429) return;
    // A spent window: X-RateLimit-Remaining (Calendly) or X-RateLimit-Remaining-<Name> (Cal.com,
    // one per named limit) at 0 pauses the source until that window's own reset.
    for (const [name, value] of Object.entries(response.headers)) {
      const spent = /^x-ratelimit-remaining(-[a-z0-9]+)?$/.exec(name);
      if (!spent || !(Number(value) <= 0)) continue;
      const reset = response.headers[`x-ratelimit-reset${spent[1] ?? ''}`];
      const wait = serverWaitMs(
        reset === undefined ? response.headers : { 'x-ratelimit-reset': reset },
        this.now(),
      );
      if (wait !== null) this.budget.pauseUntil(this.now() + wait);
    }
  }

  private backoffMs(attempt: number): number {
    const base = this.options.baseBackoffMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 30_000;
    const ceiling = Math.min(cap, base * 2 ** attempt);
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2); // "equal jitter"
  }

  private async backoff(
    req: HttpRequest,
    attempt: number,
    serverMs: number | null,
    status?: number,
  ) {
    const ms = Math.max(serverMs ?? 0, this.backoffMs(attempt));
    this.options.onWait?.({ reason: 'backoff', ms, status });
    try {
      await this.sleep(ms, req.signal);
    } catch {
      throw new CancelledError(this.source, req.endpoint);
    }
  }

  private throwIfCancelled(req: HttpRequest): void {
    if (req.signal?.aborted) throw new CancelledError(this.source, req.endpoint);
  }

  private async send(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    this.requestCount++;
    try {
      const res = await undiciRequest(req.url, {
        method: req.method,
        headers: { 'user-agent': 'Cadence/1', ...req.headers },
        body: req.body,
        signal,
        dispatcher: this.options.dispatcher ?? sharedAgent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        const v = headerValue(res.headers, name);
        if (v !== undefined) headers[name.toLowerCase()] = v;
        void value;
      }
      return { status: res.statusCode, headers, text };
    } catch (error) {
      if (req.signal?.aborted) throw new CancelledError(this.source, req.endpoint);
      const code = (error as { code?: string }).code ?? '';
      const isTimeout =
        timeout.aborted || /TIMEOUT/i.test(code) || (error as Error).name === 'TimeoutError';
      // A socket the service closed without answering is not a failure to connect: say so.
      const closed = !isTimeout && CLOSED_CODES.has(code);
      throw new ConnectionError(
        this.source,
        req.endpoint,
        isTimeout ? 'timeout' : closed ? 'closed' : 'connection',
        isTimeout ? `${Math.round(timeoutMs / 1000)} s` : code || (error as Error).message,
        { cause: error },
      );
    }
  }
}

/** undici's and Node's codes for a connection the other side closed or reset mid-request. */
const CLOSED_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'EPIPE',
]);

function isRefused(cause: unknown): boolean {
  const code = (cause as { code?: string } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** Joins an API root and a path, keeping any version path in the root ("…/v2" + "/bookings"). */
export function joinUrl(
  base: string,
  path: string,
  query?: Record<string, string | number | undefined>,
) {
  const url = new URL(base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}
