import { useCallback, useEffect, useState } from 'react';
import { MONEY_CHANNEL_TEXT } from '../../contract/day-end-text.ts';
import type { DepositView, StayDeposits } from '../../contract/dto/payments.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { useStatus } from '../app/useStatus.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { VoidDepositDialog } from './VoidDepositDialog.tsx';

/**
 * The heading's figures. Once money went back (a settlement's 多退, a cancellation) the rows' total is not the
 * stay's 预交金 any more: the heading says what was received, what went back and what the hospital holds, the
 * 预交金 the stay's own line, the list and the pre-settlement show (counter-17 said 合计 5,000.00 元 under
 * 预交金 0.00 元).
 */
export function depositListTotals(list: StayDeposits): string {
  const received = list.deposits.filter((d) => !d.void).reduce((n, d) => n + d.amountFen, 0);
  if (received === list.heldFen) return `合计 ${yuanText(received)}`;
  return `已收 ${yuanText(received)}，已退 ${yuanText(received - list.heldFen)}，现有预交金 ${yuanText(list.heldFen)}`;
}

/**
 * 预交金记录 of a stay at the desk and the counter: every deposit and 补缴 row, a voided one kept and marked
 * 已作废 (by whom, why). A signed-in supervisor can void a mistaken cash / POS deposit from here (keyboard:
 * Tab to 作废, Enter, type the reason, Enter); anyone else sees that it needs a supervisor. `version` changes
 * when the stay's 预交金 changed elsewhere (a top-up): the list is read again.
 */
export function DepositList({ admissionId, version, onVoided }: { admissionId: string; version: number; onVoided: (after: StayDeposits) => void }) {
  const kiosk = useKiosk();
  const { status } = useStatus();
  const supervisor = status?.operator?.roles?.includes('supervisor') ?? false;
  const [list, setList] = useState<StayDeposits | null>(null);
  const [voiding, setVoiding] = useState<DepositView | null>(null);
  const load = useAction(() => kiosk.payments.deposits({ admissionId }));
  const { run } = load;
  const reload = useCallback(() => void run().then((l) => l && setList(l)), [run]);
  useEffect(reload, [reload, version]);
  if (!list || list.deposits.length === 0) return load.error ? <ErrorNotice error={load.error} /> : null;
  const voidable = list.deposits.some((d) => d.voidRefusal === null);
  return (
    <section className="panel" data-testid="deposit-list" aria-labelledby="deposit-list-title">
      <h3 id="deposit-list-title">预交金记录（{depositListTotals(list)}）</h3>
      <table className="grid deposit-list">
        <thead>
          <tr>
            <th>收款时间</th>
            <th>方式</th>
            <th>收据号 / 参考号</th>
            <th>收款员</th>
            <th className="num">金额</th>
            <th>状态</th>
            {supervisor && <th>操作</th>}
          </tr>
        </thead>
        <tbody>
          {list.deposits.map((d) => (
            <tr key={d.depositId} data-testid="deposit-row" data-receipt={d.receiptNo} data-voided={d.void ? 'yes' : 'no'}>
              <td>{chineseDateTime(d.receivedAt)}</td>
              <td>
                {d.kind === 'balance-due' ? '补缴 · ' : ''}
                {MONEY_CHANNEL_TEXT[d.method]}
              </td>
              <td>{d.receiptNo}</td>
              <td>{d.opterNo || '—'}</td>
              <td className="num">{d.void ? <s>{yuanText(d.amountFen)}</s> : yuanText(d.amountFen)}</td>
              <td className="deposit-state" data-testid="deposit-state">{d.void ? `已作废（主管 ${d.void.opterNo}，${chineseDateTime(d.void.at)}：${d.void.reason}）` : '有效'}</td>
              {supervisor && (
                <td>
                  {d.voidRefusal === null && (
                    <button type="button" className="secondary" onClick={() => setVoiding(d)} data-testid="deposit-void" aria-label={`作废 ${d.receiptNo} ${yuanText(d.amountFen)}`}>
                      作废
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {!supervisor && voidable && <p className="muted">现金或银行卡预交金金额录错的，须由主管登录后作废，再按实收金额重新收取。</p>}
      {voiding && (
        <VoidDepositDialog
          deposit={voiding}
          onClose={() => setVoiding(null)}
          onVoided={(after) => {
            setVoiding(null);
            setList(after);
            onVoided(after);
          }}
        />
      )}
    </section>
  );
}
