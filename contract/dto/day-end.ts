import { z } from 'zod';
import { AuditChainCheck, DateTime, Day, Fen } from './common.ts';

/**
 * 收款员日结 (the cashier's day-end): what an operator took in and paid out over a range of China days, per
 * payment channel, with the day's settlements net of their reversals and the cash to hand in. One service
 * function computes it (services/reconciliation/day-end-report.ts); the counter's screen, the printed
 * document and `kiosk day-end` all show this one value, so they agree to the fen.
 */

/** How money moved at the counter (db/repositories/money.ts PaymentMethod). */
export const MoneyChannel = z.enum(['cash', 'bank-card', 'alipay', 'wechat']);
export type MoneyChannel = z.infer<typeof MoneyChannel>;

/**
 * One channel of one operator: 预交金 taken, 补缴 (少补) collected, 多退 refunds actually paid, and 作废 of
 * mistaken 预交金 (counted on the day of the void, in the drawer of the cashier who took the deposit).
 */
export const ChannelFigures = z.object({
  channel: MoneyChannel,
  depositCount: z.number().int(),
  depositFen: Fen,
  balanceDueCount: z.number().int(),
  balanceDueFen: Fen,
  /** Refunds paid (已退): cash handed out, POS refunds, gateway refunds the gateway confirmed. */
  refundCount: z.number().int(),
  refundFen: Fen,
  /** 作废: deposits of this drawer voided by a supervisor in the range (never by deleting the deposit). */
  voidCount: z.number().int(),
  voidFen: Fen,
  /** deposit + balance due − voids − refunds paid. */
  netFen: Fen,
});
export type ChannelFigures = z.infer<typeof ChannelFigures>;

/**
 * The money of 医保结算, split as the platform splits it: 总费用 (medfee_sumamt), 统筹基金 (fund_pay_sumamt),
 * 个人账户 (acct_pay), 个人现金 (psn_cash_pay). One shape for a range's totals and for each line under them.
 */
export const SettlementMoney = z.object({
  medfeeFen: Fen,
  fundFen: Fen,
  acctFen: Fen,
  psnCashFen: Fen,
});
export type SettlementMoney = z.infer<typeof SettlementMoney>;

/**
 * 医保结算 of the range, net of reversals: a settlement reversed (2305) within the range nets to zero; a
 * reversal of a settlement made before the range counts −1 and its amounts negated.
 */
export const SettlementFigures = SettlementMoney.extend({
  settledCount: z.number().int(),
  reversedCount: z.number().int(),
  netCount: z.number().int(),
});
export type SettlementFigures = z.infer<typeof SettlementFigures>;

export const OperatorFigures = z.object({
  /** Empty string: movements recorded without an operator (older records). */
  opterNo: z.string(),
  name: z.string().nullable(),
  channels: z.array(ChannelFigures),
  settlements: SettlementFigures,
  /** Cash in (预交金 + 补缴 in cash, less voided cash 预交金) − cash out (cash refunds paid) = the cash the operator hands in. */
  cash: z.object({ inFen: Fen, outFen: Fen, handInFen: Fen }),
  refundsInFlight: z.object({ count: z.number().int(), fen: Fen }),
});
export type OperatorFigures = z.infer<typeof OperatorFigures>;

/** One settlement event in the range, for the list under the totals (a reversed pair shows as two lines). */
export const SettlementLine = SettlementMoney.extend({
  settlementId: z.string(),
  iptNo: z.string(),
  setlId: z.string().nullable(),
  opterNo: z.string(),
  kind: z.enum(['settle', 'reversal']),
  at: DateTime,
  /** Settle lines: reversed in the range (the pair nets to zero), reversed later, or standing. */
  status: z.enum(['standing', 'reversed-in-range', 'reversed-later', 'reversal']),
});
export type SettlementLine = z.infer<typeof SettlementLine>;

/** One counted money movement (预交金, 补缴, a paid refund or a 作废), for the receipt list under the totals. */
export const MoneyLine = z.object({
  kind: z.enum(['deposit', 'balance-due', 'refund', 'void']),
  /** When it counts: received, (a refund) paid, (a void) voided. */
  at: DateTime,
  iptNo: z.string(),
  receiptNo: z.string(),
  opterNo: z.string(),
  channel: MoneyChannel,
  amountFen: Fen,
  /** A void: the supervisor who voided it (opterNo stays the cashier whose drawer it corrects). */
  voidedBy: z.string().optional(),
});
export type MoneyLine = z.infer<typeof MoneyLine>;

/** A 多退 not yet paid (退款中): queued with the gateway, or refused and waiting in the operator queue. */
export const RefundInFlight = z.object({
  iptNo: z.string(),
  receiptNo: z.string(),
  opterNo: z.string(),
  channel: MoneyChannel,
  amountFen: Fen,
  since: DateTime,
  state: z.enum(['refunding', 'attention']),
});
export type RefundInFlight = z.infer<typeof RefundInFlight>;

export const DayEndQuery = z.object({
  from: Day,
  /** Inclusive; default = from (one day). */
  to: Day.optional(),
  /** One operator's figures only; default = every operator, with the total. */
  opterNo: z.string().min(1).max(20).optional(),
});
export type DayEndQuery = z.infer<typeof DayEndQuery>;

export const DayEndReport = z.object({
  from: Day,
  to: Day,
  opterNo: z.string().nullable(),
  /** When the figures were read (China time). */
  generatedAt: DateTime,
  operators: z.array(OperatorFigures),
  total: OperatorFigures,
  settlementLines: z.array(SettlementLine),
  moneyLines: z.array(MoneyLine),
  refundsInFlight: z.array(RefundInFlight),
  /** The audit chain verified when the report was made; its head is printed (as on the 3201/3202 report). */
  auditChain: AuditChainCheck,
});
export type DayEndReport = z.infer<typeof DayEndReport>;
