import { z } from 'zod';
import { issueText } from './input.ts';

/**
 * The national request envelope (nhsa-interface.md §1 输入) and response envelope (输出). Field names and
 * formats as on the wire.
 */

const text = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().max(max));
const required = (max: number) => text(max).pipe(z.string().min(1, '不能为空'));
const optional = (max: number) => text(max).nullish().transform((v) => v ?? '');

export const RequestEnvelope = z.object({
  infno: required(6).pipe(z.string().regex(/^\d{4}[A-Z]?$/, '交易编号格式错误')),
  /** 定点医药机构编号(12) + yyyyMMddHHmmss(14) + 顺序号(4). */
  msgid: required(30).pipe(z.string().regex(/^[A-Z0-9]{12}\d{18}$/, '应为定点医药机构编号(12)+时间(14)+顺序号(4)，共30位')),
  mdtrtarea_admvs: required(6).pipe(z.string().regex(/^\d{6}$/, '应为6位医保区划')),
  insuplc_admdvs: optional(6).pipe(z.string().regex(/^(\d{6})?$/, '应为6位医保区划或空')),
  recer_sys_code: required(10),
  dev_no: optional(100),
  dev_safe_info: optional(2000),
  cainfo: optional(1024),
  signtype: optional(10),
  infver: required(6),
  opter_type: required(3).pipe(z.enum(['1', '2', '3'], '经办人类别应为1、2或3')),
  opter: required(30),
  opter_name: required(50),
  inf_time: required(19).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, '应为yyyy-MM-dd HH:mm:ss')),
  fixmedins_code: required(30),
  fixmedins_name: required(200),
  sign_no: optional(30),
  fixmedins_soft_fcty: optional(200),
  enc_type: optional(10),
  input: z.record(z.string(), z.unknown(), '交易输入应为JSON对象'),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export interface ResponseEnvelope {
  /** 0 成功, -1 失败. */
  infcode: 0 | -1;
  /** 接收方医保区划(6) + 时间(14) + 流水号(10). */
  inf_refmsgid: string;
  /** yyyyMMddHHmmssSSS */
  refmsg_time: string;
  respond_time: string;
  err_msg: string | null;
  warn_msg: string | null;
  cainfo: null;
  signtype: null;
  output: unknown;
}

/** The first problem of a failed envelope parse, in Chinese for err_msg. */
export function envelopeProblem(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return '报文格式错误';
  const field = i.path.join('.');
  return `报文格式错误：${field ? field + ' ' : ''}${issueText(i)}`;
}
