import { useEffect, useState, type FormEvent } from 'react';
import { ROLE_TEXT, type StaffRole } from '../../contract/dto/roles.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { CredentialFields, useCredentials } from './CredentialFields.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

export interface Operator {
  opterNo: string;
  name: string;
  roles?: StaffRole[];
}

type DemoAccount = { opterNo: string; name: string; roles: StaffRole[]; password: string };

/**
 * The staff desks' first screen: 工号 and 密码, keyboard only (Tab between the fields, Enter submits). The
 * terminal checks the password against the operator accounts, then signs in with the platform (9001): every
 * platform call and money action of the shift carries this operator. A wrong password and an unknown 工号
 * get the same answer; repeated failures lock the 工号 and the screen says until when. An account whose
 * password was reset sets a new one here first. In demo mode the demo accounts are listed (演示账号).
 */
export function SignIn({ title, testId, onSignedIn }: { title: string; testId: string; onSignedIn: (op: Operator) => void }) {
  const kiosk = useKiosk();
  const credentials = useCredentials();
  const opterNo = credentials.value.opterNo;
  const [invalid, setInvalid] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  /** The 工号 a lock was reported for: the supervisor's unlock stays on screen (with its outcome) until the next try. */
  const [lockedNo, setLockedNo] = useState<string | null>(null);
  const action = useAction((no: string, pw: string) => kiosk.operator.signIn({ opterNo: no, password: pw }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = credentials.missing();
    if (missing) return setInvalid(missing);
    setInvalid(null);
    setLockedNo(null);
    const r = await action.run(opterNo.trim(), credentials.value.password);
    if (r) return onSignedIn({ opterNo: r.opterNo, name: r.name, roles: r.roles });
    credentials.forgetPassword();
  };
  useEffect(() => {
    if (action.error?.code === 'PASSWORD_CHANGE_REQUIRED') setChanging(true);
    if (action.error?.code === 'ACCOUNT_LOCKED') setLockedNo(opterNo.trim());
  }, [action.error, opterNo]);
  if (changing) return <ChangePassword title={title} testId={testId} opterNo={opterNo.trim()} onSignedIn={onSignedIn} onCancel={() => { setChanging(false); credentials.forgetPassword(); action.clear(); }} />;
  return (
    <main className="start desk-start" data-testid={testId}>
      <h1>{title}</h1>
      <p className="lead">请输入工号和密码登录。登录后本班次的业务和收付款都记录在您的工号下。</p>
      <form className="form sign-in" onSubmit={submit} noValidate data-testid="sign-in">
        <CredentialFields autoFocus value={credentials.value} onChange={credentials.onChange} />
        {invalid && (
          <p className="field-error" role="alert">
            {invalid}
          </p>
        )}
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? '正在登录…' : '登录（Enter）'}
        </button>
      </form>
      {action.error && action.error.code !== 'PASSWORD_CHANGE_REQUIRED' && <ErrorNotice error={action.error} />}
      {lockedNo && <SupervisorUnlock key={lockedNo} opterNo={lockedNo} onUnlocked={action.clear} />}
      <DemoAccounts />
    </main>
  );
}

/** First sign-in or a reset: the operator's own new password, typed twice; then signed in with it. */
function ChangePassword({ title, testId, opterNo, onSignedIn, onCancel }: { title: string; testId: string; opterNo: string; onSignedIn: (op: Operator) => void; onCancel: () => void }) {
  const kiosk = useKiosk();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(async () => {
    await kiosk.operator.changePassword({ opterNo, password: current, newPassword: next });
    return kiosk.operator.signIn({ opterNo, password: next });
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!current || !next) return setInvalid('请输入原密码和新密码。');
    if (next !== again) return setInvalid('两次输入的新密码不一致。');
    setInvalid(null);
    const r = await action.run();
    if (r) onSignedIn({ opterNo: r.opterNo, name: r.name, roles: r.roles });
  };
  return (
    <main className="start desk-start" data-testid={testId}>
      <h1>{title}</h1>
      <p className="lead">工号 {opterNo}：首次登录或密码已重置，请设置您自己的新密码（至少8位，须包含字母、数字、符号中的至少两类）。</p>
      <form className="form sign-in" onSubmit={submit} noValidate data-testid="change-password" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
        <label>
          原密码（初始密码）
          <input autoFocus type="password" name="password" value={current} onChange={(e) => setCurrent(e.target.value)} maxLength={64} autoComplete="off" />
        </label>
        <label>
          新密码
          <input type="password" name="newPassword" value={next} onChange={(e) => setNext(e.target.value)} maxLength={64} autoComplete="off" />
        </label>
        <label>
          再次输入新密码
          <input type="password" name="newPasswordAgain" value={again} onChange={(e) => setAgain(e.target.value)} maxLength={64} autoComplete="off" />
        </label>
        {invalid && (
          <p className="field-error" role="alert">
            {invalid}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={action.busy}>
            {action.busy ? '正在保存…' : '设置新密码并登录（Enter）'}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            返回（Esc）
          </button>
        </div>
      </form>
      {action.error && <ErrorNotice error={action.error} />}
    </main>
  );
}

/** A locked 工号: a supervisor lifts the lock here with their own 工号 and password (audited by the terminal). */
function SupervisorUnlock({ opterNo, onUnlocked }: { opterNo: string; onUnlocked: () => void }) {
  const kiosk = useKiosk();
  const [open, setOpen] = useState(false);
  const supervisor = useCredentials();
  const [done, setDone] = useState(false);
  const action = useAction(() => kiosk.operator.unlockAccount({ opterNo, supervisorNo: supervisor.value.opterNo.trim(), supervisorPassword: supervisor.value.password }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (supervisor.missing()) return;
    const r = await action.run();
    supervisor.forgetPassword();
    if (r) {
      setDone(true);
      onUnlocked();
    }
  };
  if (done) return <p className="ok-text" role="status" data-testid="supervisor-unlocked">工号 {opterNo} 已由主管解锁，请重新输入密码登录。</p>;
  if (!open)
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)} data-testid="supervisor-unlock">
        请主管解锁
      </button>
    );
  return (
    <form className="form panel" onSubmit={submit} noValidate data-testid="supervisor-unlock-form">
      <h2>主管解锁工号 {opterNo}</h2>
      <CredentialFields who="主管" autoFocus value={supervisor.value} onChange={supervisor.onChange} />
      <button type="submit" className="primary" disabled={action.busy}>
        解锁（Enter）
      </button>
      {action.error && <ErrorNotice error={action.error} />}
    </form>
  );
}

/** Demo mode only (the terminal answers an empty list otherwise): one account per role, with its password. */
function DemoAccounts() {
  const kiosk = useKiosk();
  const [accounts, setAccounts] = useState<DemoAccount[]>([]);
  useEffect(() => {
    let live = true;
    kiosk.operator.demoAccounts({}).then(
      (a) => live && setAccounts(a),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [kiosk]);
  if (accounts.length === 0) return null;
  return (
    <aside className="panel demo-accounts" data-testid="demo-accounts" aria-label="演示账号">
      <h2>演示账号（仅演示模式）</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">工号</th>
            <th scope="col">姓名</th>
            <th scope="col">角色</th>
            <th scope="col">密码</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.opterNo}>
              <td>{a.opterNo}</td>
              <td>{a.name}</td>
              <td>{a.roles.map((r) => ROLE_TEXT[r]).join('、')}</td>
              <td>{a.password}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
