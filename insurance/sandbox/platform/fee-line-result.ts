import type { LineSplit } from '../policy/fee-line.ts';
import { e4ToNumber, fenToYuanNumber } from '../policy/decimal.ts';
import type { CatalogueItem } from '../world/world.ts';

/** What the sandbox keeps of an accepted line: the split in fen (for settlement) and the 2301 result row. */
export interface StoredLineResult {
  split: LineSplit;
  row: Record<string, unknown>;
}

/** The 2301 result row of an accepted line (nhsa-interface.md §2 2301 out). */
export function feeLineResultRow(
  sn: string,
  amountFen: number,
  cntE4: bigint,
  pricE6: bigint,
  split: LineSplit,
  entry: CatalogueItem | undefined,
): Record<string, unknown> {
  return {
    feedetl_sn: sn,
    det_item_fee_sumamt: fenToYuanNumber(amountFen),
    cnt: Number(cntE4) / 10_000,
    pric: Number(pricE6) / 1_000_000,
    pric_uplmt_amt: entry?.pricUplmtE6 != null ? Number(entry.pricUplmtE6) / 1_000_000 : null,
    selfpay_prop: e4ToNumber(split.selfpayPropE4),
    fulamt_ownpay_amt: fenToYuanNumber(split.fulamtOwnpayFen),
    overlmt_amt: fenToYuanNumber(split.overlmtSelfpayFen),
    preselfpay_amt: fenToYuanNumber(split.preselfpayFen),
    inscp_scp_amt: fenToYuanNumber(split.inscpFen),
    chrgitm_lv: split.chrgitmLv ?? '03',
    med_chrgitm_type: entry?.medChrgitmType ?? '',
    bas_medn_flag: '0',
    hi_nego_drug_flag: '0',
    chld_medc_flag: '0',
    list_sp_item_flag: '0',
    lmt_used_flag: '0',
    drt_reim_flag: '0',
    memo: entry ? '' : '医保目录外项目，全自费',
  };
}
