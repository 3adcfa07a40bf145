import type { Store } from '../../db/store.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { chinaTime } from '../../base/china-time.ts';
import { cancelledSetlId, CancelSettlement2305, storedSetlinfo } from '../../insurance/client/transactions/settlement.ts';
import type { LocalRecord } from './compare.ts';

/** Inpatient settlements (2304) clear as clr_type 21 when the platform does not say otherwise. */
export const DEFAULT_CLR_TYPE = '21';


export interface DayRecord extends LocalRecord {
  insutype: string;
  clrType: string;
}

/** The China calendar day of a settlement: its setl_time (the platform's), else when it was opened. */
function dayOf(s: Settlement): string {
  return s.setlTime?.slice(0, 10) ?? chinaTime(new Date(s.createdAt)).day;
}

/**
 * This terminal's records of a China calendar day, as the platform keeps them: each settlement (2304) on its
 * settlement day, each reversal (2305) on the day it was done with the settlement's amounts negated and the
 * refund's own setl_id, and every unfinished attempt (pending or failed, known by its msgid) of the days
 * around, which the platform must NOT have.
 */
export function dayRecords(store: Store, date: string): DayRecord[] {
  const from = Date.parse(`${date}T00:00:00+08:00`);
  const candidates = store.settlements.between(from - 7 * 86_400_000, from + 2 * 86_400_000);
  const out: DayRecord[] = [];
  for (const s of candidates) {
    const base = {
      settlementId: s.id,
      iptNo: s.iptNo,
      name: store.persons.get(s.psnNo)?.psnName ?? null,
      insutype: s.insutype,
      clrType: storedSetlinfo(s.output)?.clr_type ?? DEFAULT_CLR_TYPE,
    };
    const amounts = { medfeeFen: s.medfeeSumamtFen, fundFen: s.fundPaySumamtFen, acctFen: s.acctPayFen, cashFen: s.psnCashPayFen };
    if ((s.status === 'settled' || s.status === 'reversed') && dayOf(s) === date) {
      out.push({ ...base, ...amounts, kind: 'settle', setlId: s.setlId, msgid: s.msgid, status: s.status });
    }
    if (s.status === 'pending' || s.status === 'failed') {
      out.push({ ...base, medfeeFen: 0, fundFen: 0, acctFen: 0, cashFen: 0, kind: 'settle', setlId: s.setlId, msgid: s.msgid, status: s.status });
    }
    if (s.status === 'reversed') {
      const item = store.outbox
        .listByVisit(s.iptNo)
        .filter((i) => i.infno === CancelSettlement2305.infno && i.state === 'done' && cancelledSetlId(i.input) === s.setlId)
        .at(-1);
      const at = item?.doneAt ?? s.reversedAt;
      if (at !== null && at !== undefined && chinaTime(new Date(at)).day === date) {
        out.push({
          ...base,
          kind: 'refund',
          setlId: storedSetlinfo(item?.output)?.setl_id ?? null,
          msgid: item?.msgid ?? null,
          status: 'settled',
          medfeeFen: 0 - amounts.medfeeFen,
          fundFen: 0 - amounts.fundFen,
          acctFen: 0 - amounts.acctFen,
          cashFen: 0 - amounts.cashFen,
        });
      }
    }
  }
  return out;
}
