import { createSign, createVerify } from 'node:crypto';

/**
 * The sandbox's own half of Alipay's RSA2 rule (sorted non-empty parameters without `sign` [and, for
 * notifications, `sign_type`], `k=v&…`, SHA256withRSA, base64). Written here again on purpose: the simulator
 * never shares code with the client it is there to test (the layering rule sandbox-never-imports-client).
 */
export function content(params: Readonly<Record<string, string>>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

export function sign(text: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKeyPem, 'base64');
}

export function verify(text: string, signature: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKeyPem, signature, 'base64');
  } catch {
    return false;
  }
}
