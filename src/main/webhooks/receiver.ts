// The local webhook receiver: an HTTP server on 127.0.0.1 that checks Cal.com and Calendly
// signatures and turns each genuine delivery into a hint (a booking to re-fetch through the API).
// Webhooks are hints and the sync is the truth, so the receiver never stores what a body says.
//
// Order of work per request: route → read the raw body under a size cap and a deadline → look up
// the secret → verify the signature over the raw bytes → parse JSON and its shape → drop replays →
// answer 202, and only then hand the hint over. A bad signature is 401, a bad shape 400, a body
// over the cap 413, a body too slow 408; nothing a caller sends can throw out of the handler.
//
// Exposure: it binds to 127.0.0.1 only. An advisor who wants deliveries points a tunnel of their
// own at it (README.md in this folder).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createLogger } from '../log';
import {
  parseJsonBody,
  readCalcomDelivery,
  readCalendlyDelivery,
  type ReadDelivery,
} from './payloads';
import { ReplayMemory } from './replay-memory';
import {
  CALENDLY_DEFAULT_TOLERANCE_SECONDS,
  verifyCalcomSignature,
  verifyCalendlySignature,
  type SignatureCheck,
} from './signatures';
import type { DeliveryOutcome, DeliveryReport, WebhookHint, WebhookSource } from './types';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** Calendly retries for up to 24 hours; a replay older than that only costs one re-fetch. */
export const DEFAULT_REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_REMEMBERED_DELIVERIES = 20_000;
const MAX_CONNECTIONS = 64;

export const WEBHOOK_ROUTES: Readonly<Record<WebhookSource, string>> = {
  calcom: '/webhooks/calcom',
  calendly: '/webhooks/calendly',
};

export type WebhookSecrets = Readonly<Record<WebhookSource, () => Promise<string | null>>>;

export type WebhookReceiverOptions = Readonly<{
  /** 0 picks a free port. */
  port: number;
  /** Loopback only, by design; a tunnel of the advisor's own exposes it. */
  host?: '127.0.0.1';
  /** Read per request, so a secret changed in the keychain applies at once. */
  secrets: WebhookSecrets;
  /** Called after the 202 has been sent. Errors are logged, never thrown back. */
  onHint: (hint: WebhookHint) => void | Promise<void>;
  /** Every request to a webhook route, whatever became of it (for logs and delivery health). */
  onDelivery?: (report: DeliveryReport) => void;
  now?: () => Date;
  maxBodyBytes?: number;
  /** The whole body must arrive within this long after the headers. */
  bodyTimeoutMs?: number;
  replayWindowMs?: number;
  /** How old (or how far ahead) a Calendly signature may be: 3 minutes by default. */
  calendlyToleranceSeconds?: number;
}>;

export type WebhookReceiver = Readonly<{
  port: number;
  /** http://127.0.0.1:PORT — the routes are WEBHOOK_ROUTES under it. */
  url: string;
  close(): Promise<void>;
}>;

const log = createLogger('webhooks');

type BodyResult =
  | { kind: 'body'; bytes: Buffer }
  | { kind: 'too_large' }
  | { kind: 'timed_out' }
  | { kind: 'aborted' };

type Answer = Readonly<{
  status: number;
  outcome: DeliveryOutcome;
  trigger: string | null;
  sourceIds: readonly string[];
  reason: string | null;
  hint: Omit<WebhookHint, 'deliveryId' | 'receivedAt'> | null;
  /** The connection is closed after the answer (the rest of the body is not read). */
  close?: boolean;
}>;

function refuse(status: number, outcome: DeliveryOutcome, reason: string, close = false): Answer {
  return { status, outcome, trigger: null, sourceIds: [], reason, hint: null, close };
}

const STATUS_TEXT: Readonly<Record<DeliveryOutcome, string>> = {
  accepted: 'accepted',
  duplicate: 'duplicate',
  ignored: 'ignored',
  rejected_signature: 'invalid signature',
  malformed: 'malformed',
  too_large: 'too large',
  timed_out: 'timed out',
  error: 'error',
};

/**
 * Reads the raw body, stopping as soon as it passes `maxBytes` (nothing past the cap is kept) or
 * the deadline passes. A declared Content-Length over the cap is refused before reading anything.
 */
