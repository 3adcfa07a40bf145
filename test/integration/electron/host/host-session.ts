import { WebSocket as WsWebSocket } from 'ws';

/** What a browser holds after opening a launch link: the session cookie and the page's origin. */
export interface HostSession {
  origin: string;
  cookie: string;
}

/** Opens a one-time launch link the way a browser does, and keeps the cookie it sets. */
export async function signIn(launchUrl: string): Promise<HostSession> {
  const res = await fetch(launchUrl, { redirect: 'manual' });
  const setCookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !setCookie) throw new Error(`launch link refused: HTTP ${res.status}`);
  return { origin: new URL(launchUrl).origin, cookie: setCookie.split(';')[0]! };
}

/** A WebSocket constructor for createWebSocketClient that presents a session as our page would. */
export function webSocketFor(session: HostSession | { origin?: string; cookie?: string }): typeof WebSocket {
  class SessionWebSocket extends WsWebSocket {
    constructor(url: string | URL) {
      super(url, { ...(session.origin ? { origin: session.origin } : {}), headers: session.cookie ? { cookie: session.cookie } : {} });
    }
  }
  return SessionWebSocket as unknown as typeof WebSocket;
}
