import { useState, type FormEvent } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { CredentialFields, useCredentials } from './CredentialFields.tsx';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * A staff desk left alone locks instead of wiping: the half-filled form stays (hidden) and the terminal itself
 * refuses every staff request until the signed-in operator types their password (checked by the terminal,
 * with the sign-in's lockout). Someone else may sign in here instead (换人登录): the previous operator's form is
 * then discarded, so one operator's patient is never handed to another's session unseen.
 */
export function DeskLock({ operator, onUnlock, onSwitched }: { operator: TerminalStatus['operator']; onUnlock: () => void; onSwitched: () => void }) {
  const kiosk = useKiosk();
  const [password, setPassword] = useState('');
  const [switching, setSwitching] = useState(false);
  const other = useCredentials();
  const [problem, setProblem] = useState<string | null>(null);
  const unlock = useAction((pw: string) => kiosk.operator.unlock({ password: pw }));
  const switchTo = useAction((no: string, pw: string) => kiosk.operator.signIn({ opterNo: no, password: pw }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password) return setProblem('请输入密码。');
    setProblem(null);
    const r = await unlock.run(password);
    setPassword('');
    if (r) onUnlock();
  };
  const submitOther = async (e: FormEvent) => {
    e.preventDefault();
    const missing = other.missing();
    if (missing) return setProblem(missing);
    setProblem(null);
    const r = await switchTo.run(other.value.opterNo.trim(), other.value.password);
    other.forgetPassword();
    if (r) onSwitched();
  };
  const error = switching ? switchTo.error : unlock.error;
  return (
    // Keys stay here: the hidden desk behind must not take Esc (a step back) or a scanner burst.
    <main className="start desk-lock" data-testid="desk-lock" onKeyDown={(e) => e.stopPropagation()}>
      <div className="panel form">
        <h1>已锁定</h1>
        <p>{operator ? `操作员 ${operator.name}（${operator.opterNo}）离开时间较长，屏幕已锁定，正在办理的内容已保留。` : '屏幕已锁定。'}</p>
        {!switching ? (
          <form onSubmit={submit} noValidate data-testid="unlock-form">
            <label>
              请输入本人密码继续
              <input autoFocus type="password" name="unlock-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={64} autoComplete="off" data-testid="unlock-password" />
            </label>
            <div className="actions">
              <button type="submit" className="primary" data-testid="unlock" disabled={unlock.busy}>
                继续办理（Enter）
              </button>
              <button type="button" className="secondary" onClick={() => { setSwitching(true); setProblem(null); }} data-testid="switch-operator">
                换人登录
              </button>
            </div>
          </form>
        ) : (
          <form onSubmit={submitOther} noValidate data-testid="switch-form">
            <p className="muted">其他操作员登录后，当前未完成的内容将被清除。</p>
            <CredentialFields autoFocus value={other.value} onChange={other.onChange} />
            <div className="actions">
              <button type="submit" className="primary" disabled={switchTo.busy}>
                登录（Enter）
              </button>
              <button type="button" className="secondary" onClick={() => { setSwitching(false); setProblem(null); switchTo.clear(); }}>
                返回
              </button>
            </div>
          </form>
        )}
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        {error && <ErrorNotice error={error} />}
      </div>
    </main>
  );
}
