import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The Jiangsu CSB gateway check (nhsa-interface.md §1): `_api_signature` = Base64(HMAC-SHA1(secretKey,
 * "k=v&k=v…")) over `_api_access_key`, `_api_name`, `_api_timestamp`, `_api_version` sorted by key. The
 * body is not signed. The sandbox verifies it when the fixtures give a secret for the access key.
 */
const SIGNED = ['_api_access_key', '_api_name', '_api_timestamp', '_api_version'] as const;

export function csbSign(secretKey: string, params: Record<(typeof SIGNED)[number], string>): string {
  const canonical = [...SIGNED].sort().map((k) => `${k}=${params[k]}`).join('&');
  return createHmac('sha1', secretKey).update(canonical, 'utf8').digest('base64');
}

export type CsbVerdict = { ok: true } | { ok: false; reason: string };

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export function verifyCsb(headers: IncomingHttpHeaders, csb: { required: boolean; secrets: ReadonlyMap<string, string> }): CsbVerdict {
  const present = Object.keys(headers).some((k) => k.startsWith('_api_'));
  if (!present) return csb.required ? { ok: false, reason: 'CSB网关：缺少_api_签名头' } : { ok: true };
  const params = {} as Record<(typeof SIGNED)[number], string>;
  for (const k of SIGNED) {
    const v = header(headers, k);
    if (v === undefined) return { ok: false, reason: `CSB网关：缺少${k}` };
    params[k] = v;
  }
  const signature = header(headers, '_api_signature');
  if (signature === undefined) return { ok: false, reason: 'CSB网关：缺少_api_signature' };
  const secret = csb.secrets.get(params._api_access_key);
  if (secret === undefined) return csb.required ? { ok: false, reason: 'CSB网关：未知的访问密钥' } : { ok: true };
  const expected = Buffer.from(csbSign(secret, params));
  const got = Buffer.from(signature);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return { ok: false, reason: 'CSB网关：签名校验失败' };
  return { ok: true };
}
