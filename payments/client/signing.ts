import { createSign, createVerify } from 'node:crypto';

/**
 * Alipay open-API signing (opendocs.alipay.com/common/02kf5q, "自行实现签名"): every request parameter except
 * `sign` whose value is not empty, sorted by key in ASCII order, joined as `key=value` with `&`, signed with
 * SHA256withRSA (sign_type RSA2) under the application's private key, base64. The same content rule, with
 * `sign` and `sign_type` removed, is how an asynchronous notification is verified with Alipay's public key.
 */
export function signContent(params: Readonly<Record<string, string | undefined>>, exclude: readonly string[] = ['sign']): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function signRsa2(content: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKeyPem, 'base64');
}

/** False for a bad signature, a malformed one, or a key that cannot verify: never throws. */
export function verifyRsa2(content: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(content, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}
