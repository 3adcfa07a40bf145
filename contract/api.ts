import { z } from 'zod';
import { StaffRole } from './dto/roles.ts';
import { method, type ApiOf, type EventPayloads, type ServicesOf } from './define.ts';
import { Day, Empty, Id, Mode, Ok } from './dto/common.ts';
import { TerminalStatus } from './dto/status.ts';
import { ReaderEvents, CardView, ReaderInfo } from './dto/card.ts';
import { IdCardEvents, IdCardView } from './dto/idcard.ts';
import { Credential, EligibilityDecision, EligibilityRequest, PersonView } from './dto/eligibility.ts';
import { AdmissionForm, AdmissionStatus, AdmissionView, BookedAdmission, Department, DepositInput, Diagnosis, RegisterOutcome } from './dto/admission.ts';
import { CatalogueEntry, ChargesSummary, FeeLineInput, ImportPreview } from './dto/charges.ts';
import { DocumentKind, PreSettleOutcome, RenderedDocument, ReverseOutcome, SettleOutcome, SettlementView } from './dto/settlement.ts';
import { DemoPerson, QueueStatus, ReconciliationReport } from './dto/operations.ts';
import { DayEndQuery, DayEndReport } from './dto/day-end.ts';
import { AuthCode, BalanceDueView, CollectBalance, PaymentDayEnd, PaymentOrderView, PaymentState, StartPayment, StayDeposits, VoidDeposit } from './dto/payments.ts';
import { RefundView } from './dto/refunds.ts';
import { AccountList, AccountView, NewAccount, ResetPassword, SetDisabled, SetRoles, AccountNo } from './dto/accounts.ts';

const OpterNo = z.string().min(1).max(20);
const Password = z.string().min(1).max(64);
const SignedIn = z.object({ opterNo: z.string(), name: z.string(), roles: z.array(StaffRole), signNo: z.string().nullable() });

const Query = z.object({ q: z.string().max(100), limit: z.number().int().min(1).max(100).default(20) });

/**
 * KioskApi: everything the renderer can ask of the terminal. Every argument and result has a schema; the host
 * validates arguments before any service sees them (a compromised renderer can send only what parses).
 */
