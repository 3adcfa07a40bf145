import { useState, type FormEvent } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { depositFenOf, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

type Method = 'cash' | 'bank-card';

/**
 * 现金 / 银行卡收预交金 during a stay (a top-up at the admission desk or the counter): money that does not pass
 * the gateway, taken at the window and recorded by the hospital's receipt number (cash) or the POS slip's
 * 参考号 (bank card). Nothing is shown as received until the terminal has stored it: the confirmation line
 * comes from the view the terminal returns, and the caller re-reads the stay from it.
 */
export function DepositByHand({ admissionId, onApplied }: { admissionId: string; onApplied: (view: AdmissionView) => void }) {
  const kiosk = useKiosk();
  const [yuan, setYuan] = useState('');
  const [method, setMethod] = useState<Method>('cash');
  const [receiptNo, setReceiptNo] = useState('');
  const [done, setDone] = useState<{ amountFen: number; method: Method; receiptNo: string; depositsFen: number } | null>(null);
  const amountFen = depositFenOf(yuan);
  const take = useAction((deposit: { amountFen: number; method: Method; receiptNo: string }) => kiosk.admission.addDeposit({ admissionId, deposit }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const no = receiptNo.trim();
    if (amountFen <= 0 || !no || take.busy) return;
    const view = await take.run({ amountFen, method, receiptNo: no });
    if (!view) return;
    setDone({ amountFen, method, receiptNo: no, depositsFen: view.depositsFen });
    setYuan('');
    setReceiptNo('');
    onApplied(view);
  };
  const numberLabel = method === 'cash' ? '收据号' : 'POS 参考号';
  return (
    <section className="panel" data-testid="deposit-by-hand" aria-labelledby="deposit-by-hand-title">
      <h3 id="deposit-by-hand-title">现金 / 银行卡收预交金</h3>
      <form className="inline-form" onSubmit={submit}>
        <label>
          金额（元）
          <input value={yuan} inputMode="decimal" autoComplete="off" onChange={(e) => setYuan(e.target.value)} data-testid="by-hand-amount" />
        </label>
        <label>
          方式
          <select value={method} onChange={(e) => setMethod(e.target.value as Method)} data-testid="by-hand-method">
            <option value="cash">现金</option>
            <option value="bank-card">银行卡 POS</option>
          </select>
        </label>
        <label>
          {numberLabel}
          <input value={receiptNo} maxLength={40} autoComplete="off" onChange={(e) => setReceiptNo(e.target.value)} data-testid="by-hand-receipt" />
        </label>
        <div className="actions">
          <button type="submit" className="secondary" disabled={amountFen <= 0 || !receiptNo.trim() || take.busy} data-testid="by-hand-confirm">
            {take.busy ? '正在记录…' : '确认已收款'}
          </button>
        </div>
      </form>
      {take.error && <ErrorNotice error={take.error} />}
      {done && !take.error && (
        <p className="verdict ok" role="status" data-testid="by-hand-done">
          已收预交金 {yuanText(done.amountFen)}（{done.method === 'cash' ? '现金' : '银行卡'}，{done.method === 'cash' ? '收据号' : '参考号'} {done.receiptNo}），预交金合计 {yuanText(done.depositsFen)}
        </p>
      )}
    </section>
  );
}
