// Electron main entry: wires the shell, the core and IPC. Everything else lives in modules that
// never import electron, so the CLI and tests run them as they are.
import { join } from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { createAppHost, type AppHost } from './host';
import { fileSink, setLogSink } from './log';
import { electronSqliteBinding } from './native';
import { KeychainSecretStore } from './secrets/secret-store';
import { forwardEvents, registerIpc } from './ipc';
import {
  createAppWindow,
  installGlobalGuards,
  registerAppScheme,
  serveAppProtocol,
} from './shell/electron-shell';

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

let host: AppHost | null = null;

async function start(): Promise<void> {
  const dataDir = process.env.CADENCE_DATA_DIR ?? app.getPath('userData');
  setLogSink(fileSink(join(dataDir, 'logs', 'cadence.log')), 'info');
  installGlobalGuards();
  serveAppProtocol(join(import.meta.dirname, '../renderer'));

  const nativeBinding = electronSqliteBinding(
    app.getAppPath(),
    process.versions.electron,
    app.isPackaged ? process.resourcesPath : undefined,
  );
  host = await createAppHost({
    dataDir,
    secrets: new KeychainSecretStore(),
    nativeBinding,
    sessionSecretsOk: true,
    receiver: true,
    startDemoWorld: async (o) => (await import('./demo/start-world')).startDemoWorld(o),
  });
  registerIpc(host, devServerUrl);

  const open = () => {
    const window = createAppWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      devServerUrl,
    });
    const stop = forwardEvents(host!, window);
    window.on('closed', stop);
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void host?.close());

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    dialog.showErrorBox('Cadence could not start', (error as Error).message ?? String(error));
    app.quit();
  });
