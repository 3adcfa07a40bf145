import { describe, expect, it } from 'vitest';
import { forAudience, type DocumentFacts } from '../../../../services/documents/facts.ts';
import { renderSettlementSheet } from '../../../../services/documents/settlement-sheet.ts';
import { renderFeeList } from '../../../../services/documents/fee-list.ts';
import { renderAdmissionSlip } from '../../../../services/documents/admission-slip.ts';
import { renderDepositReceipt } from '../../../../services/documents/deposit-receipt.ts';
import { rmbUppercase } from '../../../../services/documents/rmb-uppercase.ts';
import { esc, yuan } from '../../../../services/documents/html.ts';
import { stayDays } from '../../../../services/documents/gather.ts';

/** Text of the HTML without tags, whitespace collapsed: what a reader of the page sees. */
const textOf = (html: string) => html.replace(/<style[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const facts: DocumentFacts = {
  hospital: { code: 'H32020000001', name: '无锡市第一人民医院', level: 3, admdvs: '320200', admdvsName: '无锡市' },
  patient: {
    name: '王建国',
    gender: '1',
    age: 51,
    certno: '320200197503141014',
    psnNo: '32000000000000000001',
    insuplcAdmdvs: '320281',
    insuplcName: '江阴市',
    insutype: '310',
    insutypeLabel: '职工基本医疗保险',
    psnTypeLabel: '职工在职',
  },
  visit: {
    iptNo: 'ZY2026000007',
    mdtrtId: 'MDT0001',
    admissionType: 'emergency',
    medTypeLabel: '普通住院',
    deptName: '心内科',
    ward: '心内一病区',
    bed: '12',
    doctorName: '李医生',
    begntime: '2026-11-20 09:00:00',
    endtime: '2026-11-23 10:00:00',
    days: 3,
    diagnoses: [
      { code: 'I21.9', name: '急性心肌梗死', main: true },
      { code: 'I10', name: '原发性高血压', main: false },
    ],
  },
  lines: [
    line('K0000001', '01', '床位费', 'BED001', '普通病房床位费', 'uploaded', 15_000),
    line('K0000002', '09', '西药费', 'XY0001', '阿莫西林胶囊<script>', 'uploaded', 2460),
    line('K0000003', '09', '西药费', 'XY0002', '布洛芬片', 'refused', 999, '目录外限制'),
    line('K0000004', '08', '卫生材料费', 'CL0001', '一次性输液器', 'cancelled', 850),
  ],
  deposits: [
    { receiptNo: 'YJ001', kind: 'deposit', amountFen: 100_000, methodLabel: '现金', gatewayTradeNo: null, posReference: null, tenderedFen: null, receivedAt: '2026-11-20 09:05:00' },
    { receiptNo: 'H3202000000120261121090500AB12CD34', kind: 'deposit', amountFen: 50_050, methodLabel: '支付宝', gatewayTradeNo: '2026112122001400000012345678', posReference: null, tenderedFen: null, receivedAt: '2026-11-21 09:05:00' },
  ],
  settlement: {
    settlementId: '1',
    setlId: 'SETL0001',
    msgid: 'H32020000001202611231000000001',
    setlTime: '2026-11-23 10:05:00',
    status: 'settled',
    breakdown: {
      medfeeSumamtFen: 17_460,
      fulamtOwnpayFen: 0,
      overlmtSelfpayFen: 0,
      preselfpayFen: 246,
      inscpScpFen: 17_214,
      actPayDedcFen: 17_214,
      hifpPayFen: 0,
      hifmiPayFen: 0,
      mafPayFen: 0,
      fundPaySumamtFen: 0,
      acctPayFen: 5000,
      psnCashPayFen: 12_460,
      depositFen: 150_050,
      dueFen: -137_590,
    },
    balcFen: 0,
    clrTypeLabel: '住院',
    reversalReason: null,
    balance: null,
  },
  terminalName: '出院结算01',
  printedAt: '2026-11-23 10:06:00',
};

function line(sn: string, type: string, label: string, code: string, name: string, state: 'uploaded' | 'refused' | 'cancelled', amount: number, refusal: string | null = null) {
  return {
    feedetlSn: sn,
    code,
    name,
    chrgitmType: type,
    chrgitmLabel: label,
    levelLabel: '甲类',
    cnt: '1',
    unit: '次',
    pricFen: amount,
    amountFen: amount,
    feeOcurTime: '2026-11-21 08:00:00',
    state,
    refusal,
    fulamtOwnpayFen: null,
    overlmtSelfpayFen: null,
    preselfpayFen: null,
    inscpScpFen: null,
  };
}

describe('医保结算单', () => {
  const screen = textOf(renderSettlementSheet(forAudience(facts, 'screen')));
  it('carries the fields of the 异地就医住院结算单 (jiangsu-policy §3)', () => {
    for (const label of ['姓名', '性别', '年龄', '社会保障号码', '参保地', '险种类型', '就医地', '定点医疗机构', '医院等级', '入院方式', '住院号', '出院科室', '主要诊断', '其他诊断', '入院日期', '出院日期', '住院天数']) {
      expect(screen, label).toContain(label);
    }
    expect(screen).toContain('江阴市（320281）');
    expect(screen).toContain('无锡市（320200）');
    expect(screen).toContain('三级');
    expect(screen).toContain('急诊');
    expect(screen).toContain('I21.9 急性心肌梗死');
    expect(screen).toContain('I10 原发性高血压');
    expect(screen).toContain('3天');
  });
  it('prints the bill formula lines and the fund lines, in yuan', () => {
    for (const label of ['医疗费用总额', '统筹基金支付范围内费用', '乙类先行自付费用', '超限价自付费用', '自费费用', '起付线（本次实际支付）', '基本医疗保险统筹基金支付', '医疗救助基金支付', '基金支付合计', '个人账户支付', '个人现金支付']) {
      expect(screen, label).toContain(label);
    }
    // Issue 13 · 9: an employee (310) has 职工大额, not the residents' 大病保险; 个人负担合计 = 个人账户 + 个人现金.
    expect(screen).toContain('职工大额医疗费用补助支付');
    expect(screen).not.toContain('居民大病保险支付');
    expect(screen).toContain('个人负担合计（个人账户 + 个人现金） 174.60');
    expect(textOf(renderSettlementSheet(forAudience({ ...facts, patient: { ...facts.patient, insutype: '390' } }, 'screen')))).toContain('城乡居民大病保险支付');
    expect(screen).toMatch(/入院日期 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(screen).toContain('医疗费用总额 174.60 = 符合政策范围 172.14 + 乙类先行自付 2.46 + 超限价自付 0.00 + 全自费 0.00');
    expect(screen).toContain('医疗费用总额 174.60 = 基金支付合计 0.00 + 个人账户 50.00 + 个人现金 124.60');
    // 150,050 fen deposits − 12,460 cash = 137,590 fen back to the patient
    expect(screen).toContain('应退还（预交金 − 个人现金支付） 1,375.90');
    expect(screen).toContain('SETL0001');
  });
  it('masks the name and the number on screen; paper keeps the name, never the full number', () => {
    expect(screen).toContain('王*国');
    expect(screen).not.toContain('王建国');
    expect(screen).toContain('3202**********1014');
    expect(screen).not.toContain('320200197503141014');
    const paper = textOf(renderSettlementSheet(forAudience(facts, 'paper')));
    expect(paper).toContain('王建国');
    expect(paper).not.toContain('320200197503141014');
    expect(paper).toContain('3202**********1014');
  });
  it('is an A4 page with an explicit page size', () => {
    const html = renderSettlementSheet(facts);
    expect(html).toMatch(/@page \{ size: 210mm 297mm;/);
  });
  it('marks a reversed settlement', () => {
    const html = renderSettlementSheet({ ...facts, settlement: { ...facts.settlement!, status: 'reversed', reversalReason: '费用录入错误' } });
    expect(textOf(html)).toContain('本结算已冲销（2305）：费用录入错误');
  });
});

describe('费用清单', () => {
  const html = renderFeeList(forAudience(facts, 'screen'));
  const text = textOf(html);
  it('groups billed lines by category with subtotals and a total; refused listed apart, cancelled left out', () => {
    expect(text).toContain('床位费（01）');
    expect(text).toContain('西药费（09）');
    expect(text).toContain('合计（2项） 174.60');
    expect(text).toContain('目录外限制');
    expect(text).not.toContain('一次性输液器');
  });
  it('escapes text from the store', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('阿莫西林胶囊&lt;script&gt;');
  });
});

describe('slips and receipts', () => {
  it('writes moments the Chinese way (结算时间, 入院时间, 打印时间), never 2026-11-23', () => {
    const screen = textOf(renderSettlementSheet(forAudience(facts, 'screen')));
    expect(screen).toContain('2026年11月23日 10:05:00');
    expect(screen).toContain('打印时间：2026年11月23日 10:06:00');
    for (const t of [screen, textOf(renderAdmissionSlip(facts, 'roll-80mm')), textOf(renderAdmissionSlip(facts, 'a4')), textOf(renderDepositReceipt(facts, 'a4'))]) {
      expect(t).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });
  it('the admission slip fits an 80 mm roll or A4', () => {
    const roll = renderAdmissionSlip(forAudience(facts, 'paper'), 'roll-80mm');
    expect(roll).toMatch(/@page \{ size: 80mm 297mm;/);
    expect(textOf(roll)).toContain('ZY2026000007');
    expect(textOf(roll)).toContain('1,500.50 元');
    expect(renderAdmissionSlip(facts, 'a4')).toMatch(/@page \{ size: 210mm 297mm;/);
  });
  it('the slip and the 结算单 say the same 入院方式, the form\'s words (普通 / 急诊), and the slip is the desk\'s 入院登记单', () => {
    const wayOn = (html: string) => /入院方式 (\S+)/.exec(textOf(html))?.[1];
    for (const [admissionType, words] of [['normal', '普通'], ['emergency', '急诊']] as const) {
      const f = forAudience({ ...facts, visit: { ...facts.visit, admissionType } }, 'paper');
      expect(wayOn(renderAdmissionSlip(f, 'roll-80mm')), admissionType).toBe(words);
      expect(wayOn(renderAdmissionSlip(f, 'a4')), admissionType).toBe(words);
      expect(wayOn(renderSettlementSheet(f)), admissionType).toBe(words);
    }
    const slip = textOf(renderAdmissionSlip(forAudience(facts, 'paper'), 'roll-80mm'));
    expect(slip).toContain('入院登记单');
    expect(slip).not.toContain('住院登记单');
  });
  it('the deposit receipt prints the newest deposit in figures and in capitals, or the one named', () => {
    const t = textOf(renderDepositReceipt(forAudience(facts, 'screen'), 'roll-80mm'));
    // Money through the gateway: the channel, its transaction number and the order on the receipt.
    expect(t).toContain('支付方式 支付宝');
    expect(t).toContain('交易号 2026112122001400000012345678');
    expect(t).toContain('商户订单号 H3202000000120261121090500AB12CD34');
    expect(t).toContain('500.50 元');
    expect(t).toContain('伍佰元伍角整');
    expect(t).toContain('累计预交金 1,500.50 元');
    expect(t).toContain('王*国');
    expect(textOf(renderDepositReceipt(facts, 'roll-80mm', 'YJ001'))).toContain('壹仟元整');
  });
});

describe('少补 (balance due) on paper', () => {
  // The same stay settled with 633.80 due: 500.00 through 支付宝 would be one case, here the whole amount.
  const owing = (paid: Array<{ receiptNo: string; methodLabel: string; amountFen: number; tradeNo: string | null }>, outstandingFen: number): DocumentFacts => ({
    ...facts,
    settlement: { ...facts.settlement!, breakdown: { ...facts.settlement!.breakdown, dueFen: 63_380 }, balance: { dueFen: 63_380, paidFen: 63_380 - outstandingFen, outstandingFen, paid } },
  });
  it('the 结算单 says 待补缴 until it is collected, never 已补缴 for money not taken', () => {
    const t = textOf(renderSettlementSheet(owing([], 63_380)));
    expect(t).toContain('应补缴（个人现金支付 − 预交金） 633.80');
    expect(t).toContain('待补缴（尚未收取） 633.80');
    expect(t).not.toContain('已补缴');
  });
  it('the 结算单 lists each collection with its channel and number, and 待补缴 0.00 once paid', () => {
    const t = textOf(renderSettlementSheet(owing([{ receiptNo: 'H32020000001X', methodLabel: '支付宝', amountFen: 63_380, tradeNo: '2026120722001400000000000001' }], 0)));
    expect(t).toContain('已补缴（支付宝 2026120722001400000000000001，收据 H32020000001X） 633.80');
    expect(t).toContain('待补缴 0.00');
  });
  it('the 补缴收据: channel, cash handed over and change, or the POS 参考号; what the settlement still owes', () => {
    const cash = { receiptNo: 'BJ-ZY2026000007-1', kind: 'balance-due' as const, amountFen: 63_380, methodLabel: '现金', gatewayTradeNo: null, posReference: null, tenderedFen: 70_000, receivedAt: '2026-11-23 10:10:00' };
    const t = textOf(renderDepositReceipt({ ...owing([], 0), deposits: [...facts.deposits, cash] }, 'roll-80mm', cash.receiptNo));
    for (const s2 of ['出院结算补缴收据', '款项 出院结算补缴', '金额 633.80 元', '支付方式 现金', '实收 700.00 元', '找零 66.20 元', '本次结算应补缴 633.80 元', '待补缴 0.00 元']) expect(t).toContain(s2);
    expect(t).not.toContain('累计预交金');
    const pos = { ...cash, receiptNo: 'BJ-ZY2026000007-2', methodLabel: '银行卡', posReference: '202612070001', tenderedFen: null };
    const p = textOf(renderDepositReceipt({ ...owing([], 0), deposits: [pos] }, 'a4', pos.receiptNo));
    expect(p).toContain('POS 参考号 202612070001');
    expect(p).not.toContain('找零');
  });
});

describe('helpers', () => {
  it('人民币大写', () => {
    expect(rmbUppercase(0)).toBe('零元整');
    expect(rmbUppercase(1)).toBe('壹分');
    expect(rmbUppercase(10)).toBe('壹角整');
    expect(rmbUppercase(123_450)).toBe('壹仟贰佰叁拾肆元伍角整');
    expect(rmbUppercase(100_205)).toBe('壹仟零贰元零伍分');
    expect(rmbUppercase(1_000_000)).toBe('壹万元整');
    expect(rmbUppercase(10_000_100)).toBe('壹拾万零壹元整');
    expect(rmbUppercase(100_000_000_00)).toBe('壹亿元整');
    expect(rmbUppercase(123_456_789)).toBe('壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分');
  });
  it('yuan and escaping', () => {
    expect(yuan(-137_590)).toBe('-1,375.90');
    expect(yuan(5)).toBe('0.05');
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('stay days count calendar days, at least one', () => {
    expect(stayDays('2026-11-20 23:59:00', '2026-11-21 00:01:00')).toBe(1);
    expect(stayDays('2026-11-20 09:00:00', '2026-11-20 18:00:00')).toBe(1);
    expect(stayDays('2026-02-27 09:00:00', '2026-03-02 09:00:00')).toBe(3);
    expect(stayDays('2026-11-20 09:00:00', null)).toBeNull();
  });
});
