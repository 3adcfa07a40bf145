import type { SettlementView } from '../../contract/dto/settlement.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import { chinaTime } from '../../base/china-time.ts';
import { breakdownOf } from '../documents/gather.ts';

export function settlementView(s: Settlement): SettlementView {
  if (s.status !== 'settled' && s.status !== 'reversed') throw new Error(`settlement ${s.id} is ${s.status}, not a finished settlement`);
  return {
    settlementId: String(s.id),
    admissionId: s.iptNo,
    setlId: s.setlId ?? '',
    msgid: s.msgid ?? '',
    breakdown: breakdownOf(s),
    settledAt: s.setlTime ?? chinaTime(new Date(s.updatedAt)).dateTime,
    status: s.status,
  };
}
