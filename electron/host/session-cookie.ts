import { randomBytes } from 'node:crypto';
import { tokenMatches } from './secret-equal.ts';

/** Sessions a host keeps at most (one per launch link redeemed); the oldest is signed out beyond this. */
const MAX_SESSIONS = 32;

/**
 * The browser's credential: an HttpOnly, SameSite=Strict cookie set by the one-time launch exchange. The page's
 * script never sees it (HttpOnly), another site cannot send it (SameSite=Strict; the WebSocket also checks
 * Origin), and it dies with the browser session. Cookies ignore ports, so the name carries the port: two
 * terminals on one machine (or the e2e tests' many hosts in one browser) keep separate sessions.
 */
export class BrowserSessions {
  private readonly ids: string[] = [];

  constructor(readonly port: number) {}

  get cookieName(): string {
    return `kiosk-session-${this.port}`;
  }

  /** A new session and the Set-Cookie header value that hands it to the browser. */
  open(): string {
    const id = randomBytes(32).toString('base64url');
    this.ids.push(id);
    while (this.ids.length > MAX_SESSIONS) this.ids.shift();
    return `${this.cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether a request's Cookie header carries one of this host's sessions. */
  holds(cookieHeader: string | undefined): boolean {
    const given = readCookie(cookieHeader, this.cookieName);
    return given !== null && this.ids.some((id) => tokenMatches(id, given));
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header || header.length > 8192) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