function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.pause();
    return Promise.resolve({ kind: 'too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      if (result.kind !== 'body') req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', bytes: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: 'aborted' });
    // 'close' before 'end' means the sender went away mid-body.
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    const timer = setTimeout(() => finish({ kind: 'timed_out' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

function routeOf(url: string | undefined): WebhookSource | null {
  const path = (url ?? '/').split('?')[0]!.replace(/\/+$/, '');
  if (path === WEBHOOK_ROUTES.calcom) return 'calcom';
  if (path === WEBHOOK_ROUTES.calendly) return 'calendly';
  return null;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  // A repeated signature header is not something either service sends: refuse rather than pick.
  return Array.isArray(value) ? undefined : value;
}

export async function startWebhookReceiver(
  options: WebhookReceiverOptions,
): Promise<WebhookReceiver> {
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const tolerance = options.calendlyToleranceSeconds ?? CALENDLY_DEFAULT_TOLERANCE_SECONDS;
  const replays = new ReplayMemory({
    ttlMs: options.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS,
    maxEntries: MAX_REMEMBERED_DELIVERIES,
    now: () => now().getTime(),
  });
  const sockets = new Set<Socket>();

  const report = (r: DeliveryReport) => {
    try {
      options.onDelivery?.(r);
    } catch (error) {
      log.error(`delivery report handler failed: ${(error as Error).message}`);
    }
  };

  const runHint = (hint: WebhookHint) => {
    Promise.resolve()
      .then(() => options.onHint(hint))
      .catch((error: unknown) => {
        log.error(
          `${hint.source}: hint ${hint.deliveryId} (${hint.trigger}) failed: ${(error as Error)?.message ?? String(error)}`,
        );
      });
  };

  async function verify(source: WebhookSource, req: IncomingMessage, body: Buffer) {
    const secret = await options.secrets[source]();
    if (secret === null || secret.length === 0) {
      const missing: SignatureCheck = {
        ok: false,
        reason: 'no_secret_configured',
        message: `no ${source}-webhook secret is configured (cadence secrets set ${source}-webhook)`,
      };
      return missing;
    }
    switch (source) {
      case 'calcom':
        return verifyCalcomSignature(body, headerOf(req, 'x-cal-signature-256'), secret);
      case 'calendly':
        return verifyCalendlySignature(
          body,
          headerOf(req, 'calendly-webhook-signature'),
          secret,
          now().getTime(),
          tolerance,
        );
    }
  }

  async function decide(source: WebhookSource, req: IncomingMessage): Promise<Answer | null> {
    const body = await readBody(req, maxBodyBytes, bodyTimeoutMs);
    switch (body.kind) {
      case 'aborted':
        return null;
      case 'too_large':
        return refuse(413, 'too_large', `the body is larger than ${maxBodyBytes} bytes`, true);
      case 'timed_out':
        return refuse(408, 'timed_out', `the body did not arrive within ${bodyTimeoutMs} ms`, true);
      case 'body':
        break;
    }
    let check: SignatureCheck;
    try {
      check = await verify(source, req, body.bytes);
    } catch (error) {
      return refuse(500, 'error', `could not read the webhook secret: ${(error as Error).message}`);
    }
    if (!check.ok) return refuse(401, 'rejected_signature', check.message);
    const json = parseJsonBody(body.bytes);
    if (!json.ok) return refuse(400, 'malformed', 'the body is not valid UTF-8 JSON');
    const read: ReadDelivery =
      source === 'calcom' ? readCalcomDelivery(json.value) : readCalendlyDelivery(json.value);
    switch (read.kind) {
      case 'malformed':
        return refuse(400, 'malformed', read.reason);
      case 'ignored':
        return {
          status: 200,
          outcome: 'ignored',
          trigger: read.trigger,
          sourceIds: [],
          reason: `${read.trigger} does not concern a booking`,
          hint: null,
        };
      case 'hint':
        break;
    }
    if (replays.checkAndRemember(read.dedupeKey)) {
      return {
        status: 200,
        outcome: 'duplicate',
        trigger: read.trigger,
        sourceIds: read.sourceIds,
        reason: 'already received',
        hint: null,
      };
    }
    return {
      status: 202,
      outcome: 'accepted',
      trigger: read.trigger,
      sourceIds: read.sourceIds,
      reason: null,
      hint: { source, trigger: read.trigger, sourceIds: read.sourceIds },
    };
  }

  function send(res: ServerResponse, status: number, text: string, close: boolean) {
    const body = JSON.stringify({ status: text });
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      ...(close ? { connection: 'close' } : {}),
    });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const source = routeOf(req.url);
    if (source === null) {
      send(res, 404, 'not found', true);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405, 'method not allowed', true);
      return;
    }
    const deliveryId = randomUUID();
    const receivedAt = now().toISOString();
    let answer: Answer | null;
    try {
      answer = await decide(source, req);
    } catch (error) {
      answer = refuse(500, 'error', `receiver failure: ${(error as Error).message}`);
    }
    if (answer === null) return; // the sender went away mid-body: nobody to answer
    if (answer.close) {
      // Nothing more is read from this connection: once the answer is out, it is closed.
      res.once('finish', () => req.socket.destroy());
    }
    if (!res.headersSent && !res.destroyed) {
      send(res, answer.status, STATUS_TEXT[answer.outcome], answer.close ?? false);
    }
    report({
      deliveryId,
      source,
      receivedAt,
      outcome: answer.outcome,
      status: answer.status,
      trigger: answer.trigger,
      sourceIds: answer.sourceIds,
      reason: answer.reason,
    });
    const hint = answer.hint;
    if (hint) {
      // Respond first: the re-fetch can take seconds and the sender's timeout is short.
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        runHint({ ...hint, deliveryId, receivedAt });
      };
      if (res.writableFinished) start();
      else res.once('close', start);
    }
  }

  const server: Server = createServer(
    {
      // Headers must arrive promptly too; the body deadline is enforced per request above.
      headersTimeout: Math.max(1000, bodyTimeoutMs),
      requestTimeout: bodyTimeoutMs + 5000,
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log.error(`request handling failed: ${(error as Error)?.message ?? String(error)}`);
        if (!res.headersSent && !res.destroyed) send(res, 500, 'error', true);
        else res.destroy();
      });
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => log.error(`server error: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
