import { describe, expect, it } from 'vitest';
import { planFeeBatches, PlatformRequestError, type FeeDetail } from '../../../../insurance/client/index.ts';
import { sentFeedetlSns, UploadFees2301 } from '../../../../insurance/client/transactions/fees.ts';
import { fen } from '../../../../base/fen.ts';
import { quantityText } from '../../../../insurance/client/wire.ts';

const line = (sn: string): FeeDetail => ({
  feedetl_sn: sn,
  med_type: '21',
  fee_ocur_time: '2026-03-01 10:00:00',
  med_list_codg: 'X',
  medins_list_codg: 'Y',
  det_item_fee_sumamt: fen(100),
  cnt: 1,
  pric: fen(100),
  bilg_dept_codg: 'D',
  bilg_dept_name: 'D',
  bilg_dr_codg: 'R',
  bilg_dr_name: 'R',
});

describe('planFeeBatches', () => {
  it('cuts lines into batches of the configured size', () => {
    const lines = Array.from({ length: 7 }, (_, i) => line(`F${i}`));
    expect(planFeeBatches(lines, 3).map((b) => b.map((l) => l.feedetl_sn))).toEqual([['F0', 'F1', 'F2'], ['F3', 'F4', 'F5'], ['F6']]);
    expect(planFeeBatches([], 3)).toEqual([]);
  });

  it('refuses duplicate, empty or over-long feedetl_sn and bad sizes', () => {
    expect(() => planFeeBatches([line('A'), line('A')])).toThrow(PlatformRequestError);
    expect(() => planFeeBatches([line('')])).toThrow(PlatformRequestError);
    expect(() => planFeeBatches([line('X'.repeat(31))])).toThrow(PlatformRequestError);
    expect(() => planFeeBatches([line('A')], 0)).toThrow(PlatformRequestError);
  });
});

describe('quantityText', () => {
  it('writes cnt with at most 4 decimals', () => {
    expect(quantityText(2)).toBe('2');
    expect(quantityText(2.5)).toBe('2.5');
    expect(quantityText(-1)).toBe('-1');
    expect(quantityText(0.0001)).toBe('0.0001');
    expect(quantityText(100)).toBe('100');
    expect(quantityText(0)).toBe('0');
    expect(() => quantityText(0.00001)).toThrow(RangeError);
    expect(() => quantityText(Number.NaN)).toThrow(RangeError);
  });
});

describe('sentFeedetlSns', () => {
  it('reads the lines of a 2301 input node the codec encoded, in order', () => {
    const input = UploadFees2301.encode({ psn_no: 'P', mdtrt_id: 'M', feedetail: [line('F1'), line('F2'), { ...line('F3'), init_feedetl_sn: 'F1' }] });
    expect(sentFeedetlSns(input)).toEqual(['F1', 'F2', 'F3']);
    expect(sentFeedetlSns(JSON.parse(JSON.stringify(input)))).toEqual(['F1', 'F2', 'F3']);
  });

  it('reads none from a node that is not a 2301 batch', () => {
    for (const input of [null, undefined, 'F1', 7, [], {}, { feedetail: 'F1' }, { feedetail: null }, [{ feedetl_sn: 'F1' }]]) expect(sentFeedetlSns(input)).toEqual([]);
    // One line without a text feedetl_sn: the node is not one this codec encoded, so no line is claimed from it.
    expect(sentFeedetlSns({ feedetail: [{ feedetl_sn: 'F1' }, { feedetl_sn: 2 }] })).toEqual([]);
    expect(sentFeedetlSns({ feedetail: [{ feedetl_sn: 'F1' }, null] })).toEqual([]);
    expect(sentFeedetlSns({ feedetail: [{ feedetl_sn: 'F1' }, ['F2']] })).toEqual([]);
    expect(sentFeedetlSns({ feedetail: [] })).toEqual([]);
  });
});
