import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KioskError } from '../../../../contract/errors.ts';
import { openStore, type Store } from '../../../../db/store.ts';
import type { PlatformClient } from '../../../../insurance/client/platform-client.ts';
import { loadConfig } from '../../../../services/config/load.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import { AccountRefused, Accounts } from '../../../../services/operator/accounts.ts';
import { AccountAdmin, type AdminActor } from '../../../../services/operator/account-admin.ts';
import { accountsGroup } from '../../../../services/operator/accounts-group.ts';
import { Operators } from '../../../../services/operator/operators.ts';
import { hashPassword, verifyPassword } from '../../../../services/security/passwords.ts';

/**
 * Account administration (services/operator/account-admin.ts): each action, each refusal, the audit rows, and
 * the KioskApi group that takes the acting supervisor from the session. The role table's refusal before the
 * service is in test/unit/contract/access.test.ts; the screen in test/unit/renderer/account-admin.test.tsx.
 */
const IT: AdminActor = { kind: 'it', actor: 'cli:it' };
const SUP: AdminActor = { kind: 'supervisor', opterNo: 'S01' };
const CALL = { transport: 'memory' as const };
/** scrypt costs ~50 ms: the set-up's passwords are hashed once. */
const HASH = { S01: hashPassword('Sup-one-2026'), C01: hashPassword('Clerk-2026!') };

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store with one supervisor S01 and one clerk C01, both added at this terminal (source cli). */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-account-admin-'));
  dirs.push(dir);
  let now = new Date('2026-11-24T01:00:00Z'); // 09:00 China time
  const store = openStore(join(dir, 's.sqlite'), { fixmedinsCode: 'H32020000001', clock: { now: () => now } });
  stores.push(store);
  const accounts = new Accounts(store, () => now.getTime());
  store.write((tx) => {
    store.accounts.put(tx, { opterNo: 'S01', name: '刘主管', roles: ['supervisor'], passwordHash: HASH.S01, mustChange: false, disabled: false, source: 'cli', configHash: null, passwordChangedAt: null });
    store.accounts.put(tx, { opterNo: 'C01', name: '张护士', roles: ['clerk'], passwordHash: HASH.C01, mustChange: false, disabled: false, source: 'cli', configHash: null, passwordChangedAt: null });
  });
  const admin = new AccountAdmin(accounts);
  const audit = () => store.audit.list({});
  return { store, accounts, admin, audit, setNow: (d: Date) => (now = d) };
}

const refusal = (fn: () => unknown): string | null => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AccountRefused) return e.reason;
    throw e;
  }
  return null;
};

