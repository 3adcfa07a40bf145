import { useEffect, useRef, useState, type FormEvent } from 'react';
import { depositFenOf } from '../app/format.ts';
import { PaymentPanel, type PayScene } from './PaymentPanel.tsx';

/** The staff desks' key for 扫码收预交金 (F2 reads the ID card; F6 is free on both desks). */
const HOTKEY = 'F6';

/**
 * 扫码收预交金 at a desk, for a registered stay (at registration or any time during the stay: a top-up): the
 * amount in yuan, QR or the patient's 付款码, then the payment panel. Cash and bank-card POS stay on the
 * desk's own receipt fields; this is only for money through the gateway.
 *
 * Keyboard only (the clerk's desk): F6 puts the cursor in the amount, Enter makes the QR, Alt+Enter (or Tab to
 * the button) reads the 付款码 instead; while paying the panel has the focus, and 完成 takes it once paid.
 */
export function DepositTopUp({ admissionId, onApplied }: { admissionId: string; onApplied: () => void }) {
  const [yuan, setYuan] = useState('');
  const [paying, setPaying] = useState<{ amountFen: number; scene: PayScene } | null>(null);
  /** Paid: 完成 closes the panel (before that, the panel's own 取消支付 / 返回 is the way out). */
  const [applied, setApplied] = useState(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const amountFen = depositFenOf(yuan);
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      if (e.key !== HOTKEY || e.defaultPrevented) return;
      e.preventDefault();
      if (paying) panelRef.current?.focus();
      else amountRef.current?.focus();
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [paying]);
  useEffect(() => {
    if (paying) panelRef.current?.focus();
  }, [paying]);
  const start = (scene: PayScene) => amountFen > 0 && setPaying({ amountFen, scene });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start('qr');
  };
  if (paying) {
    return (
      <section className="panel" data-testid="deposit-top-up" ref={panelRef} tabIndex={-1} aria-label="扫码收预交金">
        <h3>扫码收预交金</h3>
        <PaymentPanel
          admissionId={admissionId}
          amountFen={paying.amountFen}
          scene={paying.scene}
          onApplied={() => {
            setApplied(true);
            onApplied();
          }}
          onGiveUp={() => {
            setPaying(null);
            setTimeout(() => amountRef.current?.focus(), 0);
          }}
        />
        {applied && (
          <div className="actions">
            <button
              type="button"
              className="secondary"
              autoFocus
              onClick={() => {
                setApplied(false);
                setPaying(null);
                setYuan('');
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
      <h3>扫码收预交金（{HOTKEY}）</h3>
      <form className="inline-form" onSubmit={submit}>
        <label>
          金额（元）
          <input
            ref={amountRef}
            value={yuan}
            inputMode="decimal"
            autoComplete="off"
            aria-keyshortcuts={HOTKEY}
            onChange={(e) => setYuan(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.altKey) {
                e.preventDefault();
                start('bar_code');
              }
            }}
            data-testid="top-up-amount"
          />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={amountFen <= 0} data-testid="top-up-qr">
            生成收款二维码（Enter）
          </button>
          <button type="button" className="secondary" disabled={amountFen <= 0} onClick={() => start('bar_code')} data-testid="top-up-code">
            扫患者付款码（Alt+Enter）
          </button>
        </div>
      </form>
    </section>
  );
}
