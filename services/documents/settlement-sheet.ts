import { ADMISSION_TYPE_TEXT } from '../../contract/admission-text.ts';
import type { BalanceFacts, DocumentFacts } from './facts.ts';
import { GENDER } from './facts.ts';
import { chineseDateTime, chineseDay, esc, grid, page, yuan } from './html.ts';

const LEVEL = { 1: '一级', 2: '二级', 3: '三级' } as const;

/**
 * 医保结算单 (住院), A4: the fields of jiangsu-policy.md §3 (异地就医住院结算单, 苏医保发〔2022〕75号 annex 9).
 * The two identities printed at the foot are the annex's bill formula:
 *   总费用 = 统筹基金支付范围内费用 + 乙类先行自付 + 超限价自付 + 自费费用 = 基金支付合计 + 个人账户 + 个人现金
 * A reversed settlement prints with a 已冲销 banner (reprints of a reversed settlement stay possible).
 */
export function renderSettlementSheet(f: DocumentFacts): string {
  const s = f.settlement;
  if (!s) throw new Error('settlement sheet without a settlement');
  const b = s.breakdown;
  const p = f.patient;
  const v = f.visit;
  const main = v.diagnoses.find((d) => d.main);
  const others = v.diagnoses.filter((d) => !d.main);
  const title = '医疗保障基金结算单（住院）';
  const header = grid(
    [
      ['姓名', p.name],
      ['性别', GENDER[p.gender] ?? p.gender],
      ['年龄', p.age === null ? '' : `${p.age}岁`],
      ['社会保障号码', p.certno],
      ['人员编号', p.psnNo],
      ['人员类别', p.psnTypeLabel ?? ''],
      ['参保地', `${p.insuplcName}（${p.insuplcAdmdvs}）`],
      ['险种类型', p.insutypeLabel],
      ['医疗类别', v.medTypeLabel],
      ['就医地', `${f.hospital.admdvsName}（${f.hospital.admdvs}）`],
      ['定点医疗机构', f.hospital.name],
      ['医院等级', LEVEL[f.hospital.level]],
      ['机构编码', f.hospital.code],
      ['入院方式', ADMISSION_TYPE_TEXT[v.admissionType]],
      ['住院号', v.iptNo],
      ['就诊ID', v.mdtrtId ?? ''],
      ['出院科室', v.deptName],
      ['病区/床号', `${v.ward} / ${v.bed}`],
      ['入院日期', chineseDay(v.begntime)],
      ['出院日期', v.endtime ? chineseDay(v.endtime) : ''],
      ['住院天数', v.days === null ? '' : `${v.days}天`],
      ['主要诊断', main ? `${main.code} ${main.name}` : ''],
      ['其他诊断', others.map((d) => `${d.code} ${d.name}`).join('；')],
      ['结算时间', chineseDateTime(s.setlTime)],
    ],
    3,
  );
  const money = (rows: Array<[string, number, string?]>) =>
    rows.map(([k, v2, cls]) => `<tr${cls ? ` class="${cls}"` : ''}><td>${esc(k)}</td><td class="num">${yuan(v2)}</td></tr>`).join('');
  const costs = money([
    ['医疗费用总额', b.medfeeSumamtFen, 'strong'],
    ['其中：统筹基金支付范围内费用（符合政策范围）', b.inscpScpFen],
    ['　　　乙类先行自付费用', b.preselfpayFen],
    ['　　　超限价自付费用', b.overlmtSelfpayFen],
    ['　　　自费费用（全自费）', b.fulamtOwnpayFen],
  ]);
  const funds = money([
    ['起付线（本次实际支付）', b.actPayDedcFen],
    ['基本医疗保险统筹基金支付', b.hifpPayFen],
    [seriousIllnessLabel(p.insutype), b.hifmiPayFen],
    ['医疗救助基金支付', b.mafPayFen],
    ['基金支付合计', b.fundPaySumamtFen, 'strong'],
    ['个人账户支付', b.acctPayFen],
    ['个人现金支付', b.psnCashPayFen],
    ['个人负担合计（个人账户 + 个人现金）', b.acctPayFen + b.psnCashPayFen, 'strong'],
  ]);
  const counter = money([
    ['已交预交金', b.depositFen],
    [b.dueFen >= 0 ? '应补缴（个人现金支付 − 预交金）' : '应退还（预交金 − 个人现金支付）', Math.abs(b.dueFen), 'strong'],
    ...balanceRows(s.balance),
  ]);
  const body = `
${s.status === 'reversed' ? `<div class="void">本结算已冲销（2305）${s.reversalReason ? `：${esc(s.reversalReason)}` : ''}</div>` : ''}
<h1>${esc(title)}</h1>
<div class="sub">结算ID ${esc(s.setlId)}　医药机构结算ID ${esc(s.msgid)}${s.clrTypeLabel ? `　清算类别 ${esc(s.clrTypeLabel)}` : ''}</div>
${header}
<table class="grid" style="margin-top:3mm">
<tr><th colspan="2">费用构成（元）</th><th colspan="2">基金及个人支付（元）</th></tr>
<tr><td colspan="2" style="padding:0"><table class="lines">${costs}</table></td>
<td colspan="2" style="padding:0"><table class="lines">${funds}</table></td></tr>
<tr><th colspan="4">多退少补（元）</th></tr>
<tr><td colspan="4" style="padding:0"><table class="lines">${counter}</table></td></tr>
</table>
<div class="foot">
<div>核对：医疗费用总额 ${yuan(b.medfeeSumamtFen)} = 符合政策范围 ${yuan(b.inscpScpFen)} + 乙类先行自付 ${yuan(b.preselfpayFen)} + 超限价自付 ${yuan(b.overlmtSelfpayFen)} + 全自费 ${yuan(b.fulamtOwnpayFen)}</div>
<div>　　　医疗费用总额 ${yuan(b.medfeeSumamtFen)} = 基金支付合计 ${yuan(b.fundPaySumamtFen)} + 个人账户 ${yuan(b.acctPayFen)} + 个人现金 ${yuan(b.psnCashPayFen)}</div>
${s.balcFen !== null ? `<div>个人账户余额（结算后）：${yuan(s.balcFen)} 元</div>` : ''}
<div>打印时间：${esc(chineseDateTime(f.printedAt))}　终端：${esc(f.terminalName)}</div>
</div>
<div class="sign"><span>患者（家属）签字：</span><span>经办人：</span><span>医疗机构（盖章）</span></div>`;
  return page({ title, media: 'a4', body });
}

/**
 * 少补 as it stands when printed: each collection with its channel and number, then 待补缴 (the same figure
 * the screens show). Nothing is printed as collected that was not recorded as collected.
 */
function balanceRows(b: BalanceFacts | null): Array<[string, number, string?]> {
  if (!b) return [];
  const paid = b.paid.map((p): [string, number] => [`已补缴（${p.methodLabel}${p.tradeNo ? ` ${p.tradeNo}` : ''}，收据 ${p.receiptNo}）`, p.amountFen]);
  return [...paid, [b.outstandingFen > 0 ? '待补缴（尚未收取）' : '待补缴', b.outstandingFen, b.outstandingFen > 0 ? 'strong' : undefined]];
}

/**
 * The second-tier fund by 险种: employees have 大额医疗费用补助 (职工大额), residents 城乡居民大病保险; printing the
 * residents' name on an employee's sheet (as before) misnames what paid.
 */
export function seriousIllnessLabel(insutype: string): string {
  return insutype.startsWith('39') ? '城乡居民大病保险支付' : '职工大额医疗费用补助支付';
}

