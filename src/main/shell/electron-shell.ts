// The Electron shell (Electron-only file): one window factory, global navigation and permission
// guards, the app:// protocol, and the single way to open a link outside the app.
import { readFile } from 'node:fs/promises';
import { app, BrowserWindow, protocol, session, shell, type WebContents } from 'electron';
import { createLogger } from '../log';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  externalUrlAllowed,
  mimeTypeFor,
  resolveAppAsset,
} from './policy';

const log = createLogger('shell');

/** Must run before app 'ready': app:// behaves like a standard, secure origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

/** Serves the built renderer from rendererDir over app://cadence/, with the CSP on every response. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    };
    if (request.method !== 'GET')
      return new Response('Method not allowed', { status: 405, headers });
    const file = resolveAppAsset(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { ...headers, 'Content-Type': mimeTypeFor(file) } });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  });
}

/** The only caller of shell.openExternal: https and mailto links, nothing else. */
export async function openExternalSafe(raw: string): Promise<boolean> {
  const url = externalUrlAllowed(raw);
  if (!url) {
    log.warn('refused to open a link with a scheme other than https or mailto');
    return false;
  }
  await shell.openExternal(url.toString());
  return true;
}

function guardContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(url);
    return { action: 'deny' };
  });
}

/** Applies the guards to every web contents ever created, and denies every permission request. */
export function installGlobalGuards(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export type WindowOptions = Readonly<{ preloadPath: string; devServerUrl?: string }>;

/** The one window factory. */
export function createAppWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Cadence',
    backgroundColor: '#f7f7f5',
    // Written out here, not built by a helper, so static checkers (Electronegativity) see them.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click would otherwise open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: process.env.NODE_ENV === 'development',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devServerUrl ?? APP_ENTRY_URL);
  return window;
}
