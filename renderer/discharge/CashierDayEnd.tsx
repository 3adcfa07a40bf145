import { useState, type FormEvent } from 'react';
import { dateTimeText, dayEndRangeText, IN_FLIGHT_TITLE, lineTimeText, dayEndSections, handInNote, MONEY_CHANNEL_TEXT, moneyLineFen, moneyLineKindText, operatorText, REFUND_STATE_TEXT, SETTLEMENT_LINE_TEXT } from '../../contract/day-end-text.ts';
import type { DayEndQuery, DayEndReport, OperatorFigures } from '../../contract/dto/day-end.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { AuditChainLine } from './AuditChainLine.tsx';
import { useKiosk } from '../app/kiosk-context.tsx';
import { formatYuan, terminalDay } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { DayInput } from '../components/DayInput.tsx';
import { PrintButton } from '../components/Documents.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/**
 * 收款员日结: what the cashier took in and paid out over a range of days, per channel, with the settlements net
 * of their reversals and the cash to hand in; printed as the 收款员日结报表 (the documents service renders the
 * same report). Keyboard only: the first day is focused, Tab to the last day and the 工号 (the signed-in
 * cashier; empty = every cashier), Enter makes the report, Tab reaches 打印日结报表.
 */
export function CashierDayEnd({ status, opterNo }: { status: TerminalStatus; opterNo: string }) {
  const kiosk = useKiosk();
  const today = terminalDay(status);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [operator, setOperator] = useState(opterNo);
  const [shown, setShown] = useState<{ query: DayEndQuery; report: DayEndReport } | null>(null);
  const act = useAction((q: DayEndQuery) => kiosk.reconciliation.dayEnd(q));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const query: DayEndQuery = { from, to, ...(operator.trim() ? { opterNo: operator.trim() } : {}) };
    const report = await act.run(query);
    if (report) setShown({ query, report });
  };
  const r = shown?.report;
  const sections = r ? dayEndSections(r) : [];
  return (
    <section className="panel" data-testid="cashier-day-end">
      <h2>收款员日结</h2>
      <form className="inline-form" onSubmit={submit}>
        <DayInput label="日结日期 从" value={from} onChange={setFrom} autoFocus name="day-end-from" />
        <DayInput label="至" value={to} onChange={setTo} name="day-end-to" />
        <label className="inline-label">
          收款员工号（空 = 全部）
          <input value={operator} onChange={(e) => setOperator(e.target.value)} name="day-end-operator" autoComplete="off" size={8} maxLength={20} />
        </label>
        <button type="submit" className="primary" disabled={act.busy} data-testid="day-end-run">
          {act.busy ? '正在统计…' : '生成日结（Enter）'}
        </button>
      </form>
      {act.error && <ErrorNotice error={act.error} />}
      {r && shown && (
        <div data-testid="day-end-report" data-from={r.from} data-to={r.to}>
          <p className="muted" data-testid="day-end-range">
            {r.opterNo === null ? '全部收款员' : `收款员 ${operatorText(r.total.opterNo, r.total.name)}`}，{dayEndRangeText(r)}，生成于 {dateTimeText(r.generatedAt)}
          </p>
          {sections.map(({ figures, title }) => (
            <OperatorSection key={figures.opterNo || 'total'} o={figures} title={title} />
          ))}
          <SettlementLines r={r} />
          <MoneyLines r={r} />
          {r.refundsInFlight.length > 0 && <InFlight r={r} />}
          <AuditChainLine chain={r.auditChain} testId="day-end-audit" />
          <div className="actions">
            <PrintButton doc={{ kind: 'day-end-report', dayEnd: shown.query }} label="打印日结报表" />
          </div>
        </div>
      )}
    </section>
  );
}

