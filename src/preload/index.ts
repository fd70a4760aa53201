// The preload is the bridge only: it exposes typed functions derived from the contract as
// window.cadence, and never ipcRenderer, shell or process.env. Listeners receive payloads only.
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi, eventNames, type EventName } from '../shared/contract';

const api = buildApi(
  (method, input) => ipcRenderer.invoke(method, input),
  (event, listener) => {
    if (!eventNames.includes(event)) return () => undefined;
    const handler = (_e: unknown, name: EventName, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('cadence:event', handler);
    return () => ipcRenderer.off('cadence:event', handler);
  },
);

contextBridge.exposeInMainWorld('cadence', api);
