import type { PaymentOrderView, PaymentState } from '../../contract/dto/payments.ts';
import type { PaymentOrder, PaymentOrderState } from '../../db/repositories/payment-orders.ts';

const STATE: Record<PaymentOrderState, PaymentState> = {
  created: 'checking',
  awaiting: 'awaiting-buyer',
  paid: 'paid',
  applied: 'applied',
  refunding: 'refunding',
  refunded: 'refunded',
  closed: 'closed',
  attention: 'attention',
};

export function orderView(o: PaymentOrder, now: Date): PaymentOrderView {
  return {
    outTradeNo: o.outTradeNo,
    channel: o.channel,
    scene: o.scene,
    purpose: o.purpose,
    admissionId: o.iptNo,
    amountFen: o.amountFen,
    state: STATE[o.state],
    qrCode: o.state === 'awaiting' || o.state === 'created' ? o.qrCode : null,
    expiresAt: o.expiresAt,
    secondsLeft: Math.max(0, Math.floor((o.expiresAt - now.getTime()) / 1000)),
    tradeNo: o.tradeNo,
    tenderedFen: o.tenderedFen,
    message: o.state === 'closed' || o.state === 'attention' || o.state === 'refunding' || o.state === 'refunded' ? o.note : null,
  };
}