/** One operator's (or the total's) figures; data-figure attributes name each figure for tests. */
function OperatorSection({ o, title }: { o: OperatorFigures; title: string }) {
  const who = o.opterNo || 'total';
  const s = o.settlements;
  const note = handInNote(o.cash.handInFen);
  return (
    <section className="day-end-operator" data-testid={`day-end-${who}`} aria-label={title}>
      <h3>{title}</h3>
      <table className="grid">
        <caption className="sr-only">{title} 按支付渠道</caption>
        <thead>
          <tr>
            <th>支付渠道</th>
            <th className="num">预交金笔数</th>
            <th className="num">预交金</th>
            <th className="num">补缴笔数</th>
            <th className="num">补缴（少补）</th>
            <th className="num">退款笔数</th>
            <th className="num">已退款（多退）</th>
            <th className="num">作废笔数</th>
            <th className="num">作废</th>
            <th className="num">净额</th>
          </tr>
        </thead>
        <tbody>
          {o.channels.map((c) => (
            <tr key={c.channel} data-channel={c.channel}>
              <td>{MONEY_CHANNEL_TEXT[c.channel]}</td>
              <td className="num">{c.depositCount}</td>
              <td className="num" data-figure="deposit">{formatYuan(c.depositFen)}</td>
              <td className="num">{c.balanceDueCount}</td>
              <td className="num" data-figure="balance-due">{formatYuan(c.balanceDueFen)}</td>
              <td className="num">{c.refundCount}</td>
              <td className="num" data-figure="refund">{formatYuan(c.refundFen)}</td>
              <td className="num">{c.voidCount}</td>
              <td className="num" data-figure="void">{formatYuan(c.voidFen)}</td>
              <td className="num" data-figure="net">{formatYuan(c.netFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid">
        <thead>
          <tr>
            <th className="num">结算笔数</th>
            <th className="num">撤销笔数</th>
            <th className="num">净结算笔数</th>
            <th className="num">医疗费总额</th>
            <th className="num">医保统筹基金</th>
            <th className="num">医保个人账户</th>
            <th className="num">个人现金</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="num" data-figure="settled-count">{s.settledCount}</td>
            <td className="num" data-figure="reversed-count">{s.reversedCount}</td>
            <td className="num" data-figure="net-count">{s.netCount}</td>
            <td className="num" data-figure="medfee">{formatYuan(s.medfeeFen)}</td>
            <td className="num" data-figure="fund">{formatYuan(s.fundFen)}</td>
            <td className="num" data-figure="acct">{formatYuan(s.acctFen)}</td>
            <td className="num" data-figure="psn-cash">{formatYuan(s.psnCashFen)}</td>
          </tr>
        </tbody>
      </table>
      <p className="day-end-cash">
        现金收入 <span data-figure="cash-in">{formatYuan(o.cash.inFen)}</span> 元 − 现金退款 <span data-figure="cash-out">{formatYuan(o.cash.outFen)}</span> 元 ={' '}
        <strong>
          应缴现金 <span data-figure="hand-in">{formatYuan(o.cash.handInFen)}</span> 元
        </strong>
        {o.refundsInFlight.count > 0 && (
          <span className="warn-text">
            {'　'}退款中 {o.refundsInFlight.count} 笔 {formatYuan(o.refundsInFlight.fen)} 元（未计入）
          </span>
        )}
      </p>
      {note && <p className="warn-text">{note}</p>}
    </section>
  );
}

function SettlementLines({ r }: { r: DayEndReport }) {
  if (r.settlementLines.length === 0) return <p className="muted">本期没有医保结算。</p>;
  return (
    <table className="grid" data-testid="day-end-settlements">
      <caption>医保结算明细（撤销的结算与其撤销相互抵消）</caption>
      <thead>
        <tr>
          <th>时间</th>
          <th>住院号</th>
          <th>结算ID</th>
          <th>收款员</th>
          <th>类型</th>
          <th className="num">医疗费总额</th>
          <th className="num">统筹基金</th>
          <th className="num">个人账户</th>
          <th className="num">个人现金</th>
        </tr>
      </thead>
      <tbody>
        {r.settlementLines.map((l) => (
          <tr key={`${l.settlementId}-${l.kind}`} data-kind={l.kind} data-status={l.status === 'standing' ? undefined : 'reversed'}>
            <td>{lineTimeText(r, l.at)}</td>
            <td>{l.iptNo}</td>
            <td>{l.setlId ?? '—'}</td>
            <td>{l.opterNo}</td>
            <td>{SETTLEMENT_LINE_TEXT[l.status]}</td>
            <td className="num">{formatYuan(l.medfeeFen)}</td>
            <td className="num">{formatYuan(l.fundFen)}</td>
            <td className="num">{formatYuan(l.acctFen)}</td>
            <td className="num">{formatYuan(l.psnCashFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every counted receipt and refund (the paper prints them all; on screen folded, Enter on the summary opens it). */
function MoneyLines({ r }: { r: DayEndReport }) {
  if (r.moneyLines.length === 0) return null;
  return (
    <details className="day-end-money-lines">
      <summary>收退款明细（{r.moneyLines.length} 笔，退款、作废为负）</summary>
      <table className="grid" data-testid="day-end-money-lines">
        <thead>
          <tr>
            <th>时间</th>
            <th>住院号</th>
            <th>收据/退款单号</th>
            <th>收款员</th>
            <th>类型</th>
            <th>渠道</th>
            <th className="num">金额</th>
          </tr>
        </thead>
        <tbody>
          {r.moneyLines.map((m) => (
            <tr key={`${m.kind}-${m.receiptNo}`} data-kind={m.kind}>
              <td>{lineTimeText(r, m.at)}</td>
              <td>{m.iptNo}</td>
              <td>{m.receiptNo}</td>
              <td>{m.opterNo}</td>
              <td>{moneyLineKindText(m)}</td>
              <td>{MONEY_CHANNEL_TEXT[m.channel]}</td>
              <td className="num">{formatYuan(moneyLineFen(m))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function InFlight({ r }: { r: DayEndReport }) {
  return (
    <table className="grid" data-testid="day-end-in-flight">
      <caption>{IN_FLIGHT_TITLE}</caption>
      <thead>
        <tr>
          <th>登记时间</th>
          <th>住院号</th>
          <th>退款单号</th>
          <th>收款员</th>
          <th>渠道</th>
          <th className="num">金额</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        {r.refundsInFlight.map((f) => (
          <tr key={f.receiptNo}>
            <td>{lineTimeText(r, f.since)}</td>
            <td>{f.iptNo}</td>
            <td>{f.receiptNo}</td>
            <td>{f.opterNo}</td>
            <td>{MONEY_CHANNEL_TEXT[f.channel]}</td>
            <td className="num">{formatYuan(f.amountFen)}</td>
            <td>{REFUND_STATE_TEXT[f.state]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
