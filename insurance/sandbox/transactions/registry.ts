import type { TransactionDef } from '../platform/context.ts';
import { personInfo1101 } from './1101-person-info.ts';
import { treatmentCheck2001 } from './2001-treatment-check.ts';
import { feeUpload2301 } from './2301-fee-upload.ts';
import { feeCancel2302 } from './2302-fee-cancel.ts';
import { preSettle2303 } from './2303-pre-settle.ts';
import { settle2304 } from './2304-settle.ts';
import { settleCancel2305 } from './2305-settle-cancel.ts';
import { admit2401 } from './2401-admit.ts';
import { discharge2402 } from './2402-discharge.ts';
import { admissionChange2403 } from './2403-admission-change.ts';
import { admissionCancel2404 } from './2404-admission-cancel.ts';
import { dischargeCancel2405 } from './2405-discharge-cancel.ts';
import { reversal2601 } from './2601-reversal.ts';
import { reconcileTotals3201 } from './3201-reconcile-totals.ts';
import { reconcileDetails3202 } from './3202-reconcile-details.ts';
import { settlementQuery5203 } from './5203-settlement-query.ts';
import { feeQuery5204 } from './5204-fee-query.ts';
import { cumulative5206 } from './5206-cumulative.ts';
import { inHospital5303 } from './5303-in-hospital.ts';
import { filings5311 } from './5311-filings.ts';
import { signIn9001 } from './9001-sign-in.ts';
import { signOut9002 } from './9002-sign-out.ts';

/** Every transaction the sandbox platform answers, by infno. */
export const TRANSACTIONS: ReadonlyMap<string, TransactionDef> = new Map(
  [
    signIn9001,
    signOut9002,
    personInfo1101,
    treatmentCheck2001,
    inHospital5303,
    filings5311,
    admit2401,
    discharge2402,
    admissionChange2403,
    admissionCancel2404,
    dischargeCancel2405,
    feeUpload2301,
    feeCancel2302,
    preSettle2303,
    settle2304,
    settleCancel2305,
    reversal2601,
    reconcileTotals3201,
    reconcileDetails3202,
    settlementQuery5203,
    feeQuery5204,
    cumulative5206,
  ].map((t) => [t.infno, t]),
);
