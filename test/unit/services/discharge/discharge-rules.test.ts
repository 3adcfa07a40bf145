import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dueFen, collectReceiptNo, refundReceiptNo } from '../../../../services/discharge/counter.ts';
import { platformAsksPin } from '../../../../services/discharge/pin.ts';
import { sameAmounts } from '../../../../services/discharge/discharge-service.ts';
import type { SettlementBreakdown } from '../../../../contract/dto/settlement.ts';

describe('多退少补 (settlement-rules §5)', () => {
  it('due = psn_cash_pay − P: collect when positive, refund when negative', () => {
    expect(dueFen(143_380, 200_000)).toBe(-56_620);
    expect(dueFen(143_380, 80_000)).toBe(63_380);
    expect(dueFen(0, 0)).toBe(0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (cash, held) => dueFen(cash, held) + held === cash));
  });
  it('one receipt number per settlement and direction', () => {
    expect(collectReceiptNo({ id: 7, iptNo: 'ZY2026000001' })).toBe('BJ-ZY2026000001-7');
    expect(refundReceiptNo({ id: 7, iptNo: 'ZY2026000001' })).toBe('TK-ZY2026000001-7');
  });
});

describe('PIN request in the 2303 answer', () => {
  it('is read from exp_content as a JSON string or an object', () => {
    expect(platformAsksPin({ setlinfo: { exp_content: JSON.stringify({ pwd_chk_flag: '1' }) } })).toBe(true);
    expect(platformAsksPin({ setlinfo: { expContent: { pin_required: true } } })).toBe(true);
    expect(platformAsksPin({ setlinfo: { exp_content: JSON.stringify({ visit_scope: 'local' }) } })).toBe(false);
    expect(platformAsksPin({ setlinfo: { exp_content: '{not json' } })).toBe(false);
    expect(platformAsksPin(null)).toBe(false);
  });
});

describe('what the patient confirmed', () => {
  const b: SettlementBreakdown = {
    medfeeSumamtFen: 1,
    fulamtOwnpayFen: 0,
    overlmtSelfpayFen: 0,
    preselfpayFen: 0,
    inscpScpFen: 1,
    actPayDedcFen: 1,
    hifpPayFen: 0,
    hifmiPayFen: 0,
    mafPayFen: 0,
    fundPaySumamtFen: 0,
    acctPayFen: 0,
    psnCashPayFen: 1,
    depositFen: 0,
    dueFen: 1,
  };
  it('every figure must match, the deposit included', () => {
    expect(sameAmounts(b, { ...b })).toBe(true);
    expect(sameAmounts(b, { ...b, depositFen: 1, dueFen: 0 })).toBe(false);
    expect(sameAmounts(b, { ...b, hifpPayFen: 1 })).toBe(false);
  });
});
