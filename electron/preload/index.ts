import { contextBridge, ipcRenderer } from 'electron';
import { buildKioskBridge } from './kiosk-bridge.ts';

// The whole preload: one object on window.kiosk. Bundled to a single file (scripts/build-electron.mjs)
// because a sandboxed preload can require nothing but 'electron'.
contextBridge.exposeInMainWorld('kiosk', buildKioskBridge(ipcRenderer));
