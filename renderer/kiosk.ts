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
 * WebSocket. The page never holds a secret: the browser sends the HttpOnly session cookie that the host's
 * one-time launch link set (electron/host/session-cookie.ts).
 */
export function connectKiosk(): KioskApi {
  if (window.kiosk) return window.kiosk;
  return createWebSocketClient({ url: `ws://${window.location.host}/kiosk` });
}