describe('account administration', () => {
  it('lists every account with its state in words the screen needs; never a hash', () => {
    const { admin, accounts, store } = setup();
    for (let i = 0; i < 5; i++) accounts.check('C01', `wrong-${i}`, 'sign-in');
    store.write((tx) => store.accounts.recordSignIn(tx, 'S01'));
    const list = admin.list(SUP);
    expect(list).toEqual([
      { opterNo: 'C01', name: '张护士', roles: ['clerk'], state: 'locked', lockedUntil: '2026-11-24 09:15:00', hasPassword: true, mustChangePassword: false, source: 'cli', lastSignInAt: null, rolesEditable: true },
      { opterNo: 'S01', name: '刘主管', roles: ['supervisor'], state: 'active', lockedUntil: null, hasPassword: true, mustChangePassword: false, source: 'cli', lastSignInAt: '2026-11-24 09:00:00', rolesEditable: true },
    ]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('adds an account with an initial password it must change at first sign-in; audited under the supervisor, without the password', () => {
    const { admin, accounts, audit } = setup();
    const added = admin.add(SUP, { opterNo: 'K07', name: ' 王收费 ', roles: ['cashier', 'clerk', 'cashier'], password: 'Initial-2026', mustChange: false });
    // From the screen the operator always sets their own password first.
    expect(added).toMatchObject({ opterNo: 'K07', name: '王收费', roles: ['clerk', 'cashier'], state: 'active', mustChangePassword: true, source: 'cli' });
    expect(verifyPassword('Initial-2026', accounts.get('K07')!.passwordHash)).toBe(true);
    expect(audit().at(-1)).toMatchObject({ actor: 'opter:S01', action: 'operator.account-added', subject: 'operator:K07' });
    expect(JSON.stringify(audit())).not.toMatch(/Initial-2026|scrypt\$/);
  });

  it('refuses a duplicate 工号, a weak password, a bad 工号 and no role; each refusal is audited and nothing is written', () => {
    const { admin, accounts, audit } = setup();
    expect(refusal(() => admin.add(SUP, { opterNo: 'C01', name: '另一人', roles: ['clerk'], password: 'Good-pass-1', mustChange: true }))).toBe('duplicate');
    expect(accounts.get('C01')!.name).toBe('张护士');
    for (const weak of ['short1!', '12345678', 'abcdefgh', 'K08-pass-1']) {
      expect(refusal(() => admin.add(SUP, { opterNo: 'K08', name: '李四', roles: ['clerk'], password: weak, mustChange: true })), weak).toBe('weak-password');
    }
    expect(refusal(() => admin.add(SUP, { opterNo: '工号1', name: '李四', roles: ['clerk'], password: 'Good-pass-1', mustChange: true }))).toBe('invalid');
    expect(refusal(() => admin.add(SUP, { opterNo: 'K08', name: '李四', roles: [], password: 'Good-pass-1', mustChange: true }))).toBe('invalid');
    expect(accounts.get('K08')).toBeNull();
    const refused = audit().filter((e) => e.action === 'operator.admin-refused');
    expect(refused.map((e) => (e.detail as { reason: string }).reason)).toEqual(['duplicate', 'weak-password', 'weak-password', 'weak-password', 'weak-password', 'invalid', 'invalid']);
    expect(refused.every((e) => e.actor === 'opter:S01')).toBe(true);
    expect(JSON.stringify(audit())).not.toMatch(/Good-pass-1|short1!|12345678/);
  });

  it('changes roles (audited from → to), disables and enables; the change applies to sign-in at once', () => {
    const { admin, accounts, audit } = setup();
    expect(admin.setRoles(SUP, 'C01', ['technician', 'clerk'])).toMatchObject({ roles: ['clerk', 'technician'] });
    expect(audit().at(-1)).toMatchObject({ actor: 'opter:S01', action: 'operator.roles-changed', subject: 'operator:C01', detail: { from: ['clerk'], to: ['clerk', 'technician'] } });
    expect(admin.setDisabled(SUP, 'C01', true)).toMatchObject({ state: 'disabled' });
    expect(accounts.check('C01', 'Clerk-2026!', 'sign-in')).toMatchObject({ ok: false });
    expect(admin.setDisabled(SUP, 'C01', false)).toMatchObject({ state: 'active' });
    expect(accounts.check('C01', 'Clerk-2026!', 'sign-in')).toMatchObject({ ok: true });
    expect(audit().map((e) => e.action)).toEqual(expect.arrayContaining(['operator.disabled', 'operator.enabled']));
  });

  it('resets a password: the operator must change it at next sign-in, and the lockout is lifted', () => {
    const { admin, accounts, audit } = setup();
    for (let i = 0; i < 5; i++) accounts.check('C01', `wrong-${i}`, 'sign-in');
    expect(admin.list(SUP).find((a) => a.opterNo === 'C01')!.state).toBe('locked');
    expect(admin.resetPassword(SUP, 'C01', 'Reset-2026x')).toMatchObject({ state: 'active', mustChangePassword: true });
    expect(accounts.check('C01', 'Reset-2026x', 'sign-in')).toMatchObject({ ok: true, account: { mustChange: true } });
    expect(audit().find((e) => e.action === 'operator.password-set')).toMatchObject({ actor: 'opter:S01', subject: 'operator:C01', detail: { mustChange: true } });
    // A supervisor cannot spare the operator the change; IT's `--keep` can.
    expect(admin.resetPassword(IT, 'C01', 'Kept-2026xy', false)).toMatchObject({ mustChangePassword: false });
    expect(refusal(() => admin.resetPassword(SUP, 'C01', 'abc'))).toBe('weak-password');
    expect(JSON.stringify(audit())).not.toMatch(/Reset-2026x|Kept-2026xy|scrypt\$/);
  });

  it('unlocks a locked-out account, audited under the supervisor', () => {
    const { admin, accounts, audit } = setup();
    for (let i = 0; i < 5; i++) accounts.check('C01', `wrong-${i}`, 'sign-in');
    expect(admin.unlock(SUP, 'C01')).toMatchObject({ wasLocked: true, account: { state: 'active' } });
    expect(accounts.check('C01', 'Clerk-2026!', 'sign-in')).toMatchObject({ ok: true });
    expect(audit().find((e) => e.action === 'operator.unlocked')).toMatchObject({ actor: 'opter:S01', subject: 'operator:C01' });
    expect(admin.unlock(SUP, 'C01').wasLocked).toBe(false);
  });

  it('refuses an unknown account for every change', () => {
    const { admin } = setup();
    expect(refusal(() => admin.setRoles(SUP, 'NOPE', ['clerk']))).toBe('unknown-account');
    expect(refusal(() => admin.setDisabled(SUP, 'NOPE', true))).toBe('unknown-account');
    expect(refusal(() => admin.resetPassword(SUP, 'NOPE', 'Good-pass-1'))).toBe('unknown-account');
    expect(refusal(() => admin.unlock(SUP, 'NOPE'))).toBe('unknown-account');
  });

  it('a supervisor unlocks accounts only; IT may clear a lockout earned by typing a 工号 that is no account', () => {
    const { admin, accounts, audit } = setup();
    for (let i = 0; i < 5; i++) accounts.check('7777', `wrong-${i}`, 'sign-in');
    expect(refusal(() => admin.unlock(SUP, '7777'))).toBe('unknown-account');
    expect(accounts.lockOf('7777')).not.toBeNull();
    expect(audit().filter((e) => e.action === 'operator.unlocked')).toEqual([]);
    expect(admin.unlock(IT, '7777')).toEqual({ account: null, wasLocked: true });
    expect(accounts.lockOf('7777')).toBeNull();
  });

  it('refuses anyone who is not an enabled supervisor now, for every action, audited', () => {
    const { admin, audit } = setup();
    const clerk: AdminActor = { kind: 'supervisor', opterNo: 'C01' };
    const ghost: AdminActor = { kind: 'supervisor', opterNo: 'GONE' };
    for (const by of [clerk, ghost]) {
      expect(refusal(() => admin.list(by))).toBe('not-a-supervisor');
      expect(refusal(() => admin.add(by, { opterNo: 'K09', name: '赵六', roles: ['supervisor'], password: 'Good-pass-1', mustChange: true }))).toBe('not-a-supervisor');
      expect(refusal(() => admin.setRoles(by, 'C01', ['supervisor']))).toBe('not-a-supervisor');
      expect(refusal(() => admin.setDisabled(by, 'S01', true))).toBe('not-a-supervisor');
      expect(refusal(() => admin.resetPassword(by, 'S01', 'Good-pass-1'))).toBe('not-a-supervisor');
      expect(refusal(() => admin.unlock(by, 'S01'))).toBe('not-a-supervisor');
    }
    expect(audit().filter((e) => e.action === 'operator.admin-refused' && e.actor === 'opter:C01')).toHaveLength(6);
    // A supervisor demoted a moment ago is a supervisor no more.
    admin.add(IT, { opterNo: 'S02', name: '钱主管', roles: ['supervisor'], password: 'Sup-two-2026', mustChange: false });
    admin.setRoles({ kind: 'supervisor', opterNo: 'S02' }, 'S01', ['cashier']);
    expect(refusal(() => admin.list(SUP))).toBe('not-a-supervisor');
  });

  it('never leaves the terminal without a supervisor: the last one is not disabled or demoted, by a supervisor or by IT', () => {
    const { admin, accounts } = setup();
    expect(refusal(() => admin.setRoles(SUP, 'S01', ['cashier']))).toBe('last-supervisor');
    expect(refusal(() => admin.setDisabled(IT, 'S01', true))).toBe('last-supervisor');
    expect(refusal(() => admin.setRoles(IT, 'S01', ['clerk']))).toBe('last-supervisor');
    expect(accounts.get('S01')).toMatchObject({ roles: ['supervisor'], disabled: false });
    // A second supervisor without a password cannot sign in: it does not count.
    admin.add(IT, { opterNo: 'S02', name: '钱主管', roles: ['supervisor'], password: null, mustChange: false });
    expect(refusal(() => admin.setRoles(SUP, 'S01', ['cashier']))).toBe('last-supervisor');
    // With a password it does: now S01 may step down (keeping other roles), and S02 becomes the last.
    admin.resetPassword(IT, 'S02', 'Sup-two-2026');
    expect(admin.setRoles(SUP, 'S01', ['cashier', 'clerk']).roles).toEqual(['clerk', 'cashier']);
    expect(refusal(() => admin.setDisabled(IT, 'S02', true))).toBe('last-supervisor');
  });

  it('a supervisor cannot disable their own account', () => {
    const { admin } = setup();
    admin.add(IT, { opterNo: 'S02', name: '钱主管', roles: ['supervisor'], password: 'Sup-two-2026', mustChange: false });
    expect(refusal(() => admin.setDisabled(SUP, 'S01', true))).toBe('own-account');
    expect(admin.setDisabled({ kind: 'supervisor', opterNo: 'S02' }, 'S01', true).state).toBe('disabled');
  });

  it('leaves roles and state of configured and demo accounts to their source (it rewrites them at every start); their passwords may be reset', () => {
    const { admin, accounts } = setup();
    accounts.sync('config', [{ opterNo: 'CF1', name: '配置账号', roles: ['cashier'], passwordHash: HASH.C01 }], 'system:config');
    accounts.sync('demo', [{ opterNo: 'D01', name: '演示', roles: ['clerk'], passwordHash: HASH.C01 }], 'system:demo');
    for (const no of ['CF1', 'D01']) {
      expect(refusal(() => admin.setRoles(SUP, no, ['supervisor']))).toBe('managed-elsewhere');
      expect(refusal(() => admin.setDisabled(SUP, no, true))).toBe('managed-elsewhere');
      expect(admin.resetPassword(SUP, no, 'Reset-2026x').mustChangePassword).toBe(true);
    }
    expect(admin.list(SUP).filter((a) => !a.rolesEditable).map((a) => a.opterNo)).toEqual(['CF1', 'D01']);
  });
});

describe('the accounts group (the screen’s way in)', () => {
  function terminal() {
    const s = setup();
    const { config } = loadConfig({ env: { KIOSK_MODE: 'discharge', KIOSK_DEMO: 'false' } });
    const platform = { ensureSignedIn: async () => ({ sign_no: 'SN1', day: '2026-11-24' }), signOut: async () => ({}) } as unknown as PlatformClient;
    const ops = new Operators({ config, clock: { now: () => new Date('2026-11-24T01:00:00Z') }, log: memoryLogger(), store: s.store, platform }, s.accounts);
    const group = accountsGroup(s.admin, ops);
    return { ...s, ops, group };
  }
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e as KioskError).code);

  it('acts as the signed-in supervisor, whatever the request says; refuses a clerk in the service itself', async () => {
    const { ops, group, audit } = terminal();
    expect(await codeOf(group.list({}, CALL))).toBe('FORBIDDEN');
    await ops.group().signIn({ opterNo: 'C01', password: 'Clerk-2026!' }, CALL);
    // Past the role table (as a transport bug or a direct call would be): the service refuses on its own.
    expect(await codeOf(group.add({ opterNo: 'K10', name: '孙七', roles: ['supervisor'], password: 'Good-pass-1' }, CALL))).toBe('FORBIDDEN');
    expect(await codeOf(group.setRoles({ opterNo: 'C01', roles: ['supervisor'] }, CALL))).toBe('FORBIDDEN');
    await ops.group().signIn({ opterNo: 'S01', password: 'Sup-one-2026' }, CALL);
    const list = await group.list({}, CALL);
    expect(list.self).toBe('S01');
    expect(list.accounts.find((a) => a.opterNo === 'S01')!.lastSignInAt).toBe('2026-11-24 09:00:00');
    await group.add({ opterNo: 'K10', name: '孙七', roles: ['cashier'], password: 'Good-pass-1' }, CALL);
    expect(audit().at(-1)).toMatchObject({ actor: 'opter:S01', action: 'operator.account-added' });
  });

  it('answers each refusal with its code and Chinese words', async () => {
    const { ops, group } = terminal();
    await ops.group().signIn({ opterNo: 'S01', password: 'Sup-one-2026' }, CALL);
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as KioskError);
    expect(await err(group.add({ opterNo: 'C01', name: '重复', roles: ['clerk'], password: 'Good-pass-1' }, CALL))).toMatchObject({ code: 'ACCOUNT_EXISTS', message: '工号 C01 已存在。' });
    expect(await err(group.add({ opterNo: 'K11', name: '弱', roles: ['clerk'], password: '1234' }, CALL))).toMatchObject({ code: 'PASSWORD_REJECTED', message: '密码至少8位。' });
    expect(await err(group.setRoles({ opterNo: 'S01', roles: ['cashier'] }, CALL))).toMatchObject({ code: 'ACCOUNT_STATE', message: expect.stringContaining('唯一可登录的主管') });
    expect(await err(group.setDisabled({ opterNo: 'S01', disabled: true }, CALL))).toMatchObject({ code: 'ACCOUNT_STATE', message: '不能停用当前登录的本人账号。' });
    expect(await err(group.unlock({ opterNo: 'NOPE' }, CALL))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(await err(group.resetPassword({ opterNo: 'NOPE', password: 'Good-pass-1' }, CALL))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('a supervisor who takes away their own role loses the screen at once (the status bar is told)', async () => {
    const { ops, group, admin } = terminal();
    admin.add(IT, { opterNo: 'S02', name: '钱主管', roles: ['supervisor'], password: 'Sup-two-2026', mustChange: false });
    await ops.group().signIn({ opterNo: 'S01', password: 'Sup-one-2026' }, CALL);
    let told = 0;
    ops.onChange(() => told++);
    await group.setRoles({ opterNo: 'S01', roles: ['cashier'] }, CALL);
    expect(told).toBe(1);
    expect(ops.statusView()?.roles).toEqual(['cashier']);
    expect(await codeOf(group.list({}, CALL))).toBe('FORBIDDEN');
  });
});
