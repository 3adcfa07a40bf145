import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Operator passwords (docs/security.md, "Operator accounts"): stored only as salted scrypt hashes,
 * `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`. scrypt is memory-hard (N=16384, r=8: 16 MiB per guess), so a
 * copied store does not give the passwords away cheaply. The one password module: sign-in, desk unlock,
 * supervisor approval, the CLI and the configuration all use it.
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const SALT_LEN = 16;

/** The shape of a stored hash (the configuration schema checks entries against it). */
export const PASSWORD_HASH_PATTERN = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/;

export function hashPassword(password: string, salt: Buffer = randomBytes(SALT_LEN)): string {
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** A hash nobody's password matches: an unknown 工号 costs the same scrypt as a known one. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

/**
 * Whether the password matches the stored hash; null (no such account, no password set) is checked against a
 * dummy hash so that the answer takes the same time either way. A malformed or absurdly costly hash is false.
 */
export function verifyPassword(password: string, stored: string | null): boolean {
  const good = check(password, stored ?? DUMMY_HASH);
  return good && stored !== null;
}

function check(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16 || salt.length < 8) return false;
  const actual = scryptSync(password.normalize('NFKC'), salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/**
 * The password rule for passwords set at this terminal (CLI, change at first sign-in): 8–64 characters, at
 * least two of letters, digits and other characters, not containing the 工号 (when one is given). Null when acceptable, else why not
 * (Chinese, shown to the operator). Hashes given by the configuration or an HIS export are not re-checked.
 */
export function passwordProblem(password: string, opterNo: string): string | null {
  if (password.length < 8) return '密码至少8位。';
  if (password.length > 64) return '密码不能超过64位。';
  const kinds = [/[A-Za-z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length;
  if (kinds < 2) return '密码须包含字母、数字、符号中的至少两类。';
  if (opterNo && password.toLowerCase().includes(opterNo.toLowerCase())) return '密码不能包含工号。';
  return null;
}
