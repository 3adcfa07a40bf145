import { ADMDVS } from '../../../insurance/codes/admdvs.ts';
import { DIRECT_SETTLEMENT_REFUSAL } from '../../../insurance/codes/direct-settlement-refusal.ts';
import { DCLA_TYPE } from '../../../insurance/codes/dcla-type.ts';
import type { Reason } from '../../../contract/dto/common.ts';
import type { RefusalCode } from './refusals.ts';
import { channelsFor, orList } from './channels.ts';

/**
 * The Chinese words of an eligibility decision: why (reasons) and what to do next (guidance). Sources:
 * jiangsu-policy.md §1.3 (late filing before 出院结算, channels), §5 (card states), §6 零星报销 (documents).
 * Each entry has a stable code for tests and voice prompts.
 */

export function placeName(admdvs: string, fallback?: string): string {
  return ADMDVS[admdvs] ?? fallback ?? `医保区划${admdvs}`;
}

export function percentPoints(reduction: number): string {
  // 0.05 → "5"; reductions are whole or half points in practice, keep one decimal when needed.
  const points = Math.round(reduction * 1000) / 10;
  return Number.isInteger(points) ? String(points) : points.toFixed(1);
}

export const REFUSAL_TEXT: Readonly<Record<RefusalCode, string>> = {
  ...DIRECT_SETTLEMENT_REFUSAL,
  'card-status-abnormal': '社会保障卡状态异常，不能用于医保结算',
};

/** Next steps for each refusal (besides the 零星报销 path, which every refusal gets). */
export const REFUSAL_GUIDANCE: Readonly<Record<RefusalCode, readonly Reason[]>> = {
  'card-not-activated': [
    { code: 'use-evoucher', text: '本次可改用医保电子凭证（国家医保服务平台 APP、微信或支付宝中出示）或居民身份证办理。' },
    { code: 'activate-card', text: '社保卡需持卡本人到发卡银行网点激活后才能用于医保结算。' },
  ],
  'card-temp-lost': [
    { code: 'use-evoucher', text: '社保卡已临时挂失（一般7天后自动解除），本次请改用医保电子凭证或居民身份证办理。' },
  ],
  'card-lost': [
    { code: 'use-evoucher', text: '社保卡已正式挂失，请改用医保电子凭证或居民身份证办理；也可出示银行挂失证明或补换卡凭据。' },
    { code: 'reissue-card', text: '补办新卡请到社保卡服务网点或通过线上渠道申请。' },
  ],
  'card-cancelled': [
    { code: 'use-evoucher', text: '此卡已注销，请改用医保电子凭证、居民身份证或新的江苏省社会保障卡办理。' },
  ],
  'card-replaced': [
    { code: 'use-new-card', text: '此卡已被补换的新卡替代，旧卡已失效。请插入新卡，或改用医保电子凭证、居民身份证办理。' },
    { code: 'dsyk-redo', text: '如曾用旧卡办理大市一卡通登记，换卡后登记失效，需要重新办理。' },
  ],
  'card-expired': [
    { code: 'use-evoucher', text: '社保卡已超过有效期，本次请改用医保电子凭证或居民身份证办理，并尽快到社保卡服务网点换卡。' },
  ],
  'card-status-abnormal': [{ code: 'use-evoucher', text: '请改用医保电子凭证或居民身份证办理，并向发卡机构查询卡片状态。' }],
  'no-active-insurance': [
    { code: 'check-insurance', text: '所选险种当前不是正常参保状态，请确认险种，或向参保地医保经办机构查询参保情况。' },
  ],
  'waiting-period': [{ code: 'waiting-period', text: '待遇等待期内发生的医疗费用医保基金不予支付，本次按自费办理。' }],
  'not-networked-cross-province': [{ code: 'not-networked', text: '本院暂未开通跨省异地就医直接结算，可先自费，出院后回参保地申请零星报销。' }],
  'not-networked-in-province': [{ code: 'not-networked', text: '本院暂未开通省内异地就医直接结算，可先自费，出院后回参保地申请零星报销。' }],
  'cross-province-unfiled': [
    {
      code: 'file-before-discharge',
      text: '出院结算前仍可补办异地就医备案：通过{备案渠道}申请（一般1个工作日内办结），备案后可在本院直接结算。',
    },
  ],
  'in-province-unfiled-not-direct': [
    {
      code: 'file-before-discharge',
      text: '参保地规定省内异地未备案不能直接结算。出院结算前可通过{备案渠道}补办备案，备案后可在本院直接结算。',
    },
  ],
  'open-admission-elsewhere': [
    { code: 'discharge-elsewhere', text: '参保人在其他医院还有未办结的住院登记，请先到该医院办理出院结算或撤销入院登记。' },
  ],
};

/** Fills the channel placeholder of a guidance text with the channels serving the insured place. */
export function withChannels(text: string, insuplc: string): string {
  return text.replace('{备案渠道}', orList(channelsFor(insuplc, 'filing')));
}

/** 零星报销 (jiangsu-policy.md §6): pay in full now, claim at the 参保地 afterwards with these documents. */
export function selfPayGuidance(emergency: boolean, insuplc: string): Reason[] {
  const out: Reason[] = [
    { code: 'self-pay', text: '本次不能医保直接结算：住院费用请先全额自费，出院后到参保地医保经办机构申请零星报销（手工报销）。' },
    { code: 'doc-id', text: '报销材料：有效身份凭证（医保电子凭证、居民身份证或社会保障卡）' },
    { code: 'doc-invoice', text: '报销材料：医疗收费票据（发票）' },
    { code: 'doc-fee-list', text: '报销材料：住院费用清单' },
    { code: 'doc-diagnosis', text: '报销材料：诊断证明或出院小结' },
  ];
  if (emergency) out.push({ code: 'doc-emergency', text: '急诊抢救的，另附急诊诊断证明或急诊病历、抢救病历。' });
  out.push({ code: 'claim-time', text: `零星报销不收费，一般10个工作日内办结；也可通过${orList(channelsFor(insuplc, 'claim'))}在线申请。` });
  return out;
}

export function filingLabel(dclaType: string): string {
  return DCLA_TYPE[dclaType] ?? '异地就医';
}
