import { z } from 'zod';
import { DateTime, Explained, Fen, Refused, Waiting } from './common.ts';

/** The split of a bill (2303 / 2304 output) plus the counter's 多退少补 against the deposits. */
export const SettlementBreakdown = z.object({
  medfeeSumamtFen: Fen, // 总费用
  fulamtOwnpayFen: Fen, // 全自费
  overlmtSelfpayFen: Fen, // 超限价自费
  preselfpayFen: Fen, // 先行自付
  inscpScpFen: Fen, // 符合政策范围
  actPayDedcFen: Fen, // 起付线
  hifpPayFen: Fen, // 统筹基金
  hifmiPayFen: Fen, // 大病保险
  mafPayFen: Fen, // 医疗救助
  fundPaySumamtFen: Fen,
  acctPayFen: Fen, // 个人账户
  psnCashPayFen: Fen, // 个人现金
  depositFen: Fen, // 预交金
  dueFen: Fen, // > 0 应补 (collect), < 0 应退 (refund)
});
export type SettlementBreakdown = z.infer<typeof SettlementBreakdown>;

export const PreSettlement = z.object({
  admissionId: z.string(),
  breakdown: SettlementBreakdown,
  pinRequired: z.boolean(),
  refusedLines: z.array(z.object({ feedetlSn: z.string(), reason: z.string() })),
  computedAt: DateTime,
});

export const SettlementView = z.object({
  settlementId: z.string(),
  admissionId: z.string(),
  setlId: z.string(),
  msgid: z.string(),
  breakdown: SettlementBreakdown,
  settledAt: DateTime,
  status: z.enum(['settled', 'reversed']),
});
export type SettlementView = z.infer<typeof SettlementView>;

/** discharge.preSettle: the split to show the patient, or why there is none yet. */
export const PreSettleOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('presettled'), preSettlement: PreSettlement }),
  Waiting,
  /** A settlement of this stay is already under way (a crash or a timeout): `settle` resumes it, never twice. */
  z.object({ outcome: z.literal('settlement-in-progress'), ...Explained }),
  Refused,
]);
export type PreSettleOutcome = z.infer<typeof PreSettleOutcome>;

/** discharge.settle: settled; waiting (it goes on: call again to resume); the card PIN first; refused. */
export const SettleOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('settled'), settlement: SettlementView }),
  Waiting,
  z.object({ outcome: z.literal('pin-required'), ...Explained }),
  Refused,
]);
export type SettleOutcome = z.infer<typeof SettleOutcome>;

/** discharge.reverse (2305): reversed; waiting (it goes on); refused (the settlement stands). */
export const ReverseOutcome = z.discriminatedUnion('outcome', [z.object({ outcome: z.literal('reversed'), settlement: SettlementView }), Waiting, Refused]);
export type ReverseOutcome = z.infer<typeof ReverseOutcome>;

export const DocumentKind = z.enum(['settlement-sheet', 'fee-list', 'admission-slip', 'deposit-receipt', 'day-end-report', 'refund-slip']);
export const RenderedDocument = z.object({
  kind: DocumentKind,
  title: z.string(),
  html: z.string(),
  /** PDF as base64, present when asked for. */
  pdfBase64: z.string().nullable(),
  media: z.enum(['roll-80mm', 'a4']),
});
