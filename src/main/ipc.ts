// Electron IPC front door (Electron-only file): every contract method is registered once; each call
// checks the sender frame, then goes to the core, which parses the input and returns a result.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { methodNames } from '../shared/contract';
import { fail } from '../shared/result';
import type { CoreListener } from './core/core';
import { createLogger } from './log';
import { isTrustedSenderUrl } from './shell/policy';

const log = createLogger('ipc');

/** What IPC needs from the app: the host (or, in tests, anything that answers invoke). */
export type IpcTarget = Readonly<{
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe?(listener: CoreListener): () => void;
}>;

export function registerIpc(core: IpcTarget, devServerUrl?: string): void {
  for (const method of methodNames) {
    ipcMain.handle(method, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSenderUrl(event.senderFrame?.url, devServerUrl)) {
        log.warn(`${method}: refused a call from a foreign frame`);
        return fail('forbidden_sender', 'This request did not come from Cadence’s own window.');
      }
      return core.invoke(method, input);
    });
  }
}

/** Forwards core events to a window as `cadence:event` messages (payload only, never the event). */
export function forwardEvents(target: Required<IpcTarget>, window: BrowserWindow): () => void {
  return target.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send('cadence:event', event, payload);
  });
}
