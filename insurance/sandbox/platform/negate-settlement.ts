/** The money fields of setlinfo / setldetail (yuan numbers) that a refund (2305) answers negated. */
const SETLINFO_MONEY = [
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'cvlserv_pay',
  'hifes_pay',
  'hifmi_pay',
  'hifob_pay',
  'maf_pay',
  'oth_pay',
  'hifdm_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'acct_pay',
  'psn_cash_pay',
  'acct_mulaid_pay',
  'hosp_part_amt',
] as const;
const DETAIL_MONEY = ['inscp_scp_amt', 'fund_payamt'] as const;

function neg(v: unknown): unknown {
  return typeof v === 'number' && v !== 0 ? -v : v;
}

export function negateSetlinfo(s: Record<string, unknown>): Record<string, unknown> {
  const out = { ...s };
  for (const k of SETLINFO_MONEY) out[k] = neg(out[k]);
  return out;
}

export function negateSetldetail(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const out = { ...r };
    for (const k of DETAIL_MONEY) out[k] = neg(out[k]);
    return out;
  });
}
