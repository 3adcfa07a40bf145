import { useState } from 'react';
import { PaymentPanel, type PayScene } from './PaymentPanel.tsx';

/**
 * 扫码收预交金 at a desk, for a registered stay (at registration or any time during the stay: a top-up): the
 * amount in yuan, QR or the patient's 付款码, then the payment panel. Cash and bank-card POS stay on the
 * desk's own receipt fields; this is only for money through the gateway.
 */
export function DepositTopUp({ admissionId, onApplied }: { admissionId: string; onApplied: () => void }) {
  const [yuan, setYuan] = useState('');
  const [paying, setPaying] = useState<{ amountFen: number; scene: PayScene } | null>(null);
  /** Paid: 完成 closes the panel (before that, the panel's own 取消支付 / 返回 is the way out). */
  const [applied, setApplied] = useState(false);
  const amountFen = /^\d{1,7}(\.\d{1,2})?$/.test(yuan.trim()) ? Math.round(Number(yuan.trim()) * 100) : 0;
  if (paying) {
    return (
      <section className="panel" data-testid="deposit-top-up">
        <h3>扫码收预交金</h3>
        <PaymentPanel
          admissionId={admissionId}
          amountFen={paying.amountFen}
          scene={paying.scene}
          onApplied={() => {
            setApplied(true);
            onApplied();
          }}
          onGiveUp={() => setPaying(null)}
        />
        {applied && (
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setApplied(false);
                setPaying(null);
              }}
              data-testid="top-up-done"
            >
              完成
            </button>
          </div>
        )}
      </section>
    );
  }
  return (
    <section className="panel" data-testid="deposit-top-up">
      <h3>扫码收预交金</h3>
      <label>
        金额（元）
        <input value={yuan} inputMode="decimal" autoComplete="off" onChange={(e) => setYuan(e.target.value)} data-testid="top-up-amount" />
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={amountFen <= 0} onClick={() => setPaying({ amountFen, scene: 'qr' })} data-testid="top-up-qr">
          生成收款二维码
        </button>
        <button type="button" className="secondary" disabled={amountFen <= 0} onClick={() => setPaying({ amountFen, scene: 'bar_code' })} data-testid="top-up-code">
          扫患者付款码
        </button>
      </div>
    </section>
  );
}
