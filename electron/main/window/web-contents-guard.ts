import type { App, Event, WebContents } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';

/** The slice of WebContents the guard touches (fakes in tests implement just this). */
export type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Limits what any web contents can do on its own (Electron checklist 11–14): no renderer-initiated navigation
 * at all (the renderer is a single page; main loads what it must with loadURL, which is not a will-navigate),
 * no new windows, no <webview>. Applied to every web contents the app creates, including the hidden print
 * windows, through app 'web-contents-created'.
 */
export function guardWebContents(contents: GuardedContents, log: Logger): void {
  contents.on('will-navigate', (event: Event, url: string) => {
    event.preventDefault();
    log.warn('navigation-denied', { url: describeUrl(url) });
  });
  contents.on('will-redirect', (event: Event, url: string) => {
    event.preventDefault();
    log.warn('redirect-denied', { url: describeUrl(url) });
  });
  contents.on('will-attach-webview', (event: Event) => {
    event.preventDefault();
    log.warn('webview-denied');
  });
  contents.setWindowOpenHandler((details) => {
    log.warn('new-window-denied', { url: describeUrl(details.url) });
    return { action: 'deny' };
  });
}

export function guardAllWebContents(app: Pick<App, 'on'>, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));
}

/** Scheme and host only: a query string may carry personal data, and the log does not need it. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? '/…' : ''}`;
  } catch {
    return '(unparseable)';
  }
}
