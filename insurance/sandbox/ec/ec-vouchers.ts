import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SandboxClock } from '../clock.ts';
import type { Person, World } from '../world/world.ts';

/**
 * The e-voucher service of the sandbox (医保电子凭证解码, national `ec.query`; the Jiangsu card SDK's EcQuery):
 * a patient's phone shows a QR code that is good for a short window and for one decode; the terminal sends it
 * with the hospital's orgId and the scene's businessType and gets back the ecToken, ID number and name that
 * the platform's transactions take (mdtrt_cert_type 01). The QR text itself is never an ecToken.
 *
 * Request and answer follow the public shape of the interface (docs/platform-client.md "E-voucher decode"):
 * `{ transType: "ec.query", orgId, data: { orgId, businessType, operatorId, operatorName, officeId,
 * officeName, deviceType?, qrCode } }` → `{ code: 0, message, data: { idNo, idType, userName, ecToken,
 * insuOrg, ecIndexNo, gender, birthday, nationality, email, extData } }`. The SDK reads the scanner itself;
 * a terminal with its own scanner passes the scanned text as `qrCode`.
 */
export const QR_VALID_MS = 60_000;

/** 用码业务类型 (appendix A.1 of the interface): the scenes of the voucher's use. */
export const BUSINESS_TYPES: Readonly<Record<string, string>> = {
  '01101': '门诊挂号',
  '01102': '住院建档',
  '01103': '入院登记',
  '01104': '缴纳预缴金',
  '01201': '门诊问诊',
  '01202': '预约检查',
  '01203': '检查',
  '01204': '治疗',
  '01301': '结算',
  '01302': '取药',
  '02121': '药店购药',
  '02122': '下载外购处方',
};

export const EcQueryRequest = z.object({
  transType: z.literal('ec.query'),
  orgId: z.string().min(1).max(40),
  data: z.object({
    orgId: z.string().min(1).max(40),
    businessType: z.string().regex(/^\d{5}$/),
    operatorId: z.string().max(64).optional(),
    operatorName: z.string().max(64).optional(),
    officeId: z.string().max(20).optional(),
    officeName: z.string().max(30).optional(),
    deviceType: z.string().max(30).optional(),
    qrCode: z.string().min(1).max(4096),
  }),
});

/** Answer codes of this service. 0 is success; the Chinese message is what the patient is told. */
export const EC_CODES = { ok: 0, expired: 'EC1001', unknown: 'EC1002', badRequest: 'EC1003' } as const;

interface IssuedQr {
  psnNo: string;
  expiresAt: number;
  usedAt: number | null;
}

export interface EcJournal {
  decodes: { time: string; orgId: string; businessType: string; outcome: 'decoded' | 'expired' | 'used' | 'unknown'; ecToken: string | null }[];
  /** Every 01 credential a platform transaction was given (mdtrt_cert_no), and whether it was a known ecToken. */
  tokenUses: { time: string; infno: string; certNo: string; knownEcToken: boolean; wasQrCode: boolean }[];
}

export class EcVouchers {
  private readonly issued = new Map<string, IssuedQr>();
  private readonly journalData: EcJournal = { decodes: [], tokenUses: [] };

  constructor(
    private readonly world: World,
    private readonly clock: SandboxClock,
  ) {}

  /** What the patient's phone shows: a fresh QR code for this person (admin API: POST /admin/ec/qr). */
  issue(person: Person): { qrCode: string; expiresAt: string } {
    if (!person.ecToken) throw new Error(`${person.key} has no 医保电子凭证`);
    const qrCode = `JSYBEC${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.clock.now().getTime() + QR_VALID_MS;
    this.issued.set(qrCode, { psnNo: person.psnNo, expiresAt, usedAt: null });
    return { qrCode, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** POST /ec/query. Returns the answer body; never throws on bad input. */
  query(body: unknown): { code: number | string; message: string; data: Record<string, string> | null } {
    const now = this.clock.now();
    const parsed = EcQueryRequest.safeParse(body);
    if (!parsed.success) return { code: EC_CODES.badRequest, message: `请求参数错误：${parsed.error.issues[0]?.path.join('.') ?? ''}`, data: null };
    const { orgId, data } = parsed.data;
    if (!this.world.hospitals.has(orgId) || data.orgId !== orgId) return { code: EC_CODES.badRequest, message: `定点医药机构编号不存在：${orgId}`, data: null };
    if (!Object.hasOwn(BUSINESS_TYPES, data.businessType)) return { code: EC_CODES.badRequest, message: `用码业务类型不正确：${data.businessType}`, data: null };
    const qr = this.issued.get(data.qrCode);
    const log = (outcome: EcJournal['decodes'][number]['outcome'], ecToken: string | null) =>
      this.journalData.decodes.push({ time: now.toISOString(), orgId, businessType: data.businessType, outcome, ecToken });
    if (!qr) {
      log('unknown', null);
      return { code: EC_CODES.unknown, message: '二维码无效，请出示医保电子凭证二维码', data: null };
    }
    if (qr.usedAt !== null || now.getTime() > qr.expiresAt) {
      log(qr.usedAt !== null ? 'used' : 'expired', null);
      return { code: EC_CODES.expired, message: '二维码已失效，请在手机上刷新二维码', data: null };
    }
    qr.usedAt = now.getTime();
    const p = this.world.persons.get(qr.psnNo)!;
    log('decoded', p.ecToken);
    return {
      code: EC_CODES.ok,
      message: '成功',
      data: {
        idNo: p.certno,
        idType: '01',
        userName: p.name,
        ecToken: p.ecToken!,
        insuOrg: p.insuredArea,
        ecIndexNo: '',
        gender: p.gender,
        birthday: p.birthDate,
        nationality: 'CHN',
        email: '',
        extData: '',
      },
    };
  }

  /** The platform was given mdtrt_cert_type 01 with this number. */
  noteTokenUse(infno: string, certNo: string): void {
    this.journalData.tokenUses.push({
      time: this.clock.now().toISOString(),
      infno,
      certNo,
      knownEcToken: this.world.personByEcToken.has(certNo),
      wasQrCode: this.issued.has(certNo),
    });
  }

  journal(): EcJournal {
    return { decodes: [...this.journalData.decodes], tokenUses: [...this.journalData.tokenUses] };
  }
}
