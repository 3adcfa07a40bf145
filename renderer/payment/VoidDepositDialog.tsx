import { useState, type FormEvent } from 'react';
import { EscDialog } from '../components/EscDialog.tsx';
import { MONEY_CHANNEL_TEXT } from '../../contract/day-end-text.ts';
import type { DepositView, StayDeposits } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/**
 * 作废预交金: the supervisor names why (at least 2 characters) and confirms; the terminal records the void as
 * its own row under the supervisor and answers with the stay's deposits as they stand. Nothing is shown as
 * voided before that answer. Enter confirms (from the reason field), Esc goes back.
 */
export function VoidDepositDialog({ deposit, onClose, onVoided }: { deposit: DepositView; onClose: () => void; onVoided: (after: StayDeposits) => void }) {
  const kiosk = useKiosk();
  const [reason, setReason] = useState('');
  const act = useAction((why: string) => kiosk.payments.voidDeposit({ depositId: deposit.depositId, reason: why }));
  const enough = reason.trim().length >= 2;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!enough || act.busy) return;
    const after = await act.run(reason.trim());
    if (after) onVoided(after);
  };
  return (
    <EscDialog labelledBy="void-deposit-title" testId="void-deposit-dialog" onEscape={onClose}>
      <h3 id="void-deposit-title">作废预交金</h3>
      <p>
        {MONEY_CHANNEL_TEXT[deposit.method]} {yuanText(deposit.amountFen)}（{deposit.method === 'cash' ? '收据号' : '参考号'} {deposit.receiptNo}，收款员 {deposit.opterNo || '未记录'}，{chineseDateTime(deposit.receivedAt)}）
      </p>
      <p>作废后这笔预交金不再计入本次住院，原记录保留并标明作废；收款员日结按作废扣减。如实收金额不同，请作废后按实收金额重新收取。</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          作废原因（必填）
          <input value={reason} maxLength={200} autoComplete="off" autoFocus onChange={(e) => setReason(e.target.value)} data-testid="void-deposit-reason" />
        </label>
        {act.error && <ErrorNotice error={act.error} />}
        <div className="actions">
          <button type="submit" className="danger" disabled={!enough || act.busy} data-testid="void-deposit-confirm">
            {act.busy ? '正在作废…' : '确认作废（Enter）'}
          </button>
          <button type="button" className="secondary" onClick={onClose} disabled={act.busy}>
            返回（Esc）
          </button>
        </div>
      </form>
    </EscDialog>
  );
}
