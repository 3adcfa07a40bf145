/**
 * The request envelope (输入) of nhsa-interface.md §1, field for field. One envelope per HTTP POST; the
 * transaction is chosen by `infno` in the body, never by the URL.
 */

/** 经办人类别: 1 经办人 (staff at a desk), 2 自助终端 (the self-service kiosk itself), 3 移动终端. */
export type OpterType = '1' | '2' | '3';

/** Who sends: a staff member signed in at a desk, or the kiosk terminal acting for a patient. */
export interface Operator {
  /** opter: 经办人编号, or the terminal number for self-service (c30). */
  opter: string;
  /** opter_name: 经办人姓名, or the terminal name (c50). */
  opter_name: string;
  opter_type: OpterType;
}

export const staffOperator = (opter: string, opter_name: string): Operator => ({ opter, opter_name, opter_type: '1' });
export const selfServiceOperator = (opter: string, opter_name: string): Operator => ({ opter, opter_name, opter_type: '2' });

export interface RequestEnvelope {
  infno: string;
  msgid: string;
  mdtrtarea_admvs: string;
  insuplc_admdvs: string;
  recer_sys_code: string;
  dev_no: string;
  dev_safe_info: string;
  cainfo: string;
  signtype: string;
  infver: string;
  opter_type: OpterType;
  opter: string;
  opter_name: string;
  inf_time: string;
  fixmedins_code: string;
  fixmedins_name: string;
  sign_no: string;
  fixmedins_soft_fcty?: string;
  input: unknown;
}

/** The fixed, per-hospital part of every envelope (from configuration). */
export interface EnvelopeIdentity {
  fixmedins_code: string;
  fixmedins_name: string;
  mdtrtarea_admvs: string;
  recer_sys_code: string;
  infver: string;
  fixmedins_soft_fcty?: string;
}

/**
 * A transaction input already serialised as JSON (the outbox keeps every input as JSON text): it goes into the
 * request body as it is, rather than being parsed, walked and serialised again for each send. `value` parses it
 * only for a caller that has to look inside (the insuplc_admdvs rule, when no code was given).
 */
export class JsonInput {
  private parsed: { value: unknown } | null = null;
  constructor(readonly json: string) {}

  value(): unknown {
    this.parsed ??= { value: JSON.parse(this.json) as unknown };
    return this.parsed.value;
  }
}

/** Transactions sent before the person is known: their insuplc_admdvs is always "". */
const NO_INSURED_PLACE = new Set(['1101', '9001']);

const ADMDVS = /^\d{6}$/;

/**
 * Does the transaction input carry a psn_no? Then the envelope's insuplc_admdvs is required ("如果交易输入中含
 * 有人员编号(psn_no)，此项必填"). Inputs are one or two levels deep (`data`, `mdtrtinfo`, `feedetail[]`).
 */
export function inputCarriesPsnNo(input: unknown, depth = 0): boolean {
  if (input === null || typeof input !== 'object' || depth > 3) return false;
  if (Array.isArray(input)) return input.some((item) => inputCarriesPsnNo(item, depth + 1));
  const record = input as Record<string, unknown>;
  const psnNo = record['psn_no'];
  if (typeof psnNo === 'string' && psnNo !== '') return true;
  return Object.values(record).some((v) => inputCarriesPsnNo(v, depth + 1));
}

/**
 * The insuplc_admdvs rule: "" for 1101 and 9001; a 6-digit code when the input carries a psn_no; otherwise
 * whatever the caller gave (or ""). Returns the value to send, or an English reason why the request is invalid.
 */
export function resolveInsuplcAdmdvs(infno: string, input: unknown, given: string | undefined): { value: string } | { error: string } {
  if (NO_INSURED_PLACE.has(infno)) return { value: '' };
  const value = given ?? '';
  if (value !== '' && !ADMDVS.test(value)) return { error: `insuplc_admdvs must be 6 digits, got "${value}"` };
  if (value === '' && inputCarriesPsnNo(input instanceof JsonInput ? input.value() : input)) {
    return { error: `${infno} carries psn_no, so insuplc_admdvs (from 1101 insuinfo) is required` };
  }
  return { value };
}

export function buildEnvelope(args: {
  identity: EnvelopeIdentity;
  infno: string;
  msgid: string;
  insuplc_admdvs: string;
  operator: Operator;
  inf_time: string;
  sign_no: string;
  input: unknown;
}): RequestEnvelope {
  const { identity, operator } = args;
  const envelope: RequestEnvelope = {
    infno: args.infno,
    msgid: args.msgid,
    mdtrtarea_admvs: identity.mdtrtarea_admvs,
    insuplc_admdvs: args.insuplc_admdvs,
    recer_sys_code: identity.recer_sys_code,
    dev_no: '',
    dev_safe_info: '',
    cainfo: '',
    signtype: '',
    infver: identity.infver,
    opter_type: operator.opter_type,
    opter: operator.opter,
    opter_name: operator.opter_name,
    inf_time: args.inf_time,
    fixmedins_code: identity.fixmedins_code,
    fixmedins_name: identity.fixmedins_name,
    sign_no: args.sign_no,
    input: args.input,
  };
  if (identity.fixmedins_soft_fcty !== undefined) envelope.fixmedins_soft_fcty = identity.fixmedins_soft_fcty;
  return envelope;
}

/**
 * The request body: the envelope as JSON. An input given as JSON text (JsonInput) is put in as it is, after the
 * envelope's other fields (the same JSON object as serialising the parsed input there; only the key order differs).
 */
export function envelopeJson(envelope: RequestEnvelope): string {
  if (!(envelope.input instanceof JsonInput)) return JSON.stringify(envelope);
  const { input, ...fields } = envelope;
  return `${JSON.stringify(fields).slice(0, -1)},"input":${input.json}}`;
}
