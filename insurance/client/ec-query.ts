import { z } from 'zod';
import { KioskError } from '../../contract/errors.ts';

/**
 * 医保电子凭证解码 (national `ec.query`; the Jiangsu card SDK's EcQuery): the scanned QR text, with the
 * hospital's orgId and the scene's 用码业务类型, becomes the ecToken the platform's transactions take, with
 * the holder's ID number and name. The QR text itself is never sent as an ecToken: it is good for one decode
 * within a short window, and only the decode service can read it. Shape and sources: docs/platform-client.md.
 */
export const EC_BUSINESS_TYPE = {
  /** 入院登记: eligibility at the admission desk and self-service check-in. */
  admission: '01103',
  /** 缴纳预缴金. */
  deposit: '01104',
  /** 结算. */
  settlement: '01301',
} as const;
export type EcScene = keyof typeof EC_BUSINESS_TYPE;

export interface EcQueryRequestArgs {
  orgId: string;
  scene: EcScene;
  qrCode: string;
  operator: { id: string; name: string };
  /** 自助机: "SelfService" (the interface's deviceType); absent at a staffed desk. */
  selfService: boolean;
}

const Answer = z.object({
  code: z.union([z.number(), z.string()]),
  message: z.string().nullable().optional(),
  data: z
    .object({
      idNo: z.string(),
      idType: z.string().optional(),
      userName: z.string(),
      ecToken: z.string().min(1).max(256),
      insuOrg: z.string().optional(),
      gender: z.string().optional(),
      birthday: z.string().optional(),
    })
    .nullable()
    .optional(),
});

export interface DecodedVoucher {
  ecToken: string;
  idNo: string;
  userName: string;
  insuOrg: string | null;
}

const TIMEOUT_MS = 15_000;

export async function decodeEVoucher(url: string, args: EcQueryRequestArgs): Promise<DecodedVoucher> {
  const body = {
    transType: 'ec.query',
    orgId: args.orgId,
    data: {
      orgId: args.orgId,
      businessType: EC_BUSINESS_TYPE[args.scene],
      operatorId: args.operator.id,
      operatorName: args.operator.name,
      officeId: '',
      officeName: '',
      ...(args.selfService ? { deviceType: 'SelfService' } : {}),
      qrCode: args.qrCode,
    },
  };
  let text: string;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await res.text();
  } catch (err) {
    // Nothing was decoded that matters: a QR used by a lost answer is refreshed on the phone.
    throw new KioskError('PLATFORM_OFFLINE', '医保电子凭证解码服务暂时无法连接', ['请稍后重试，或改用社保卡、身份证'], { cause: err });
  }
  let answer: z.infer<typeof Answer>;
  try {
    answer = Answer.parse(JSON.parse(text));
  } catch (err) {
    throw new KioskError('PLATFORM_OFFLINE', '医保电子凭证解码服务的应答无法识别', ['请稍后重试，或改用社保卡、身份证'], { cause: err });
  }
  if (String(answer.code) !== '0' || !answer.data) {
    const message = answer.message || '医保电子凭证解码失败';
    const expired = /失效|过期|刷新/.test(message);
    throw new KioskError('QR_INVALID', expired ? '二维码已失效，请在手机上刷新二维码' : message, expired ? ['请在手机上刷新医保电子凭证二维码后重新扫描'] : ['请出示医保电子凭证的动态二维码', '也可以使用社保卡或身份证']);
  }
  return { ecToken: answer.data.ecToken, idNo: answer.data.idNo, userName: answer.data.userName, insuOrg: answer.data.insuOrg ?? null };
}

/** Where the decode service is: configured, else beside the platform (same origin, /ec/query). */
export function ecQueryUrlFor(platformUrl: string, configured: string | null): string {
  return configured ?? new URL('/ec/query', platformUrl).toString();
}
