/**
 * The national medical-insurance platform client (nhsa-interface.md). Start at `PlatformClient`, then the
 * typed transaction functions; docs/platform-client.md walks through both.
 */
export { PlatformClient, type CallOptions, type CallRequest, type PlatformReply, type PlatformClientDeps, type PlatformEvent, type ExchangeEvent } from './platform-client.ts';
export { CONFIG_DEFAULTS, type PlatformClientConfig } from './config.ts';
export { InMemoryMsgidSequence, MSGID_PATTERN, composeMsgid, type MsgidSequence } from './msgid.ts';
export { InMemorySignInStore, type SignInRecord, type SignInStore } from './sign-in-store.ts';
export {
  InMemoryReversalJournal,
  type CompletedReversal,
  type PendingReversal,
  type ReversalJournal,
  type ReversalResolution,
} from './reversal-journal.ts';
export type { ReversalEvent } from './reversal.ts';
export type { MaybePromise } from './maybe-promise.ts';
export { JsonInput, selfServiceOperator, staffOperator, type Operator, type OpterType, type RequestEnvelope } from './envelope.ts';
export { csbHeaders, type CsbCredentials } from './csb-gateway.ts';
export {
  FeeUploadIncompleteError,
  PlatformBadResponseError,
  PlatformConnectionLostError,
  PlatformError,
  PlatformHttpStatusError,
  PlatformRefusedError,
  PlatformRequestError,
  PlatformTimeoutError,
  PlatformUnreachableError,
  ReversalPendingError,
  isPlatformError,
  type PlatformErrorKind,
  type PlatformOutcome,
  type ReversalStatus,
} from './errors.ts';
export { toKioskError } from './kiosk-errors.ts';
export { TRANSACTIONS, transactionInfo, isReversible, type TransactionEffect, type TransactionInfo } from './infno-catalog.ts';
export { visitKeyOfIptNo, visitKeyOfMdtrt } from './visit-key.ts';
export type { ResponseMeta } from './response.ts';

export { signIn, signOut } from './transactions/session.ts';
export {
  fetchPersonInfo,
  checkTreatment,
  queryCumulative,
  type PersonInfoInput,
  type PersonInfo,
  type TreatmentCheckInput,
  type TreatmentCheck,
  type Cumulative,
} from './transactions/person.ts';
export {
  Sandbox5311Filings,
  type FilingsAdapter,
  type FilingsQuery,
  type PersonFilings,
  type Filing,
  type DsykRegistration,
} from './transactions/filings.ts';
export {
  queryInHospital,
  admit,
  discharge,
  updateAdmission,
  cancelAdmission,
  cancelDischarge,
  type AdmissionInfo,
  type AdmissionChange,
  type Admitted,
  type Diagnosis,
  type DischargeInfo,
  type InHospital,
  type StayRef,
} from './transactions/admission.ts';
export {
  DEFAULT_FEE_BATCH_SIZE,
  planFeeBatches,
  uploadFeeBatch,
  uploadFeeDetails,
  cancelFeeDetails,
  queryFeeDetails,
  type FeeDetail,
  type FeeDetailResult,
  type FeeDetailRow,
  type FeeDetails,
  type FeeUploadOptions,
  type FeeUploadResult,
  type RefusedFeeLine,
  type StayFees,
} from './transactions/fees.ts';
export {
  preSettle,
  settle,
  cancelSettlement,
  querySettlement,
  settlementData,
  type SetlDetail,
  type SetlInfo,
  type Settlement,
  type SettlementInput,
  type SettlementRef,
} from './transactions/settlement.ts';
export { reverse } from './transactions/reversal.ts';
export {
  reconcileTotals,
  reconcileDetails,
  type DetailReconciliation,
  type DetailReconciliationInput,
  type DetailResultRow,
  type HospitalSettlementRow,
  type TotalsReconciliation,
  type TotalsReconciliationInput,
} from './transactions/reconciliation.ts';
