import { z } from 'zod';
import { CARD_STATUSES } from '../../codes/card-status.ts';
import { chinaDay } from '../china-time.ts';
import { personNow } from '../platform/person-facts.ts';
import type { SandboxState } from '../state/state.ts';
import type { World } from '../world/world.ts';
import { AdminError } from './admin-error.ts';
import { fenToYuanNumber } from '../policy/decimal.ts';

/** Facts of a person a test or a trainer may change while the sandbox runs. */
export const PersonFactsChange = z
  .object({
    cards: z.array(z.object({ card_sn: z.string().min(1), status: z.enum(CARD_STATUSES) }).strict()).optional(),
    insurances: z
      .array(
        z
          .object({
            insutype: z.string().regex(/^\d{3}$/),
            psn_insu_stas: z.string().min(1).optional(),
            balcFen: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .optional(),
    /** The platform asks for the card PIN before this person's 2304 (pwd_chk_flag in the 2303 answer). */
    pin_at_settlement: z.boolean().optional(),
  })
  .strict();

export function setPersonFacts(world: World, state: SandboxState, psnNo: string, change: z.infer<typeof PersonFactsChange>): void {
  const pn = personNow(world, state, psnNo);
  if (!pn) throw new AdminError(404, `人员编号不存在：${psnNo}`);
  state.transaction(() => {
    for (const c of change.cards ?? []) {
      if (!pn.cards.some((k) => k.cardSn === c.card_sn)) throw new AdminError(400, `参保人没有卡识别码为${c.card_sn}的卡`);
      state.overrides.setCardStatus(c.card_sn, c.status);
    }
    for (const r of change.insurances ?? []) {
      if (!pn.insurances.some((k) => k.insutype === r.insutype)) throw new AdminError(400, `参保人无险种${r.insutype}`);
      if (r.psn_insu_stas !== undefined) state.overrides.setInsuranceStatus(psnNo, r.insutype, r.psn_insu_stas);
      if (r.balcFen !== undefined) state.accounts.set(psnNo, r.insutype, r.balcFen);
    }
    if (change.pin_at_settlement !== undefined) state.overrides.setPinAtSettlement(psnNo, change.pin_at_settlement);
  });
}

/** What the platform knows of a person now (admin view; full personal data: loopback only). */
export function describePerson(world: World, state: SandboxState, psnNo: string, now: Date): Record<string, unknown> {
  const pn = personNow(world, state, psnNo);
  if (!pn) throw new AdminError(404, `人员编号不存在：${psnNo}`);
  const year = Number(chinaDay(now).slice(0, 4));
  return {
    key: pn.person.key,
    psn_no: pn.person.psnNo,
    insuredArea: pn.person.insuredArea,
    ecToken: pn.person.ecToken,
    cards: pn.cards.map((c) => ({ card_sn: c.cardSn, cardNo: c.cardNo, status: c.status, current: c.current, expiryDate: c.expiryDate, provincial: c.provincial })),
    insurances: pn.insurances.map((r) => ({ insutype: r.insutype, psn_type: r.psnType, psn_insu_stas: r.psnInsuStas, insuplc_admdvs: r.insuplcAdmdvs, balcFen: r.balcFen, balc: fenToYuanNumber(r.balcFen) })),
    filings: pn.filings,
    registrations: pn.registrations,
    settlements: state.settlements.byPerson(psnNo).map((s) => ({ setl_id: s.setl_id, kind: s.kind, mdtrt_id: s.mdtrt_id, status: s.status, year: s.year, msgid: s.msgid })),
    year,
  };
}
