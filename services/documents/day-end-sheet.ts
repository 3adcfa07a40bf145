import { auditChainText, dateTimeText, dayEndRangeText, IN_FLIGHT_TITLE, lineTimeText, dayEndSections, handInNote, MONEY_CHANNEL_TEXT, moneyLineFen, moneyLineKindText, operatorText, REFUND_STATE_TEXT, SETTLEMENT_LINE_TEXT } from '../../contract/day-end-text.ts';
import type { DayEndReport, OperatorFigures } from '../../contract/dto/day-end.ts';
import { esc, grid, page, yuan } from './html.ts';

export const DAY_END_TITLE = '住院收费员日结报表';

const CSS = `h2 { font-size: 11pt; margin: 4mm 0 1mm; }
table.grid + table.grid { margin-top: 1.5mm; }
table.lines { font-size: 8pt; }
table.lines td { white-space: nowrap; }
.audit-broken { font-weight: bold; font-size: 10pt; border: 0.6mm solid #000; padding: 1.5mm 2mm; margin: 2mm 0; }`;

/**
 * 住院收费员日结报表, A4: what the cashier hands in and the supervisor checks, from the one day-end report
 * (services/reconciliation/day-end-report.ts) the counter's screen shows. Per operator: each channel's 预交金,
 * 补缴 and refunds paid, the settlements net of their reversals, and 应缴现金 = cash in − cash out; then the
 * settlement lines (a reversed pair as two lines that cancel), the refunds still on their way (退款中, not
 * counted), the audit chain's head, and the signature lines.
 */
export function renderDayEndSheet(r: DayEndReport, place: { hospitalName: string; terminalName: string }): string {
  const sections = dayEndSections(r).map(({ title, figures, isTotal }) => section(figures, isTotal ? title : `收款员 ${title}`));
  const body = `<h1>${esc(DAY_END_TITLE)}</h1>
<div class="sub">${esc(place.hospitalName)}</div>
${grid(
  [
    ['收款员', r.opterNo === null ? operatorText(null, null) : operatorText(r.total.opterNo, r.total.name)],
    ['日结期间', dayEndRangeText(r)],
    ['终端', place.terminalName],
    ['生成时间', `${dateTimeText(r.generatedAt)}（北京时间）`],
  ],
  2,
)}
${sections.join('\n')}
${settlementLinesTable(r)}
${moneyLinesTable(r)}
${inFlightTable(r)}
<div class="foot">
<div>金额单位：元。退款以实际退出为准：退款中的款项未计入已退款与应缴现金。结算笔数为结算减撤销的净笔数。</div>
<div data-audit${r.auditChain.ok ? '' : ' class="audit-broken"'}>${esc(auditChainText(r.auditChain))}</div>
</div>
<div class="sign"><span>收款员签字：＿＿＿＿＿＿＿＿</span><span>复核（主管）签字：＿＿＿＿＿＿＿＿</span><span>日期：＿＿＿＿年＿＿月＿＿日</span></div>`;
  return page({ title: DAY_END_TITLE, media: 'a4', body, extraCss: CSS });
}

