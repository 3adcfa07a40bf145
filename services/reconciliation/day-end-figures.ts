import { chinaDateTime } from '../../base/china-time.ts';
import type { ChannelFigures, MoneyChannel, MoneyLine, OperatorFigures, RefundInFlight, SettlementFigures, SettlementLine } from '../../contract/dto/day-end.ts';

/**
 * The cashier's day-end figures from the day's facts. Pure: day-end-facts.ts reads the store, this adds up.
 *
 * Money is counted when it moved: a deposit or 补缴 when received, a refund when it was actually paid (cash
 * handed out, a POS refund, a gateway refund the gateway confirmed). A refund recorded but not yet paid is
 * 退款中: listed, never counted as paid. Settlements are counted net of reversals: a 2304 counts +1 on the
 * moment it took effect, its 2305 counts −1 with the amounts negated on the moment the reversal took effect,
 * so a pair inside the range nets to zero and a reversal of an earlier settlement shows as −1.
 */

export interface MoneyFact {
  kind: 'deposit' | 'balance-due' | 'refund' | 'void';
  iptNo: string;
  receiptNo: string;
  channel: MoneyChannel;
  amountFen: number;
  opterNo: string;
  /** Received (deposit, balance due), recorded (refund) or voided (void), epoch ms. */
  at: number;
  /** Voids only: the supervisor who voided the deposit (opterNo is the cashier who took it). */
  voidedBy?: string;
  /** Refunds only: paid (at paidAt), being refunded, or refused and waiting for an operator. */
  refund?: { state: 'paid'; paidAt: number } | { state: 'refunding' | 'attention' };
}

export interface SettlementFact {
  settlementId: number;
  iptNo: string;
  setlId: string | null;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  psnCashFen: number;
  /** When the 2304 took effect and under which operator. */
  settledAt: number;
  settledBy: string;
  /** When the 2305 took effect and under which operator (null: not reversed). */
  reversedAt: number | null;
  reversedBy: string | null;
}

export interface DayEndFacts {
  money: MoneyFact[];
  settlements: SettlementFact[];
  names: Map<string, string>;
}

export interface Range {
  /** [fromMs, toMs): China midnight of the first day to China midnight after the last. */
  fromMs: number;
  toMs: number;
  /** Only this operator's figures (null: every operator). */
  opterNo: string | null;
}

export interface DayEndFigures {
  operators: OperatorFigures[];
  total: OperatorFigures;
  settlementLines: SettlementLine[];
  moneyLines: MoneyLine[];
  refundsInFlight: RefundInFlight[];
}

const CHANNEL_ORDER: readonly MoneyChannel[] = ['cash', 'bank-card', 'alipay', 'wechat'];
const inRange = (at: number | null, r: Range) => at !== null && at >= r.fromMs && at < r.toMs;

/** [fromMs, toMs) of China days `from`..`to` (inclusive). */
export function chinaDayRange(from: string, to: string): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(`${from}T00:00:00+08:00`);
  const toMs = Date.parse(`${to}T00:00:00+08:00`) + 86_400_000;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError(`not a day: ${from}..${to}`);
  if (toMs <= fromMs) throw new RangeError(`the range ends before it starts: ${from}..${to}`);
  return { fromMs, toMs };
}

/** Paid refunds count when paid; everything else when it was received. Null: not in the range. */
function countedAt(m: MoneyFact): number | null {
  if (m.kind !== 'refund') return m.at;
  return m.refund?.state === 'paid' ? m.refund.paidAt : null;
}

export function aggregateDayEnd(facts: DayEndFacts, range: Range): DayEndFigures {
  const mine = (opterNo: string) => range.opterNo === null || range.opterNo === opterNo;
  const money = facts.money.filter((m) => mine(m.opterNo) && inRange(countedAt(m), range));
  const lines = settlementLines(facts.settlements, range).filter((l) => mine(l.opterNo));
  const inFlight = facts.money
    .filter((m) => mine(m.opterNo) && m.kind === 'refund' && m.refund?.state !== 'paid' && m.at < range.toMs)
    .map((m): RefundInFlight => ({
      iptNo: m.iptNo,
      receiptNo: m.receiptNo,
      opterNo: m.opterNo,
      channel: m.channel,
      amountFen: m.amountFen,
      since: chinaDateTime(new Date(m.at)),
      state: m.refund?.state === 'attention' ? 'attention' : 'refunding',
    }));

  const opterNos = [...new Set([...money.map((m) => m.opterNo), ...lines.map((l) => l.opterNo), ...inFlight.map((r) => r.opterNo)])].sort();
  if (range.opterNo !== null && !opterNos.includes(range.opterNo)) opterNos.push(range.opterNo);
  const operators = opterNos.map((o) =>
    figuresOf(
      o,
      facts.names.get(o) ?? null,
      money.filter((m) => m.opterNo === o),
      lines.filter((l) => l.opterNo === o),
      inFlight.filter((r) => r.opterNo === o),
    ),
  );
  const total =
    range.opterNo !== null
      ? operators.find((o) => o.opterNo === range.opterNo)!
      : figuresOf('', null, money, lines, inFlight);
  const moneyLines = money
    .map((m) => ({ m, ms: countedAt(m)! }))
    .sort((a, b) => a.ms - b.ms)
    .map(({ m, ms }): MoneyLine => ({
      kind: m.kind,
      at: chinaDateTime(new Date(ms)),
      iptNo: m.iptNo,
      receiptNo: m.receiptNo,
      opterNo: m.opterNo,
      channel: m.channel,
      amountFen: m.amountFen,
      ...(m.voidedBy ? { voidedBy: m.voidedBy } : {}),
    }));
  return { operators, total, settlementLines: lines, moneyLines, refundsInFlight: inFlight };
}

