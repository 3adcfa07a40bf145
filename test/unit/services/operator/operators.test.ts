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
import { Accounts } from '../../../../services/operator/accounts.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';

/** Hashed once (scrypt costs ~50 ms each): a clerk, a cashier, a supervisor, a technician. */
const PASSWORDS = { '1001': 'hs-1001-pw', '0002': 'sf-0002-pw', SUP01: 'zg-sup-pw', '9001': 'js-9001-pw' } as const;
const SPECS = [
  { opterNo: '1001', name: '张护士', roles: ['clerk' as const], passwordHash: hashPassword(PASSWORDS['1001']) },
  { opterNo: '0002', name: '王收费', roles: ['cashier' as const], passwordHash: hashPassword(PASSWORDS['0002']) },
  { opterNo: 'SUP01', name: '刘主管', roles: ['supervisor' as const], passwordHash: hashPassword(PASSWORDS.SUP01) },
  { opterNo: '9001', name: '李工程师', roles: ['technician' as const], passwordHash: hashPassword(PASSWORDS['9001']) },
];
const CALL = { transport: 'memory' as const };

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

function setup(mode: 'admission' | 'self-service' | 'discharge', behaviour: { offline?: boolean; dir?: string } = {}) {
  const dir = behaviour.dir ?? mkdtempSync(join(tmpdir(), 'kiosk-operator-'));
  if (!behaviour.dir) dirs.push(dir);
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
  const { config } = loadConfig({ env: { KIOSK_MODE: mode, KIOSK_DEMO: 'false' } });
  const accounts = new Accounts(store, () => now.getTime());
  accounts.sync('config', SPECS, 'test');
  const ops = new Operators({ config, clock: { now: () => now }, log: memoryLogger(), store, platform }, accounts);
  const signIn = (opterNo: keyof typeof PASSWORDS | string, password?: string) =>
    ops.group().signIn({ opterNo, password: password ?? PASSWORDS[opterNo as keyof typeof PASSWORDS] ?? 'x' }, CALL);
  return { ops, calls, store, accounts, dir, signIn, setNow: (d: Date) => (now = d), now: () => now };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as KioskError).code;
  }
  return null;
};
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as KioskError);

