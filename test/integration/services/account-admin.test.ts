import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountList, AccountView } from '../../../contract/dto/accounts.ts';
import type { TerminalStatus } from '../../../contract/dto/status.ts';
import { credentialsOf, startHarness, type Harness } from './harness.ts';

/**
 * Account administration on a whole terminal (the real dispatcher and role table, accounts in the encrypted
 * store, the sandbox platform for 9001): only a signed-in supervisor reaches it; an account the supervisor
 * adds signs in only after setting its own password; the configuration's accounts keep their roles.
 */
describe('account administration at a staff terminal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'admission' });
  }, 60_000);
  afterAll(() => h?.close());

  const code = async (method: string, args: unknown = {}) => (await h.callError('accounts', method, args)).code;

  it('nobody, a clerk, a cashier and a technician are refused every action', async () => {
    expect(await code('list')).toBe('NOT_SIGNED_IN');
    for (const no of ['2001', '3001', '5001'] as const) {
      await h.call('operator', 'signIn', credentialsOf(no));
      expect([no, await code('list')]).toEqual([no, 'FORBIDDEN']);
      expect([no, await code('add', { opterNo: 'X1', name: '某人', roles: ['supervisor'], password: 'Good-pass-1' })]).toEqual([no, 'FORBIDDEN']);
      expect([no, await code('setRoles', { opterNo: no, roles: ['supervisor'] })]).toEqual([no, 'FORBIDDEN']);
    }
    expect(h.terminal.parts.store.accounts.get('X1')).toBeNull();
  });

  it('a supervisor adds an account; its first sign-in sets its own password; the list shows the sign-in', async () => {
    await h.call('operator', 'signIn', credentialsOf('4001'));
    const added = await h.call<AccountView>('accounts', 'add', { opterNo: 'K21', name: '周登记', roles: ['clerk'], password: 'First-2026x' });
    expect(added).toMatchObject({ opterNo: 'K21', state: 'active', mustChangePassword: true, source: 'cli', rolesEditable: true });
    expect((await h.callError('operator', 'signIn', { opterNo: 'K21', password: 'First-2026x' })).code).toBe('PASSWORD_CHANGE_REQUIRED');
    await h.call('operator', 'changePassword', { opterNo: 'K21', password: 'First-2026x', newPassword: 'Own-pass-2026' });
    await h.call('operator', 'signIn', { opterNo: 'K21', password: 'Own-pass-2026' });
    expect((await h.call<TerminalStatus>('system', 'status')).operator).toMatchObject({ opterNo: 'K21', roles: ['clerk'] });

    await h.call('operator', 'signIn', credentialsOf('4001'));
    const list = await h.call<AccountList>('accounts', 'list');
    expect(list.self).toBe('4001');
    expect(list.accounts.find((a) => a.opterNo === 'K21')).toMatchObject({ mustChangePassword: false, lastSignInAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
    // Configured accounts keep the configuration's roles (it rewrites them at every start); passwords may be reset.
    expect(list.accounts.find((a) => a.opterNo === '2001')).toMatchObject({ source: 'config', rolesEditable: false });
    expect(await code('setRoles', { opterNo: '2001', roles: ['cashier'] })).toBe('ACCOUNT_STATE');
    expect(await code('setDisabled', { opterNo: '4001', disabled: true })).toBe('ACCOUNT_STATE');
    expect(await code('add', { opterNo: 'K21', name: '重复', roles: ['clerk'], password: 'Good-pass-1' })).toBe('ACCOUNT_EXISTS');
    expect(await code('add', { opterNo: 'K22', name: '弱密码', roles: ['clerk'], password: 'abcdefgh' })).toBe('PASSWORD_REJECTED');
    expect(await code('unlock', { opterNo: 'NOBODY' })).toBe('ACCOUNT_NOT_FOUND');
    // A malformed 工号 never reaches the service.
    expect(await code('add', { opterNo: '工号', name: '某人', roles: ['clerk'], password: 'Good-pass-1' })).toBe('INVALID_ARGUMENT');
  });

  it('every change is in the audit chain under the supervisor, and no password or hash is in the log or the chain', () => {
    const audit = h.terminal.parts.store.audit.list({});
    expect(audit.find((e) => e.action === 'operator.account-added' && e.subject === 'operator:K21')).toMatchObject({ actor: 'opter:4001' });
    expect(audit.filter((e) => e.action === 'operator.admin-refused').map((e) => e.actor)).toEqual(expect.arrayContaining(['opter:4001']));
    expect(h.terminal.parts.store.audit.verify()).toMatchObject({ ok: true });
    const text = h.logLines.join('\n') + JSON.stringify(audit);
    expect(text).not.toMatch(/scrypt\$|First-2026x|Own-pass-2026|Good-pass-1|abcdefgh/);
  });
});
