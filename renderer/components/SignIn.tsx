import { useState, type FormEvent } from 'react';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

export interface Operator {
  opterNo: string;
  name: string;
}

/**
 * 9001 签到: the first screen of the staff desks. Every platform call of the day carries the operator and the
 * sign_no this returns. Enter submits.
 */
export function SignIn({ title, testId, onSignedIn }: { title: string; testId: string; onSignedIn: (op: Operator) => void }) {
  const kiosk = useKiosk();
  const [opterNo, setOpterNo] = useState('');
  const [name, setName] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction(() => kiosk.operator.signIn({ opterNo: opterNo.trim(), name: name.trim() }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!opterNo.trim()) return setInvalid('请输入工号。');
    if (!name.trim()) return setInvalid('请输入姓名。');
    setInvalid(null);
    const r = await action.run();
    if (r) onSignedIn({ opterNo: r.opterNo, name: r.name });
  };
  return (
    <main className="start desk-start" data-testid={testId}>
      <h1>{title}</h1>
      <p className="lead">请先签到（9001）。签到后本班次的医保业务将记录在您的工号下。</p>
      <form className="form sign-in" onSubmit={submit} noValidate data-testid="sign-in">
        <label>
          工号
          <input autoFocus name="opterNo" value={opterNo} onChange={(e) => setOpterNo(e.target.value)} maxLength={20} autoComplete="off" />
        </label>
        <label>
          姓名
          <input name="opterName" value={name} onChange={(e) => setName(e.target.value)} maxLength={50} autoComplete="off" />
        </label>
        {invalid && (
          <p className="field-error" role="alert">
            {invalid}
          </p>
        )}
        <button type="submit" className="primary" disabled={action.busy}>
          {action.busy ? '正在签到…' : '签到'}
        </button>
      </form>
      {action.error && <ErrorNotice error={action.error} />}
    </main>
  );
}
