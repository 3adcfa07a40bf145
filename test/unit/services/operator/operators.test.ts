import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskError } from '../../../../contract/errors.ts';
import { openStore, type Store } from '../../../../db/store.ts';
import type { Operator } from '../../../../insurance/client/envelope.ts';
import { PlatformUnreachableError } from '../../../../insurance/client/errors.ts';
import type { PlatformClient } from '../../../../insurance/client/platform-client.ts';
import { loadConfig } from '../../../../services/config/load.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import { Operators } from '../../../../services/operator/operators.ts';

/**
 * The operator rules on their own: the platform seam (ensureSignedIn / signOut) is a recording stand-in here;
 * the real 9001/9002 against the sandbox over HTTP are in test/integration/services/operator.test.ts.
 */
const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(mode: 'admission' | 'self-service' | 'discharge', behaviour: { offline?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-operator-'));
  dirs.push(dir);
  const store = openStore(join(dir, 's.sqlite'), { fixmedinsCode: 'H32020000001' });
  stores.push(store);
  let now = new Date('2026-11-24T01:00:00Z'); // 09:00 China time
  const calls: string[] = [];
  const platform = {
    async ensureSignedIn(op: Operator) {
      calls.push(`9001 ${op.opter} ${op.opter_type}`);
      if (behaviour.offline) throw new PlatformUnreachableError({ infno: '9001', msgid: null }, 'ECONNREFUSED');
      return { opter: op.opter, day: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10), sign_no: 'SN1', sign_time: '2026-11-24 09:00:00' };
    },
    async signOut(op: Operator) {
      calls.push(`9002 ${op.opter}`);
      return { sign_time: '2026-11-24 18:00:00' };
    },
  } as unknown as PlatformClient;
  const { config } = loadConfig({ env: { KIOSK_MODE: mode } });
  const ops = new Operators({ config, clock: { now: () => now }, log: memoryLogger(), store, platform });
  return { ops, calls, store, setNow: (d: Date) => (now = d) };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as KioskError).code;
  }
  return null;
};

describe('operators', () => {
  it('staff modes need a sign-in before any platform call goes out', async () => {
    const { ops, calls, store } = setup('admission');
    expect(codeOf(() => ops.current())).toBe('NOT_SIGNED_IN');
    const r = await ops.group().signIn({ opterNo: '1001', name: '张护士' }, { transport: 'memory' });
    expect(r).toEqual({ opterNo: '1001', name: '张护士', signNo: 'SN1' });
    expect(calls).toEqual(['9001 1001 1']);
    expect(ops.current()).toEqual({ opter: '1001', opter_name: '张护士', opter_type: '1' });
    expect(ops.staff()).toEqual({ opterNo: '1001', name: '张护士' });
    expect(store.operators.operator('1001')?.name).toBe('张护士');
  });

  it('a sign-in lasts one China calendar day', async () => {
    const { ops, setNow } = setup('discharge');
    await ops.group().signIn({ opterNo: '1001', name: '张护士' }, { transport: 'memory' });
    setNow(new Date('2026-11-24T15:59:00Z')); // 23:59 China time
    expect(ops.staff()).not.toBeNull();
    setNow(new Date('2026-11-24T16:00:00Z')); // 00:00 next day
    expect(ops.staff()).toBeNull();
    expect(codeOf(() => ops.requireStaff())).toBe('NOT_SIGNED_IN');
  });

  it('sign-out sends 9002 and forgets the operator', async () => {
    const { ops, calls } = setup('admission');
    await ops.group().signIn({ opterNo: '1001', name: '张护士' }, { transport: 'memory' });
    await ops.group().signOut({}, { transport: 'memory' });
    expect(calls).toEqual(['9001 1001 1', '9002 1001']);
    expect(ops.staff()).toBeNull();
  });

  it('the self-service terminal is its own operator (opter_type 2) and has no sign-in', async () => {
    const { ops } = setup('self-service');
    expect(ops.current()).toEqual({ opter: 'ZZJ01', opter_name: '前台终端01', opter_type: '2' });
    await expect(ops.group().signIn({ opterNo: '1001', name: 'x' }, { transport: 'memory' })).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    expect(codeOf(() => ops.requireStaff())).toBe('NOT_AVAILABLE');
  });

  it('a sign-in that cannot reach the platform fails with a Chinese NOT_SIGNED_IN and leaves nobody signed in', async () => {
    const { ops } = setup('admission', { offline: true });
    const err = await ops.group().signIn({ opterNo: '1001', name: '张护士' }, { transport: 'memory' }).catch((e: unknown) => e as KioskError);
    expect(err).toBeInstanceOf(KioskError);
    expect((err as KioskError).code).toBe('NOT_SIGNED_IN');
    expect((err as KioskError).message).toMatch(/签到失败/);
    expect(ops.staff()).toBeNull();
  });
});
