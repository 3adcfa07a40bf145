import type { LineSplit } from '../../db/repositories/fee-lines.ts';
import { CancelFees2302, sentFeedetlSns, UploadFees2301 } from '../../insurance/client/transactions/fees.ts';
import { writeBackOf } from '../sync/write-back.ts';

/**
 * 2301 done: each line of the batch is uploaded with the platform's split, or refused (settlement-rules.md §6:
 * a line the platform did not return was refused at upload; the sandbox names it with a reason in `refused`).
 * Lines that are not this store's (another terminal's, a hand-made item) are left alone.
 */
export const uploadFees2301 = writeBackOf(UploadFees2301, {
  apply(tx, store, item, out) {
    // The batch's lines in one repository call (a statement per batch, not one per line); only lines this store
    // holds are written, and no line is read first.
    const sent = new Set(sentFeedetlSns(item.input));
    const splits = new Map<string, LineSplit>();
    for (const line of out.result) {
      if (!sent.has(line.feedetl_sn)) continue;
      splits.set(line.feedetl_sn, {
        fulamtOwnpayFen: line.fulamt_ownpay_amt,
        overlmtSelfpayFen: line.overlmt_amt,
        preselfpayFen: line.preselfpay_amt,
        inscpScpFen: line.inscp_scp_amt,
      });
    }
    const accepted = store.feeLines.markUploadedMany(tx, item.visitKey, splits);
    if (accepted.size === sent.size) return;
    const refusals = new Map(out.refused.map((r) => [r.feedetl_sn, r.reason ?? '平台拒收']));
    for (const sn of sent) {
      if (!accepted.has(sn)) store.feeLines.setState(tx, item.visitKey, sn, 'refused', refusals.get(sn) ?? '平台未接收该明细');
    }
  },
});

/** 2302 done: the line was already marked cancelled when the 2302 was queued (charges-service); nothing more. */
export const cancelFees2302 = writeBackOf(CancelFees2302, {
  apply() {},
});
