import { useState, type FormEvent, type ReactNode } from 'react';
import type { AccountView } from '../../contract/dto/accounts.ts';
import type { StaffRole } from '../../contract/dto/roles.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import type { ShownError } from '../app/errors.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { rolesText } from './account-text.ts';
import { RolePicker, submitOnEnter } from './RolePicker.tsx';

/** What a form hands back: the account as the terminal now has it, and the sentence that confirms it. */
export type Done = (account: AccountView, said: string) => void;

const PASSWORD_RULE = '初始密码须为8–64位，包含字母、数字、符号中的至少两类，且不能包含工号；该操作员首次登录时须改为自己的密码。';

/** An initial password typed twice, so a typing slip is caught before the operator is told a password nobody knows. */
function useInitialPassword() {
  const [value, setValue] = useState('');
  const [again, setAgain] = useState('');
  return {
    value,
    again,
    setValue,
    setAgain,
    /** What is wrong before asking the terminal (which checks the rule itself), or null. */
    problem: (): string | null => (!value ? '请输入初始密码。' : value !== again ? '两次输入的初始密码不一致。' : null),
    /** Typed passwords are not kept after a try, whatever its outcome. */
    clear: () => {
      setValue('');
      setAgain('');
    },
  };
}

function PasswordTwice({ password, autoFocus = false }: { password: ReturnType<typeof useInitialPassword>; autoFocus?: boolean }) {
  return (
    <>
      <label>
        初始密码
        <input autoFocus={autoFocus} type="password" name="initialPassword" value={password.value} onChange={(e) => password.setValue(e.target.value)} maxLength={64} autoComplete="new-password" />
      </label>
      <label>
        再次输入初始密码
        <input type="password" name="initialPasswordAgain" value={password.again} onChange={(e) => password.setAgain(e.target.value)} maxLength={64} autoComplete="new-password" />
      </label>
      <p className="muted">{PASSWORD_RULE}</p>
    </>
  );
}

/**
 * The frame of every account form: its heading, the fields, what is wrong (the form's own check, then the
 * terminal's answer), submit (Enter, also on a checkbox) and 取消 (Esc, handled by the panel).
 */
function AccountForm({ testId, title, onSubmit, problem, error, busy, submit, busyText, onCancel, danger = false, children }: {
  testId: string;
  title: string;
  onSubmit: (e: FormEvent) => void;
  problem?: string | null;
  error: ShownError | null;
  busy: boolean;
  submit: string;
  busyText: string;
  onCancel: () => void;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <form className="form panel account-form" onSubmit={onSubmit} onKeyDown={submitOnEnter} noValidate data-testid={testId}>
      <h2>{title}</h2>
      {children}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className={danger ? 'danger' : 'primary'} autoFocus={danger} disabled={busy}>
          {busy ? busyText : `${submit}（Enter）`}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          取消（Esc）
        </button>
      </div>
    </form>
  );
}

/** 新增账号: 工号, 姓名, roles, an initial password typed twice. */
export function AddAccountForm({ onDone, onCancel }: { onDone: Done; onCancel: () => void }) {
  const kiosk = useKiosk();
  const [opterNo, setOpterNo] = useState('');
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>([]);
  const password = useInitialPassword();
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(() => kiosk.accounts.add({ opterNo: opterNo.trim(), name: name.trim(), roles, password: password.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const no = opterNo.trim();
    if (!no) return setProblem('请输入工号。');
    if (!/^[A-Za-z0-9_-]{1,20}$/.test(no)) return setProblem('工号只能由字母、数字、“-”和“_”组成，最多20位。');
    if (!name.trim()) return setProblem('请输入姓名。');
    if (roles.length === 0) return setProblem('请至少勾选一个角色。');
    const mistyped = password.problem();
    if (mistyped) return setProblem(mistyped);
    setProblem(null);
    const a = await action.run();
    password.clear();
    if (a) onDone(a, `已添加 ${a.name}（${a.opterNo}），角色：${rolesText(a.roles)}。首次登录时须设置自己的密码。`);
  };
  return (
    <AccountForm testId="add-account" title="新增账号" onSubmit={submit} problem={problem} error={action.error} busy={action.busy} submit="添加账号" busyText="正在添加…" onCancel={onCancel}>
      <label>
        工号
        <input autoFocus name="opterNo" value={opterNo} onChange={(e) => setOpterNo(e.target.value)} maxLength={20} autoComplete="off" />
      </label>
      <label>
        姓名
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={20} autoComplete="off" />
      </label>
      <RolePicker roles={roles} onChange={setRoles} />
      <PasswordTwice password={password} />
    </AccountForm>
  );
}

/** 修改角色: the account's roles, ticked as they are. */
export function RolesForm({ account, onDone, onCancel }: { account: AccountView; onDone: Done; onCancel: () => void }) {
  const kiosk = useKiosk();
  const [roles, setRoles] = useState<StaffRole[]>(account.roles);
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(() => kiosk.accounts.setRoles({ opterNo: account.opterNo, roles }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0) return setProblem('请至少勾选一个角色。');
    setProblem(null);
    const a = await action.run();
    if (a) onDone(a, `${a.name}（${a.opterNo}）的角色已改为：${rolesText(a.roles)}。`);
  };
  return (
    <AccountForm testId="account-roles" title={`修改角色：${account.name}（${account.opterNo}）`} onSubmit={submit} problem={problem} error={action.error} busy={action.busy} submit="保存角色" busyText="正在保存…" onCancel={onCancel}>
      <RolePicker autoFocus roles={roles} onChange={setRoles} />
    </AccountForm>
  );
}

/** 重置密码: a new initial password, which the operator changes at the next sign-in; lifts the lockout too. */
export function ResetPasswordForm({ account, onDone, onCancel }: { account: AccountView; onDone: Done; onCancel: () => void }) {
  const kiosk = useKiosk();
  const password = useInitialPassword();
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction(() => kiosk.accounts.resetPassword({ opterNo: account.opterNo, password: password.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const mistyped = password.problem();
    setProblem(mistyped);
    if (mistyped) return;
    const a = await action.run();
    password.clear();
    if (a) onDone(a, `已重置 ${a.name}（${a.opterNo}）的密码${account.state === 'locked' ? '并解除锁定' : ''}；下次登录时须设置自己的密码。`);
  };
  return (
    <AccountForm testId="account-reset-password" title={`重置密码：${account.name}（${account.opterNo}）`} onSubmit={submit} problem={problem} error={action.error} busy={action.busy} submit="重置密码" busyText="正在保存…" onCancel={onCancel}>
      <PasswordTwice autoFocus password={password} />
    </AccountForm>
  );
}

/** 停用 asks once more (the operator can no longer sign in; a session of theirs ends at once); 启用 does not. */
export function DisableConfirm({ account, onDone, onCancel }: { account: AccountView; onDone: Done; onCancel: () => void }) {
  const kiosk = useKiosk();
  const action = useAction(() => kiosk.accounts.setDisabled({ opterNo: account.opterNo, disabled: true }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const a = await action.run();
    if (a) onDone(a, `已停用 ${a.name}（${a.opterNo}）：该工号不能再登录。`);
  };
  return (
    <AccountForm testId="account-disable" title={`停用账号：${account.name}（${account.opterNo}）`} onSubmit={submit} error={action.error} busy={action.busy} submit="确认停用" busyText="正在停用…" onCancel={onCancel} danger>
      <p>停用后该工号不能再在本终端登录；如正在本终端登录，其会话立即结束。可随时重新启用。</p>
    </AccountForm>
  );
}
