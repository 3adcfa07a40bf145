import { describe, expect, it } from 'vitest';
import { kioskContract } from '../../../contract/api.ts';
import { accessOf, methodAccess, type Principal, type Role } from '../../../contract/access.ts';
import { channelOf } from '../../../contract/define.ts';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { fakeServices } from '../../fakes/fake-services.ts';

/**
 * The role table (contract/access.ts) as the Dispatcher enforces it: a refused request never reaches the service,
 * whatever its arguments. Each protected action class is refused to each role that must not have it.
 */
const as = (...roles: Role[]): Principal => ({ kind: 'operator', opterNo: 'X', roles });

/** A dispatcher whose every service method records that it ran and answers nothing useful. */
function recording(principal: Principal) {
  const ran: string[] = [];
  const overrides: Record<string, Record<string, () => Promise<never>>> = {};
  for (const [g, methods] of Object.entries(kioskContract)) {
    overrides[g] = {};
    for (const m of Object.keys(methods)) {
      overrides[g][m] = async () => {
        ran.push(`${g}.${m}`);
        throw new Error('ran');
      };
    }
  }
  const d = new Dispatcher(fakeServices(overrides as never), () => principal);
  const code = async (method: string) => {
    const [g, m] = method.split('.') as [string, string];
    const reply = await d.call(channelOf(g, m), {}, { transport: 'memory' });
    return reply.ok ? 'ok' : reply.error.code;
  };
  return { ran, code };
}

const MONEY = ['discharge.settle', 'discharge.preSettle', 'discharge.reverse', 'admission.addDeposit', 'charges.add', 'charges.import', 'charges.cancelLine', 'reconciliation.run', 'payments.dayEnd', 'payments.attention'];
const PATIENT_DATA = ['eligibility.check', 'reader.currentCard', 'reader.readIdCard', 'admission.list', 'admission.get', 'charges.list', 'discharge.openStays', 'discharge.list', 'documents.render', 'payments.listForAdmission', 'queue.status'];
const STAFF_ONLY = ['admission.register', 'admission.cancel', 'admission.list', 'charges.add', 'charges.upload', 'discharge.reverse', 'discharge.list', 'reconciliation.run', 'queue.status', 'queue.retry', 'queue.cancel', 'payments.dayEnd', 'payments.attention', 'operator.signOut'];

async function refusedAll(principal: Principal, methods: string[]) {
  const r = recording(principal);
  for (const m of methods) expect([m, await r.code(m)]).toEqual([m, 'FORBIDDEN']);
  expect(r.ran).toEqual([]);
}

