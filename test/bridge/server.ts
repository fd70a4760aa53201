// Test-only loopback bridge: starts the real core on a data folder, serves the built renderer, and
// gives it a window.cadence of the preload's shape over a WebSocket on 127.0.0.1 guarded by a
// random token. Playwright drives the real UI in Chromium through it. Never shipped in the app.
//
//   tsx test/bridge/server.ts --data-dir DIR [--port N] [--receiver]
//   (--receiver: run the webhook receiver when the folder's settings switch it on, as the app does)
//   prints: BRIDGE_READY http://127.0.0.1:PORT/?token=…
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { eventNames, methodNames } from '../../src/shared/contract';
import { createAppHost } from '../../src/main/host';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { CONTENT_SECURITY_POLICY, mimeTypeFor } from '../../src/main/shell/policy';

const Args = z.object({
  'data-dir': z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535).default(0),
  renderer: z.string().default(resolve(import.meta.dirname, '../../out/renderer')),
  receiver: z.boolean().default(false),
});

const Request = z.object({ id: z.number().int(), method: z.string(), input: z.unknown() });

export type BridgeOptions = Readonly<{
  dataDir: string;
  port?: number;
  rendererDir: string;
  receiver?: boolean;
}>;

export async function startBridge(options: BridgeOptions) {
  const token = randomBytes(24).toString('hex');
  const core = await createAppHost({
    dataDir: options.dataDir,
    secrets: new KeychainSecretStore(),
    sessionSecretsOk: true,
    receiver: options.receiver === true,
    startDemoWorld: async (o) =>
      (await import('../../src/main/demo/start-world')).startDemoWorld(o),
  });
  const tokenOk = (candidate: string | null) =>
    candidate !== null &&
    candidate.length === token.length &&
    timingSafeEqual(Buffer.from(candidate), Buffer.from(token));

  const bridgeScript = `(() => {
  const methods = ${JSON.stringify(methodNames)};
  const events = ${JSON.stringify(eventNames)};
  const socket = new WebSocket('ws://' + location.host + '/__bridge?token=${token}');
  const ready = new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let next = 1; const pending = new Map(); const listeners = new Map();
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.id !== undefined) { const p = pending.get(data.id); pending.delete(data.id); if (p) p(data.result); }
    else if (data.event) { for (const l of listeners.get(data.event) ?? []) l(data.payload); }
  };
  const invoke = async (method, input) => { await ready; const id = next++;
    return new Promise((resolve) => { pending.set(id, resolve); socket.send(JSON.stringify({ id, method, input })); }); };
  const api = {};
  for (const name of methods) { const [domain, verb] = name.split(':'); api[domain] ??= {};
    api[domain][verb] = (input) => invoke(name, input ?? {}); }
  api.on = (event, listener) => { if (!events.includes(event)) return () => {};
    if (!listeners.has(event)) listeners.set(event, new Set()); listeners.get(event).add(listener);
    return () => listeners.get(event).delete(listener); };
  window.cadence = Object.freeze(api);
})();`;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') return send(res, 405, 'Method not allowed', 'text/plain');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 403, 'Forbidden', 'text/plain');
      const html = await readFile(join(options.rendererDir, 'index.html'), 'utf8');
      const injected = html.replace(
        '<head>',
        `<head>\n    <script src="/__bridge.js?token=${token}"></script>`,
      );
      return send(res, 200, injected, 'text/html; charset=utf-8');
    }
    if (url.pathname === '/__bridge.js') {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 403, 'Forbidden', 'text/plain');
      return send(res, 200, bridgeScript, 'text/javascript; charset=utf-8');
    }
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = resolve(options.rendererDir, relative);
    if (!file.startsWith(resolve(options.rendererDir) + '/'))
      return send(res, 404, 'Not found', 'text/plain');
    try {
      return send(res, 200, await readFile(file), mimeTypeFor(file));
    } catch {
      return send(res, 404, 'Not found', 'text/plain');
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const address = server.address();
    const expectedOrigin =
      typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    if (
      url.pathname !== '/__bridge' ||
      !tokenOk(url.searchParams.get('token')) ||
      req.headers.origin !== expectedOrigin
    ) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', async (raw) => {
        const parsed = Request.safeParse(JSON.parse(String(raw)));
        if (!parsed.success) return;
        const result = await core.invoke(parsed.data.method, parsed.data.input);
        ws.send(JSON.stringify({ id: parsed.data.id, result }));
      });
    });
  });
  const unsubscribe = core.subscribe((event, payload) => {
    for (const ws of sockets) ws.send(JSON.stringify({ event, payload }));
  });

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    core,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((done) => server.close(() => done()));
      await core.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      renderer: { type: 'string' },
      receiver: { type: 'boolean' },
    },
  });
  const args = Args.parse(values);
  const bridge = await startBridge({
    dataDir: args['data-dir'],
    port: args.port,
    rendererDir: args.renderer,
    receiver: args.receiver,
  });
  process.stdout.write(`BRIDGE_READY ${bridge.url}\n`);
  const stop = () => void bridge.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
