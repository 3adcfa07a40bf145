import type { RefundView } from '../../contract/dto/refunds.ts';
import { REFUND_STATE_TEXT, refundChannelText, refundSentence } from '../../contract/refund-text.ts';
import type { DocumentFacts } from './facts.ts';
import { esc, grid, kvLines, page, yuan, type Media } from './html.ts';
import { rmbUppercase } from './rmb-uppercase.ts';

const REASON_TEXT: Record<RefundView['reason'], string> = { settlement: '出院结算多退', cancellation: '入院撤销退预交金', reversal: '结算撤销退费' };

/**
 * 退费凭条 for one refund: its state as the screens show it (退款中 / 已退 / 待人工处理, the same words), the
 * channel and, through the gateway, each original order's 交易号 and the refund's 退款请求号; at the counter,
 * the window that hands it out and who confirmed it.
 */
export function renderRefundSlip(f: DocumentFacts, media: Media, r: RefundView): string {
  const title = '住院退费凭条';
  const pairs: Array<[string, string]> = [
    ['凭条号', r.receiptNo],
    ['住院号', f.visit.iptNo],
    ['姓名', f.patient.name],
    ['科室', f.visit.deptName],
    ['款项', REASON_TEXT[r.reason]],
    ['金额', `${yuan(r.amountFen)} 元`],
    ['大写', rmbUppercase(r.amountFen)],
    ['退款方式', r.method === 'alipay' ? '支付宝原路退回' : `${refundChannelText(r)}（${r.counterWindow ?? ''}）`],
    ['状态', REFUND_STATE_TEXT[r.state]],
    ...r.gateway.flatMap((g): Array<[string, string]> => [
      ['交易号', g.tradeNo ?? '—'],
      ['商户订单号', g.outTradeNo],
      ['退款请求号', g.outRequestNo],
    ]),
    ...(r.posRef ? ([['POS 参考号', r.posRef]] as Array<[string, string]>) : []),
    ['申请时间', r.requestedAt],
    ...(r.doneAt ? ([['退款时间', r.doneAt]] as Array<[string, string]>) : []),
    ...(r.doneBy && r.doneBy !== 'gateway' ? ([['经办人', r.doneBy]] as Array<[string, string]>) : []),
  ];
  const sentence = refundSentence(r, `${yuan(r.amountFen)} 元`);
  const body =
    media === 'a4'
      ? `<h1>${esc(title)}</h1><div class="sub">${esc(f.hospital.name)}</div>${grid(pairs, 2)}
<div class="foot">${esc(sentence)} 打印时间：${esc(f.printedAt)}</div><div class="sign"><span>经办人：</span><span>领款人签字：</span></div>`
      : `<h1>${esc(f.hospital.name)}</h1><div class="sub">${esc(title)}</div>${kvLines(pairs)}
<div class="rule"></div><div class="foot">${esc(sentence)}<br>${esc(f.printedAt)} ${esc(f.terminalName)}</div>`;
  return page({ title, media, body });
}
