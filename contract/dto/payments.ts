import { z } from 'zod';
import { DateTime, Day, Fen, Id } from './common.ts';

/**
 * Money through the payment gateway (docs/payments.md). A screen shows money as paid only when `state` is
 * `applied` (the gateway confirmed it and the deposit is recorded); `checking` means the outcome is being
 * confirmed with the gateway and must be said so, never "failed".
 */
export const PaymentPurpose = z.enum(['deposit', 'balance-due']);

export const PaymentState = z.enum([
  'checking', // written; the gateway's answer is not known yet (being confirmed by query)
  'awaiting-buyer', // the QR is shown / the patient confirms on the phone
  'paid', // confirmed by the gateway; being recorded
  'applied', // confirmed and recorded as the stay's 预交金
  'refunding', // paid, but the hospital step failed: being refunded to the original account
  'refunded',
  'closed', // not paid (abandoned, declined, expired)
  'attention', // an operator must look (the payment queue)
]);
export type PaymentState = z.infer<typeof PaymentState>;

/** alipay through the payment gateway; cash and bank-card (POS) taken by a cashier (the balance due only). */
export const PaymentChannel = z.enum(['alipay', 'cash', 'bank-card']);

export const PaymentOrderView = z.object({
  outTradeNo: z.string(),
  channel: PaymentChannel,
  /** qr = C扫B, bar_code = B扫C, counter = cash / POS at a counter. */
  scene: z.enum(['qr', 'bar_code', 'counter']),
  purpose: PaymentPurpose,
  admissionId: z.string(),
  amountFen: Fen,
  state: PaymentState,
  /** What the patient's phone scans (C扫B), while awaiting-buyer. */
  qrCode: z.string().nullable(),
  /** Epoch ms (terminal clock) after which the QR is closed. */
  expiresAt: z.number().int(),
  /** Seconds left to pay, as of this view (the screen's countdown; its own clock may differ). */
  secondsLeft: z.number().int().min(0),
  /** 支付宝交易号 once paid. */
  tradeNo: z.string().nullable(),
  /** Why it was closed or needs attention, in Chinese. */
  message: z.string().nullable(),
  /** Cash handed over at the counter (the change is tenderedFen − amountFen). */
  tenderedFen: Fen.nullable().optional(),
});
export type PaymentOrderView = z.infer<typeof PaymentOrderView>;

/**
 * 少补: a settlement's balance due and what has been collected toward it (every channel). `outstandingFen`
 * is the 待补缴 every screen and document shows; money counts as collected only once recorded (`payments`).
 */
export const BalanceDueView = z.object({
  admissionId: z.string(),
  settlementId: z.string(),
  /** The settlement's 应补缴. */
  dueFen: Fen,
  paidFen: Fen,
  /** 待补缴: still to collect. */
  outstandingFen: Fen,
  /** Collections recorded toward it (cash, bank-card POS, 支付宝), oldest first. */
  payments: z.array(PaymentOrderView),
  /** A gateway order for it not final yet: nobody takes the money twice meanwhile. */
  open: PaymentOrderView.nullable(),
});
export type BalanceDueView = z.infer<typeof BalanceDueView>;

/** The cashier took the balance by hand: cash (amount handed over, for the change) or a bank-card POS (its 参考号). */
export const CollectBalance = z
  .object({
    admissionId: Id,
    channel: z.enum(['cash', 'bank-card']),
    amountFen: Fen.positive().max(100_000_000),
    tenderedFen: Fen.positive().max(100_000_000).optional(),
    posReference: z
      .string()
      .regex(/^[0-9A-Za-z]{6,32}$/, 'POS 参考号为 6–32 位字母或数字')
      .optional(),
  })
  .refine((c) => c.channel !== 'bank-card' || c.posReference !== undefined, { message: '银行卡收款须填写 POS 参考号', path: ['posReference'] })
  .refine((c) => c.channel !== 'cash' || c.tenderedFen !== undefined, { message: '现金收款须填写实收金额', path: ['tenderedFen'] });
export type CollectBalance = z.infer<typeof CollectBalance>;

export const StartPayment = z.object({ admissionId: Id, amountFen: Fen.positive().max(100_000_000), purpose: PaymentPurpose.default('deposit') });

/** A 付款码 as the scanner reads it: 16–24 digits starting 25–30 (Alipay's ranges). */
export const AuthCode = z.string().regex(/^(2[5-9]|30)\d{14,22}$/, '付款码格式不正确');

export const PaymentDayEnd = z.object({
  date: Day,
  channels: z.array(z.object({ channel: z.string(), count: z.number().int(), paidFen: Fen, refundedFen: Fen })),
  operators: z.array(z.object({ opterNo: z.string(), count: z.number().int(), paidFen: Fen, refundedFen: Fen })),
  gatewayAgrees: z.boolean(),
  gatewayMessage: z.string().nullable(),
  mismatches: z.array(
    z.object({
      kind: z.enum(['missing-locally', 'missing-at-gateway', 'amount-differs', 'not-final']),
      outTradeNo: z.string(),
      detail: z.string(),
    }),
  ),
});
export type PaymentDayEnd = z.infer<typeof PaymentDayEnd>;

/**
 * One 预交金 or 补缴 row of a stay as the desk and the counter list it, with its 作废 (void) when a supervisor
 * voided it. A voided deposit stays listed (never deleted) and no longer counts in the stay's 预交金.
 */
export const DepositView = z.object({
  depositId: Id,
  admissionId: Id,
  kind: z.enum(['deposit', 'balance-due']),
  method: z.enum(['cash', 'bank-card', 'alipay', 'wechat']),
  amountFen: Fen,
  receiptNo: z.string(),
  /** Who took it (empty: older rows without an operator). */
  opterNo: z.string(),
  receivedAt: DateTime,
  void: z.object({ reason: z.string(), opterNo: z.string(), at: DateTime }).nullable(),
  /** Why a supervisor cannot void it now, in Chinese (null: it can be voided). */
  voidRefusal: z.string().nullable(),
});
export type DepositView = z.infer<typeof DepositView>;

/**
 * A stay's deposit rows and its 预交金 that stands (voided ones left out); `heldFen` is what the hospital still
 * holds after refunds (services/money/stay-figures.ts), the 预交金 every other screen of the stay shows.
 */
export const StayDeposits = z.object({ admissionId: Id, depositsFen: Fen, heldFen: Fen, deposits: z.array(DepositView) });
export type StayDeposits = z.infer<typeof StayDeposits>;

/** 作废 of a mistaken cash / bank-card POS deposit: a supervisor, with a reason. */
export const VoidDeposit = z.object({ depositId: Id, reason: z.string().trim().min(2).max(200) });
export type VoidDeposit = z.infer<typeof VoidDeposit>;
