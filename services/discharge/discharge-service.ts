import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import { chinaTime } from '../../base/china-time.ts';
import { stepsOf, type DischargeDeps, type Steps } from './deps.ts';
import { preSettle } from './pre-settle.ts';
import { reverse } from './reverse.ts';
import { settle } from './settle.ts';
import { admissionView } from '../admission/admission-view.ts';
import { settlementView } from './views.ts';
import { outstandingFen } from '../payments/balance-due.ts';

export type { DischargeDeps, DischargeStep } from './deps.ts';
export { sameAmounts } from './settle.ts';

/**
 * KioskApi `discharge`: 出院结算 by step, one file each — prepare.ts (2301 and 2402 through the outbox),
 * pre-settle.ts (2303, what the patient confirms), settle.ts (2304 and 多退少补), reverse.ts (2305). Each
 * returns its expected outcomes as values (settled, waiting, pin-required, refused); deps.ts draws the steps.
 */
export function createDischargeService(deps: DischargeDeps): KioskServices['discharge'] {
  const d = stepsOf(deps);
  return {
    openStays: async ({ q, settledToday }) => openStays(d, q, settledToday === true),
    preSettle: (args) => preSettle(d, args),
    settle: (args) => settle(d, args),
    reverse: (args) => reverse(d, args),
    get: async ({ settlementId }) => settlementView(settledOrThrow(d, settlementId)),
    list: async ({ date }) => {
      const day = date ?? chinaTime(d.clock.now()).day;
      const from = Date.parse(`${day}T00:00:00+08:00`);
      return d.store.settlements
        .between(from, from + 86_400_000)
        .filter((s) => s.status === 'settled' || s.status === 'reversed')
        .map(settlementView);
    },
  };
}

/**
 * Stays of this terminal's store that can be discharged (admitted, or discharged and not yet settled), and
 * settled stays whose balance is still due (待补缴: collected at the counter or the kiosk), by 住院号 (or its
 * tail), psn_no, mdtrt_id, bed or name; with `settledToday`, the stays settled today as well (once each). 5303
 * is not asked: a stay the platform knows but this store does not (admitted at another terminal) has no local
 * charges or deposits to settle here.
 */
function openStays(d: Steps, q: string | undefined, settledToday: boolean) {
  const { store } = d;
  const owing = store.settlements.staysWithBalanceDue().filter((iptNo) => outstandingFen(store, iptNo) > 0);
  const settled = [...new Set([...owing, ...(settledToday ? staysSettledToday(d) : [])])].flatMap((iptNo) => store.admissions.get(iptNo) ?? []);
  const stays = [...store.admissions.list({ status: 'admitted', limit: 1000 }), ...store.admissions.list({ status: 'discharged', limit: 1000 }), ...settled];
  const needle = q?.trim() ?? '';
  const now = d.clock.now();
  return stays
    .filter(
      (a) =>
        needle === '' ||
        a.iptNo === needle ||
        a.iptNo.endsWith(needle) ||
        a.psnNo === needle ||
        a.mdtrtId === needle ||
        a.bed === needle ||
        (store.persons.get(a.psnNo)?.psnName ?? '').includes(needle),
    )
    .sort((a, b) => a.begntime.localeCompare(b.begntime))
    .map((a) => admissionView({ store, names: d.names, now, staffScreen: d.staffScreens }, a));
}

/** 住院号 of the stays whose settlement stands and took effect today (China time). */
function staysSettledToday(d: Steps): string[] {
  const from = Date.parse(`${chinaTime(d.clock.now()).day}T00:00:00+08:00`);
  return d.store.settlements
    .touchedBetween(from, from + 86_400_000)
    .filter((s) => s.status === 'settled' && d.store.admissions.get(s.iptNo)?.status === 'settled')
    .map((s) => s.iptNo);
}

function settledOrThrow(d: Steps, settlementId: string) {
  const s = Number.isSafeInteger(Number(settlementId)) ? d.store.settlements.get(Number(settlementId)) : null;
  if (!s || (s.status !== 'settled' && s.status !== 'reversed')) throw new KioskError('SETTLEMENT_NOT_FOUND', `未找到结算记录 ${settlementId}。`, ['请从结算列表中选择。']);
  return s;
}
