// Security, the front doors: Electron IPC refuses calls from any frame but Cadence's own page
// (a web page, a file:// page, devtools, a look-alike host, no frame at all) before the core is
// reached, and a call from Cadence's page with malformed input is answered with invalid_input
// naming the field; the loopback bridge Playwright uses refuses a WebSocket from a foreign Origin
// or without its token. Electron itself is not installed here, so `electron` is replaced by an
// ipcMain that only records the handlers registerIpc gives it; every check is our own code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createAppHost, type AppHost } from '../../src/main/host';
import { registerIpc, type IpcTarget } from '../../src/main/ipc';
import { setLogSink } from '../../src/main/log';
import { KeychainSecretStore } from '../../src/main/secrets/secret-store';
import { APP_ENTRY_URL } from '../../src/main/shell/policy';
import { methodNames, type Method } from '../../src/shared/contract';
import { secretNames } from '../../src/shared/domain';
import type { Result } from '../../src/shared/result';
import { startBridge } from '../bridge/server';
import { tempDir } from '../helpers/temp';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;

const ipc = vi.hoisted(() => ({ handlers: new Map<string, (...args: never[]) => unknown>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle(channel: string, listener: (...args: never[]) => unknown) {
      if (ipc.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      ipc.handlers.set(channel, listener);
    },
  },
}));

const closers: (() => Promise<void>)[] = [];
const logLines: string[] = [];
beforeEach(() => {
  logLines.length = 0;
  setLogSink((line) => logLines.push(line), 'warn');
});
afterEach(async () => {
  setLogSink((line) => process.stderr.write(`${line}\n`), 'warn');
  ipc.handlers.clear();
  while (closers.length) await closers.pop()!();
});

function handler(method: string): Handler {
  const found = ipc.handlers.get(method);
  if (!found) throw new Error(`no IPC handler for ${method}`);
  return found as unknown as Handler;
}

/** An IPC event as Electron hands it over: only the sender frame matters to registerIpc. */
function eventFrom(url: string | undefined | null): unknown {
  if (url === null) return { senderFrame: null };
  if (url === undefined) return {};
  return { senderFrame: { url } };
}

function spyTarget() {
  const calls: { method: string; input: unknown }[] = [];
  const target: IpcTarget = {
    invoke: async (method, input) => {
      calls.push({ method, input });
      return { ok: true, value: null };
    },
  };
  return { target, calls };
}

const FOREIGN_FRAMES: readonly (string | undefined | null)[] = [
  'https://evil.example/',
  'https://evil.example/app://cadence/index.html',
  'http://127.0.0.1:5173/',
  'file:///etc/passwd',
  'file:///opt/Cadence/resources/app.asar/out/renderer/index.html',
  'devtools://devtools/bundled/inspector.html',
  'chrome-extension://abcdefghijklmnop/background.html',
  'about:blank',
  'data:text/html,<script>1</script>',
  'app://evil.example/index.html',
  'app://cadence.evil.example/index.html',
  'app://cadence@evil.example/index.html',
  'apps://cadence/index.html',
  'not a url',
  '',
  undefined,
  null,
];

const demoStarts: Date[] = [];

async function ownHost(): Promise<AppHost> {
  const secrets = new KeychainSecretStore();
  demoStarts.length = 0;
  const host = await createAppHost({
    dataDir: tempDir('cadence-ipc-'),
    secrets,
    startDemoWorld: ({ now }) => {
      demoStarts.push(now);
      return Promise.reject(new Error('the demo is not part of this test'));
    },
  });
  const profile = host.current().context.profile;
  closers.push(async () => {
    await host.close();
    for (const name of secretNames) await secrets.delete(`${profile.profileId}:${name}`);
    await secrets.delete(`${profile.profileId}:db-key`);
  });
  return host;
}

