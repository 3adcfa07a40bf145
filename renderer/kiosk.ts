import type { KioskApi } from '../contract/api.ts';
import { createWebSocketClient } from '../contract/transports/websocket.ts';

declare global {
  interface Window {
    /** Present under Electron (the preload exposes it); absent in a plain browser, where we connect to the host. */
    kiosk?: KioskApi;
  }
}

/**
 * The renderer's only way out: window.kiosk under Electron, or the same KioskApi over the browser host's
 * WebSocket, authorised by the per-launch token the host put in this page's URL.
 */
export function connectKiosk(): KioskApi {
  if (window.kiosk) return window.kiosk;
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const url = `ws://${window.location.host}/kiosk?token=${encodeURIComponent(token)}`;
  return createWebSocketClient({ url });
}
