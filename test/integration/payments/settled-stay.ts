import type { Store } from '../../../db/store.ts';
import type { SettlementSplit } from '../../../db/repositories/settlements.ts';
import { heldFen } from '../../../services/money/stay-figures.ts';

/**
 * A stay settled with `dueFen` left to collect, written as the 2304 write-back writes it (the settlement row
 * settled with its split, deposit and due; the stay settled; nothing collected). The write-back itself is
 * covered against the 医保 sandbox (test/integration/services/billing/settlement.test.ts); here the payment
 * side starts from its result.
 */
export function settleWithBalanceDue(store: Store, iptNo: string, dueFen: number): number {
  const held = heldFen(store, iptNo);
  const psnCashPayFen = held + dueFen;
  const split: SettlementSplit = {
    medfeeSumamtFen: psnCashPayFen + 100_000,
    fulamtOwnpayAmtFen: 0,
    overlmtSelfpayFen: 0,
    preselfpayAmtFen: 0,
    inscpScpAmtFen: psnCashPayFen + 100_000,
    actPayDedcFen: 0,
    hifpPayFen: 100_000,
    cvlservPayFen: 0,
    hifesPayFen: 0,
    hifmiPayFen: 0,
    hifobPayFen: 0,
    mafPayFen: 0,
    othPayFen: 0,
    fundPaySumamtFen: 100_000,
    psnPartAmtFen: psnCashPayFen,
    acctPayFen: 0,
    psnCashPayFen,
    hospPartAmtFen: 0,
    balcFen: null,
  };
  return store.write((tx) => {
    const adm = store.admissions.get(iptNo)!;
    const s = store.settlements.open(tx, { iptNo, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: `M${iptNo}${Date.now()}` });
    store.settlements.markSettled(tx, s.id, { setlId: `S${s.id}`, msgid: s.msgid!, split, depositFen: held, dueFen, setlTime: null, output: null });
    store.admissions.setStatus(tx, iptNo, 'settled');
    return s.id;
  });
}
