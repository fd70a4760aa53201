// The Electron shell with a recording stand-in for the electron module (the binary is not available
// on build machines): the window factory's webPreferences and every guard it installs.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const recorded = vi.hoisted(() => ({
  windows: [] as { options: Record<string, unknown>; loaded: string | null }[],
  appHandlers: new Map<string, (...args: unknown[]) => void>(),
  permissionRequest: null as null | ((...args: unknown[]) => void),
  permissionCheck: null as null | ((...args: unknown[]) => boolean),
  opened: [] as string[],
  ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class BrowserWindow extends Emitter {
    record: { options: Record<string, unknown>; loaded: string | null };
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, loaded: null };
      recorded.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.loaded = url;
      return Promise.resolve();
    }
    show() {}
  }
  return {
    BrowserWindow,
    app: {
      on: (name: string, fn: (...args: unknown[]) => void) => recorded.appHandlers.set(name, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...args: unknown[]) => void) =>
          (recorded.permissionRequest = fn),
        setPermissionCheckHandler: (fn: (...args: unknown[]) => boolean) =>
          (recorded.permissionCheck = fn),
      },
    },
    shell: { openExternal: (url: string) => (recorded.opened.push(url), Promise.resolve()) },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: {
      handle: (name: string, fn: (...args: unknown[]) => unknown) =>
        recorded.ipcHandlers.set(name, fn),
    },
  };
});

const { createAppWindow, installGlobalGuards, openExternalSafe } = await import('./electron-shell');

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
    this.openHandler = fn;
  }
}

function dispatch(contents: FakeContents, name: string) {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
  contents.emit(name, event, 'https://evil.example/');
  return event.defaultPrevented;
}

beforeEach(() => {
  recorded.windows.length = 0;
  recorded.opened.length = 0;
});

describe('createAppWindow', () => {
  it('creates the window with the secure webPreferences and loads the app origin', () => {
    createAppWindow({ preloadPath: '/x/preload/index.cjs' });
    const [window] = recorded.windows;
    expect(window?.options.webPreferences).toMatchObject({
      preload: '/x/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(
      (window?.options.webPreferences as Record<string, unknown>).enableBlinkFeatures,
    ).toBeUndefined();
    expect(window?.loaded).toBe('app://cadence/index.html');
  });
});

describe('installGlobalGuards', () => {
  it('blocks navigation, redirects, webviews and window.open on every web contents', async () => {
    installGlobalGuards();
    const contents = new FakeContents();
    recorded.appHandlers.get('web-contents-created')?.({}, contents);
    expect(dispatch(contents, 'will-navigate')).toBe(true);
    expect(dispatch(contents, 'will-redirect')).toBe(true);
    expect(dispatch(contents, 'will-attach-webview')).toBe(true);
    expect(contents.openHandler?.({ url: 'https://cal.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(recorded.opened).toEqual(['https://cal.com/']);
  });

  it('denies every permission request and check', () => {
    installGlobalGuards();
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      recorded.permissionRequest?.({}, permission, (granted: boolean) => answers.push(granted));
      answers.push(recorded.permissionCheck?.({}, permission) ?? true);
    }
    expect(answers.every((a) => a === false)).toBe(true);
  });
});

describe('openExternalSafe', () => {
  it('opens https and mailto only', async () => {
    expect(await openExternalSafe('https://tidycal.com')).toBe(true);
    expect(await openExternalSafe('mailto:help@example.com')).toBe(true);
    expect(await openExternalSafe('http://tidycal.com')).toBe(false);
    expect(await openExternalSafe('javascript:alert(1)')).toBe(false);
    expect(recorded.opened).toEqual(['https://tidycal.com/', 'mailto:help@example.com']);
  });
});

describe('registerIpc', () => {
  it('refuses a call from a foreign frame and passes the app frame through to the core', async () => {
    const { registerIpc } = await import('../ipc');
    const calls: unknown[] = [];
    const core = {
      invoke: async (method: string, input: unknown) => {
        calls.push([method, input]);
        return { ok: true, value: 'ran' };
      },
    };
    registerIpc(core as never);
    const handler = recorded.ipcHandlers.get('app:status')!;
    const foreign = await handler({ senderFrame: { url: 'https://evil.example/' } }, {});
    expect(foreign).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'forbidden_sender' }),
    });
    const none = await handler({ senderFrame: null }, {});
    expect(none).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(calls).toEqual([]);
    const own = await handler({ senderFrame: { url: 'app://cadence/index.html' } }, {});
    expect(own).toEqual({ ok: true, value: 'ran' });
    expect(calls).toEqual([['app:status', {}]]);
  });
});
