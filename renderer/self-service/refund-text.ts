import type { z } from 'zod';
import type { PaymentMethod } from '../../contract/dto/admission.ts';
import { PAYMENT_TEXT } from '../components/labels.ts';

type Method = z.infer<typeof PaymentMethod>;

/**
 * What happens to a refund, by how the deposits were paid: cash is collected at the window (with the
 * receipt); one electronic channel is refunded back to it; several channels (or none known) are settled at the
 * window. Never "按原支付方式退回" for cash, which has no way back but the window.
 */
export function refundText(amount: string, methods: readonly Method[] | undefined, window: string): string {
  const paid = methods ?? [];
  if (paid.length === 1 && paid[0] === 'cash') return `应退还您 ${amount}：预交金是现金缴纳的，请带好预交金收据到${window}领取现金退款。`;
  if (paid.length === 1) return `应退还您 ${amount}，将原路退回到您缴纳预交金时使用的${PAYMENT_TEXT[paid[0]!] ?? '账户'}。`;
  if (paid.length > 1) return `应退还您 ${amount}：预交金以${paid.map((m) => PAYMENT_TEXT[m] ?? m).join('、')}缴纳，请带好预交金收据到${window}办理退款。`;
  return `应退还您 ${amount}，请带好预交金收据到${window}办理退款。`;
}