function section(o: OperatorFigures, heading: string): string {
  const channelRows = o.channels
    .map(
      (c) =>
        `<tr><td>${esc(MONEY_CHANNEL_TEXT[c.channel])}</td><td class="num">${c.depositCount}</td><td class="num">${yuan(c.depositFen)}</td>` +
        `<td class="num">${c.balanceDueCount}</td><td class="num">${yuan(c.balanceDueFen)}</td><td class="num">${c.refundCount}</td><td class="num">${yuan(c.refundFen)}</td><td class="num">${c.voidCount}</td><td class="num">${yuan(c.voidFen)}</td><td class="num">${yuan(c.netFen)}</td></tr>`,
    )
    .join('');
  const s = o.settlements;
  const note = handInNote(o.cash.handInFen);
  return `<h2>${esc(heading)}</h2>
<table class="grid">
<thead><tr><th>支付渠道</th><th class="num">预交金笔数</th><th class="num">预交金</th><th class="num">补缴笔数</th><th class="num">补缴（少补）</th><th class="num">退款笔数</th><th class="num">已退款（多退）</th><th class="num">作废笔数</th><th class="num">作废</th><th class="num">净额</th></tr></thead>
<tbody>${channelRows}</tbody>
</table>
<table class="grid">
<thead><tr><th class="num">结算笔数</th><th class="num">撤销笔数</th><th class="num">净结算笔数</th><th class="num">医疗费总额</th><th class="num">医保统筹基金</th><th class="num">医保个人账户</th><th class="num">个人现金</th></tr></thead>
<tbody><tr><td class="num">${s.settledCount}</td><td class="num">${s.reversedCount}</td><td class="num">${s.netCount}</td><td class="num">${yuan(s.medfeeFen)}</td><td class="num">${yuan(s.fundFen)}</td><td class="num">${yuan(s.acctFen)}</td><td class="num">${yuan(s.psnCashFen)}</td></tr></tbody>
</table>
<table class="grid">
<tbody><tr><th>现金收入</th><td class="num">${yuan(o.cash.inFen)}</td><th>现金退款</th><td class="num">${yuan(o.cash.outFen)}</td><th>应缴现金</th><td class="num strong">${yuan(o.cash.handInFen)}</td><th>退款中</th><td class="num">${o.refundsInFlight.count} 笔 ${yuan(o.refundsInFlight.fen)}</td></tr></tbody>
</table>${note ? `\n<p>${esc(note)}</p>` : ''}`;
}

function settlementLinesTable(r: DayEndReport): string {
  if (r.settlementLines.length === 0) return '<h2>医保结算明细</h2><p>本期没有医保结算。</p>';
  const when = (at: string) => lineTimeText(r, at);
  const rows = r.settlementLines
    .map(
      (l) =>
        `<tr><td>${esc(when(l.at))}</td><td>${esc(l.iptNo)}</td><td>${esc(l.setlId ?? '')}</td><td>${esc(l.opterNo)}</td><td>${esc(SETTLEMENT_LINE_TEXT[l.status])}</td>` +
        `<td class="num">${yuan(l.medfeeFen)}</td><td class="num">${yuan(l.fundFen)}</td><td class="num">${yuan(l.acctFen)}</td><td class="num">${yuan(l.psnCashFen)}</td></tr>`,
    )
    .join('');
  return `<h2>医保结算明细</h2>
<table class="lines">
<thead><tr><th>时间</th><th>住院号</th><th>结算ID</th><th>收款员</th><th>类型</th><th class="num">医疗费总额</th><th class="num">统筹基金</th><th class="num">个人账户</th><th class="num">个人现金</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function moneyLinesTable(r: DayEndReport): string {
  if (r.moneyLines.length === 0) return '';
  const when = (at: string) => lineTimeText(r, at);
  const rows = r.moneyLines
    .map(
      (m) =>
        `<tr><td>${esc(when(m.at))}</td><td>${esc(m.iptNo)}</td><td>${esc(m.receiptNo)}</td><td>${esc(m.opterNo)}</td><td>${esc(moneyLineKindText(m))}</td><td>${esc(MONEY_CHANNEL_TEXT[m.channel])}</td><td class="num">${yuan(moneyLineFen(m))}</td></tr>`,
    )
    .join('');
  return `<h2>收退款明细（${r.moneyLines.length} 笔，退款、作废为负）</h2>
<table class="lines">
<thead><tr><th>时间</th><th>住院号</th><th>收据/退款单号</th><th>收款员</th><th>类型</th><th>渠道</th><th class="num">金额</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function inFlightTable(r: DayEndReport): string {
  if (r.refundsInFlight.length === 0) return '';
  const rows = r.refundsInFlight
    .map(
      (f) =>
        `<tr><td>${esc(lineTimeText(r, f.since))}</td><td>${esc(f.iptNo)}</td><td>${esc(f.receiptNo)}</td><td>${esc(f.opterNo)}</td><td>${esc(MONEY_CHANNEL_TEXT[f.channel])}</td><td class="num">${yuan(f.amountFen)}</td><td>${esc(REFUND_STATE_TEXT[f.state])}</td></tr>`,
    )
    .join('');
  return `<h2>${esc(IN_FLIGHT_TITLE)}</h2>
<table class="lines">
<thead><tr><th>登记时间</th><th>住院号</th><th>退款单号</th><th>收款员</th><th>渠道</th><th class="num">金额</th><th>状态</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
