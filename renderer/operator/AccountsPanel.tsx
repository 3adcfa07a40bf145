import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { AccountList, AccountView } from '../../contract/dto/accounts.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { useEscape } from '../app/useKeys.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { AddAccountForm, DisableConfirm, ResetPasswordForm, RolesForm, type Done } from './AccountForms.tsx';
import { lastSignInText, rolesText, SOURCE_TEXT, stateText } from './account-text.ts';

type Step = { name: 'list' } | { name: 'add' } | { name: 'account' | 'roles' | 'reset' | 'disable'; opterNo: string };

/**
 * 账号管理, a supervisor's tab (docs/security.md, "Account administration"): the accounts of this terminal and,
 * for one account, its roles, 停用/启用, a password reset and lifting a lockout. Keyboard only: Tab and ↑/↓
 * through the list, Enter opens an account or submits a form, Esc steps back. Every change is made and
 * checked by the terminal (which refuses anyone but a supervisor); the confirmation line is written from the
 * account the terminal answers, never from what was asked.
 */
export function AccountsPanel() {
  const kiosk = useKiosk();
  const [list, setList] = useState<AccountList | null>(null);
  const [step, setStep] = useState<Step>({ name: 'list' });
  /** The account whose row takes the focus when the list is shown again. */
  const [focusNo, setFocusNo] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  /** Bumped by every confirmed change: the account view is drawn afresh, its first action focused again (a 解除锁定 just pressed is gone). */
  const [changes, setChanges] = useState(0);
  const load = useAction(() => kiosk.accounts.list({}));
  const direct = useAction((fn: () => Promise<AccountView>) => fn());
  const { run } = load;
  const refresh = useCallback(() => void run().then((l) => l && setList(l)), [run]);
  useEffect(refresh, [refresh]);

  const open = (opterNo: string) => {
    setSaid(null);
    direct.clear();
    setStep({ name: 'account', opterNo });
  };
  const back = () => {
    direct.clear();
    if (step.name === 'roles' || step.name === 'reset' || step.name === 'disable') return setStep({ name: 'account', opterNo: step.opterNo });
    if (step.name === 'account') setFocusNo(step.opterNo);
    setSaid(null);
    setStep({ name: 'list' });
    // Read again: a lockout may have started (or ended) while one account was open.
    refresh();
  };
  useEscape(step.name === 'list' ? null : back);

  /** A change the terminal confirmed: the list takes the answered account, and the account is shown with the line. */
  const done: Done = (account, sentence) => {
    setList((l) => l && { ...l, accounts: upsert(l.accounts, account) });
    setSaid(sentence);
    setChanges((n) => n + 1);
    setStep({ name: 'account', opterNo: account.opterNo });
  };
  const act = async (fn: () => Promise<AccountView>, sentence: (a: AccountView) => string) => {
    const a = await direct.run(fn);
    if (a) done(a, sentence(a));
  };

  if (!list) {
    return <section className="panel" data-testid="accounts-panel">{load.error ? <ErrorNotice error={load.error} /> : <p className="muted">正在读取账号…</p>}</section>;
  }
  const account = step.name !== 'list' && step.name !== 'add' ? list.accounts.find((a) => a.opterNo === step.opterNo) : undefined;
  switch (step.name) {
    case 'add':
      return <AddAccountForm onDone={done} onCancel={back} />;
    case 'roles':
      return account ? <RolesForm account={account} onDone={done} onCancel={back} /> : null;
    case 'reset':
      return account ? <ResetPasswordForm account={account} onDone={done} onCancel={back} /> : null;
    case 'disable':
      return account ? <DisableConfirm account={account} onDone={done} onCancel={back} /> : null;
    case 'account':
      if (!account) return null;
      return (
        <section key={changes} className="panel account-detail" data-testid="account-detail" aria-labelledby="account-heading">
          <h2 id="account-heading">
            {account.name}（{account.opterNo}）
          </h2>
          {said && (
            <p className="ok-text" role="status" data-testid="account-said">
              {said}
            </p>
          )}
          <dl className="facts">
            <dt>角色</dt>
            <dd>{rolesText(account.roles)}</dd>
            <dt>状态</dt>
            <dd data-testid="account-state">{stateText(account)}</dd>
            <dt>密码</dt>
            <dd>{!account.hasPassword ? '未设置（不能登录）' : account.mustChangePassword ? '初始密码，下次登录时须修改' : '已设置'}</dd>
            <dt>来源</dt>
            <dd>{SOURCE_TEXT[account.source]}</dd>
            <dt>最近登录</dt>
            <dd>{lastSignInText(account.lastSignInAt)}</dd>
          </dl>
          {!account.rolesEditable && (
            <p className="muted">
              {account.source === 'demo' ? '演示账号的角色和状态由演示模式决定，不能在此修改。' : '该账号由终端配置文件管理：角色和停用须在配置文件中修改（终端每次启动时按配置文件写入）。'}密码可在此重置。
            </p>
          )}
          {direct.error && <ErrorNotice error={direct.error} onDismiss={direct.clear} />}
          <div className="actions">
            {account.rolesEditable && (
              <button type="button" className="secondary" autoFocus onClick={() => setStep({ name: 'roles', opterNo: account.opterNo })}>
                修改角色
              </button>
            )}
            <button type="button" className="secondary" autoFocus={!account.rolesEditable} onClick={() => setStep({ name: 'reset', opterNo: account.opterNo })}>
              重置密码
            </button>
            {account.state === 'locked' && (
              <button type="button" className="secondary" disabled={direct.busy} onClick={() => void act(() => kiosk.accounts.unlock({ opterNo: account.opterNo }), (a) => `已解除 ${a.name}（${a.opterNo}）的锁定。`)}>
                解除锁定
              </button>
            )}
            {account.rolesEditable &&
              (account.state === 'disabled' ? (
                <button type="button" className="secondary" disabled={direct.busy} onClick={() => void act(() => kiosk.accounts.setDisabled({ opterNo: account.opterNo, disabled: false }), (a) => `已启用 ${a.name}（${a.opterNo}）。`)}>
                  启用
                </button>
              ) : (
                account.opterNo !== list.self && (
                  <button type="button" className="secondary" onClick={() => setStep({ name: 'disable', opterNo: account.opterNo })}>
                    停用
                  </button>
                )
              ))}
            <button type="button" className="secondary" onClick={back}>
              返回列表（Esc）
            </button>
          </div>
        </section>
      );
    case 'list':
      return (
        <section className="panel" data-testid="accounts-panel" aria-labelledby="accounts-heading">
          <h2 id="accounts-heading">本终端的操作员账号</h2>
          <p className="muted">Tab 或 ↑/↓ 选择账号，Enter 打开，Esc 返回。每项修改都记入审计日志，记在您的工号下；全院统一的账号请由信息科通过配置文件或 HIS 导入维护。</p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => setStep({ name: 'add' })} data-testid="add-account-open">
              新增账号
            </button>
          </div>
          {load.error && <ErrorNotice error={load.error} />}
          <table className="grid account-list" data-testid="account-list">
            <thead>
              <tr>
                <th scope="col">工号</th>
                <th scope="col">姓名</th>
                <th scope="col">角色</th>
                <th scope="col">状态</th>
                <th scope="col">最近登录</th>
                <th scope="col">来源</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody onKeyDown={moveBetweenRows}>
              {list.accounts.map((a) => (
                <tr key={a.opterNo} data-state={a.state} data-testid={`account-${a.opterNo}`}>
                  <td>{a.opterNo}</td>
                  <td>
                    {a.name}
                    {a.opterNo === list.self ? '（本人）' : ''}
                  </td>
                  <td>{rolesText(a.roles)}</td>
                  <td>
                    {stateText(a)}
                    {a.state !== 'disabled' && a.mustChangePassword ? '，待改密码' : ''}
                    {a.state !== 'disabled' && !a.hasPassword ? '，未设密码' : ''}
                  </td>
                  <td>{lastSignInText(a.lastSignInAt)}</td>
                  <td>{SOURCE_TEXT[a.source]}</td>
                  <td>
                    <button type="button" className="secondary" data-manage autoFocus={a.opterNo === focusNo} aria-label={`管理 ${a.name}（${a.opterNo}）`} onClick={() => open(a.opterNo)}>
                      管理
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      );
  }
}

/** The answered account replaces its old row (or joins the list, in 工号 order). */
function upsert(accounts: AccountView[], a: AccountView): AccountView[] {
  const rest = accounts.filter((x) => x.opterNo !== a.opterNo);
  return [...rest, a].sort((x, y) => (x.opterNo < y.opterNo ? -1 : x.opterNo > y.opterNo ? 1 : 0));
}

/** ↓/↑ on a row's 管理 button moves to the next or previous row's. */
function moveBetweenRows(e: KeyboardEvent<HTMLTableSectionElement>): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-manage]')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (at < 0) return;
  e.preventDefault();
  buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
}