describe('operators', () => {
  it('staff modes need a sign-in with 工号 and password before any platform call goes out', async () => {
    const { ops, calls, store, signIn } = setup('admission');
    expect(codeOf(() => ops.current())).toBe('NOT_SIGNED_IN');
    expect(ops.principal()).toEqual({ kind: 'nobody' });
    const r = await signIn('1001');
    expect(r).toEqual({ opterNo: '1001', name: '张护士', roles: ['clerk'], signNo: 'SN1' });
    expect(calls).toEqual(['9001 1001 1']);
    expect(ops.current()).toEqual({ opter: '1001', opter_name: '张护士', opter_type: '1' });
    expect(ops.staff()).toEqual({ opterNo: '1001', name: '张护士' });
    expect(ops.principal()).toEqual({ kind: 'operator', opterNo: '1001', roles: ['clerk'] });
    expect(store.operators.operator('1001')?.name).toBe('张护士');
    expect(store.audit.list({ subject: 'operator:1001' }).map((e) => e.action)).toContain('operator.sign-in');
  });

  it('a wrong password, an unknown 工号 and a disabled account get the same answer, and nothing signs in', async () => {
    const { ops, calls, accounts, signIn } = setup('admission');
    accounts.setDisabled('0002', true, 'test');
    const wrong = await errorOf(signIn('1001', 'not-the-password'));
    const unknown = await errorOf(signIn('7777', 'whatever-pw'));
    const disabled = await errorOf(signIn('0002'));
    for (const e of [wrong, unknown, disabled]) expect(e).toMatchObject({ code: 'SIGN_IN_FAILED', message: '工号或密码不正确。' });
    expect(new Set([wrong, unknown, disabled].map((e) => JSON.stringify(e!.toDto()))).size).toBe(1);
    expect(calls).toEqual([]);
    expect(ops.staff()).toBeNull();
  });

  it('five failures lock the 工号 until a time, in the store: a restart does not lift it; a supervisor does', async () => {
    const first = setup('admission');
    for (let i = 0; i < 4; i++) await errorOf(first.signIn('1001', `bad-${i}`));
    const fifth = await errorOf(first.signIn('1001', 'bad-4'));
    expect(fifth).toMatchObject({ code: 'ACCOUNT_LOCKED', message: '密码错误次数过多，该工号已锁定至 09:15。' });
    expect(await errorOf(first.signIn('1001'))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // An unknown 工号 locks the same way: the lock does not tell which numbers exist.
    for (let i = 0; i < 5; i++) await errorOf(first.signIn('7777', `bad-${i}`));
    expect(await errorOf(first.signIn('7777', 'x'))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const audit = first.store.audit.list({ subject: 'operator:1001' }).map((e) => e.action);
    expect(audit.filter((a) => a === 'operator.sign-in-failed')).toHaveLength(5);
    expect(audit).toContain('operator.locked');
    expect(JSON.stringify(first.store.audit.list({}))).not.toMatch(/bad-\d|hs-1001-pw/);

    // Restart: the same store, a new terminal.
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);
    const again = setup('admission', { dir: first.dir });
    expect(await errorOf(again.signIn('1001'))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    // A clerk cannot lift it; a supervisor's own credentials do.
    expect(await errorOf(again.ops.group().unlockAccount({ opterNo: '1001', supervisorNo: '0002', supervisorPassword: PASSWORDS['0002'] }, CALL))).toMatchObject({ code: 'SUPERVISOR_REQUIRED' });
    expect(await again.ops.group().unlockAccount({ opterNo: '1001', supervisorNo: 'SUP01', supervisorPassword: PASSWORDS.SUP01 }, CALL)).toEqual({ wasLocked: true });
    expect(await again.signIn('1001')).toMatchObject({ opterNo: '1001' });
    expect(again.store.audit.list({ subject: 'operator:1001' }).map((e) => e.action)).toContain('operator.unlocked');
  });

  it('a lock ends by itself after 15 minutes', async () => {
    const { signIn, setNow, now } = setup('admission');
    for (let i = 0; i < 5; i++) await errorOf(signIn('1001', `bad-${i}`));
    setNow(new Date(now().getTime() + 15 * 60_000 + 1));
    expect(await signIn('1001')).toMatchObject({ opterNo: '1001' });
  });

  it('an account whose password was reset must set a new one first; the rule is enforced', async () => {
    const { ops, accounts, signIn } = setup('admission');
    accounts.setPassword('1001', 'Temp-2026x', { mustChange: true, actor: 'cli:it' });
    expect(await errorOf(signIn('1001', 'Temp-2026x'))).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(ops.staff()).toBeNull();
    expect(await errorOf(ops.group().changePassword({ opterNo: '1001', password: 'Temp-2026x', newPassword: '12345678' }, CALL))).toMatchObject({ code: 'PASSWORD_REJECTED' });
    expect(await errorOf(ops.group().changePassword({ opterNo: '1001', password: 'wrong-one', newPassword: 'New-pass-1' }, CALL))).toMatchObject({ code: 'SIGN_IN_FAILED' });
    await ops.group().changePassword({ opterNo: '1001', password: 'Temp-2026x', newPassword: 'New-pass-1' }, CALL);
    expect(await signIn('1001', 'New-pass-1')).toMatchObject({ opterNo: '1001' });
  });

  it('a desk locked at idle refuses everything until the operator’s own password; another operator may sign in instead', async () => {
    const { ops, signIn, store } = setup('discharge');
    await signIn('0002');
    await ops.group().lock({}, CALL);
    expect(ops.principal()).toEqual({ kind: 'locked', opterNo: '0002' });
    expect(ops.statusView()).toMatchObject({ opterNo: '0002', locked: true });
    expect(await errorOf(ops.group().unlock({ password: PASSWORDS['1001'] }, CALL))).toMatchObject({ code: 'SIGN_IN_FAILED', message: '密码不正确。' });
    expect(ops.principal().kind).toBe('locked');
    await ops.group().unlock({ password: PASSWORDS['0002'] }, CALL);
    expect(ops.principal()).toEqual({ kind: 'operator', opterNo: '0002', roles: ['cashier'] });
    await ops.group().lock({}, CALL);
    await signIn('SUP01');
    expect(ops.principal()).toEqual({ kind: 'operator', opterNo: 'SUP01', roles: ['supervisor'] });
    expect(store.audit.list({ subject: 'operator:0002' }).map((e) => e.action)).toEqual(expect.arrayContaining(['operator.desk-locked', 'operator.desk-unlock-failed', 'operator.desk-unlock', 'operator.replaced']));
  });

  it('roles are read at every request: a disabled account loses its session at once', async () => {
    const { ops, accounts, signIn } = setup('admission');
    await signIn('1001');
    accounts.setDisabled('1001', true, 'cli:it');
    expect(ops.principal()).toEqual({ kind: 'nobody' });
  });

  it('a technician signs in without 9001 (no 医保 business), also offline', async () => {
    const { ops, calls, signIn } = setup('admission', { offline: true });
    expect(await signIn('9001')).toEqual({ opterNo: '9001', name: '李工程师', roles: ['technician'], signNo: null });
    expect(calls).toEqual([]);
    expect(ops.principal()).toEqual({ kind: 'operator', opterNo: '9001', roles: ['technician'] });
  });

  it('a sign-in lasts one China calendar day', async () => {
    const { ops, setNow, signIn } = setup('discharge');
    await signIn('0002');
    setNow(new Date('2026-11-24T15:59:00Z')); // 23:59 China time
    expect(ops.staff()).not.toBeNull();
    setNow(new Date('2026-11-24T16:00:00Z')); // 00:00 next day
    expect(ops.staff()).toBeNull();
    expect(codeOf(() => ops.requireStaff())).toBe('NOT_SIGNED_IN');
  });

  it('sign-out sends 9002 and forgets the operator', async () => {
    const { ops, calls, signIn } = setup('admission');
    await signIn('1001');
    await ops.group().signOut({}, CALL);
    expect(calls).toEqual(['9001 1001 1', '9002 1001']);
    expect(ops.staff()).toBeNull();
  });

  it('the self-service terminal is its own operator (opter_type 2), runs as the patient role and has no sign-in', async () => {
    const { ops, signIn } = setup('self-service');
    expect(ops.current()).toEqual({ opter: 'ZZJ01', opter_name: '前台终端01', opter_type: '2' });
    expect(ops.principal()).toEqual({ kind: 'operator', opterNo: 'ZZJ01', roles: ['patient'] });
    await expect(signIn('1001')).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    // Nor can a patient at the kiosk try supervisor passwords or change one.
    await expect(ops.group().unlockAccount({ opterNo: '1001', supervisorNo: 'SUP01', supervisorPassword: PASSWORDS.SUP01 }, CALL)).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    await expect(ops.group().changePassword({ opterNo: '1001', password: PASSWORDS['1001'], newPassword: 'New-pass-1' }, CALL)).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
    expect(codeOf(() => ops.requireStaff())).toBe('NOT_AVAILABLE');
  });

  it('a sign-in that cannot reach the platform fails with a Chinese NOT_SIGNED_IN and leaves nobody signed in', async () => {
    const { ops, signIn } = setup('admission', { offline: true });
    const err = await errorOf(signIn('1001'));
    expect(err).toBeInstanceOf(KioskError);
    expect(err!.code).toBe('NOT_SIGNED_IN');
    expect(err!.message).toMatch(/签到失败/);
    expect(ops.staff()).toBeNull();
  });
});
