import { createHash, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import type { TerminalConfig } from './schema.ts';

/**
 * Whether a configuration body fetched from the hospital is the one the hospital published. Checked over the
 * exact bytes received, before anything is parsed: a pinned SHA-256, or a signature header
 * `X-Kiosk-Signature: ed25519=<base64>` / `hmac-sha256=<hex>`. Every configured check must pass.
 */
export type Integrity = TerminalConfig['central'];

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

function signatureOf(header: string | null, scheme: string): string | null {
  for (const part of (header ?? '').split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === scheme && v) return part.trim().slice(k.length + 1);
  }
  return null;
}

/** null when the body passes, else why it does not (English, for the log). */
export function integrityProblem(body: Buffer, signatureHeader: string | null, c: Integrity): string | null {
  if (c.sha256 !== null) {
    const actual = createHash('sha256').update(body).digest();
    if (!same(actual, Buffer.from(c.sha256, 'hex'))) return 'SHA-256 does not match the pinned value';
  }
  if (c.ed25519PublicKey !== null) {
    const sig = signatureOf(signatureHeader, 'ed25519');
    if (!sig) return 'no ed25519 signature';
    let ok = false;
    try {
      ok = verify(null, body, createPublicKey(c.ed25519PublicKey), Buffer.from(sig, 'base64'));
    } catch {
      ok = false;
    }
    if (!ok) return 'ed25519 signature does not verify';
  }
  if (c.hmacKey !== null) {
    const sig = signatureOf(signatureHeader, 'hmac-sha256');
    if (!sig) return 'no hmac-sha256 signature';
    const expected = createHmac('sha256', c.hmacKey).update(body).digest();
    if (!same(expected, Buffer.from(sig, 'hex'))) return 'hmac-sha256 signature does not verify';
  }
  return null;
}