function figuresOf(opterNo: string, name: string | null, money: MoneyFact[], lines: SettlementLine[], inFlight: RefundInFlight[]): OperatorFigures {
  const channels = CHANNEL_ORDER.map((c) => channelFigures(c, money.filter((m) => m.channel === c))).filter(
    (c) => c.channel === 'cash' || c.depositCount + c.balanceDueCount + c.refundCount + c.voidCount > 0,
  );
  const cash = channels.find((c) => c.channel === 'cash')!;
  const inFen = cash.depositFen + cash.balanceDueFen - cash.voidFen;
  return {
    opterNo,
    name,
    channels,
    settlements: settlementFigures(lines),
    cash: { inFen, outFen: cash.refundFen, handInFen: inFen - cash.refundFen },
    refundsInFlight: { count: inFlight.length, fen: sum(inFlight.map((r) => r.amountFen)) },
  };
}

function channelFigures(channel: MoneyChannel, ms: MoneyFact[]): ChannelFigures {
  const of = (kind: MoneyFact['kind']) => ms.filter((m) => m.kind === kind);
  const deposits = of('deposit');
  const due = of('balance-due');
  const refunds = of('refund');
  const voids = of('void');
  const voidFen = sum(voids.map((m) => m.amountFen));
  const depositFen = sum(deposits.map((m) => m.amountFen));
  const balanceDueFen = sum(due.map((m) => m.amountFen));
  const refundFen = sum(refunds.map((m) => m.amountFen));
  return {
    channel,
    depositCount: deposits.length,
    depositFen,
    balanceDueCount: due.length,
    balanceDueFen,
    refundCount: refunds.length,
    refundFen,
    voidCount: voids.length,
    voidFen,
    netFen: depositFen + balanceDueFen - voidFen - refundFen,
  };
}

/** Each settlement that took effect in the range as a line, and each reversal in the range as a negative line. */
export function settlementLines(facts: SettlementFact[], range: Range): SettlementLine[] {
  const out: Array<SettlementLine & { ms: number }> = [];
  for (const s of facts) {
    const amounts = { medfeeFen: s.medfeeFen, fundFen: s.fundFen, acctFen: s.acctFen, psnCashFen: s.psnCashFen };
    const base = { settlementId: String(s.settlementId), iptNo: s.iptNo, setlId: s.setlId };
    if (inRange(s.settledAt, range)) {
      const status = s.reversedAt === null ? 'standing' : inRange(s.reversedAt, range) ? 'reversed-in-range' : 'reversed-later';
      out.push({ ...base, ...amounts, opterNo: s.settledBy, kind: 'settle', status, at: chinaDateTime(new Date(s.settledAt)), ms: s.settledAt });
    }
    if (s.reversedAt !== null && inRange(s.reversedAt, range)) {
      out.push({
        ...base,
        opterNo: s.reversedBy ?? s.settledBy,
        kind: 'reversal',
        status: 'reversal',
        at: chinaDateTime(new Date(s.reversedAt)),
        ms: s.reversedAt,
        // 0 − x, not −x: a zero amount stays 0, never −0 (which JSON and toEqual tell apart).
        medfeeFen: 0 - s.medfeeFen,
        fundFen: 0 - s.fundFen,
        acctFen: 0 - s.acctFen,
        psnCashFen: 0 - s.psnCashFen,
      });
    }
  }
  return out.sort((a, b) => a.ms - b.ms || Number(a.settlementId) - Number(b.settlementId)).map(({ ms: _ms, ...l }) => l);
}

function settlementFigures(lines: SettlementLine[]): SettlementFigures {
  const settledCount = lines.filter((l) => l.kind === 'settle').length;
  const reversedCount = lines.filter((l) => l.kind === 'reversal').length;
  return {
    settledCount,
    reversedCount,
    netCount: settledCount - reversedCount,
    medfeeFen: sum(lines.map((l) => l.medfeeFen)),
    fundFen: sum(lines.map((l) => l.fundFen)),
    acctFen: sum(lines.map((l) => l.acctFen)),
    psnCashFen: sum(lines.map((l) => l.psnCashFen)),
  };
}

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
