import { useState, type FormEvent } from 'react';
import type { RefundView } from '../../contract/dto/refunds.ts';
import { REFUND_STATE_TEXT, refundSentence } from '../../contract/refund-text.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { useRefunds } from './useRefunds.ts';

/**
 * A stay's refunds with their state (退款中 / 已退 / 退款失败，待人工处理), amount and way back, in the words
 * the kiosk and the 退费凭条 use. At a staffed counter (`staff`): a counter refund is confirmed by the cashier
 * once handed out (the only way it becomes 已退), and a refused gateway refund can be asked again at the
 * gateway (paced and capped by the terminal) or paid in cash instead.
 */
export function RefundList({ admissionId, settlementId, staff }: { admissionId: string; settlementId?: string; staff: boolean }) {
  const { refunds, reload } = useRefunds(admissionId, settlementId);
  if (!refunds || refunds.length === 0) return null;
  return (
    <section className="panel refunds" data-testid="refunds" aria-live="polite">
      <h3>退款</h3>
      <ul className="refund-list">
        {refunds.map((r) => (
          <RefundRow key={r.refundId} refund={r} staff={staff} onChanged={reload} />
        ))}
      </ul>
    </section>
  );
}

export function RefundRow({ refund: r, staff, onChanged }: { refund: RefundView; staff: boolean; onChanged: () => void }) {
  const counter = r.method !== 'alipay';
  return (
    <li className={`refund refund-${r.state}`} data-testid="refund-row" data-state={r.state} data-method={r.method} data-refund-id={r.refundId}>
      <span className={`badge refund-state-${r.state}`} data-testid="refund-state">
        {REFUND_STATE_TEXT[r.state]}
      </span>{' '}
      <span data-testid="refund-text">{refundSentence(r, yuanText(r.amountFen))}</span>
      <div className="actions">
        {staff && counter && r.state === 'refunding' && <HandOut refund={r} onDone={onChanged} />}
        {staff && r.state === 'attention' && r.gateway.length > 0 && r.gatewayRetries && <RetryAtGateway refund={r} retries={r.gatewayRetries} onDone={onChanged} />}
        {staff && r.state === 'attention' && <ToCash refund={r} onDone={onChanged} />}
        <PrintButton doc={{ kind: 'refund-slip', admissionId: r.admissionId, receiptNo: r.receiptNo }} label="打印退费凭条" />
      </div>
    </li>
  );
}

/** The cashier hands out the cash (or makes the card refund on the POS, with its reference), then confirms. */
function HandOut({ refund: r, onDone }: { refund: RefundView; onDone: () => void }) {
  const kiosk = useKiosk();
  const [posRef, setPosRef] = useState('');
  const act = useAction(() => kiosk.refunds.confirmHandedOut({ refundId: r.refundId, ...(posRef.trim() ? { posRef: posRef.trim() } : {}) }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await act.run()) onDone();
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="refund-hand-out">
      {r.method === 'bank-card' && (
        <label>
          POS 参考号
          <input value={posRef} onChange={(e) => setPosRef(e.target.value)} maxLength={40} autoComplete="off" data-testid="refund-pos-ref" />
        </label>
      )}
      <button type="submit" className="primary" disabled={act.busy} data-testid="refund-confirm">
        {act.busy ? '正在确认…' : r.method === 'cash' ? `已发放现金 ${yuanText(r.amountFen)}，确认` : '已在 POS 退款，确认'}
      </button>
      {act.error && <ErrorNotice error={act.error} />}
    </form>
  );
}

/**
 * A refused 支付宝 refund asked again at the gateway, once its cause is dealt with (e.g. the merchant account
 * topped up). The terminal paces and caps it and says why when it will not; afterwards the row shows 退款中
 * until the gateway answers.
 */
function RetryAtGateway({ refund: r, retries, onDone }: { refund: RefundView; retries: { count: number; max: number }; onDone: () => void }) {
  const kiosk = useKiosk();
  const act = useAction(() => kiosk.refunds.retryAtGateway({ refundId: r.refundId }));
  const left = retries.max - retries.count;
  if (left <= 0) return <p className="muted">已重新发起 {retries.max} 次仍未成功，请改为窗口退现金。</p>;
  return (
    <div className="inline-form" data-testid="refund-retry">
      <button type="button" className="secondary" disabled={act.busy} onClick={async () => (await act.run()) && onDone()} data-testid="refund-retry-submit">
        {act.busy ? '正在发起…' : `重新向支付宝发起退款（还可 ${left} 次）`}
      </button>
      <span className="muted">请先确认退款失败的原因已处理（如商户账户余额已补足）。</span>
      {act.error && <ErrorNotice error={act.error} />}
    </div>
  );
}

/** The operator queue's way out of a refused gateway refund: cash at the window, with a reason. */
function ToCash({ refund: r, onDone }: { refund: RefundView; onDone: () => void }) {
  const kiosk = useKiosk();
  const [reason, setReason] = useState('');
  const act = useAction(() => kiosk.refunds.toCash({ refundId: r.refundId, reason: reason.trim() }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 2) return;
    if (await act.run()) onDone();
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="refund-to-cash">
      <label>
        改为窗口退现金的原因
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoComplete="off" data-testid="refund-to-cash-reason" />
      </label>
      <button type="submit" className="secondary" disabled={act.busy || reason.trim().length < 2} data-testid="refund-to-cash-submit">
        改为窗口退现金
      </button>
      {act.error && <ErrorNotice error={act.error} />}
    </form>
  );
}

/** The settlements list's cell: each refund of the settlement as its state and amount (same words). */
export function RefundBadges({ admissionId, settlementId }: { admissionId: string; settlementId: string }) {
  const { refunds } = useRefunds(admissionId, settlementId);
  if (!refunds || refunds.length === 0) return null;
  return (
    <span data-testid="settlement-refunds">
      {refunds.map((r) => (
        <span key={r.refundId} className={`badge refund-state-${r.state}`} data-testid="refund-state" data-state={r.state} title={refundSentence(r, yuanText(r.amountFen))}>
          {REFUND_STATE_TEXT[r.state]} {yuanText(r.amountFen)}
        </span>
      ))}
    </span>
  );
}
