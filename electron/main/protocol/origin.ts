/**
 * The renderer's origin: app://kiosk. A custom privileged scheme instead of file:// (Electron security
 * checklist item 18): the page gets a real origin, a CSP from our own response headers, and nothing on disk
 * outside dist/renderer is reachable from it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is on our origin. Compared by parsed protocol and host, never by string prefix
 * ("app://kiosk.evil/" starts with "app://kiosk"). Node's URL gives custom schemes an opaque origin ("null"),
 * so `new URL(u).origin` cannot be used here.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '' && parsed.port === '';
}
