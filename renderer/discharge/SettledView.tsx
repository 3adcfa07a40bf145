import { useState } from 'react';
import type { SettlementView } from '../../contract/dto/settlement.ts';
import { BreakdownTable, dueText } from '../components/BreakdownTable.tsx';
import { DocumentPreview, PrintButton } from '../components/Documents.tsx';
import { RefundList } from '../payment/RefundList.tsx';
import { chineseDateTime } from '../app/format.ts';
import { BalanceDueDesk } from '../payment/BalanceDue.tsx';

/** A finished settlement: the split, what to refund or the balance to collect (少补), the 结算单 and 费用清单 to print. */
export function SettledView({ settlement: s, onDone }: { settlement: SettlementView; onDone: () => void }) {
  const due = dueText(s.breakdown);
  // The 结算单 preview is drawn again once a collection is recorded (its 已补缴 / 待补缴 lines change).
  const [paidFen, setPaidFen] = useState(0);
  return (
    <section className="panel" data-testid="settled" data-status={s.status}>
      <h2 className="verdict ok">{s.status === 'reversed' ? '该结算已撤销' : '结算完成'}</h2>
      {/* 少补: 待补缴 until the cashier (or the gateway) has really taken it; nothing is assumed collected. */}
      {due.kind === 'collect' && s.status === 'settled' ? (
        <BalanceDueDesk admissionId={s.admissionId} onBalance={(b) => setPaidFen(b.paidFen)} />
      ) : (
        <p className={`due-callout ${due.kind}`} data-testid="settled-due" data-due-kind={due.kind}>
          {due.kind === 'refund' ? `应退还患者 ${due.amount}` : due.kind === 'collect' ? `应补缴 ${due.amount}` : '无需补退'}
        </p>
      )}
      <p className="muted">
        结算ID {s.setlId} · 报文ID {s.msgid} · {chineseDateTime(s.settledAt)}
      </p>
      {due.kind === 'refund' && <RefundList admissionId={s.admissionId} settlementId={s.settlementId} staff />}
      <BreakdownTable breakdown={s.breakdown} />
      <div className="actions">
        <PrintButton doc={{ kind: 'settlement-sheet', settlementId: s.settlementId, admissionId: s.admissionId }} />
        <PrintButton doc={{ kind: 'fee-list', admissionId: s.admissionId, settlementId: s.settlementId }} />
        <button type="button" className="primary" autoFocus={due.kind !== 'collect'} onClick={onDone} data-testid="settled-done">
          完成（Enter）
        </button>
      </div>
      <DocumentPreview key={paidFen} doc={{ kind: 'settlement-sheet', settlementId: s.settlementId, admissionId: s.admissionId }} />
    </section>
  );
}
