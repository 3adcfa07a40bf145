import { createHmac } from 'node:crypto';

/**
 * The Jiangsu CSB gateway (Alibaba-style) in front of the platform: four `_api_*` headers and a fifth,
 * `_api_signature` = Base64(HMAC-SHA1(secretKey, "k=v&k=v…")) over the other four sorted by key. The body is
 * not signed (nhsa-interface.md §1, from the Jiangsu clients S1/S2).
 */
export interface CsbCredentials {
  apiName: string;
  apiVersion: string;
  accessKey: string;
  secretKey: string;
  /** S2 sends epoch milliseconds, S1 seconds; milliseconds unless the gateway rejects them. */
  timestampUnit?: 'ms' | 's';
}

export type CsbHeaders = Record<'_api_name' | '_api_version' | '_api_access_key' | '_api_timestamp' | '_api_signature', string>;

/** The string that is signed: the four `_api_*` parameters sorted by key, joined as k=v&k=v. */
export function csbCanonicalString(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function csbSignature(secretKey: string, canonical: string): string {
  return createHmac('sha1', secretKey).update(canonical, 'utf8').digest('base64');
}

export function csbHeaders(credentials: CsbCredentials, now: Date): CsbHeaders {
  const ms = now.getTime();
  const params = {
    _api_access_key: credentials.accessKey,
    _api_name: credentials.apiName,
    _api_timestamp: String(credentials.timestampUnit === 's' ? Math.floor(ms / 1000) : ms),
    _api_version: credentials.apiVersion,
  };
  for (const [k, v] of Object.entries(params)) {
    // Header values go out as-is; a CR/LF or non-Latin-1 character would be a header injection or a crash.
    if (!/^[\x20-\x7e]*$/.test(v)) throw new RangeError(`CSB ${k} must be printable ASCII`);
  }
  return { ...params, _api_signature: csbSignature(credentials.secretKey, csbCanonicalString(params)) };
}
