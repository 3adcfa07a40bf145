import type { AdmissionView } from '../../contract/dto/admission.ts';
import { PrintButton } from '../components/Documents.tsx';
import { BalanceDueDesk } from '../payment/BalanceDue.tsx';

/**
 * A settled stay that still owes its balance (待补缴), opened from the stay list: the patient came back to the
 * counter (gave up at the kiosk, or left after settling). Only the collection is left to do here.
 */
export function SettledStay({ stay, onDone }: { stay: AdmissionView; onDone: () => void }) {
  return (
    <section className="panel stay" data-testid="settled-stay">
      <h2>
        {stay.person.displayName} · 住院号 {stay.iptNo}
      </h2>
      <p className="muted">
        {stay.deptName} {stay.ward} {stay.bed} 床 · 已结算（待补缴金额以下方为准，收款后即时更新）
      </p>
      <BalanceDueDesk admissionId={stay.admissionId} />
      <div className="actions">
        <PrintButton doc={{ kind: 'settlement-sheet', admissionId: stay.admissionId }} label="补打结算单" />
        <button type="button" className="secondary" onClick={onDone} data-testid="settled-stay-done">
          返回列表（Esc）
        </button>
      </div>
    </section>
  );
}
