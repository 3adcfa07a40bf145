import type { RefundView } from './dto/refunds.ts';

/**
 * The words of a refund, shared by the counter, the settlements list, the kiosk's farewell and the 退费凭条,
 * so every screen and the paper say the same state, amount and way back (docs/payments.md "Refund states").
 * `amount` is the amount already written as the caller writes money (screen: "1,234.00 元").
 */

export const REFUND_STATE_TEXT: Record<RefundView['state'], string> = {
  refunding: '退款中',
  refunded: '已退',
  attention: '退款失败，待人工处理',
};

const CHANNEL: Record<RefundView['method'], string> = { cash: '现金', 'bank-card': '银行卡', wechat: '微信', alipay: '支付宝' };

export function refundChannelText(r: Pick<RefundView, 'method'>): string {
  return CHANNEL[r.method];
}

/** 支付宝交易号 / 退款请求号 of a gateway refund, each original order once. */
export function refundNumbersText(r: Pick<RefundView, 'gateway'>): string {
  return r.gateway.map((g) => `交易号 ${g.tradeNo ?? g.outTradeNo}，退款请求号 ${g.outRequestNo}`).join('；');
}

/** One sentence: the state, the amount and where the money is or goes. */
export function refundSentence(r: RefundView, amount: string): string {
  const via = refundChannelText(r);
  if (r.state === 'attention') {
    return `${REFUND_STATE_TEXT.attention}：${amount}${r.note ? `（${r.note}）` : ''}，请到${r.counterWindow ?? '住院收费处'}咨询。`;
  }
  if (r.method === 'alipay') {
    return r.state === 'refunded'
      ? `已退：${amount} 已原路退回支付宝账户（${refundNumbersText(r)}）。`
      : `退款中：${amount} 正在原路退回支付宝账户，支付平台确认后到账（${refundNumbersText(r)}）。`;
  }
  if (r.state === 'refunded') return `已退：${amount} 已在${r.counterWindow}以${via}退还${r.posRef ? `（POS 参考号 ${r.posRef}）` : ''}。`;
  return r.method === 'cash'
    ? `退款中：${amount} 请带好预交金收据到${r.counterWindow}领取现金退款。`
    : `退款中：${amount} 请到${r.counterWindow}办理${via}退款。`;
}

/**
 * The same sentence for the patient at the kiosk. A refund the payment platform refused is the hospital's to
 * sort out: the patient is told where to ask, not the gateway's code or the state of the hospital's merchant
 * account (卖家余额不足), which the counter and the 退费凭条 keep for the cashier.
 */
export function patientRefundSentence(r: RefundView, amount: string): string {
  if (r.state === 'attention') return `退款暂未完成：${amount}，请到${r.counterWindow ?? '住院收费处'}咨询，工作人员会为您处理。`;
  return refundSentence(r, amount);
}
