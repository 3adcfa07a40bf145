import type { CustomScheme, Protocol } from 'electron';
import { readStatic } from '../../host/static-files.ts';
import { securityHeaders } from './content-security-policy.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './origin.ts';

/** The built-in page shown when the crash guard gives up (see crash/out-of-service-page.ts). */
export const OUT_OF_SERVICE_PATH = '/__out-of-service';

/**
 * app:// privileges. `standard` gives the scheme real origins and relative URL resolution, `secure` makes it
 * a secure context, `supportFetchAPI` lets Vite's module scripts load. No `bypassCSP`, no `corsEnabled`, no
 * service workers. Must be registered before the app is ready.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer, inside app.asar when packaged). */
  rendererDir: string;
  /** HTML of the out-of-service page (no scripts). */
  outOfServiceHtml: () => string;
}

/** Request as Electron hands it to protocol.handle: a fetch Request plus the initiator's origin. */
type AppRequest = Request & { initiatorOrigin?: string };

/**
 * Serves the renderer bundle on app://kiosk with the CSP and security headers. Only GET/HEAD, only our host,
 * only files inside rendererDir (readStatic refuses traversal), and only for requests the browser itself
 * started (navigations) or that our own origin made.
 */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: AppRequest) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request');
    }
    if (url.host !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    if (request.initiatorOrigin !== undefined && request.initiatorOrigin !== APP_ORIGIN) return plain(403, 'Forbidden');
    if (url.pathname === OUT_OF_SERVICE_PATH) {
      return new Response(request.method === 'HEAD' ? null : options.outOfServiceHtml(), {
        status: 200,
        headers: securityHeaders('text/html; charset=utf-8'),
      });
    }
    const file = await readStatic(options.rendererDir, url.pathname);
    if (!file) return plain(404, 'Not found');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: securityHeaders(file.type) });
  };
}

/** Registers the handler on the session's protocol object (after app ready). */
export function serveApp(protocol: Pick<Protocol, 'handle'>, options: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(options));
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}
