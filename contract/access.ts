import type { KioskContract } from './api.ts';
import type { Role } from './dto/roles.ts';

export type { Role, StaffRole } from './dto/roles.ts';

/**
 * Who may call what (docs/security.md, "Roles"). Every KioskApi method names the roles that may call it; the
 * Dispatcher checks it before the arguments reach a service, for every transport, so a renderer (or anything
 * else holding the socket) cannot call a cashier method from a clerk's session. The table must name every
 * method: a method added to the contract without an entry does not compile, and one missing at run time is
 * refused.
 *
 * Staff roles come from the signed-in operator's account; the self-service kiosk (no staff sign-in) runs as
 * `patient`. A staff desk locked at idle has no role until it is unlocked.
 */
/**
 * `anyone`: needs no role (the sign-in screen, the status bar, the demo panel).
 * Otherwise the roles that may call the method; a signed-in operator with any of them may.
 */
export type Access = 'anyone' | readonly Role[];

type AccessTable = { [G in keyof KioskContract]: { [M in keyof KioskContract[G]]: Access } };

const PATIENT_DATA: readonly Role[] = ['clerk', 'cashier', 'supervisor', 'patient'];
const DESK: readonly Role[] = ['clerk', 'cashier', 'supervisor'];
const COUNTER: readonly Role[] = ['cashier', 'supervisor'];
const COUNTER_AND_KIOSK: readonly Role[] = ['cashier', 'supervisor', 'patient'];
const ADMISSION: readonly Role[] = ['clerk', 'supervisor'];
const STAFF: readonly Role[] = ['clerk', 'cashier', 'supervisor', 'technician'];

export const methodAccess = {
  system: { status: 'anyone', resetSession: 'anyone' },
  reader: {
    // Device diagnostics, no patient data.
    readers: 'anyone',
    currentCard: PATIENT_DATA,
    readIdCard: PATIENT_DATA,
    currentIdCard: PATIENT_DATA,
  },
  operator: {
    signIn: 'anyone',
    signOut: STAFF,
    lock: 'anyone',
    unlock: 'anyone',
    changePassword: 'anyone',
    demoAccounts: 'anyone',
    // Authenticated by the supervisor's own 工号 and password (at the sign-in screen, nobody is signed in).
    unlockAccount: 'anyone',
  },
  // Account administration: supervisors only (the service checks the role again).
  accounts: { list: ['supervisor'], add: ['supervisor'], setRoles: ['supervisor'], setDisabled: ['supervisor'], resetPassword: ['supervisor'], unlock: ['supervisor'] },
  eligibility: { check: PATIENT_DATA },
  admission: {
    departments: PATIENT_DATA,
    searchDiagnoses: ADMISSION,
    // The admission desk takes the first 预交金 with the registration.
    register: ADMISSION,
    // Cancelling an admission returns its deposits: a supervisor's decision.
    cancel: ['supervisor'],
    get: DESK,
    list: DESK,
    findBooked: ['clerk', 'supervisor', 'patient'],
    checkIn: ['clerk', 'supervisor', 'patient'],
    // 预交金 by cash or bank card during a stay: the admission office takes it as it does at registration.
    addDeposit: DESK,
  },
  charges: {
    searchCatalogue: COUNTER,
    list: COUNTER,
    add: COUNTER,
    import: COUNTER,
    previewImport: COUNTER,
    cancelLine: COUNTER,
    upload: COUNTER,
  },
  discharge: {
    openStays: COUNTER_AND_KIOSK,
    preSettle: COUNTER_AND_KIOSK,
    settle: COUNTER_AND_KIOSK,
    // Asked at the counter; the service also requires a supervisor's own 工号 and password (approval).
    reverse: COUNTER,
    get: COUNTER_AND_KIOSK,
    list: COUNTER,
  },
  documents: { render: PATIENT_DATA, print: PATIENT_DATA },
  // The queue shows stays and amounts: desk staff; cancelling a queued transaction is a supervisor's.
  queue: { status: DESK, retry: DESK, cancel: ['supervisor'] },
  // 收款员日结 and the platform reconciliation: the counter's day-end (supervisors check it).
  reconciliation: { run: COUNTER, dayEnd: COUNTER },
  payments: {
    // The admission desk takes the 预交金 by QR right after registering; the kiosk takes what the patient pays.
    startQr: PATIENT_DATA,
    payByCode: PATIENT_DATA,
    status: PATIENT_DATA,
    cancel: PATIENT_DATA,
    listForAdmission: DESK,
    attention: COUNTER,
    dayEnd: COUNTER,
    // 少补 after a settlement: the kiosk shows what is due; cash or card at a staffed counter only.
    balanceDue: COUNTER_AND_KIOSK,
    collectBalance: COUNTER,
    deposits: DESK,
    // 作废 of a mistaken cash / POS deposit: a supervisor's decision (the service checks the role again).
    voidDeposit: ['supervisor'],
  },
  // Refunds: the kiosk may show a stay's refunds to its patient; handing out cash and re-routing are the counter's.
  refunds: { forAdmission: COUNTER_AND_KIOSK, open: COUNTER, confirmHandedOut: COUNTER, toCash: COUNTER, retryAtGateway: COUNTER },
  // The demo panel drives the simulated world (cards, phone, network); the group refuses outside demo mode.
  demo: { people: 'anyone', insertCard: 'anyone', removeCard: 'anyone', idCards: 'anyone', placeIdCard: 'anyone', phonePays: 'anyone', phoneShowsCode: 'anyone', setNetwork: 'anyone' },
} as const satisfies AccessTable;

/** Who the terminal is serving now, as the Dispatcher sees it. */
export type Principal =
  | { kind: 'operator'; opterNo: string; roles: readonly Role[] }
  /** A staff desk with nobody signed in. */
  | { kind: 'nobody' }
  /** A staff desk locked at idle: only sign-in, unlock and status work. */
  | { kind: 'locked'; opterNo: string };

export function accessOf(group: string, name: string): Access | undefined {
  const g = (methodAccess as Record<string, Record<string, Access> | undefined>)[group];
  return g && Object.hasOwn(g, name) ? g[name] : undefined;
}

/** Whether the principal may call a method with this access entry. */
export function allows(access: Access | undefined, principal: Principal): 'ok' | 'not-signed-in' | 'locked' | 'forbidden' {
  if (access === undefined) return 'forbidden';
  if (access === 'anyone') return 'ok';
  if (principal.kind === 'nobody') return 'not-signed-in';
  if (principal.kind === 'locked') return 'locked';
  return principal.roles.some((r) => access.includes(r)) ? 'ok' : 'forbidden';
}
