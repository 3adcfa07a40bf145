import type { DayEndReport, MoneyChannel, MoneyLine, OperatorFigures, SettlementLine } from './dto/day-end.ts';

/**
 * The words of the cashier's day-end, shared by the counter's screen, the printed report and `kiosk day-end`
 * so that the three say the same thing the same way (and a test can find the screen's figures on paper).
 */

export const MONEY_CHANNEL_TEXT: Record<MoneyChannel, string> = {
  cash: '现金',
  'bank-card': '银行卡（POS）',
  alipay: '支付宝（扫码）',
  wechat: '微信（扫码）',
};

export const SETTLEMENT_LINE_TEXT: Record<SettlementLine['status'], string> = {
  standing: '结算',
  'reversed-in-range': '结算（已撤销）',
  'reversed-later': '结算（后撤销）',
  reversal: '撤销（2305）',
};

export const MONEY_LINE_TEXT: Record<MoneyLine['kind'], string> = { deposit: '预交金', 'balance-due': '补缴', refund: '退款', void: '作废' };

/** The type column of a money line: a void names the supervisor who made it. */
export function moneyLineKindText(m: MoneyLine): string {
  return m.kind === 'void' && m.voidedBy ? `作废（主管 ${m.voidedBy}）` : MONEY_LINE_TEXT[m.kind];
}

/** A money line's amount as listed: what left the drawer (a refund paid, a void) is negative. */
export function moneyLineFen(m: MoneyLine): number {
  return m.kind === 'refund' || m.kind === 'void' ? 0 - m.amountFen : m.amountFen;
}

export const REFUND_STATE_TEXT = { refunding: '退款中', attention: '退款未成功，待处理' } as const;

/** "2026-12-07" → "2026年12月7日". */
export function dayText(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day;
}

/** "2026-12-07 18:00:05" → "2026年12月7日 18:00:05": the report's time written like its period, the Chinese way. */
export function dateTimeText(dateTime: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(dateTime);
  return m ? `${dayText(m[1]!)} ${m[2]}` : dayText(dateTime);
}

/**
 * When a line of the report happened, written the same on screen and paper: the time of day in a one-day
 * report ("08:30:04", the row stays on one line of A4), else the day and time the Chinese way; a refund still
 * under way since an earlier day keeps its day (a one-day report cannot say "10:00" of another day).
 */
export function lineTimeText(r: Pick<DayEndReport, 'from' | 'to'>, at: string): string {
  return r.from === r.to && at.startsWith(`${r.from} `) ? at.slice(11) : dateTimeText(at);
}

/** The heading of the refunds under way, screen and paper alike. */
export const IN_FLIGHT_TITLE = '退款中（未计入已退款与应缴现金）';

/** The period a report covers, in China time. */
export function dayEndRangeText(r: Pick<DayEndReport, 'from' | 'to'>): string {
  return r.from === r.to ? `${dayText(r.from)} 00:00 至 24:00（北京时间）` : `${dayText(r.from)} 00:00 至 ${dayText(r.to)} 24:00（北京时间）`;
}

/** "1001 张三", or "全部收款员" for a report over every operator. A name that only repeats the number (a self-service terminal's "ZZJ01") is said once. */
export function operatorText(opterNo: string | null, name: string | null): string {
  if (opterNo === null) return '全部收款员';
  if (opterNo === '') return '未记录收款员';
  return name && name !== opterNo ? `${opterNo} ${name}` : opterNo;
}

/**
 * The sections a day-end report shows, in order, each with its title: one per operator and a 合计 when the
 * report covers every operator and more than one took money; the one operator's own section otherwise (a
 * report over every operator in which one cashier worked is that cashier's, titled with their name — not
 * the total's empty 工号, which read "未记录收款员"). The screen, the paper and the CLI all lay out these.
 */
export function dayEndSections(r: Pick<DayEndReport, 'opterNo' | 'operators' | 'total'>): Array<{ title: string; figures: OperatorFigures; isTotal: boolean }> {
  const own = (o: OperatorFigures) => ({ title: operatorText(o.opterNo, o.name), figures: o, isTotal: false });
  if (r.opterNo !== null) return [own(r.total)];
  if (r.operators.length === 1) return [own(r.operators[0]!)];
  return [...r.operators.map(own), { title: '合计（全部收款员）', figures: r.total, isTotal: true }];
}

/**
 * Said under a negative 应缴现金: more cash went out than came in (refunds paid from the drawer's float), so
 * the cashier hands in nothing and the float is short by that much. Null when the figure is not negative.
 */
export function handInNote(handInFen: number): string | null {
  return handInFen < 0 ? '应缴现金为负：本期现金退款多于现金收入，差额由备用金垫付，请与财务科核对。' : null;
}

/** The audit chain line printed on the 3201/3202 report and on the day-end report. */
export function auditChainText(a: DayEndReport['auditChain']): string {
  // A chain whose findings IT accepted is not called intact without saying so.
  const accepted = a.acceptedCount ? `，另有 ${a.acceptedCount} 处异常已由信息科确认` : '';
  return a.ok
    ? `审计记录完好（${a.checked} 条${accepted}）。链头：第 ${a.headSeq} 条 ${a.headHash}`
    : `审计记录校验失败（${a.problemCount} 处异常${accepted}），请立即通知信息科（kiosk store audit 逐条列出）。链头：第 ${a.headSeq} 条 ${a.headHash}`;
}
