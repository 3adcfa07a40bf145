import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalStatus } from '../../../contract/dto/status.ts';
import { credentialsOf, startHarness, type Harness } from './harness.ts';

/**
 * Roles on a whole terminal (the real dispatcher, accounts in the store, the sandbox platform): the operator
 * signed in decides what the terminal does, whatever the screen asks; the self-service kiosk runs as a patient.
 */
describe('roles at a staff terminal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'discharge' });
  }, 60_000);
  afterAll(() => h?.close());

  const code = async (group: string, method: string, args: unknown = {}) => (await h.callError(group, method, args)).code;

  it('nobody signed in: every business request is refused', async () => {
    expect(await code('discharge', 'openStays')).toBe('NOT_SIGNED_IN');
    expect(await code('eligibility', 'check', { credential: { kind: 'card' } })).toBe('NOT_SIGNED_IN');
  });

  it('a wrong password and an unknown 工号: the same answer', async () => {
    const wrong = await h.callError('operator', 'signIn', { opterNo: '2001', password: 'not-it-at-all' });
    const unknown = await h.callError('operator', 'signIn', { opterNo: '2999', password: 'not-it-at-all' });
    expect(wrong.toDto()).toEqual(unknown.toDto());
    expect(wrong.code).toBe('SIGN_IN_FAILED');
  });

  it('a clerk cannot settle, reverse or run the day-end', async () => {
    await h.call('operator', 'signIn', credentialsOf('2001'));
    expect(await code('discharge', 'settle', { admissionId: 'ZY1' })).toBe('FORBIDDEN');
    expect(await code('discharge', 'reverse', { settlementId: '1', supervisorNo: '4001', supervisorPassword: 'ssz-4001-pw', reason: '测试撤销' })).toBe('FORBIDDEN');
    // A 预交金 top-up is the admission office's as well: past the role check (the stay does not exist).
    expect(await code('admission', 'addDeposit', { admissionId: 'ZY1', deposit: { amountFen: 100, receiptNo: 'R1', method: 'cash' } })).not.toBe('FORBIDDEN');
    expect(await code('reconciliation', 'run', { date: '2026-11-24' })).toBe('FORBIDDEN');
    expect(await code('payments', 'dayEnd', { date: '2026-11-24' })).toBe('FORBIDDEN');
    expect(await code('payments', 'voidDeposit', { depositId: '1', reason: '金额录错' })).toBe('FORBIDDEN');
  });

  it('a technician signs in and sees the terminal, but no money and no patient data', async () => {
    await h.call('operator', 'signIn', credentialsOf('5001'));
    expect((await h.call<TerminalStatus>('system', 'status')).operator).toMatchObject({ opterNo: '5001', roles: ['technician'] });
    expect(Array.isArray(await h.call('reader', 'readers'))).toBe(true);
    expect(await code('eligibility', 'check', { credential: { kind: 'card' } })).toBe('FORBIDDEN');
    expect(await code('discharge', 'openStays')).toBe('FORBIDDEN');
    expect(await code('charges', 'list', { admissionId: 'ZY1' })).toBe('FORBIDDEN');
    expect(await code('payments', 'startQr', { admissionId: 'ZY1', amountFen: 100 })).toBe('FORBIDDEN');
  });

  it('a cashier works the counter but cannot cancel an admission or a queued transaction', async () => {
    await h.call('operator', 'signIn', credentialsOf('3001'));
    expect(await h.call('discharge', 'openStays')).toEqual(expect.any(Array));
    expect(await code('admission', 'cancel', { admissionId: 'ZY1', reason: '测试' })).toBe('FORBIDDEN');
    expect(await code('queue', 'cancel', { id: '1', reason: '测试' })).toBe('FORBIDDEN');
    // 作废 of a mistaken cash deposit is a supervisor's; a cashier may list the deposits (past the role check).
    expect(await code('payments', 'voidDeposit', { depositId: '1', reason: '金额录错' })).toBe('FORBIDDEN');
    expect(await code('payments', 'deposits', { admissionId: 'ZY1' })).toBe('ADMISSION_NOT_FOUND');
  });

  it('a locked desk refuses everything until the operator’s password', async () => {
    await h.call('operator', 'lock');
    expect(await code('discharge', 'openStays')).toBe('DESK_LOCKED');
    expect((await h.call<TerminalStatus>('system', 'status')).operator).toMatchObject({ opterNo: '3001', locked: true });
    expect(await code('operator', 'unlock', { password: 'ssz-4001-pw' })).toBe('SIGN_IN_FAILED');
    await h.call('operator', 'unlock', { password: credentialsOf('3001').password });
    expect(await h.call('discharge', 'openStays')).toEqual(expect.any(Array));
  });

  it('no password and no hash in the log or the audit chain; refusals are logged', () => {
    const text = h.logLines.join('\n') + JSON.stringify(h.terminal.parts.store.audit.list({}));
    expect(text).not.toMatch(/scrypt\$|not-it-at-all|zdj-2001-pw|ljs-5001-pw|qsf-3001-pw|ssz-4001-pw/);
    expect(h.logLines.some((l) => l.includes('request refused by role') && l.includes('FORBIDDEN'))).toBe(true);
  });
});

describe('roles at a self-service kiosk', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mode: 'self-service' });
  }, 60_000);
  afterAll(() => h?.close());

  it('runs as the patient: no staff sign-in, no staff methods', async () => {
    expect((await h.callError('operator', 'signIn', credentialsOf('1001'))).code).toBe('NOT_AVAILABLE');
    for (const [g, m, args] of [
      ['charges', 'add', { admissionId: 'ZY1', lines: [{ medListCodg: 'X', cnt: 1, pricFen: 1 }] }],
      ['discharge', 'reverse', { settlementId: '1', supervisorNo: '4001', supervisorPassword: 'ssz-4001-pw', reason: '测试撤销' }],
      ['admission', 'register', {}],
      ['admission', 'list', {}],
      ['reconciliation', 'run', { date: '2026-11-24' }],
      ['queue', 'status', {}],
      ['payments', 'dayEnd', { date: '2026-11-24' }],
    ] as const) {
      expect([`${g}.${m}`, (await h.callError(g, m, args)).code]).toEqual([`${g}.${m}`, 'FORBIDDEN']);
    }
    // Patient actions are there (this one answers for itself: no stays for an unknown person).
    expect((await h.callError('discharge', 'preSettle', { admissionId: 'ZY-NONE' })).code).not.toBe('FORBIDDEN');
  });
});
