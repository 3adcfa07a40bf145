import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AdmitOutput, InHospitalOutput } from '../../../../insurance/client/transactions/admission.ts';
import { FeeDetailsOutput, FeeUploadOutput } from '../../../../insurance/client/transactions/fees.ts';
import { Filings5311Output } from '../../../../insurance/client/transactions/filings.ts';
import { CumulativeOutput, PersonInfoOutput, TreatmentCheckOutput } from '../../../../insurance/client/transactions/person.ts';
import { DetailReconciliationOutput, TotalsReconciliationOutput } from '../../../../insurance/client/transactions/reconciliation.ts';
import { SettlementOutput } from '../../../../insurance/client/transactions/settlement.ts';

/** Every transaction's output reader, fed untrusted JSON: it answers success or failure, and never throws. */
const schemas: Record<string, z.ZodType> = {
  '1101': PersonInfoOutput,
  '2001': TreatmentCheckOutput,
  '5206': CumulativeOutput,
  '5311': Filings5311Output,
  '5303': InHospitalOutput,
  '2401': AdmitOutput,
  '2301': FeeUploadOutput,
  '5204': FeeDetailsOutput,
  '2303': SettlementOutput,
  '3201': TotalsReconciliationOutput,
  '3202': DetailReconciliationOutput,
};

// JSON-ish values with the field names and value shapes platforms send, nested like real outputs.
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('12.50', '-1', '', '1e400', '0x10', '{}', '2026-03-02', '01'));
const fieldNames = fc.constantFrom(
  'psn_no', 'mdtrt_id', 'setl_id', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'psn_cash_pay', 'balc', 'insutype', 'insuplc_admdvs',
  'exp_content', 'feedetl_sn', 'det_item_fee_sumamt', 'cnt', 'pric', 'dcla_type', 'begndate', 'enddate', 'crte_time', 'vali_flag',
  'fund_pay_type', 'fund_payamt', 'stmt_rslt', 'cum', 'cum_type_code', 'trt_enjymnt_flag', 'result', 'data', 'filings', 'dsyk_regs',
  'setlinfo', 'setldetail', 'baseinfo', 'insuinfo', 'idetinfo', 'trtinfo', 'cuminfo', 'stmtinfo', 'fileinfo', 'feedetail',
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('object'), tie('array')),
  object: fc.dictionary(fieldNames, tie('tree'), { maxKeys: 8 }),
  array: fc.array(tie('tree'), { maxLength: 4 }),
}));

describe('output readers on untrusted JSON', () => {
  for (const [infno, schema] of Object.entries(schemas)) {
    it(`${infno} never throws`, () => {
      fc.assert(
        fc.property(fc.oneof(tree, fc.anything()), (value) => {
          const r = schema.safeParse(value);
          expect(typeof r.success).toBe('boolean');
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe('fee batch output (2301), read line by line with plain field readers', () => {
  const line = { feedetl_sn: 'F1', det_item_fee_sumamt: '30.5', cnt: 1, pric: 30.5, fulamt_ownpay_amt: null, chrgitm_lv: 1, memo: '', vendor_field: 'x' };

  it('reads amounts as fen, absent to 0 or null, and drops fields it does not know', () => {
    const r = FeeUploadOutput.parse({ result: [line], refused: [{ feedetl_sn: 7, reason: null }] });
    expect(r.result[0]).toMatchObject({ feedetl_sn: 'F1', det_item_fee_sumamt: 3050, cnt: '1', pric: '30.5', fulamt_ownpay_amt: 0, overlmt_amt: 0, chrgitm_lv: '1', memo: null });
    expect(r.result[0]).not.toHaveProperty('vendor_field');
    expect(r.refused).toEqual([{ feedetl_sn: '7', reason: null }]);
  });

  it('names every field it cannot read at its path, and refuses a line that is not an object', () => {
    const r = FeeUploadOutput.safeParse({ result: [{ ...line, det_item_fee_sumamt: 'x', cnt: {} }, 5, []] });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([
      'result.0.det_item_fee_sumamt: not a yuan amount',
      'result.0.cnt: not a decimal',
      'result.1: Invalid input: expected object, received number',
      'result.2: Invalid input: expected object, received array',
    ]);
  });
});

describe('settlement output', () => {
  it('reads yuan as fen, absent funds as 0, and keeps ratios as text', () => {
    const r = SettlementOutput.parse({
      setlinfo: {
        mdtrt_id: 'MD1',
        setl_id: 'S1',
        psn_no: 'P1',
        medfee_sumamt: 23442.46,
        hifp_pay: '18785.39',
        pool_prop_selfpay: 0.85,
        fund_pay_sumamt: 18785.39,
        acct_pay: 170.04,
        psn_cash_pay: '3982.02',
        hosp_part_amt: 505.01,
        hifmi_pay: null,
        maf_pay: '',
      },
      setldetail: null,
    });
    expect(r.setlinfo).toMatchObject({
      medfee_sumamt: 2344246,
      hifp_pay: 1878539,
      fund_pay_sumamt: 1878539,
      acct_pay: 17004,
      psn_cash_pay: 398202,
      hosp_part_amt: 50501,
      hifmi_pay: 0,
      maf_pay: 0,
      hifob_pay: 0,
      pool_prop_selfpay: '0.85',
      clr_type: null,
    });
    expect(r.setldetail).toEqual([]);
  });

  it('refuses a settlement without its required amounts', () => {
    expect(SettlementOutput.safeParse({ setlinfo: { mdtrt_id: 'M', psn_no: 'P', medfee_sumamt: '1' } }).success).toBe(false);
    expect(SettlementOutput.safeParse({ setlinfo: { mdtrt_id: 'M', psn_no: 'P', medfee_sumamt: 'x', fund_pay_sumamt: 0, acct_pay: 0, psn_cash_pay: 0 } }).success).toBe(false);
  });
});

describe('5311 filings output', () => {
  it('reads filings and 大市一卡通 registrations', () => {
    const r = Filings5311Output.parse({
      filings: [{ trt_dcla_detl_sn: 'F1', psn_no: 'P1', dcla_type: '02', mdtrtarea_admdvs: '320200', begndate: '2026-01-01', enddate: null, crte_time: '2025-12-20 10:00:00', vali_flag: '1' }],
      dsyk_regs: [{ reg_id: 7, psn_no: 'P1', insu_admdvs: '320281', trt_admdvs: '320200', card_sn: 'X', begndate: '2025-01-01', vali_flag: 1 }],
    });
    expect(r.filings[0]).toMatchObject({ enddate: null, vali_flag: '1' });
    expect(r.dsyk_regs[0]).toMatchObject({ reg_id: '7', vali_flag: '1' });
    expect(Filings5311Output.parse({}).filings).toEqual([]);
  });

  it('refuses an unknown filing category or a malformed date', () => {
    const base = { trt_dcla_detl_sn: 'F1', psn_no: 'P1', dcla_type: '02', mdtrtarea_admdvs: '320200', begndate: '2026-01-01', enddate: '', crte_time: '2025-12-20 10:00:00', vali_flag: '1' };
    expect(Filings5311Output.safeParse({ filings: [base] }).success).toBe(true);
    expect(Filings5311Output.safeParse({ filings: [{ ...base, dcla_type: '06' }] }).success).toBe(false);
    expect(Filings5311Output.safeParse({ filings: [{ ...base, begndate: '2026/01/01' }] }).success).toBe(false);
    expect(Filings5311Output.safeParse({ filings: [{ ...base, vali_flag: '2' }] }).success).toBe(false);
  });
});
