import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * Supervisors (主管) who may reverse a settlement (2305). Configured as `{ opterNo, name, passwordHash }`
 * with the password stored only as a scrypt hash: `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`. Make one with
 * `hashSupervisorPassword` (or `kiosk supervisor-hash`). Checks take the same time whether or not the number
 * exists, and repeated failures lock the number for a while.
 */
export interface SupervisorRecord {
  opterNo: string;
  name: string;
  passwordHash: string;
}

export interface SupervisorDirectory {
  list(): readonly SupervisorRecord[];
}

export const staticSupervisors = (records: readonly SupervisorRecord[]): SupervisorDirectory => ({ list: () => records });

const N = 16_384;
const R = 8;
const P = 1;
const KEY_LEN = 32;

export function hashSupervisorPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function verifyHash(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0) || n > 1 << 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  const actual = scryptSync(password.normalize('NFKC'), salt, expected.length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/** A hash nobody's password matches: unknown numbers cost the same scrypt as known ones. */
const DUMMY = hashSupervisorPassword(randomBytes(16).toString('hex'));

export type SupervisorCheck = { ok: true; supervisor: SupervisorRecord } | { ok: false; reason: 'unknown-or-wrong' | 'locked'; retryAfterSeconds?: number };

export class SupervisorGate {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly directory: SupervisorDirectory,
    private readonly now: () => number,
    private readonly policy = { maxFailures: 5, windowMs: 10 * 60_000, lockMs: 10 * 60_000 },
  ) {}

  check(opterNo: string, password: string): SupervisorCheck {
    const t = this.now();
    const recent = (this.failures.get(opterNo) ?? []).filter((at) => t - at < Math.max(this.policy.windowMs, this.policy.lockMs));
    if (recent.length >= this.policy.maxFailures) {
      const last = recent[recent.length - 1]!;
      if (t - last < this.policy.lockMs) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((this.policy.lockMs - (t - last)) / 1000) };
    }
    const record = this.directory.list().find((s) => s.opterNo === opterNo);
    const good = verifyHash(password, record?.passwordHash ?? DUMMY) && record !== undefined;
    if (good) {
      this.failures.delete(opterNo);
      return { ok: true, supervisor: record };
    }
    recent.push(t);
    this.failures.set(opterNo, recent);
    return { ok: false, reason: 'unknown-or-wrong' };
  }
}

/**
 * Demo mode only (config.demo): supervisor SUP01 “演示主管”, password 123456. Never used outside demo mode,
 * where an unconfigured terminal has no supervisors and every reversal is refused.
 */
export const DEMO_SUPERVISORS: readonly SupervisorRecord[] = [
  {
    opterNo: 'SUP01',
    name: '演示主管',
    passwordHash: 'scrypt$16384$8$1$ZGVtby1zdXBlcnZpc29y$lAkSoIff1BXqpcJ8FkwKuF0VifNxwndEvjJAynhS+Rk=',
  },
];
