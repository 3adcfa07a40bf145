import { maskCertNo, maskName } from '../../contract/mask.ts';

// Keys whose values are personal data wherever they appear in a logged object (national and domain names).
const NAME_KEYS = new Set(['name', 'psn_name', 'patientName', 'displayName', 'coner_name', 'nameExt', 'chfpdr_name']);
const NUMBER_KEYS = new Set(['certno', 'ssn', 'cardNo', 'mdtrt_cert_no', 'idNo', 'certNo', 'tel', 'phone', 'cardSn', 'card_sn', 'pin', 'secretKey', 'iReadCardBas', 'psn_no', 'psnNo']);
// Keys whose values are secrets: never logged, not even masked (passwords and their hashes, the 医保电子凭证 token,
// session and launch tokens).
const SECRET_KEYS = new Set(['password', 'supervisorPassword', 'newPassword', 'passwordHash', 'ecToken', 'ec_token', 'token', 'authorization', 'Authorization', 'cookie', 'launchToken', 'sessionToken']);
// The national person number (psn_no) in free text: 20 digits at least (it is never shorter than the ID number).
const PSN_NO_IN_TEXT = /(?<![0-9A-Za-z])\d{19,30}(?![0-9A-Za-z])/g;
// 18-digit resident ID numbers (last may be X) and 15-digit legacy ones, anywhere in free text.
const ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;

/** Returns a copy safe to log: personal fields masked, ID numbers in any string masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (typeof value === 'string') return value.replace(ID_IN_TEXT, (m) => maskCertNo(m)).replace(PSN_NO_IN_TEXT, (m) => maskCertNo(m));
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactError(value, depth);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(k) && v !== null && v !== undefined) out[k] = '***';
    else if (typeof v === 'string' && NAME_KEYS.has(k)) out[k] = maskName(v);
    else if (typeof v === 'string' && NUMBER_KEYS.has(k)) out[k] = k.toLowerCase().includes('password') || k === 'pin' || k === 'secretKey' ? '***' : maskCertNo(v);
    else out[k] = redact(v, depth + 1);
  }
  return out;
}

/**
 * An error as a log needs it to find the cause: name, message, SQLite's or Node's code, the first stack frames,
 * and its cause chain (a KioskError wrapping an SqliteError says both). Text is redacted like any other.
 */
function redactError(err: Error, depth: number): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  const stack = typeof err.stack === 'string' ? err.stack.split('\n').slice(1, 6).map((l) => l.trim()) : undefined;
  return {
    error: err.name,
    message: redact(err.message, depth + 1),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(stack ? { stack: redact(stack, depth + 1) } : {}),
    ...(err.cause !== undefined ? { cause: redact(err.cause, depth + 1) } : {}),
  };
}