describe('who may call what', () => {
  it('names every method of the contract', () => {
    for (const [g, methods] of Object.entries(kioskContract)) for (const m of Object.keys(methods)) expect(accessOf(g, m), `${g}.${m}`).toBeDefined();
    expect(Object.keys(methodAccess).sort()).toEqual(Object.keys(kioskContract).sort());
  });

  it('a clerk cannot settle, reverse, refund or run the day-end (a 预交金 top-up is the admission office’s)', async () => {
    expect(methodAccess.admission.addDeposit).toContain('clerk');
    await refusedAll(as('clerk'), ['discharge.settle', 'discharge.preSettle', 'discharge.reverse', 'charges.add', 'charges.import', 'reconciliation.run', 'payments.dayEnd', 'admission.cancel', 'queue.cancel']);
  });

  it('a cashier cannot reverse alone (the service needs a supervisor’s approval), cancel an admission, or register one', async () => {
    await refusedAll(as('cashier'), ['admission.cancel', 'admission.register', 'queue.cancel']);
    // Asking for the reversal is the counter's; approving it is a supervisor's own password (services/operator/approval.ts).
    expect(methodAccess.discharge.reverse).toEqual(['cashier', 'supervisor']);
  });

  it('a technician touches no money and no patient data', async () => {
    await refusedAll(as('technician'), [...MONEY, ...PATIENT_DATA]);
    const r = recording(as('technician'));
    expect(await r.code('system.status')).not.toBe('FORBIDDEN');
    expect(await r.code('reader.readers')).not.toBe('FORBIDDEN');
  });

  it('the self-service kiosk (patient) cannot call staff methods', async () => {
    await refusedAll(as('patient'), STAFF_ONLY);
    const r = recording(as('patient'));
    for (const m of ['eligibility.check', 'admission.checkIn', 'admission.findBooked', 'discharge.settle', 'payments.startQr', 'documents.print']) expect(await r.code(m)).not.toBe('FORBIDDEN');
  });

  it('nobody signed in: only sign-in, status and the demo panel; a locked desk: the same, with DESK_LOCKED', async () => {
    const nobody = recording({ kind: 'nobody' });
    expect(await nobody.code('eligibility.check')).toBe('NOT_SIGNED_IN');
    expect(await nobody.code('discharge.settle')).toBe('NOT_SIGNED_IN');
    const locked = recording({ kind: 'locked', opterNo: '1001' });
    expect(await locked.code('admission.register')).toBe('DESK_LOCKED');
    expect(await locked.code('reader.currentCard')).toBe('DESK_LOCKED');
    expect(nobody.ran).toEqual([]);
    expect(locked.ran).toEqual([]);
    // These reach their service (which then answers for itself).
    for (const m of ['operator.signIn', 'operator.unlock', 'system.status', 'demo.people']) expect(['INTERNAL', 'INVALID_ARGUMENT']).toContain(await locked.code(m));
  });

  it('account administration is a supervisor’s only: every other role, the kiosk, nobody and a locked desk are refused', async () => {
    const ACCOUNTS = Object.keys(kioskContract.accounts).map((m) => `accounts.${m}`);
    expect(ACCOUNTS).toEqual(['accounts.list', 'accounts.add', 'accounts.setRoles', 'accounts.setDisabled', 'accounts.resetPassword', 'accounts.unlock']);
    for (const role of ['clerk', 'cashier', 'technician', 'patient'] as const) await refusedAll(as(role), ACCOUNTS);
    const locked = recording({ kind: 'locked', opterNo: 'SUP01' });
    for (const m of ACCOUNTS) expect(await locked.code(m)).toBe('DESK_LOCKED');
    const nobody = recording({ kind: 'nobody' });
    for (const m of ACCOUNTS) expect(await nobody.code(m)).toBe('NOT_SIGNED_IN');
    expect([...locked.ran, ...nobody.ran]).toEqual([]);
    const supervisor = recording(as('cashier', 'supervisor'));
    await supervisor.code('accounts.list');
    expect(supervisor.ran).toEqual(['accounts.list']);
  });

  it('each counter money action is refused to every role without it (issue 15 acceptance walk: the whole table)', async () => {
    // Every action that moves money or decides who pays what at the counter, and the roles that must not run it.
    const counter = ['discharge.reverse', 'charges.add', 'charges.import', 'charges.cancelLine', 'charges.upload', 'payments.collectBalance', 'payments.attention', 'payments.dayEnd', 'reconciliation.run', 'reconciliation.dayEnd', 'refunds.open', 'refunds.confirmHandedOut', 'refunds.toCash', 'refunds.retryAtGateway'];
    for (const role of ['clerk', 'technician', 'patient'] as const) await refusedAll(as(role), counter);
    // Supervisor-only: voiding a deposit, cancelling a stay (its deposits returned), cancelling a queued transaction.
    for (const role of ['clerk', 'cashier', 'technician', 'patient'] as const) await refusedAll(as(role), ['payments.voidDeposit', 'admission.cancel', 'queue.cancel']);
    // The desk's own money: registering with a 预交金 is the admission office's, not the counter's or a technician's.
    for (const role of ['cashier', 'technician', 'patient'] as const) await refusedAll(as(role), ['admission.register']);
    await refusedAll(as('technician'), ['admission.addDeposit', 'payments.startQr', 'payments.payByCode', 'discharge.settle']);
    // A supervisor gets past the table for each (the empty arguments are then refused by their schema).
    const supervisor = recording(as('supervisor'));
    for (const m of [...counter, 'payments.voidDeposit', 'admission.cancel', 'admission.addDeposit']) expect([m, await supervisor.code(m)]).not.toEqual([m, 'FORBIDDEN']);
  });

  it('an unknown method is refused even with every role', async () => {
    const r = recording(as('clerk', 'cashier', 'supervisor', 'technician', 'patient'));
    expect(await r.code('system.shutdown')).toBe('UNKNOWN_METHOD');
  });
});
