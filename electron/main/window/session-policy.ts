import type { Session } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';

export type PolicySession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Every scheme the renderer could use to reach the network; app:// and data:/blob: are not among them. */
export const BLOCKED_URL_PATTERNS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

/**
 * The renderer session's policy. Electron grants every permission by default (checklist item 5): here every
 * request (camera, geolocation, notifications, HID/serial/USB pickers, …) is refused and every check answers
 * false; devices are reached by the main process through node-hid and serialport, never by the page.
 * The page also gets no network: everything it needs comes through window.kiosk, so http(s)/ws(s) requests
 * from any web contents in this session are cancelled (the main process's own HTTP is unaffected).
 */
export function applySessionPolicy(session: PolicySession, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission-denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: BLOCKED_URL_PATTERNS }, (details, callback) => {
    log.warn('network-request-blocked', { scheme: safeScheme(details.url), resourceType: details.resourceType });
    callback({ cancel: true });
  });
}

function safeScheme(url: string): string {
  const i = url.indexOf(':');
  return i > 0 && i < 10 ? url.slice(0, i) : '(unknown)';
}
