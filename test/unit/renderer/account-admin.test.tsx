// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../contract/dto/accounts.ts';
import type { StaffRole } from '../../../contract/dto/roles.ts';
import { KioskError } from '../../../contract/errors.ts';
import { App } from '../../../renderer/app/App.tsx';
import { DeskLock } from '../../../renderer/components/DeskLock.tsx';
import { SignIn } from '../../../renderer/components/SignIn.tsx';
import { fakeKiosk, type FakeKiosk } from '../../fakes/fake-kiosk.ts';
import { pageText, renderWith } from './harness.tsx';

/**
 * The supervisor's 账号管理 tab (renderer/operator) on the fake terminal: what the list says, each form, each
 * refusal shown in the terminal's words, and that nothing is said to be done that the terminal did not answer.
 * The rules themselves are the service's (test/unit/services/operator/account-admin.test.ts).
 */
const account = (over: Partial<AccountView> & Pick<AccountView, 'opterNo' | 'name' | 'roles'>): AccountView => ({
  state: 'active',
  lockedUntil: null,
  hasPassword: true,
  mustChangePassword: false,
  source: 'cli',
  lastSignInAt: null,
  rolesEditable: true,
  ...over,
});

/** A small terminal-side world of accounts: enough rules to answer as the service would. */
function accountsWorld(roles: StaffRole[] = ['supervisor']) {
  const accounts: AccountView[] = [
    account({ opterNo: '0002', name: '王收费', roles: ['cashier'], state: 'locked', lockedUntil: '2026-11-24 14:35:00', lastSignInAt: '2026-11-24 08:01:12' }),
    account({ opterNo: '1001', name: '张护士', roles: ['clerk'], source: 'config', rolesEditable: false }),
    account({ opterNo: 'K07', name: '赵离职', roles: ['clerk'], state: 'disabled' }),
    account({ opterNo: 'SUP01', name: '刘主管', roles: ['supervisor'], lastSignInAt: '2026-11-24 09:00:00' }),
  ];
  const find = (no: string) => {
    const a = accounts.find((x) => x.opterNo === no);
    if (!a) throw new KioskError('ACCOUNT_NOT_FOUND', `没有工号为 ${no} 的账号。`, []);
    return a;
  };
  const put = (a: AccountView) => {
    const i = accounts.findIndex((x) => x.opterNo === a.opterNo);
    if (i >= 0) accounts[i] = a;
    else accounts.push(a);
    return a;
  };
  const weak = (pw: string) => {
    if (pw.length < 8) throw new KioskError('PASSWORD_REJECTED', '密码至少8位。', ['密码须为8–64位，包含字母、数字、符号中的至少两类，且不能包含工号。']);
  };
  const signIn = async ({ opterNo }: { opterNo: string }) => {
    const operator = { opterNo, name: '刘主管', roles };
    fake.setStatus({ operator });
    return { ...operator, signNo: 'S1' };
  };
  const fake: FakeKiosk = fakeKiosk(
    {
      operator: { signIn, signOut: async () => ({ ok: true as const }), demoAccounts: async () => [], lock: async () => ({ ok: true as const }) },
      discharge: { openStays: async () => [] },
      accounts: {
        list: async () => ({ accounts: [...accounts].sort((a, b) => (a.opterNo < b.opterNo ? -1 : 1)), self: 'SUP01' }),
        add: async ({ opterNo, name, roles: r, password }) => {
          if (accounts.some((a) => a.opterNo === opterNo)) throw new KioskError('ACCOUNT_EXISTS', `工号 ${opterNo} 已存在。`, []);
          weak(password);
          return put(account({ opterNo, name, roles: r, mustChangePassword: true }));
        },
        setRoles: async ({ opterNo, roles: r }) => {
          if (opterNo === 'SUP01' && !r.includes('supervisor')) throw new KioskError('ACCOUNT_STATE', '刘主管（SUP01）是本终端唯一可登录的主管，不能停用或取消其主管角色。', ['请先为另一位操作员添加主管角色（并设置密码），再修改该账号。']);
          return put({ ...find(opterNo), roles: r });
        },
        setDisabled: async ({ opterNo, disabled }) => put({ ...find(opterNo), state: disabled ? 'disabled' : 'active' }),
        resetPassword: async ({ opterNo, password }) => {
          weak(password);
          return put({ ...find(opterNo), state: find(opterNo).state === 'disabled' ? 'disabled' : 'active', lockedUntil: null, mustChangePassword: true });
        },
        unlock: async ({ opterNo }) => put({ ...find(opterNo), state: 'active', lockedUntil: null }),
      },
    },
    { mode: 'discharge', demo: false },
  );
  return { fake, accounts };
}

