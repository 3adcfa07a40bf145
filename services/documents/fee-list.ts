import { countsInBill } from '../charges/totals.ts';
import type { DocumentFacts, FeeLineFacts } from './facts.ts';
import { chineseDateTime, chineseDay, esc, grid, page, yuan } from './html.ts';

/**
 * 住院费用清单 (itemised bill), A4: every line of the bill grouped by 医疗收费项目类别 with subtotals, as the
 * patient needs it for a claim (零星报销 asks for it with the invoice). Lines the platform refused and
 * cancelled lines are not part of the bill; refused ones are listed after it with the platform's reason.
 */
export function renderFeeList(f: DocumentFacts): string {
  const title = '住院费用清单';
  const billed = f.lines.filter((l) => countsInBill(l.state));
  const refused = f.lines.filter((l) => l.state === 'refused');
  const groups = new Map<string, FeeLineFacts[]>();
  for (const l of billed) groups.set(l.chrgitmType, [...(groups.get(l.chrgitmType) ?? []), l]);
  let n = 0;
  let total = 0;
  const rows: string[] = [];
  for (const [type, lines] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    let sub = 0;
    rows.push(`<tr><td colspan="9" class="strong">${esc(lines[0]!.chrgitmLabel)}（${esc(type)}）</td></tr>`);
    for (const l of lines) {
      n++;
      sub += l.amountFen;
      rows.push(
        `<tr><td>${n}</td><td>${esc(l.feeOcurTime.slice(0, 10))}</td><td>${esc(l.code)}</td><td>${esc(l.name)}</td><td>${esc(l.levelLabel)}</td>` +
          `<td class="num">${esc(l.cnt)}</td><td>${esc(l.unit)}</td><td class="num">${yuan(l.pricFen)}</td><td class="num">${yuan(l.amountFen)}</td></tr>`,
      );
    }
    total += sub;
    rows.push(`<tr><td colspan="8" class="num">小计</td><td class="num strong">${yuan(sub)}</td></tr>`);
  }
  const header = grid(
    [
      ['姓名', f.patient.name],
      ['住院号', f.visit.iptNo],
      ['科室', f.visit.deptName],
      ['病区/床号', `${f.visit.ward} / ${f.visit.bed}`],
      ['险种类型', f.patient.insutypeLabel],
      ['社会保障号码', f.patient.certno],
      ['入院日期', chineseDay(f.visit.begntime)],
      ['出院日期', f.visit.endtime ? chineseDay(f.visit.endtime) : '在院'],
      ['医疗机构', f.hospital.name],
    ],
    3,
  );
  const refusedBlock =
    refused.length === 0
      ? ''
      : `<h2 style="font-size:11pt;margin:4mm 0 1mm">未计入本清单的明细（医保平台拒收）</h2>
<table class="lines"><thead><tr><th>流水号</th><th>名称</th><th class="num">金额</th><th>原因</th></tr></thead><tbody>
${refused.map((l) => `<tr><td>${esc(l.feedetlSn)}</td><td>${esc(l.name)}</td><td class="num">${yuan(l.amountFen)}</td><td>${esc(l.refusal ?? '')}</td></tr>`).join('')}
</tbody></table>`;
  const body = `<h1>${esc(title)}</h1>
<div class="sub">${esc(f.hospital.name)}</div>
${header}
<table class="lines" style="margin-top:3mm">
<thead><tr><th>序号</th><th>日期</th><th>编码</th><th>项目名称</th><th>等级</th><th class="num">数量</th><th>单位</th><th class="num">单价</th><th class="num">金额</th></tr></thead>
<tbody>
${rows.join('\n')}
<tr class="total"><td colspan="8" class="num">合计（${n}项）</td><td class="num">${yuan(total)}</td></tr>
</tbody></table>
${refusedBlock}
<div class="foot">金额单位：元。打印时间：${esc(chineseDateTime(f.printedAt))}　终端：${esc(f.terminalName)}</div>`;
  return page({ title, media: 'a4', body });
}

