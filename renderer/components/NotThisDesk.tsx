import type { StaffRole } from '../../contract/dto/roles.ts';
import { ROLE_TEXT } from '../../contract/dto/roles.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import type { Operator } from './SignIn.tsx';

/**
 * A signed-in operator whose roles have nothing to do at this desk (a technician at the admission desk, a clerk
 * at the counter): said plainly instead of a desk whose every request the terminal would refuse.
 */
export function NotThisDesk({ operator, desk, needs, onSignedOut }: { operator: Operator; desk: string; needs: StaffRole[]; onSignedOut: () => void }) {
  const kiosk = useKiosk();
  const signOut = useAction(() => kiosk.operator.signOut({}));
  const roles = (operator.roles ?? []).map((r) => ROLE_TEXT[r]).join('、') || '无';
  return (
    <main className="start desk-start" data-testid="not-this-desk">
      <h1>{desk}</h1>
      <p className="lead">
        {operator.name}（{operator.opterNo}）的账号角色为“{roles}”，不能办理{desk}业务（须为{needs.map((r) => ROLE_TEXT[r]).join('或')}）。
      </p>
      {operator.roles?.includes('technician') && <p>终端的存储、备份和设备检查请在本机使用 kiosk 命令（见运维手册）。</p>}
      <button type="button" className="primary" autoFocus disabled={signOut.busy} onClick={async () => (await signOut.run()) && onSignedOut()}>
        签退（Enter）
      </button>
      {signOut.error && <ErrorNotice error={signOut.error} />}
    </main>
  );
}

/** Whether an operator (roles unknown: an older host) may work at a desk needing one of `needs`. */
export const mayWorkAt = (operator: Operator, needs: StaffRole[]) => operator.roles === undefined || operator.roles.some((r) => needs.includes(r));
