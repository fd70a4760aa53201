// Shared machinery for the local API simulators: an HTTP server on 127.0.0.1 (port 0 by default),
// a request log, injectable faults, and a fixed-window rate limiter. Each simulator supplies only
// its routes and the service's own envelopes and headers (see ../../../../../shared/api/).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type SimRequest = Readonly<{
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  bodyText: string;
}>;

export type SimResponse = Readonly<{
  status: number;
  headers?: Readonly<Record<string, string>>;
  /** A value is sent as JSON; a string is sent as is; undefined sends an empty body. */
  body?: unknown;
}>;

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/**
 * What can go wrong, and when:
 * - phase 'before': the fault replaces the response; the request is NOT processed.
 * - phase 'after': the request IS processed (state changes), then the response is replaced —
 *   the "did my create happen?" case behind every exactly-once design.
 */
export type FaultKind =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'slow'; ms: number } // delay, then answer normally
  | { kind: 'hang' } // never answer (the client's timeout fires)
  | { kind: 'drop' } // destroy the connection without a response
  | { kind: 'malformed' } // 200 with a body that is not JSON
  | { kind: 'truncated' }; // 200 with the real JSON cut in half

export type FaultRule = Readonly<{
  fault: FaultKind;
  phase?: 'before' | 'after';
  /** Only requests this matches (default: all). */
  match?: (req: SimRequest) => boolean;
  /** How many times it fires (default: unlimited). */
  times?: number;
  /** Chance per matching request, 0..1 (default 1). */
  probability?: number;
}>;

export class FaultPlan {
  private rules: { rule: FaultRule; left: number }[] = [];
  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): this {
    this.rules.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this request in this phase, if any (and uses one of its `times`). */
  pick(req: SimRequest, phase: 'before' | 'after'): FaultKind | null {
    for (const entry of this.rules) {
      if ((entry.rule.phase ?? 'before') !== phase || entry.left <= 0) continue;
      if (entry.rule.match && !entry.rule.match(req)) continue;
      if (entry.rule.probability !== undefined && this.random() >= entry.rule.probability) continue;
      entry.left -= 1;
      return entry.rule.fault;
    }
    return null;
  }
}

/** A fixed window of `limit` requests per `windowMs`, then a block of `blockMs` once exceeded. */
export class WindowRateLimiter {
  private windows = new Map<string, { start: number; count: number; blockedUntil: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    readonly blockMs = 0,
  ) {}

  check(key: string, now: number): { allowed: boolean; remaining: number; resetMs: number } {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0, blockedUntil: w?.blockedUntil ?? 0 };
      this.windows.set(key, w);
    }
    if (now < w.blockedUntil)
      return { allowed: false, remaining: 0, resetMs: w.blockedUntil - now };
    w.count += 1;
    const resetMs = w.start + this.windowMs - now;
    if (w.count > this.limit) {
      if (this.blockMs > 0) w.blockedUntil = now + this.blockMs;
      return { allowed: false, remaining: 0, resetMs: this.blockMs > 0 ? this.blockMs : resetMs };
    }
    return { allowed: true, remaining: this.limit - w.count, resetMs };
  }

  reset(): void {
    this.windows.clear();
  }
}

export type LoggedRequest = Readonly<{
  method: string;
  path: string;
  query: string;
  status: number;
  at: number;
}>;

export type SimServer = Readonly<{
  baseUrl: string;
  port: number;
  /** Every request received, in order (including faulted ones). */
  log: LoggedRequest[];
  faults: FaultPlan;
  close(): Promise<void>;
}>;

export type SimServerOptions = Readonly<{
  /** Path prefix of the API root, e.g. '/v2' for Cal.com; it becomes part of baseUrl. */
  rootPath?: string;
  port?: number;
  faults?: FaultPlan;
  now?: () => number;
}>;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bodyOf(response: SimResponse): { text: string; json: boolean } {
  if (response.body === undefined) return { text: '', json: false };
  if (typeof response.body === 'string') return { text: response.body, json: false };
  return { text: JSON.stringify(response.body), json: true };
}

export async function startSimServer(
  handler: SimHandler,
  options: SimServerOptions = {},
): Promise<SimServer> {
  const faults = options.faults ?? new FaultPlan();
  const now = options.now ?? Date.now;
  const log: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const simReq: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      bodyText: await readBody(req),
    };
    const record = (status: number) =>
      log.push({ method: simReq.method, path: simReq.path, query: url.search, status, at: now() });

    const apply = async (fault: FaultKind, real: () => Promise<SimResponse>): Promise<boolean> => {
      switch (fault.kind) {
        case 'status': {
          record(fault.status);
          res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
          res.end(fault.body ?? JSON.stringify({ message: 'Simulated failure' }));
          return true;
        }
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.ms));
          return false;
        case 'hang':
          record(0);
          hanging.add(res);
          return true;
        case 'drop':
          record(0);
          req.socket.destroy();
          return true;
        case 'malformed':
          record(200);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('<html><body>502 Bad Gateway</body></html>');
          return true;
        case 'truncated': {
          const response = await real();
          const { text } = bodyOf(response);
          record(200);
          res.writeHead(200, { 'content-type': 'application/json', ...response.headers });
          res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
          return true;
        }
      }
    };

    try {
      const before = faults.pick(simReq, 'before');
      let computed: SimResponse | null = null;
      const real = async () => (computed ??= await handler(simReq));
      if (before && (await apply(before, real))) return;
      const response = await real();
      const after = faults.pick(simReq, 'after');
      if (after && (await apply(after, async () => response))) return;
      const { text, json } = bodyOf(response);
      record(response.status);
      res.writeHead(response.status, {
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...response.headers,
      });
      res.end(text);
    } catch (error) {
      record(500);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `simulator error: ${(error as Error).message}` }));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${options.rootPath ?? ''}`,
    port,
    log,
    faults,
    async close() {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
