import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { ReconciliationReport } from '../../contract/dto/operations.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDate, terminalDay, yuanText } from '../app/format.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { DayInput } from '../components/DayInput.tsx';
import { CLR_TYPE_TEXT, INSUTYPE_TEXT } from '../components/labels.ts';
import { AuditChainLine } from './AuditChainLine.tsx';

type Report = z.infer<typeof ReconciliationReport>;

const MISMATCH_TEXT: Record<string, string> = {
  'missing-locally': '平台有、本地无',
  'missing-on-platform': '本地有、平台无',
  'amount-differs': '金额不一致',
};

/** 医保日终对账: 3201 totals per insutype and clearing type, and the 3202 detail mismatches in plain words. */
export function Reconciliation({ status }: { status: TerminalStatus }) {
  const kiosk = useKiosk();
  const [date, setDate] = useState(() => terminalDay(status));
  const [report, setReport] = useState<Report | null>(null);
  const act = useAction((d: string) => kiosk.reconciliation.run({ date: d }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await act.run(date);
    if (r) setReport(r);
  };
  const ok = report && report.mismatches.length === 0 && report.totals.every((t) => t.platformAgrees);
  return (
    <section className="panel" data-testid="reconciliation">
      <h2>日终对账</h2>
      <form className="inline-form" onSubmit={submit}>
        <DayInput label="对账日期" value={date} onChange={setDate} name="reconcile-date" />
        <button type="submit" className="primary" disabled={act.busy} data-testid="reconcile-run">
          {act.busy ? '正在对账…' : '开始对账（Enter）'}
        </button>
      </form>
      {act.error && <ErrorNotice error={act.error} />}
      {report && (
        <>
          <h3 className={`verdict ${ok ? 'ok' : 'refused'}`} data-testid="reconcile-verdict">
            {ok ? `${chineseDate(report.date)} 对账一致` : `${chineseDate(report.date)} 对账有差异，请核查`}
          </h3>
          <table className="grid" data-testid="reconcile-totals">
            <thead>
              <tr>
                <th>险种</th>
                <th>清算类别</th>
                <th>笔数</th>
                <th>基金支付</th>
                <th>个人现金</th>
                <th>平台核对</th>
              </tr>
            </thead>
            <tbody>
              {report.totals.map((t) => (
                <tr key={`${t.insutype}-${t.clrType}`} className={t.platformAgrees ? undefined : 'mismatch'}>
                  <td>
                    {INSUTYPE_TEXT[t.insutype] ?? t.insutype}（{t.insutype}）
                  </td>
                  <td>
                    {CLR_TYPE_TEXT[t.clrType] ?? t.clrType}（{t.clrType}）
                  </td>
                  <td className="num">{t.localCount}</td>
                  <td className="num">{yuanText(t.localFundFen)}</td>
                  <td className="num">{yuanText(t.localCashFen)}</td>
                  <td>{t.platformAgrees ? '一致' : `不一致${t.platformMessage ? `：${t.platformMessage}` : ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.mismatches.length > 0 && (
            <table className="grid" data-testid="reconcile-mismatches">
              <thead>
                <tr>
                  <th>差异</th>
                  <th>结算ID</th>
                  <th>报文ID</th>
                  <th>说明</th>
                </tr>
              </thead>
              <tbody>
                {report.mismatches.map((m, i) => (
                  <tr key={i}>
                    <td>{MISMATCH_TEXT[m.kind] ?? m.kind}</td>
                    <td>{m.setlId ?? '—'}</td>
                    <td>{m.msgid ?? '—'}</td>
                    <td>{m.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <AuditChainLine chain={report.auditChain} testId="reconcile-audit" />
        </>
      )}
    </section>
  );
}
