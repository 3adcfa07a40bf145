import { useState, type FormEvent } from 'react';
import type { PaymentDayEnd } from '../../contract/dto/payments.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDate, terminalDay, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { DayInput } from '../components/DayInput.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

const KIND_TEXT: Record<PaymentDayEnd['mismatches'][number]['kind'], string> = {
  'missing-locally': '支付平台已收、本地未入账',
  'missing-at-gateway': '本地已记、对账单无',
  'amount-differs': '金额不一致',
  'not-final': '仍在确认中',
};
// Cash and bank-card POS appear here for the balances (少补) collected at the counter: docs/payments.md.
const CHANNEL_TEXT: Record<string, string> = { alipay: '支付宝', cash: '现金（补缴）', 'bank-card': '银行卡 POS（补缴）' };

/** 扫码支付日终对账: the day's gateway orders per channel and operator against the gateway's statement; printable. */
export function PaymentDayEndView({ status }: { status: TerminalStatus }) {
  const kiosk = useKiosk();
  const [date, setDate] = useState(() => terminalDay(status));
  const [report, setReport] = useState<PaymentDayEnd | null>(null);
  const act = useAction((d: string) => kiosk.payments.dayEnd({ date: d }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await act.run(date);
    if (r) setReport(r);
  };
  return (
    <section className="panel" data-testid="payment-day-end">
      <h2>扫码支付日终对账</h2>
      <form className="inline-form" onSubmit={submit}>
        <DayInput label="扫码支付对账日期" value={date} onChange={setDate} name="payment-day-end-date" />
        <button type="submit" className="primary" disabled={act.busy} data-testid="payment-day-end-run">
          与支付平台对账单核对
        </button>
      </form>
      {act.error && <ErrorNotice error={act.error} />}
      {report && (
        <>
          <h3 className={`verdict ${report.gatewayAgrees ? 'ok' : 'warn'}`} data-testid="payment-day-end-verdict">
            {report.gatewayAgrees ? `${chineseDate(report.date)} 与支付平台对账一致` : `${chineseDate(report.date)} ${report.gatewayMessage ?? '对账有差异，请核查'}`}
          </h3>
          <table className="figures">
            <thead>
              <tr>
                <th>渠道 / 操作员</th>
                <th>笔数</th>
                <th>收款</th>
                <th>退款</th>
              </tr>
            </thead>
            <tbody>
              {report.channels.map((c) => (
                <tr key={`c-${c.channel}`}>
                  <td>{CHANNEL_TEXT[c.channel] ?? c.channel}</td>
                  <td>{c.count}</td>
                  <td className="money">{yuanText(c.paidFen)}</td>
                  <td className="money">{yuanText(c.refundedFen)}</td>
                </tr>
              ))}
              {report.operators.map((o) => (
                <tr key={`o-${o.opterNo}`}>
                  <td>操作员 {o.opterNo}</td>
                  <td>{o.count}</td>
                  <td className="money">{yuanText(o.paidFen)}</td>
                  <td className="money">{yuanText(o.refundedFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.mismatches.length > 0 && (
            <table className="figures" data-testid="payment-day-end-mismatches">
              <thead>
                <tr>
                  <th>差异</th>
                  <th>商户订单号</th>
                  <th>说明</th>
                </tr>
              </thead>
              <tbody>
                {report.mismatches.map((m) => (
                  <tr key={`${m.kind}-${m.outTradeNo}-${m.detail}`}>
                    <td>{KIND_TEXT[m.kind]}</td>
                    <td>{m.outTradeNo}</td>
                    <td>{m.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="actions">
            <button type="button" className="secondary" onClick={() => window.print()} data-testid="payment-day-end-print">
              打印对账结果
            </button>
          </div>
        </>
      )}
    </section>
  );
}
