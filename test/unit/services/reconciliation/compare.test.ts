import { describe, expect, it } from 'vitest';
import { compareDetails, type LocalSettlementRow, type PlatformSettlementRow } from '../../../../services/reconciliation/compare.ts';
import { readDetailRows } from '../../../../services/reconciliation/detail-rows.ts';

const local = (over: Partial<LocalSettlementRow>): LocalSettlementRow => ({
  settlementId: 1,
  iptNo: 'ZY2026000001',
  name: '王建国',
  setlId: 'S1',
  msgid: 'M1',
  mdtrtId: 'D1',
  status: 'settled',
  medfeeFen: 10_000,
  fundFen: 8000,
  acctFen: 0,
  cashFen: 2000,
  ...over,
});
const platform = (over: Partial<PlatformSettlementRow>): PlatformSettlementRow => ({
  setlId: 'S1',
  msgid: 'M1',
  mdtrtId: 'D1',
  psnNo: 'P1',
  medfeeFen: 10_000,
  fundFen: 8000,
  acctFen: 0,
  reversed: false,
  ...over,
});

describe('detail reconciliation', () => {
  it('agrees when every settlement matches', () => {
    expect(compareDetails([local({})], [platform({})])).toEqual([]);
  });

  it('reports a settlement present on the platform but missing from the local store', () => {
    const m = compareDetails([local({})], [platform({}), platform({ setlId: 'S9', msgid: 'M9', mdtrtId: 'D9', medfeeFen: 12_345, fundFen: 10_000 })]);
    expect(m).toEqual([
      {
        kind: 'missing-locally',
        setlId: 'S9',
        msgid: 'M9',
        detail: expect.stringContaining('医保平台有结算 S9（就诊ID D9，报文 M9，医疗费 123.45元，基金 100.00元），本机没有这笔结算的记录'),
      },
    ]);
  });

  it('finds a lost 2304 answer by its msgid: the local attempt is pending, the platform settled it', () => {
    const m = compareDetails([local({ setlId: null, status: 'pending', msgid: 'M7' })], [platform({ setlId: 'S7', msgid: 'M7' })]);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ kind: 'missing-locally', setlId: 'S7', msgid: 'M7' });
    expect(m[0]!.detail).toContain('住院号ZY2026000001（王*国）');
    expect(m[0]!.detail).toContain('请立即冲正（2601，原报文 M7）');
  });

  it('a reversed unknown outcome is not a mismatch', () => {
    expect(compareDetails([local({ setlId: null, status: 'failed', msgid: 'M7' })], [platform({ setlId: 'S7', msgid: 'M7', reversed: true })])).toEqual([]);
    expect(compareDetails([], [platform({ reversed: true })])).toEqual([]);
  });

  it('reports amounts and reversal state that differ, and local settlements the platform lacks', () => {
    const m = compareDetails(
      [local({}), local({ settlementId: 2, setlId: 'S2', msgid: 'M2', status: 'reversed' }), local({ settlementId: 3, setlId: 'S3', msgid: 'M3' })],
      [platform({ fundFen: 7999 }), platform({ setlId: 'S2', msgid: 'M2' })],
    );
    expect(m.map((x) => [x.kind, x.setlId])).toEqual([
      ['amount-differs', 'S1'],
      ['amount-differs', 'S2'],
      ['missing-on-platform', 'S3'],
    ]);
    expect(m[0]!.detail).toContain('基金支付 本机80.00元 / 平台79.99元');
    expect(m[1]!.detail).toContain('本机已撤销，医保平台仍为有效结算');
    expect(m[2]!.detail).toContain('医保平台没有这笔结算');
    expect(m.map((x) => x.detail).join('')).not.toContain('王建国');
  });

  it('reads inline 3202 rows, and says when there are none', () => {
    expect(readDetailRows({ fileinfo: {} })).toBeNull();
    expect(readDetailRows({ fileinfo: {}, detail: [{ setl_id: 'S1', msgid: 'M1', medfee_sumamt: '100.00', fund_pay_sumamt: 80, acct_pay: '0', refd_setl_flag: '1' }] })).toEqual([
      { setlId: 'S1', msgid: 'M1', mdtrtId: null, psnNo: null, medfeeFen: 10_000, fundFen: 8000, acctFen: 0, reversed: true },
    ]);
  });
});
