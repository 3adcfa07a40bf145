import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, terminalDay, yuanText } from '../app/format.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useAction } from '../app/useAction.ts';
import { noticeOf } from '../app/outcomes.ts';
import { useEscape } from '../app/useKeys.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { DayInput } from '../components/DayInput.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { OpenRefunds } from '../payment/OpenRefunds.tsx';
import { RefundBadges } from '../payment/RefundList.tsx';
import { useRefunds } from '../payment/useRefunds.ts';
import { refundSentence } from '../../contract/refund-text.ts';

/** The day's settlements, with reprint and the supervisor's reversal (2305). */
export function Settlements({ status }: { status: TerminalStatus }) {
  const kiosk = useKiosk();
  // Empty: the terminal's own today (the services decide the day; the browser's clock may differ).
  const [date, setDate] = useState('');
  const [list, setList] = useState<SettlementView[] | null>(null);
  const [reversing, setReversing] = useState<SettlementView | null>(null);
  const load = useAction((d: string) => kiosk.discharge.list(d ? { date: d } : {}));
  const { run } = load;
  const refresh = useCallback(() => void run(date).then((r) => r && setList(r)), [run, date]);
  useEffect(refresh, [refresh]);
  // A settlement is listed once the relay has applied its 2304 result; the status event tells us when.
  useKioskEvent('status', refresh);
  return (
    <section className="panel" data-testid="settlements">
      <OpenRefunds />
      <h2>结算记录</h2>
      <DayInput label="日期" value={date || terminalDay(status)} onChange={setDate} name="settlement-date" />
      {load.error && <ErrorNotice error={load.error} />}
      {list && list.length === 0 && <p className="muted">当日没有结算记录。</p>}
      {list && list.length > 0 && (
        <table className="grid" data-testid="settlement-rows">
          <thead>
            <tr>
              <th>结算时间</th>
              <th>结算ID</th>
              <th>总费用</th>
              <th>基金支付</th>
              <th>个人现金</th>
              <th>补/退</th>
              <th>退款</th>
              <th>状态</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.settlementId} data-status={s.status} data-testid="settlement-row">
                <td>{chineseDateTime(s.settledAt)}</td>
                <td>{s.setlId}</td>
                <td className="num">{yuanText(s.breakdown.medfeeSumamtFen)}</td>
                <td className="num">{yuanText(s.breakdown.fundPaySumamtFen)}</td>
                <td className="num">{yuanText(s.breakdown.psnCashPayFen)}</td>
                <td className="num">{s.breakdown.dueFen >= 0 ? `补 ${yuanText(s.breakdown.dueFen)}` : `退 ${yuanText(-s.breakdown.dueFen)}`}</td>
                <td>{s.breakdown.dueFen < 0 && <RefundBadges admissionId={s.admissionId} settlementId={s.settlementId} />}</td>
                <td>{s.status === 'reversed' ? '已撤销' : '已结算'}</td>
                <td>
                  <PrintButton doc={{ kind: 'settlement-sheet', settlementId: s.settlementId, admissionId: s.admissionId }} label="补打结算单" />
                  {s.status === 'settled' && (
                    <button type="button" className="danger" onClick={() => setReversing(s)} data-testid="reverse">
                      撤销结算
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reversing && (
        <ReverseDialog
          settlement={reversing}
          onClose={() => setReversing(null)}
          onReversed={() => {
            setReversing(null);
            refresh();
          }}
        />
      )}
    </section>
  );
}

/**
 * The 多退 this settlement already sent back: a reversal does not take that money back, so the supervisor sees it
 * (amount, channel, state) before reversing, and the stay is re-settled knowing the patient then owes it.
 */
function RefundsOfReversal({ settlement }: { settlement: SettlementView }) {
  const { refunds } = useRefunds(settlement.admissionId, settlement.settlementId);
  if (settlement.breakdown.dueFen >= 0 || !refunds || refunds.length === 0) return null;
  return (
    <div className="warn-text" data-testid="reverse-refunds">
      {refunds.map((r) => (
        <p key={r.refundId}>{refundSentence(r, yuanText(r.amountFen))}</p>
      ))}
      <p>撤销结算不会收回已退的款项：重新结算时，患者需另行补缴。</p>
    </div>
  );
}

/** 2305 needs a supervisor: number, password and a reason, all typed at the counter. Esc cancels. */
function ReverseDialog({ settlement, onClose, onReversed }: { settlement: SettlementView; onClose: () => void; onReversed: (s: SettlementView) => void }) {
  const kiosk = useKiosk();
  const [supervisorNo, setNo] = useState('');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const act = useAction(() => kiosk.discharge.reverse({ settlementId: settlement.settlementId, supervisorNo: supervisorNo.trim(), supervisorPassword: password, reason: reason.trim() }));
  useEscape(onClose);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!supervisorNo.trim() || !password) return setProblem('请输入主管工号和密码。');
    if (reason.trim().length < 2) return setProblem('请填写撤销原因（至少 2 个字）。');
    setProblem(null);
    const r = await act.run();
    if (!r) return;
    if (r.outcome === 'reversed') onReversed(r.settlement);
    else act.setError(noticeOf(r));
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog form" role="dialog" aria-modal="true" aria-labelledby="reverse-title" onSubmit={submit} data-testid="reverse-dialog">
        <h3 id="reverse-title">撤销结算（主管授权）</h3>
        <p>
          结算ID {settlement.setlId}，总费用 {yuanText(settlement.breakdown.medfeeSumamtFen)}。撤销后需重新结算，请确认患者在场。
        </p>
        <RefundsOfReversal settlement={settlement} />
        <label>
          主管工号
          <input autoFocus value={supervisorNo} onChange={(e) => setNo(e.target.value)} name="supervisorNo" autoComplete="off" />
        </label>
        <label>
          主管密码
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} name="supervisorPassword" autoComplete="off" />
        </label>
        <label>
          撤销原因
          <input value={reason} onChange={(e) => setReason(e.target.value)} name="reason" maxLength={200} autoComplete="off" />
        </label>
        {problem && <p className="field-error">{problem}</p>}
        {act.error && <ErrorNotice error={act.error} />}
        <div className="actions">
          <button type="submit" className="danger" disabled={act.busy} data-testid="reverse-confirm">
            {act.busy ? '正在撤销…' : '确认撤销（Enter）'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            取消（Esc）
          </button>
        </div>
      </form>
    </div>
  );
}