async function signInAndOpenAccounts(fake: FakeKiosk) {
  await screen.findByTestId('start-discharge');
  fireEvent.change(screen.getByLabelText('工号'), { target: { value: 'SUP01' } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'zg-sup-pw' } });
  fireEvent.submit(screen.getByTestId('sign-in'));
  fireEvent.click(await screen.findByTestId('tab-accounts'));
  await screen.findByTestId('account-list');
  expect(fake.callsTo('accounts.list')).toHaveLength(1);
}

/** The confirmation line says this (once the terminal has answered). */
const says = (text: string) => waitFor(() => expect(screen.getByTestId('account-said').textContent).toBe(text));
const row = (no: string) => screen.getByTestId(`account-${no}`);
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label, { exact: true }), { target: { value } });

describe('账号管理 (supervisor)', () => {
  it('lists every account with its 工号, 姓名, roles in Chinese, state in words and last sign-in; never a password', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    const cells = (no: string) => [...row(no).querySelectorAll('td')].slice(0, 6).map((td) => td.textContent);
    expect(cells('0002')).toEqual(['0002', '王收费', '收费员', '已锁定（至 14:35）', '2026年11月24日 08:01', '本机添加']);
    expect(cells('1001')).toEqual(['1001', '张护士', '入院登记员', '正常', '从未登录', '配置文件']);
    expect(cells('K07')).toEqual(['K07', '赵离职', '入院登记员', '已停用', '从未登录', '本机添加']);
    expect(cells('SUP01')).toEqual(['SUP01', '刘主管（本人）', '主管', '正常', '2026年11月24日 09:00', '本机添加']);
    expect(pageText()).not.toMatch(/active|locked|disabled|supervisor|cashier|undefined|null/);
  });

  it('adds an account: the form checks what it can, shows the terminal’s refusal in its words, then confirms from the answer', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    fireEvent.click(screen.getByTestId('add-account-open'));
    const form = await screen.findByTestId('add-account');
    expect(document.activeElement).toBe(screen.getByLabelText('工号'));
    type('工号', 'K21');
    type('姓名', '周登记');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe('请至少勾选一个角色。');
    fireEvent.click(screen.getByLabelText('入院登记员'));
    fireEvent.click(screen.getByLabelText('收费员'));
    type('初始密码', 'Start-2026');
    type('再次输入初始密码', 'Start-2062');
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe('两次输入的初始密码不一致。');
    expect(fake.callsTo('accounts.add')).toEqual([]);
    // The terminal refuses a weak password: its words, and the typed passwords are cleared.
    type('初始密码', 'short');
    type('再次输入初始密码', 'short');
    fireEvent.submit(form);
    await within(form).findByText('密码至少8位。');
    expect((screen.getByLabelText('初始密码') as HTMLInputElement).value).toBe('');
    type('初始密码', 'Start-2026');
    type('再次输入初始密码', 'Start-2026');
    // Enter on a ticked checkbox submits, as in a text field.
    fireEvent.keyDown(screen.getByLabelText('收费员'), { key: 'Enter' });
    await says('已添加 周登记（K21），角色：入院登记员、收费员。首次登录时须设置自己的密码。');
    expect(fake.callsTo('accounts.add').at(-1)).toEqual({ opterNo: 'K21', name: '周登记', roles: ['clerk', 'cashier'], password: 'Start-2026' });
    expect(screen.getByTestId('account-detail').textContent).toContain('初始密码，下次登录时须修改');
    // Esc back to the list: the new account is in it, and its row has the focus.
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('account-list');
    expect(row('K21').textContent).toContain('正常，待改密码');
    expect(document.activeElement).toBe(within(row('K21')).getByRole('button'));
  });

  it('a duplicate 工号 is refused in the terminal’s words and nothing is added', async () => {
    const { fake, accounts } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    fireEvent.click(screen.getByTestId('add-account-open'));
    type('工号', '1001');
    type('姓名', '又一个');
    fireEvent.click(screen.getByLabelText('技术员'));
    type('初始密码', 'Start-2026');
    type('再次输入初始密码', 'Start-2026');
    fireEvent.submit(screen.getByTestId('add-account'));
    await screen.findByText('工号 1001 已存在。');
    expect(screen.queryByTestId('account-said')).toBeNull();
    expect(accounts.filter((a) => a.opterNo === '1001')).toHaveLength(1);
  });

  it('unlocks a locked account, resets a password, disables and enables; Esc steps back one level at a time', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    fireEvent.click(within(row('0002')).getByRole('button', { name: '管理 王收费（0002）' }));
    expect(screen.getByTestId('account-state').textContent).toBe('已锁定（至 14:35）');
    fireEvent.click(screen.getByRole('button', { name: '解除锁定' }));
    await says('已解除 王收费（0002）的锁定。');
    expect(screen.getByTestId('account-state').textContent).toBe('正常');
    expect(screen.queryByRole('button', { name: '解除锁定' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '重置密码' }));
    const reset = await screen.findByTestId('account-reset-password');
    expect(document.activeElement).toBe(screen.getByLabelText('初始密码'));
    // Esc cancels the form, back to the account (not the list).
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('account-detail');
    fireEvent.click(screen.getByRole('button', { name: '重置密码' }));
    type('初始密码', 'Reset-2026x');
    type('再次输入初始密码', 'Reset-2026x');
    fireEvent.submit(await screen.findByTestId('account-reset-password'));
    await says('已重置 王收费（0002）的密码；下次登录时须设置自己的密码。');
    expect(reset.isConnected).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: '停用' }));
    const confirm = await screen.findByTestId('account-disable');
    expect(document.activeElement?.textContent).toBe('确认停用（Enter）');
    expect(fake.callsTo('accounts.setDisabled')).toEqual([]);
    fireEvent.submit(confirm);
    await says('已停用 王收费（0002）：该工号不能再登录。');
    fireEvent.click(screen.getByRole('button', { name: '启用' }));
    await says('已启用 王收费（0002）。');
    expect(fake.callsTo('accounts.setDisabled')).toEqual([
      { opterNo: '0002', disabled: true },
      { opterNo: '0002', disabled: false },
    ]);
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('account-list');
    expect(row('0002').textContent).toContain('正常');
    // Back at the list, it is read again (a lockout may have started meanwhile).
    await waitFor(() => expect(fake.callsTo('accounts.list')).toHaveLength(2));
  });

  it('changing roles: the last supervisor’s refusal is shown in the terminal’s words and the roles stay', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    fireEvent.click(within(row('SUP01')).getByRole('button'));
    // One's own account has no 停用.
    expect(screen.queryByRole('button', { name: '停用' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '修改角色' }));
    const form = await screen.findByTestId('account-roles');
    expect((screen.getByLabelText('主管') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText('主管'));
    fireEvent.submit(form);
    expect(within(form).getByRole('alert').textContent).toBe('请至少勾选一个角色。');
    fireEvent.click(screen.getByLabelText('收费员'));
    fireEvent.submit(form);
    await within(form).findByText(/唯一可登录的主管/);
    expect(within(form).getByTestId('error').textContent).toContain('请先为另一位操作员添加主管角色');
    fireEvent.keyDown(window, { key: 'Escape' });
    await screen.findByTestId('account-detail');
    expect(screen.getByTestId('account-detail').textContent).toContain('主管');
    expect(screen.queryByTestId('account-said')).toBeNull();
  });

  it('a configured account: no role change or 停用 here, said why; its password may be reset', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    fireEvent.click(within(row('1001')).getByRole('button'));
    const detail = await screen.findByTestId('account-detail');
    expect(detail.textContent).toContain('该账号由终端配置文件管理');
    expect(within(detail).queryByRole('button', { name: '修改角色' })).toBeNull();
    expect(within(detail).queryByRole('button', { name: '停用' })).toBeNull();
    expect(document.activeElement).toBe(within(detail).getByRole('button', { name: '重置密码' }));
  });

  it('↓/↑ move between the rows’ 管理 buttons', async () => {
    const { fake } = accountsWorld();
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    const buttons = within(screen.getByTestId('account-list')).getAllByRole('button');
    buttons[0]!.focus();
    fireEvent.keyDown(buttons[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(buttons[1]);
    fireEvent.keyDown(buttons[1]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(buttons[0]);
  });

  it('not offered to a cashier', async () => {
    const cashier = accountsWorld(['cashier']);
    renderWith(cashier.fake, <App />);
    await screen.findByTestId('start-discharge');
    fireEvent.change(screen.getByLabelText('工号'), { target: { value: '0002' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'sf-0002-pw' } });
    fireEvent.submit(screen.getByTestId('sign-in'));
    await screen.findByTestId('tab-discharge');
    expect(screen.queryByTestId('tab-accounts')).toBeNull();
  });

  it('the tab goes when the status says the role is gone', async () => {
    const { fake } = accountsWorld(['supervisor', 'cashier']);
    renderWith(fake, <App />);
    await signInAndOpenAccounts(fake);
    act(() => fake.setStatus({ operator: { opterNo: 'SUP01', name: '刘主管', roles: ['cashier'] } }));
    await waitFor(() => expect(screen.queryByTestId('tab-accounts')).toBeNull());
    expect(screen.queryByTestId('account-list')).toBeNull();
    expect(screen.getByTestId('tab-discharge').getAttribute('aria-current')).toBe('page');
  });
});

describe('one pair of credential fields (D8)', () => {
  it('the sign-in, 换人登录 at the idle lock and the supervisor’s unlock render the same 工号/密码 fields', async () => {
    const fake = fakeKiosk({ operator: { demoAccounts: async () => [], signIn: async () => { throw new KioskError('ACCOUNT_LOCKED', '密码错误次数过多，该工号已锁定至 14:35。', []); } } });
    const fields = (root: HTMLElement) => [...root.querySelectorAll('label')].filter((l) => l.querySelector('input')).map((l) => [l.textContent, l.querySelector('input')!.type, l.querySelector('input')!.maxLength]);
    const { unmount } = renderWith(fake, <SignIn title="入院登记" testId="start" onSignedIn={() => undefined} />);
    const signIn = fields(screen.getByTestId('sign-in'));
    expect(signIn).toEqual([
      ['工号', 'text', 20],
      ['密码', 'password', 64],
    ]);
    fireEvent.change(screen.getByLabelText('工号'), { target: { value: '1001' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'x' } });
    fireEvent.submit(screen.getByTestId('sign-in'));
    fireEvent.click(await screen.findByTestId('supervisor-unlock'));
    expect(fields(screen.getByTestId('supervisor-unlock-form'))).toEqual([
      ['主管工号', 'text', 20],
      ['主管密码', 'password', 64],
    ]);
    unmount();
    renderWith(fake, <DeskLock operator={{ opterNo: '1001', name: '张护士' }} onUnlock={() => undefined} onSwitched={() => undefined} />);
    fireEvent.click(screen.getByTestId('switch-operator'));
    expect(fields(screen.getByTestId('switch-form'))).toEqual(signIn);
    // The same check before asking the terminal: a missing password is named.
    fireEvent.change(screen.getByLabelText('工号'), { target: { value: '0002' } });
    fireEvent.submit(screen.getByTestId('switch-form'));
    expect(screen.getByRole('alert').textContent).toBe('请输入密码。');
    expect(fake.callsTo('operator.signIn')).toHaveLength(1);
  });
});
