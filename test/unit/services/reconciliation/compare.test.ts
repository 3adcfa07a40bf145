import { describe, expect, it } from 'vitest';
import { compareDetails, type LocalRecord, type PlatformRecord } from '../../../../services/reconciliation/compare.ts';
import { readDetailRows } from '../../../../services/reconciliation/detail-rows.ts';

const local = (over: Partial<LocalRecord>): LocalRecord => ({
  kind: 'settle',
  settlementId: 1,
  iptNo: 'ZY2026000001',
  name: '王建国',
  setlId: 'S1',
  msgid: 'M1',
  status: 'settled',
  medfeeFen: 10_000,
  fundFen: 8000,
  acctFen: 0,
  cashFen: 2000,
  ...over,
});
const platform = (over: Partial<PlatformRecord>): PlatformRecord => ({
  kind: 'settle',
  setlId: 'S1',
  msgid: 'M1',
  mdtrtId: 'D1',
  psnNo: 'P1',
  medfeeFen: 10_000,
  fundFen: 8000,
  acctFen: 0,
  ...over,
});

describe('detail reconciliation (3202)', () => {
  it('agrees when every record matches, a reversal included', () => {
    const reversed = local({ status: 'reversed' });
    const refund = local({ kind: 'refund', setlId: 'R1', msgid: 'M2', medfeeFen: -10_000, fundFen: -8000, cashFen: -2000 });
    expect(compareDetails([reversed, refund], [platform({}), platform({ kind: 'refund', setlId: 'R1', msgid: 'M2', medfeeFen: -10_000, fundFen: -8000 })])).toEqual([]);
  });

  it('reports a settlement present on the platform but missing from the local store', () => {
    const m = compareDetails([local({})], [platform({}), platform({ setlId: 'S9', msgid: 'M9', mdtrtId: 'D9', medfeeFen: 12_345, fundFen: 10_000 })]);
    expect(m).toEqual([
      {
        kind: 'missing-locally',
        setlId: 'S9',
        msgid: 'M9',
        detail: '医保平台有结算 S9（就诊ID D9，报文 M9，医疗费 123.45元，基金 100.00元），本机没有这笔记录：可能是结果未明却未冲正的交易，或在其他终端办理。请核对后冲正（2601）或补记。',
      },
    ]);
  });

  it('finds a lost 2304 answer by its msgid: pending here, committed on the platform', () => {
    const m = compareDetails([local({ setlId: null, status: 'pending', msgid: 'M7' })], [platform({ setlId: 'S7', msgid: 'M7' })]);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ kind: 'missing-locally', setlId: 'S7', msgid: 'M7' });
    expect(m[0]!.detail).toContain('本机该结算（住院号ZY2026000001（王*国））为“结果未明”');
    expect(m[0]!.detail).toContain('请立即冲正（2601，原报文 M7）');
  });

  it('an attempt erased by 2601 (absent on the platform) is not a mismatch', () => {
    expect(compareDetails([local({ setlId: null, status: 'failed', msgid: 'M7' })], [])).toEqual([]);
  });

  it('reports amounts that differ and local records the platform lacks, names masked', () => {
    const m = compareDetails(
      [local({}), local({ settlementId: 3, setlId: 'S3', msgid: 'M3' }), local({ kind: 'refund', settlementId: 4, setlId: 'R4', msgid: 'M4', medfeeFen: -1 })],
      [platform({ fundFen: 7999 })],
    );
    expect(m.map((x) => [x.kind, x.setlId])).toEqual([
      ['amount-differs', 'S1'],
      ['missing-on-platform', 'S3'],
      ['missing-on-platform', 'R4'],
    ]);
    expect(m[0]!.detail).toContain('基金支付 本机80.00元 / 平台79.99元');
    expect(m[2]!.detail).toContain('结算撤销（退费结算） R4');
    expect(m.map((x) => x.detail).join('')).not.toContain('王建国');
  });

  it('reads inline 3202 records (refunds by refd_setl_flag, echoes of our own rows dropped), and says when there are none', () => {
    expect(readDetailRows({ fileinfo: {} })).toBeNull();
    expect(
      readDetailRows({
        fileinfo: {},
        stmt_detail: [
          { setl_id: 'S1', msgid: 'M1', medfee_sumamt: '100.00', fund_pay_sumamt: 80, acct_pay: '0', refd_setl_flag: '0', stmt_rslt: '0' },
          { setl_id: 'R1', msgid: 'M2', medfee_sumamt: -100, fund_pay_sumamt: -80, acct_pay: 0, refd_setl_flag: '1', stmt_rslt: '' },
          { setl_id: 'X', msgid: null, medfee_sumamt: 5, fund_pay_sumamt: 0, acct_pay: 0, stmt_rslt: '3' },
        ],
      }),
    ).toEqual([
      { kind: 'settle', setlId: 'S1', msgid: 'M1', mdtrtId: null, psnNo: null, medfeeFen: 10_000, fundFen: 8000, acctFen: 0 },
      { kind: 'refund', setlId: 'R1', msgid: 'M2', mdtrtId: null, psnNo: null, medfeeFen: -10_000, fundFen: -8000, acctFen: 0 },
    ]);
  });
});