describe('Electron IPC', () => {
  it('registers one handler per contract method and nothing else', () => {
    registerIpc(spyTarget().target);
    expect([...ipc.handlers.keys()].sort()).toEqual([...methodNames].sort());
  });

  it('refuses every method from a foreign frame or no frame, and never reaches the core', async () => {
    const { target, calls } = spyTarget();
    registerIpc(target);
    for (const method of methodNames) {
      for (const frame of FOREIGN_FRAMES) {
        const result = (await handler(method)(eventFrom(frame), {})) as Result<unknown>;
        expect(result, `${method} from ${String(frame)}`).toMatchObject({
          ok: false,
          error: { code: 'forbidden_sender' },
        });
      }
    }
    expect(calls).toEqual([]);
    // Each refusal is logged, by method only.
    expect(logLines.length).toBe(methodNames.length * FOREIGN_FRAMES.length);
    expect(logLines[0]).toMatch(/WARN ipc: [a-z]+:[a-zA-Z]+: refused a call from a foreign frame$/);
  });

  it('refuses arbitrary sender URLs other than app://cadence', async () => {
    const { target, calls } = spyTarget();
    registerIpc(target);
    const status = handler('app:status');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.webUrl(), fc.string()), async (url) => {
        fc.pre(!/^app:\/\/cadence(?:[/?#]|$)/i.test(url));
        const result = (await status(eventFrom(url), {})) as Result<unknown>;
        expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      }),
      { numRuns: 100 },
    );
    expect(calls).toEqual([]);
  });

  it('passes calls from Cadence’s own page, and in development only from the dev server’s origin', async () => {
    const { target, calls } = spyTarget();
    registerIpc(target, 'http://localhost:5173/');
    await handler('app:status')(eventFrom(APP_ENTRY_URL), {});
    await handler('settings:get')(eventFrom('http://localhost:5173/index.html#/review'), {});
    const other = (await handler('settings:get')(
      eventFrom('http://localhost:5174/'),
      {},
    )) as Result<unknown>;
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(calls.map((c) => c.method)).toEqual(['app:status', 'settings:get']);
  });

  it('answers malformed input from Cadence’s page with invalid_input naming the field', async () => {
    const host = await ownHost();
    registerIpc(host);
    const cases: readonly [Method, unknown, string][] = [
      ['bookings:get', { id: 'seven' }, 'input.id'],
      ['bookings:get', { id: -1 }, 'input.id'],
      ['bookings:list', { limit: 1_000_000 }, 'input.limit'],
      ['bookings:list', { filter: { from: '2026-13-45x' } }, 'input.filter.from'],
      ['secrets:set', { name: 'calcom', value: '   ' }, 'input.value'],
      ['secrets:set', { name: 'db-key', value: 'x' }, 'input.name'],
      ['secrets:delete', { name: '../db-key' }, 'input.name'],
      ['settings:set', { 'advisor.emails': 'not a list' }, 'input.advisor.emails'],
      ['settings:set', { 'no.such.setting': 1 }, 'no.such.setting'],
      ['sync:run', { sources: ['gmail'] }, 'input.sources'],
      ['sources:connect', { source: 'calcom' }, 'input.key'],
      ['contacts:search', { query: '' }, 'input.query'],
      ['changes:approve', { ids: [] }, 'input'],
      ['reports:export', { format: 'exe', from: '2026-01-01', to: '2026-02-01' }, 'input.format'],
      ['reports:export', { format: 'csv', from: '2026-03-01', to: '2026-02-01' }, 'input.to'],
      ['webhooks:calendlySubscribe', { url: 'http://insecure.example/hook' }, 'input.url'],
      ['app:status', { extra: true }, 'input'],
      // The host's own methods (they switch and delete data folders) are checked too.
      ['demo:start', { folder: '/' }, 'input'],
      ['demo:reset', [], 'input'],
      ['demo:exit', 'now', 'input'],
    ];
    for (const [method, input, field] of cases) {
      const result = (await handler(method)(eventFrom(APP_ENTRY_URL), input)) as Result<unknown>;
      expect(result, `${method} ${JSON.stringify(input)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
      if (!result.ok) {
        expect(result.error.message.startsWith(`${method}: `)).toBe(true);
        expect(result.error.message, method).toContain(field);
      }
    }
    expect(demoStarts, 'a malformed demo call must not start the demo').toEqual([]);
  });

  it('answers invalid_input for any non-object input, on every method', async () => {
    const host = await ownHost();
    registerIpc(host);
    const junk = fc.oneof(
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.anything(), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methodNames), junk, async (method, input) => {
        const result = (await handler(method)(eventFrom(APP_ENTRY_URL), input)) as Result<unknown>;
        expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }),
      { numRuns: 300 },
    );
    expect(demoStarts).toEqual([]);
  });

  it('answers an unknown method with unknown_method (the host is only reached through the contract)', async () => {
    const host = await ownHost();
    expect(await host.invoke('secrets:get', { name: 'calcom' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
  });
});

describe('the loopback bridge (test-only front door for Playwright)', () => {
  async function bridge() {
    const rendererDir = tempDir('cadence-renderer-');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head></head></html>');
    const dataDir = tempDir('cadence-bridge-');
    const started = await startBridge({ dataDir, rendererDir });
    const secrets = new KeychainSecretStore();
    const profile = started.core.current().context.profile;
    closers.push(async () => {
      await started.close();
      for (const name of secretNames) await secrets.delete(`${profile.profileId}:${name}`);
      await secrets.delete(`${profile.profileId}:db-key`);
    });
    const url = new URL(started.url);
    return { origin: url.origin, token: url.searchParams.get('token')!, port: url.port };
  }

  /** Opens the bridge socket; resolves with the first answer, or with how the server refused. */
  function connect(
    port: string,
    options: Readonly<{ token?: string; origin?: string }>,
  ): Promise<{ opened: boolean; answer?: unknown }> {
    const query = options.token === undefined ? '' : `?token=${options.token}`;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/__bridge${query}`, {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    return new Promise((done) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ id: 1, method: 'app:status', input: {} }));
      });
      socket.on('message', (data) => {
        done({ opened: true, answer: JSON.parse(String(data)) });
        socket.close();
      });
      socket.on('error', () => done({ opened: false }));
      socket.on('close', () => done({ opened: false }));
    });
  }

  it('serves its own page’s socket, and refuses a foreign Origin, no Origin or a wrong token', async () => {
    const { origin, token, port } = await bridge();
    const own = await connect(port, { token, origin });
    expect(own.opened).toBe(true);
    expect(own.answer).toMatchObject({ id: 1, result: { ok: true } });

    for (const foreign of [
      'https://evil.example',
      'http://localhost:' + port,
      'null',
      'file://',
      `http://127.0.0.1:${Number(port) + 1}`,
    ]) {
      expect(await connect(port, { token, origin: foreign }), foreign).toEqual({ opened: false });
    }
    expect(await connect(port, { token }), 'no Origin').toEqual({ opened: false });
    expect(await connect(port, { origin }), 'no token').toEqual({ opened: false });
    expect(
      await connect(port, { origin, token: token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
    ).toEqual({
      opened: false,
    });
  });

  it('does not serve the page or the bridge script without the token', async () => {
    const { origin, token } = await bridge();
    expect((await fetch(`${origin}/`)).status).toBe(403);
    expect((await fetch(`${origin}/__bridge.js`)).status).toBe(403);
    expect((await fetch(`${origin}/__bridge.js?token=${token}x`)).status).toBe(403);
    expect((await fetch(`${origin}/?token=${token}`)).status).toBe(200);
  });
});
