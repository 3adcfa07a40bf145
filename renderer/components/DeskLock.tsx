import { useState, type FormEvent } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * A staff desk left alone locks instead of wiping: the half-filled form stays (hidden) and the signed-in
 * clerk resumes it by typing their 工号. Someone else signs the clerk out first (签退并换人), which starts
 * afresh: one clerk's patient is never handed to another's session unseen.
 */
export function DeskLock({ operator, onUnlock, onSignedOut }: { operator: TerminalStatus['operator']; onUnlock: () => void; onSignedOut: () => void }) {
  const kiosk = useKiosk();
  const [opterNo, setOpterNo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const signOut = useAction(() => kiosk.operator.signOut({}));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!operator || opterNo.trim() === operator.opterNo) return onUnlock();
    setProblem(`工号 ${opterNo.trim() || '（空）'} 不是当前签到的操作员。如需换人，请先签退。`);
  };
  return (
    // Keys stay here: the hidden desk behind must not take Esc (a step back) or a scanner burst.
    <main className="start desk-lock" data-testid="desk-lock" onKeyDown={(e) => e.stopPropagation()}>
      <form className="panel form" onSubmit={submit} noValidate>
        <h1>已锁定</h1>
        <p>{operator ? `操作员 ${operator.name}（${operator.opterNo}）离开时间较长，屏幕已锁定，正在办理的内容已保留。` : '屏幕已锁定。'}</p>
        <label>
          请输入工号继续
          <input autoFocus name="unlock-opter-no" value={opterNo} onChange={(e) => setOpterNo(e.target.value)} autoComplete="off" data-testid="unlock-opter-no" />
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" data-testid="unlock">
            继续办理（Enter）
          </button>
          <button type="button" className="secondary" disabled={signOut.busy} onClick={async () => (await signOut.run()) && onSignedOut()}>
            签退并换人
          </button>
        </div>
        {signOut.error && <ErrorNotice error={signOut.error} />}
      </form>
    </main>
  );
}
