import { z } from 'zod';
import { INSUTYPE_EMPLOYEE } from '../../codes/insutype.ts';
import { chinaDateTime, chinaDay, isDay, parseChinaDateTime } from '../china-time.ts';
import { filingActiveOn } from '../policy/filing.ts';
import { groupContainingBoth } from '../policy/pooling.ts';
import { registrationActive } from '../policy/registration.ts';
import { filingFacts, personNow, registrationFacts, type PersonNow } from '../platform/person-facts.ts';
import type { SandboxState } from '../state/state.ts';
import type { FilingRecord, RegistrationRecord, World } from '../world/world.ts';
import { AdminError } from './admin-error.ts';

/**
 * Filings (补办备案 in tests and demos) and 大市一卡通 registrations made through the admin endpoint. The
 * platform refuses to create either while the other is active (settlement-rules §3).
 */

export const NewFiling = z
  .object({
    psn_no: z.string().min(1),
    dcla_type: z.enum(['01', '02', '03', '04', '05']),
    mdtrtarea_admdvs: z.string().regex(/^\d{6}$/),
    begndate: z.string().refine(isDay, 'yyyy-MM-dd'),
    enddate: z.string().refine(isDay, 'yyyy-MM-dd').nullable().default(null),
    /** Default: the sandbox clock's now. */
    crte_time: z.string().refine((s) => parseChinaDateTime(s) !== null, 'yyyy-MM-dd HH:mm:ss').optional(),
    trt_dcla_detl_sn: z.string().min(1).max(30).optional(),
  })
  .strict();

export const NewRegistration = z
  .object({
    psn_no: z.string().min(1),
    trt_admdvs: z.string().regex(/^\d{6}$/),
    /** Default: the insured place of the person's 310 row. */
    insu_admdvs: z.string().regex(/^\d{6}$/).optional(),
    /** Default: the person's current card. */
    card_sn: z.string().min(1).optional(),
    /** Default: today (China). */
    begndate: z.string().refine(isDay, 'yyyy-MM-dd').optional(),
    reg_id: z.string().min(1).max(30).optional(),
  })
  .strict();

function personOr404(world: World, state: SandboxState, psnNo: string): PersonNow {
  const pn = personNow(world, state, psnNo);
  if (!pn) throw new AdminError(404, `人员编号不存在：${psnNo}`);
  return pn;
}

function activeRegistrations(pn: PersonNow): RegistrationRecord[] {
  return pn.registrations.filter((r) => registrationActive(registrationFacts(r), pn.currentCard));
}

function activeFilings(pn: PersonNow, day: string): FilingRecord[] {
  return pn.filings.filter((f) => filingActiveOn(filingFacts(f), day));
}

export function createFiling(world: World, state: SandboxState, now: Date, input: z.infer<typeof NewFiling>): FilingRecord {
  const pn = personOr404(world, state, input.psn_no);
  if (input.enddate !== null && input.enddate < input.begndate) throw new AdminError(400, '备案结束日期早于开始日期');
  const insured = pn.person.insuredArea;
  if (!input.mdtrtarea_admdvs.endsWith('0000') && input.mdtrtarea_admdvs.slice(0, 4) === insured.slice(0, 4)) {
    throw new AdminError(409, '备案就医地在参保地设区市内，无需办理异地就医备案');
  }
  const regs = activeRegistrations(pn);
  if (regs.length > 0) {
    throw new AdminError(409, `参保人已有有效的大市一卡通登记（${regs.map((r) => r.reg_id).join('、')}），不能同时办理异地就医备案，请先撤销登记`);
  }
  const sn = input.trt_dcla_detl_sn ?? `BA${insured}${chinaDay(now).replaceAll('-', '')}${String(state.counters.next('filing_sn')).padStart(6, '0')}`;
  if (pn.filings.some((f) => f.trt_dcla_detl_sn === sn) || existsFilingSn(world, state, sn)) throw new AdminError(409, `备案流水号已存在：${sn}`);
  const f: FilingRecord = {
    trt_dcla_detl_sn: sn,
    psn_no: input.psn_no,
    dcla_type: input.dcla_type,
    mdtrtarea_admdvs: input.mdtrtarea_admdvs,
    begndate: input.begndate,
    enddate: input.enddate,
    crte_time: input.crte_time ?? chinaDateTime(now),
    vali_flag: '1',
  };
  state.filings.addFiling(f);
  return f;
}

function existsFilingSn(world: World, state: SandboxState, sn: string): boolean {
  for (const p of world.persons.values()) {
    if (p.filings.some((f) => f.trt_dcla_detl_sn === sn)) return true;
    if (state.filings.filings(p.psnNo).some((f) => f.trt_dcla_detl_sn === sn)) return true;
  }
  return false;
}

export function createRegistration(world: World, state: SandboxState, now: Date, input: z.infer<typeof NewRegistration>): RegistrationRecord {
  const pn = personOr404(world, state, input.psn_no);
  const employee = pn.insurances.find((r) => r.insutype === INSUTYPE_EMPLOYEE);
  if (!employee) throw new AdminError(409, '大市一卡通仅限职工医保参保人员办理');
  const insu = input.insu_admdvs ?? employee.insuplcAdmdvs;
  if (insu === input.trt_admdvs || !groupContainingBoth(insu, input.trt_admdvs, world.parameters.poolingGroups)) {
    throw new AdminError(400, `${insu}与${input.trt_admdvs}不是同一大市一卡通范围内的两个统筹区`);
  }
  const card = input.card_sn ? pn.cards.find((c) => c.cardSn === input.card_sn) : pn.currentCard;
  if (!card) throw new AdminError(400, '参保人没有该社会保障卡');
  if (!card.current || card.status !== 'normal') throw new AdminError(409, '大市一卡通须以当前有效的社会保障卡办理');
  if (!card.provincial) throw new AdminError(409, '大市一卡通须持江苏省统一社会保障卡（省卡）办理');
  const day = chinaDay(now);
  const filings = activeFilings(pn, day);
  if (filings.length > 0) {
    throw new AdminError(409, `参保人已有有效的异地就医备案（${filings.map((f) => f.trt_dcla_detl_sn).join('、')}），不能同时办理大市一卡通，请先撤销备案`);
  }
  if (activeRegistrations(pn).length > 0) throw new AdminError(409, '参保人已有有效的大市一卡通登记');
  const regId = input.reg_id ?? `DSYK${insu}${String(state.counters.next('reg_id')).padStart(6, '0')}`;
  const r: RegistrationRecord = {
    reg_id: regId,
    psn_no: input.psn_no,
    insu_admdvs: insu,
    trt_admdvs: input.trt_admdvs,
    card_sn: card.cardSn,
    begndate: input.begndate ?? day,
    vali_flag: '1',
  };
  try {
    state.filings.addRegistration(r);
  } catch {
    throw new AdminError(409, `登记编号已存在：${regId}`);
  }
  return r;
}

/** Sets vali_flag 0 on a filing or registration of a person. */
export function cancelRecord(world: World, state: SandboxState, kind: 'filing' | 'registration', id: string): void {
  for (const p of world.persons.values()) {
    const pn = personNow(world, state, p.psnNo)!;
    const found = kind === 'filing' ? pn.filings.some((f) => f.trt_dcla_detl_sn === id) : pn.registrations.some((r) => r.reg_id === id);
    if (found) {
      state.filings.setValiFlag(kind, id, '0');
      return;
    }
  }
  throw new AdminError(404, `${kind === 'filing' ? '备案' : '登记'}不存在：${id}`);
}
