import type { PaymentOrderView } from '../../contract/dto/payments.ts';

/**
 * What the patient or cashier is told when a 付款码 arrives that the panel cannot take now. A scan is never
 * dropped without a word: either it starts a payment, or one of these says why and what to do.
 */
export function whyNotNow(busy: boolean, order: PaymentOrderView | null): string | null {
  if (busy) return '正在处理上一笔付款，请稍候。如未成功，请再次扫码。';
  if (!order || order.state === 'closed') return null;
  switch (order.state) {
    case 'awaiting-buyer':
      return '上一笔付款正在等待手机上确认，请先在手机上完成，无需再次扫码。';
    case 'checking':
    case 'paid':
      return '正在确认上一笔付款的结果，请稍候，无需再次扫码。';
    case 'applied':
      return '本笔已支付成功，无需再次扫码。';
    case 'refunding':
    case 'refunded':
    case 'attention':
      return '本笔付款未能入账，请按屏幕提示办理，无需再次扫码。';
  }
}

/** A burst at the scanner that was not a whole 付款码 (a partial read, or another code). */
export const UNREAD_SCAN = '没有读到完整的付款码，请重新扫码。';

/** What a typed 付款码 must look like; null when it does. */
export function typedCodeProblem(code: string): string | null {
  return /^\d{16,24}$/.test(code) ? null : '付款码应为 16–24 位数字，请核对后重新输入，或用扫码枪扫码。';
}
