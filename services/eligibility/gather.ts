import type { Operator } from '../../insurance/client/envelope.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import { queryInHospital } from '../../insurance/client/transactions/admission.ts';
import type { FilingsAdapter } from '../../insurance/client/transactions/filings.ts';
import { checkTreatment, fetchPersonInfo, type PersonInfo } from '../../insurance/client/transactions/person.ts';
import { MED_TYPE_EMERGENCY_ADMISSION, MED_TYPE_INPATIENT } from './med-types.ts';
import type { FilingFact, OpenAdmissionFact, RegistrationFact } from './policy/facts.ts';
import type { ResolvedCredential } from './credential.ts';

/**
 * The platform half of an eligibility check: 1101 for the person, then, for the chosen insutype, 2001
 * (treatment check), the filings query (5311 in the sandbox) and 5303 (open admissions), in parallel.
 * Returns raw facts; the rules (policy/) decide.
 */
export interface PlatformDeps {
  platform: PlatformClient;
  filings: FilingsAdapter;
}

/**
 * 人员证件类型 (psn_cert_type) of the cards the ID card reader reads: 01 居民身份证, 07 外国人永久居留证,
 * 17 港澳台居民居住证 (the national 人员证件类型 code table; confirm with the hospital's 接口商).
 */
const PSN_CERT_TYPE_OF_ID_CARD = { resident: '01', foreigner: '07', hmt: '17' } as const;

export async function fetchPerson(deps: PlatformDeps, cred: ResolvedCredential, operator: Operator): Promise<PersonInfo> {
  const reply = await fetchPersonInfo(
    deps.platform,
    {
      mdtrt_cert_type: cred.certType,
      mdtrt_cert_no: cred.certNo,
      ...(cred.cardSn ? { card_sn: cred.cardSn } : {}),
      ...(cred.card ? { psn_cert_type: '01', certno: cred.card.ssn, psn_name: cred.card.name } : {}),
      ...(cred.idCard ? { psn_cert_type: PSN_CERT_TYPE_OF_ID_CARD[cred.idCard.cardType], certno: cred.idCard.idNumber, psn_name: cred.idCard.name } : {}),
      ...(cred.voucher ? { psn_cert_type: '01', certno: cred.voucher.idNo, psn_name: cred.voucher.userName } : {}),
    },
    { operator },
  );
  return reply.output;
}

export interface VisitFacts {
  /** 2001 said 不享受 for this reason (null = enjoyed, or the platform gave no row). */
  notEnjoyed: string | null;
  filings: FilingFact[];
  registrations: RegistrationFact[];
  /** Every open admission 5303 lists (the caller removes this hospital's own). */
  openAdmissions: (OpenAdmissionFact & { fixmedinsCode: string | null })[];
}

export async function fetchVisitFacts(
  deps: PlatformDeps,
  args: { psnNo: string; insutype: string; insuplc: string; emergency: boolean; now: { dateTime: string; yearAgo: string } },
  operator: Operator,
): Promise<VisitFacts> {
  const { psnNo, insutype, insuplc } = args;
  const [treatment, filings, inHospital] = await Promise.all([
    checkTreatment(
      deps.platform,
      {
        psn_no: psnNo,
        insutype,
        insuplc_admdvs: insuplc,
        med_type: args.emergency ? MED_TYPE_EMERGENCY_ADMISSION : MED_TYPE_INPATIENT,
        begntime: args.now.dateTime,
      },
      { operator },
    ),
    deps.filings.queryFilings({ psn_no: psnNo, insuplc_admdvs: insuplc }, { operator }),
    queryInHospital(deps.platform, { psn_no: psnNo, insuplc_admdvs: insuplc, begntime: args.now.yearAgo, endtime: args.now.dateTime }, { operator }),
  ]);

  const refused = treatment.output.trtinfo.find((t) => t.trt_enjymnt_flag === '0');
  return {
    notEnjoyed: refused ? (refused.trt_chk_rslt ?? '医保待遇检查未通过') : null,
    filings: filings.output.filings.map((f) => ({
      id: f.trt_dcla_detl_sn,
      dclaType: f.dcla_type,
      targetAdmdvs: f.mdtrtarea_admdvs,
      begndate: f.begndate,
      enddate: f.enddate,
      createdDay: f.crte_time.slice(0, 10),
      valid: f.vali_flag === '1',
    })),
    registrations: filings.output.dsyk_regs.map((r) => ({
      id: r.reg_id,
      insuAdmdvs: r.insu_admdvs,
      trtAdmdvs: r.trt_admdvs,
      cardSn: r.card_sn.toUpperCase(),
      begndate: r.begndate,
      enddate: null,
      valid: r.vali_flag === '1',
    })),
    openAdmissions: inHospital.output.data.map((a) => ({
      mdtrtId: a.mdtrt_id,
      begndate: (a.begndate ?? '').slice(0, 10),
      fixmedinsCode: a.fixmedins_code,
    })),
  };
}
