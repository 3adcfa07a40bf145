import type { ReactNode } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import { Busy } from '../components/Busy.tsx';

/**
 * A settlement of the patient's stay is under way and its outcome is not known here yet: the 2304's answer
 * was lost and its reversal (2601) has not got through, or the platform is slow. The platform may have
 * settled, so the screen says neither 结算完成 nor that it failed: the result is being checked, the patient
 * must not pay again, and where to ask. 查询结算结果 asks the terminal how that same settlement ended (it never
 * starts another); shown again on a later visit by card while it is still open.
 */
export function SettleCheckingScreen({
  stay,
  cashier,
  asked,
  busy,
  onCheck,
  end,
}: {
  stay: AdmissionView;
  cashier: string;
  /** How many times 查询结算结果 was tapped on this screen: the answer is said to be the same, still checking. */
  asked: number;
  busy: boolean;
  onCheck: () => void;
  end: ReactNode;
}) {
  const what = '您的出院结算已在办理中，医保平台的结果还没有返回，正在核实。';
  const dont = '请不要重复缴费。核实完成前，不会重复结算。';
  const where = `请到${cashier}询问结算结果；也可以稍后在本机插卡查看。`;
  return (
    <main className="kiosk-screen" data-testid="ss-settle-checking">
      <h1 className="verdict info" data-voice={`正在核实结算结果。${dont}${where}`}>
        正在核实结算结果
      </h1>
      <p className="muted">
        {stay.deptName} · 住院号 {stay.iptNo}
      </p>
      <p className="plain-summary" data-testid="ss-settle-checking-text">
        {what}
      </p>
      <ul className="guidance big-list" data-testid="ss-settle-checking-guidance">
        <li>
          <strong>{dont}</strong>
        </li>
        <li>{where}</li>
      </ul>
      {asked > 0 && !busy && (
        <p className="cached-note" role="status" data-testid="ss-settle-still-checking">
          刚刚已再次查询：结果仍在核实中。
        </p>
      )}
      {busy && <Busy text="正在查询结算结果，请稍候…" />}
      <div className="actions">
        <button type="button" className="primary big" onClick={onCheck} disabled={busy} data-testid="ss-settle-check">
          查询结算结果
        </button>
        {end}
      </div>
    </main>
  );
}
