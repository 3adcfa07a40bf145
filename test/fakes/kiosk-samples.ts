import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { CardView } from '../../contract/dto/card.ts';
import type { ChargesSummary } from '../../contract/dto/charges.ts';
import type { EligibilityDecision, PersonView } from '../../contract/dto/eligibility.ts';
import type { SettlementBreakdown, SettlementView } from '../../contract/dto/settlement.ts';

/** Sample DTOs for renderer tests: fictitious people, masked as the services mask them on a kiosk. */
export const sampleCard = (over: Partial<CardView> = {}): CardView => ({
  generation: 3,
  regionCode: '320200',
  displayName: '王*国',
  displaySsn: '3202**********1014',
  displayCardNo: 'A0****71',
  expiryDate: '2031-05-31',
  expired: false,
  ...over,
});

export const samplePerson = (over: Partial<PersonView> = {}): PersonView => ({
  psnNo: '32020000000000000001',
  displayName: '王*国',
  displayCertNo: '3202**********1014',
  gender: '1',
  age: 50,
  insuplcAdmdvs: '320200',
  insuplcName: '无锡市',
  ...over,
});

export const sampleDecision = (over: Partial<EligibilityDecision> = {}): EligibilityDecision => ({
  checkId: 'chk-1',
  person: samplePerson(),
  insurances: [{ insutype: '310', label: '职工基本医疗保险', psnType: '在职', active: true, accountBalanceFen: 123_456 }],
  chosenInsutype: '310',
  needsInsutypeChoice: false,
  direct: true,
  scope: 'local',
  visitCase: 'local',
  reduction: 0,
  reasons: [{ code: 'LOCAL_INSURED', text: '本地参保，可直接结算。' }],
  guidance: [],
  conflicts: [],
  cached: false,
  checkedAt: '2026-03-02 09:30:00',
  ...over,
});

export const refusedDecision = (): EligibilityDecision =>
  sampleDecision({
    person: samplePerson({ displayName: '沈*兰', displayCertNo: '3401**********2328', insuplcAdmdvs: '340100', insuplcName: '合肥市' }),
    direct: false,
    scope: 'cross-province',
    visitCase: 'unfiled',
    reduction: 0.2,
    reasons: [{ code: 'UNFILED_CROSS_PROVINCE', text: '跨省异地就医未办理备案，不能直接结算。' }],
    guidance: [
      { code: 'FILE_ONLINE', text: '出院结算前可通过国家医保服务平台APP或国家异地就医备案小程序补办备案。' },
      { code: 'RECEIPTS', text: '如未补办，请保留收费票据、费用清单和出院小结，回参保地办理零星报销。' },
    ],
  });

export const sampleAdmission = (over: Partial<AdmissionView> = {}): AdmissionView => ({
  admissionId: 'adm-1',
  iptNo: 'ZY2026000001',
  mdtrtId: 'MD0001',
  status: 'admitted',
  person: samplePerson(),
  insutype: '310',
  deptCode: 'NK01',
  deptName: '心内科',
  ward: '心内一病区',
  bed: '12',
  attendingDoctorName: '李医生',
  diagnosisCode: 'I20.000',
  diagnosisName: '不稳定性心绞痛',
  admissionType: 'normal',
  begntime: '2026-03-01 10:00:00',
  depositsFen: 300_000,
  chargesFen: 1_234_500,
  direct: true,
  ...over,
});

export const sampleBreakdown = (over: Partial<SettlementBreakdown> = {}): SettlementBreakdown => ({
  medfeeSumamtFen: 1_234_500,
  fulamtOwnpayFen: 20_000,
  overlmtSelfpayFen: 0,
  preselfpayFen: 50_000,
  inscpScpFen: 1_164_500,
  actPayDedcFen: 95_000,
  hifpPayFen: 900_000,
  hifmiPayFen: 0,
  mafPayFen: 0,
  fundPaySumamtFen: 900_000,
  acctPayFen: 100_000,
  psnCashPayFen: 234_500,
  depositFen: 300_000,
  dueFen: -65_500,
  ...over,
});

export const sampleSettlement = (over: Partial<SettlementView> = {}): SettlementView => ({
  settlementId: 'set-1',
  admissionId: 'adm-1',
  setlId: 'SETL0001',
  msgid: 'H32020000001202603021030000001',
  breakdown: sampleBreakdown(),
  settledAt: '2026-03-02 10:30:00',
  status: 'settled',
  ...over,
});

export const sampleCharges = (): ChargesSummary => ({
  admissionId: 'adm-1',
  lines: [
    { feedetlSn: 'F1', medListCodg: 'XB01', name: '阿司匹林肠溶片', chrgitmType: '09', chrgitmLabel: '西药费', level: '01', cnt: 10, pricFen: 50, amountFen: 500, feeOcurTime: '2026-03-01 12:00:00', state: 'uploaded', refusal: null },
    { feedetlSn: 'F2', medListCodg: 'CW01', name: '普通病房床位费', chrgitmType: '01', chrgitmLabel: '床位费', level: '01', cnt: 2, pricFen: 4000, amountFen: 8000, feeOcurTime: '2026-03-01 12:00:00', state: 'local', refusal: null },
    { feedetlSn: 'F3', medListCodg: 'JC01', name: '冠状动脉造影', chrgitmType: '05', chrgitmLabel: '检查费', level: '02', cnt: 1, pricFen: 300_000, amountFen: 300_000, feeOcurTime: '2026-03-01 15:00:00', state: 'uploaded', refusal: null },
  ],
  byCategory: [
    { chrgitmType: '01', label: '床位费', amountFen: 8000 },
    { chrgitmType: '05', label: '检查费', amountFen: 300_000 },
    { chrgitmType: '09', label: '西药费', amountFen: 500 },
  ],
  totalFen: 308_500,
});
