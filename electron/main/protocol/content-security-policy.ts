/**
 * The renderer's Content-Security-Policy under Electron, sent as a response header by the app:// handler.
 * Stricter than the browser host's: the renderer talks to main only through window.kiosk (IPC), so it needs
 * no WebSocket and no network at all. Inline styles are allowed because React sets style attributes.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // data: for the fonts embedded in document previews (srcdoc iframes inherit this policy).
  "font-src 'self' data:",
  "media-src 'self'", // the kiosk's recorded voice prompts
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every app:// response. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}