export const kioskContract = {
  system: {
    status: method(Empty, TerminalStatus),
    /** Idle timeout or "新患者": the host forgets the session's personal data (current card, decisions). */
    resetSession: method(Empty, Ok),
  },
  reader: {
    readers: method(Empty, z.array(ReaderInfo)),
    /** The last card read in this session, masked, or null. */
    currentCard: method(Empty, CardView.nullable()),
    /**
     * 读身份证: reads the resident ID card (or 永久居留证 / 港澳台居住证) on the ID card reader, waiting up to
     * waitMs (default 5000) for it to be placed. The card becomes the session's credential 02: eligibility and
     * findBooked take { kind: 'idcard' }. Fails with CARD_ABSENT when none was placed in time.
     */
    readIdCard: method(z.object({ waitMs: z.number().int().min(500).max(30_000).optional() }), IdCardView),
    /** The ID card read in this session, masked, or null. */
    currentIdCard: method(Empty, IdCardView.nullable()),
  },
  operator: {
    /**
     * Sign-in at a staff desk with 工号 and password (checked against the operator accounts), then 9001 签到
     * (the day's sign_no is cached). A wrong password and an unknown 工号 fail alike (SIGN_IN_FAILED); repeated
     * failures lock the 工号 (ACCOUNT_LOCKED, until when); an account whose password was reset must change it
     * first (PASSWORD_CHANGE_REQUIRED). Another operator signing in replaces the one signed in.
     */
    signIn: method(z.object({ opterNo: OpterNo, password: Password }), SignedIn),
    /** 9002 签退. */
    signOut: method(Empty, Ok),
    /** The desk was left idle: until `unlock` (or another sign-in), the terminal refuses every staff request. */
    lock: method(Empty, Ok),
    /** The signed-in operator's own password resumes a locked desk. */
    unlock: method(z.object({ password: Password }), Ok),
    /** The operator's own password change (required after a reset or at first sign-in). */
    changePassword: method(z.object({ opterNo: OpterNo, password: Password, newPassword: Password }), Ok),
    /** Demo mode only: the demo accounts and their passwords, shown on the sign-in screen (empty otherwise). */
    demoAccounts: method(Empty, z.array(z.object({ opterNo: z.string(), name: z.string(), roles: z.array(StaffRole), password: z.string() }))),
    /** A supervisor lifts the lockout of a 工号 with their own 工号 and password. */
    unlockAccount: method(z.object({ opterNo: OpterNo, supervisorNo: OpterNo, supervisorPassword: Password }), z.object({ wasLocked: z.boolean() })),
  },
  /**
   * Account administration, a supervisor's only (docs/security.md, "Account administration"); the terminal
   * checks the role again in the service. Each change answers the account as it is now; every change and
   * every refusal is audited under the signed-in supervisor. Refusals: FORBIDDEN (not a supervisor),
   * ACCOUNT_NOT_FOUND, ACCOUNT_EXISTS, PASSWORD_REJECTED, ACCOUNT_STATE (the last supervisor, one's own
   * account, a configured or demo account's roles).
   */
  accounts: {
    list: method(Empty, AccountList),
    /** A new account with an initial password, which the operator changes at the first sign-in. */
    add: method(NewAccount, AccountView),
    setRoles: method(SetRoles, AccountView),
    setDisabled: method(SetDisabled, AccountView),
    /** A new initial password (changed at the next sign-in); lifts the account's lockout. */
    resetPassword: method(ResetPassword, AccountView),
    unlock: method(z.object({ opterNo: AccountNo }), AccountView),
  },
  eligibility: {
    check: method(EligibilityRequest, EligibilityDecision),
  },
  admission: {
    departments: method(Empty, z.array(Department)),
    searchDiagnoses: method(Query, z.array(Diagnosis)),
    register: method(AdmissionForm, RegisterOutcome),
    cancel: method(z.object({ admissionId: Id, reason: z.string().min(1).max(200) }), AdmissionView),
    get: method(z.object({ admissionId: Id }), AdmissionView),
    list: method(z.object({ status: AdmissionStatus.optional(), q: z.string().max(50).optional() }), z.array(AdmissionView)),
    /** Self-service: booked admissions of the person identified by the credential. */
    findBooked: method(z.object({ credential: Credential }), z.object({ person: PersonView, bookings: z.array(BookedAdmission) })),
    checkIn: method(z.object({ bookingId: Id, checkId: Id, deposit: DepositInput.optional() }), RegisterOutcome),
    addDeposit: method(z.object({ admissionId: Id, deposit: DepositInput }), AdmissionView),
  },
  charges: {
    searchCatalogue: method(Query, z.array(CatalogueEntry)),
    list: method(z.object({ admissionId: Id }), ChargesSummary),
    add: method(z.object({ admissionId: Id, lines: z.array(FeeLineInput).min(1).max(500) }), ChargesSummary),
    /** HIS export, CSV or JSON (format in docs/his-import.md). */
    import: method(z.object({ admissionId: Id, format: z.enum(['csv', 'json']), content: z.string().max(10_000_000) }), ChargesSummary),
    /** The same file checked as import would, nothing stored: the counter's preview with per-line problems. */
    previewImport: method(z.object({ admissionId: Id, format: z.enum(['csv', 'json']), content: z.string().max(10_000_000) }), ImportPreview),
    cancelLine: method(z.object({ admissionId: Id, feedetlSn: Id }), ChargesSummary),
    /** 2301 in batches (queued when offline). */
    upload: method(z.object({ admissionId: Id }), ChargesSummary),
  },
  discharge: {
    /**
     * Local store: stays that can be discharged here (and settled ones still owing their balance).
     * `settledToday`: also the stays settled today (China time): the kiosk shows a patient the settlement of their
     * stay that finished while they were away (e.g. after a lost answer was reversed and the 2304 sent again).
     */
    openStays: method(z.object({ q: z.string().max(50).optional(), settledToday: z.boolean().optional() }), z.array(AdmissionView)),
    /** 2402 (when not yet done) + pending 2301 + 2303: shown to the patient before anything is final. */
    preSettle: method(z.object({ admissionId: Id, dischargeDiagnosisCode: z.string().max(30).optional() }), PreSettleOutcome),
    /**
     * 2304, then 多退少补 against the deposits. Resumes safely after a crash or timeout. `resumeOnly`: only
     * report or finish the settlement already under way (or done); never start one (refused when there is none).
     */
    settle: method(z.object({ admissionId: Id, pin: z.string().regex(/^\d{6}$/).optional(), resumeOnly: z.boolean().optional() }), SettleOutcome),
    /** 2305 by a supervisor with a reason. */
    reverse: method(
      z.object({ settlementId: Id, supervisorNo: z.string().min(1).max(20), supervisorPassword: z.string().min(1).max(64), reason: z.string().min(2).max(200) }),
      ReverseOutcome,
    ),
    get: method(z.object({ settlementId: Id }), SettlementView),
    list: method(z.object({ date: Day.optional() }), z.array(SettlementView)),
  },
  documents: {
    render: method(
      // receiptNo: which payment a deposit-receipt prints (default: the newest 预交金); dayEnd: which day-end-report.
      z.object({ kind: DocumentKind, admissionId: Id.optional(), settlementId: Id.optional(), receiptNo: z.string().min(1).max(40).optional(), dayEnd: DayEndQuery.optional(), pdf: z.boolean().default(false) }),
      RenderedDocument,
    ),
    print: method(z.object({ kind: DocumentKind, admissionId: Id.optional(), settlementId: Id.optional(), receiptNo: z.string().min(1).max(40).optional(), dayEnd: DayEndQuery.optional() }), z.object({ status: z.enum(['printed', 'spooled-pdf', 'failed']), message: z.string() })),
  },
  queue: {
    status: method(Empty, QueueStatus),
    retry: method(z.object({ id: Id }), QueueStatus),
    cancel: method(z.object({ id: Id, reason: z.string().min(1).max(200) }), QueueStatus),
  },
  reconciliation: {
    run: method(z.object({ date: Day }), ReconciliationReport),
    /** 收款员日结: deposits, 补缴, refunds paid per operator and channel, settlements net of reversals, cash to hand in. */
    dayEnd: method(DayEndQuery, DayEndReport),
  },
  payments: {
    /** C扫B: the order is written, then precreated; the screen shows its QR and polls `status`. */
    startQr: method(StartPayment, PaymentOrderView),
    /** B扫C: the scanner read the patient's 付款码. */
    payByCode: method(StartPayment.extend({ authCode: AuthCode }), PaymentOrderView),
    /** The order now (an open one is checked with the gateway first). */
    status: method(z.object({ outTradeNo: Id }), PaymentOrderView),
    /** The patient gave up: close the QR (a payment that arrived meanwhile is kept and recorded). */
    cancel: method(z.object({ outTradeNo: Id }), PaymentOrderView),
    /** A stay's gateway orders, newest last. */
    listForAdmission: method(z.object({ admissionId: Id }), z.array(PaymentOrderView)),
    /** The operator queue: orders an operator must look at. */
    attention: method(Empty, z.array(PaymentOrderView)),
    /** Day-end: local orders against the gateway's statement, per channel and operator. */
    dayEnd: method(z.object({ date: Day }), PaymentDayEnd),
    /** 少补: the stay's balance due after its settlement (null: not settled, or nothing due). */
    balanceDue: method(z.object({ admissionId: Id }), BalanceDueView.nullable()),
    /** 少补 at a staffed counter by cash or bank-card POS, confirmed by the cashier (QR / 付款码 use startQr / payByCode). */
    collectBalance: method(CollectBalance, z.object({ order: PaymentOrderView, balance: BalanceDueView })),
    /** A stay's 预交金 and 补缴 rows, voided ones marked, with what may be voided. */
    deposits: method(z.object({ admissionId: Id }), StayDeposits),
    /** 作废 of a mistaken cash / POS deposit by the signed-in supervisor, with a reason: a row of its own. */
    voidDeposit: method(VoidDeposit, StayDeposits),
  },
  refunds: {
    /** A stay's refunds, oldest first: what every screen and the 退费凭条 show (退款中 / 已退 / 待人工处理). */
    forAdmission: method(z.object({ admissionId: Id }), z.array(RefundView)),
    /** Refunds not yet done, every stay: the counter's cash to hand out and the operator queue. */
    open: method(Empty, z.array(RefundView)),
    /** The cashier handed out the cash (or made the card refund on the POS): the only way a counter refund is 已退. */
    confirmHandedOut: method(z.object({ refundId: Id, posRef: z.string().max(40).optional() }), RefundView),
    /** The operator queue: a refund the gateway refused is paid in cash at the counter instead, with a reason. */
    toCash: method(z.object({ refundId: Id, reason: z.string().min(2).max(200) }), RefundView),
    /** The operator queue: a refund the gateway refused is asked again at the gateway (paced, at most 3 times). */
    retryAtGateway: method(z.object({ refundId: Id }), RefundView),
  },
  demo: {
    people: method(Empty, z.array(DemoPerson)),
    insertCard: method(z.object({ personKey: z.string().min(1).max(64), generation: z.union([z.literal(2), z.literal(3)]).default(3) }), Ok),
    removeCard: method(Empty, Ok),
    /** The virtual ID card reader's cards: every demo person's 居民身份证 (person/<key>) and the test cards. */
    idCards: method(Empty, z.array(z.object({ id: z.string(), label: z.string() }))),
    /** Lays a virtual ID card on the virtual ID card reader (the one there is taken away first), or takes it away. */
    placeIdCard: method(z.object({ cardId: z.string().min(1).max(64).nullable() }), Ok),
    /** The simulated phone scans a QR (or confirms a 付款码 payment waiting for the password) and pays or declines. */
    phonePays: method(z.object({ qrCode: z.string().max(300).optional(), outTradeNo: Id.optional(), action: z.enum(['pay', 'decline']) }), Ok),
    /** The simulated phone shows a 付款码 (single use) that will pay, wait for the password, or be refused. */
    phoneShowsCode: method(z.object({ behaviour: z.enum(['pay', 'confirm', 'decline', 'insufficient']) }), z.object({ authCode: z.string() })),
    setNetwork: method(z.object({ online: z.boolean() }), Ok),
  },
} as const;

export const kioskEvents = {
  ...ReaderEvents,
  ...IdCardEvents,
  status: TerminalStatus,
  'mode-changed': z.object({ mode: Mode }),
  /** A gateway order moved (e.g. a verified notification): screens showing it ask for it now. */
  'payment-changed': z.object({ outTradeNo: z.string(), state: PaymentState }),
} as const;

export type KioskContract = typeof kioskContract;
export type KioskEvents = typeof kioskEvents;
export type KioskEventName = keyof KioskEvents;
export type KioskEventPayloads = EventPayloads<KioskEvents>;

/** Subscribe to an event; returns the unsubscribe function. */
export type Subscribe = <E extends KioskEventName>(event: E, listener: (payload: KioskEventPayloads[E]) => void) => () => void;

/** window.kiosk */
export type KioskApi = ApiOf<KioskContract> & { on: Subscribe };

/** Caller context the transports attach: which surface the call came from (validated, never from arguments). */
export interface CallContext {
  transport: 'ipc' | 'websocket' | 'memory';
}

/** What the host implements (services/ wires the real ones; tests may pass fakes). */
export type KioskServices = ServicesOf<KioskContract, CallContext>;
