import type { SettlementBreakdown } from '../../contract/dto/settlement.ts';
import { yuanText } from '../app/format.ts';

/** 应补 (collect from the patient) or 应退 (refund) in words, from the signed due amount. */
export function dueText(b: SettlementBreakdown): { label: string; amount: string; kind: 'collect' | 'refund' | 'even' } {
  if (b.dueFen > 0) return { label: '应补缴', amount: yuanText(b.dueFen), kind: 'collect' };
  if (b.dueFen < 0) return { label: '应退还', amount: yuanText(-b.dueFen), kind: 'refund' };
  return { label: '无需补退', amount: yuanText(0), kind: 'even' };
}

/**
 * The pre-settlement (2303) or settlement (2304) split with the counter's 多退少补. Rows follow the 结算单:
 * total, the three funds, the personal account, personal cash, then the deposit and what is due either way.
 */
export function BreakdownTable({ breakdown: b, detailed = true }: { breakdown: SettlementBreakdown; detailed?: boolean }) {
  const due = dueText(b);
  const rows: Array<[string, number, string]> = [
    ['总费用', b.medfeeSumamtFen, 'medfee'],
    ...(detailed
      ? ([
          ['其中：全自费', b.fulamtOwnpayFen, 'fulamt'],
          ['其中：超限价自费', b.overlmtSelfpayFen, 'overlmt'],
          ['其中：先行自付', b.preselfpayFen, 'preselfpay'],
          ['符合政策范围', b.inscpScpFen, 'inscp'],
          ['本次起付线', b.actPayDedcFen, 'dedc'],
        ] as Array<[string, number, string]>)
      : []),
    ['统筹基金支付', b.hifpPayFen, 'hifp'],
    ['大病保险支付', b.hifmiPayFen, 'hifmi'],
    ['医疗救助支付', b.mafPayFen, 'maf'],
    ['个人账户支付', b.acctPayFen, 'acct'],
    ['个人现金支付', b.psnCashPayFen, 'cash'],
    ['已交预交金', b.depositFen, 'deposit'],
  ];
  return (
    <table className="breakdown" data-testid="breakdown">
      <tbody>
        {rows.map(([label, fen, key]) => (
          <tr key={key} data-row={key} className={label.startsWith('其中') ? 'sub' : undefined}>
            <th scope="row">{label}</th>
            <td className="num">{yuanText(fen)}</td>
          </tr>
        ))}
        <tr data-row="due" className={`due ${due.kind}`} data-testid="breakdown-due" data-due-kind={due.kind}>
          <th scope="row">{due.label}</th>
          <td className="num">{due.amount}</td>
        </tr>
      </tbody>
    </table>
  );
}
