import { z } from 'zod';
import { DateTime, Fen } from './common.ts';
import { PaymentMethod } from './admission.ts';

/**
 * A refund owed to the patient, as every screen and the 退费凭条 show it (docs/payments.md "Refund states").
 * `refunding` (退款中): asked for; the gateway has not confirmed it, or the cash is not handed out yet.
 * `refunded` (已退): the gateway confirmed it (its refund request numbers), or the cashier confirmed handing it out.
 * `attention` (退款失败/待人工处理): the gateway refused; an operator decides (with `note`, the gateway's reason).
 */
export const RefundState = z.enum(['refunding', 'refunded', 'attention']);
export type RefundState = z.infer<typeof RefundState>;

export const RefundView = z.object({
  refundId: z.string(),
  admissionId: z.string(),
  settlementId: z.string().nullable(),
  /** settlement = 多退 of 多退少补; cancellation = a cancelled stay's deposit; reversal = after 2305. */
  reason: z.enum(['settlement', 'cancellation', 'reversal']),
  amountFen: Fen,
  method: PaymentMethod,
  state: RefundState,
  /** 退费凭条 number. */
  receiptNo: z.string(),
  requestedAt: DateTime,
  doneAt: DateTime.nullable(),
  /** Who completed it: 'gateway', or the cashier's number. */
  doneBy: z.string().nullable(),
  /** Counter refunds (cash, bank card): where the patient collects it (the configured window). Null for the gateway. */
  counterWindow: z.string().nullable(),
  /** The POS reference of a card refund, when the cashier gave one. */
  posRef: z.string().nullable(),
  note: z.string().nullable(),
  /** A refused gateway refund asked again by an operator: how often so far, of at most `max` (null: not a gateway refund). */
  gatewayRetries: z.object({ count: z.number().int(), max: z.number().int() }).nullable().optional(),
  /** Through the gateway, by the original orders: each order's 交易号 and the refund's request number. */
  gateway: z.array(
    z.object({
      outTradeNo: z.string(),
      tradeNo: z.string().nullable(),
      outRequestNo: z.string(),
      amountFen: Fen,
      state: z.enum(['pending', 'done', 'attention']),
    }),
  ),
});
export type RefundView = z.infer<typeof RefundView>;
