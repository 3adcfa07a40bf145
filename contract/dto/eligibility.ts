import { z } from 'zod';
import { DateTime, Fen, Reason } from './common.ts';

/**
 * How the patient identifies: the card in the reader, a QR e-voucher, the ID card on the ID card reader
 * (credential 02 with the name from the chip), or a certificate number typed by staff.
 */
export const Credential = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('card') }),
  z.object({ kind: z.literal('idcard') }),
  z.object({ kind: z.literal('qr'), code: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('id'),
    /** mdtrt_cert_type: 01 医保电子凭证, 02 居民身份证, 03 社会保障卡. */
    certType: z.enum(['01', '02', '03']),
    certNo: z.string().min(1).max(50),
    cardSn: z.string().max(32).optional(),
  }),
]);
export type Credential = z.infer<typeof Credential>;

export const PersonView = z.object({
  psnNo: z.string(),
  displayName: z.string(),
  displayCertNo: z.string(),
  gender: z.enum(['1', '2', '9']),
  age: z.number().nullable(),
  insuplcAdmdvs: z.string(),
  insuplcName: z.string(),
});
export type PersonView = z.infer<typeof PersonView>;

export const InsuranceOption = z.object({
  insutype: z.string(), // 310 职工基本医疗保险, 390 城乡居民基本医疗保险 …
  label: z.string(),
  psnType: z.string(),
  /** 人员类别 in words (职工在职, 职工退休 …); optional so older hosts still parse. */
  psnTypeLabel: z.string().optional(),
  active: z.boolean(),
  accountBalanceFen: Fen,
});

export const VisitCase = z.enum(['local', 'emergency', 'filed-long-term', 'filed-referral', 'filed-temporary', 'unfiled']);
export const VisitScope = z.enum(['local', 'in-province', 'cross-province']);

export const EligibilityRequest = z.object({
  credential: Credential,
  /** Required when the person has several insurance rows and the operator has chosen. */
  insutype: z.string().max(6).optional(),
  admissionType: z.enum(['normal', 'emergency']).default('normal'),
});

export const EligibilityDecision = z.object({
  checkId: z.string(), // refer to this decision when registering the admission
  person: PersonView,
  insurances: z.array(InsuranceOption),
  chosenInsutype: z.string().nullable(),
  /** Several insurance rows and none chosen: the screen asks, with this explanation. */
  needsInsutypeChoice: z.boolean(),
  direct: z.boolean(), // direct settlement possible
  scope: VisitScope,
  visitCase: VisitCase.nullable(),
  reduction: z.number().min(0).max(1), // ratio reduction (0.10 = 10 percentage points)
  reasons: z.array(Reason), // every reason, also when direct
  guidance: z.array(Reason), // next steps in Chinese
  conflicts: z.array(Reason),
  /** True when made offline from a cached snapshot; the screen labels it. */
  cached: z.boolean(),
  checkedAt: DateTime,
});
export type EligibilityDecision = z.infer<typeof EligibilityDecision>;
