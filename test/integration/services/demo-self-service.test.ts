import type { PaymentOrderView } from '../../../contract/dto/payments.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisterOutcome } from '../../../contract/dto/admission.ts';
import { channelOf } from '../../../contract/define.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import type { TerminalStatus } from '../../../contract/dto/status.ts';
import { KioskError } from '../../../contract/errors.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import { eventually } from './harness.ts';

/**
 * `npm start` with no configuration: the demo terminal starts the sandbox and the virtual reader itself
 * (createTerminal on the defaults), the demo panel puts a virtual card into the reader and cuts the network,
 * and a patient at the self-service kiosk checks in to a booked admission.
 */
let dir: string;
let t: Terminal;
const events: { name: string; payload: unknown; at: number }[] = [];

async function call<T>(group: string, method: string, args: unknown = {}): Promise<T> {
  const reply = await t.dispatcher.call(channelOf(group, method), args, { transport: 'memory' });
  if (!reply.ok) throw KioskError.fromDto(reply.error);
  return reply.value as T;
}
async function callError(group: string, method: string, args: unknown = {}): Promise<KioskError> {
  const reply = await t.dispatcher.call(channelOf(group, method), args, { transport: 'memory' });
  if (reply.ok) throw new Error(`${group}.${method} succeeded`);
  return KioskError.fromDto(reply.error);
}
async function insert(personKey: string): Promise<{ name: string; payload: unknown }> {
  const since = performance.now();
  await call('demo', 'insertCard', { personKey, generation: 3 });
  return eventually(() => events.find((e) => (e.name === 'card-read' || e.name === 'card-error') && e.at >= since), 15_000, 'a card read');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-demo-'));
  // Exactly what `npm start` does with no configuration file, in self-service mode.
  const loaded = loadConfig({ env: { KIOSK_METRICS_PORT: '0', KIOSK_DATA_DIR: dir, KIOSK_MODE: 'self-service' } });
  expect(loaded.config).toMatchObject({ demo: true, platform: { url: null } });
  t = await createTerminal(loaded, { log: memoryLogger() });
  t.dispatcher.subscribe((name, payload) => events.push({ name, payload, at: performance.now() }));
  await eventually(async () => (await call<unknown[]>('reader', 'readers')).length > 0, 15_000, 'the virtual reader');
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('demo mode: sandbox, virtual reader and the demo panel', () => {
  it('starts its own sandbox and virtual reader, and says so in the status', async () => {
    const s = await call<TerminalStatus>('system', 'status');
    expect(s).toMatchObject({ mode: 'self-service', demo: true, platform: { online: true }, operator: null });
    // Screens default their day lists to the terminal's day (the demo's), not the browser's.
    expect(s.today).toBe('2026-11-20');
    expect(t.parts.demo?.reader).toMatchObject({ link: 'serial', path: expect.stringMatching(/^\/dev\/pts\//) });
    expect(t.parts.platformUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('lists every demo person, masked, with the special cards', async () => {
    const people = await call<{ key: string; displayName: string; generations: number[] }[]>('demo', 'people');
    expect(people.find((p) => p.key === 'local-employee')).toMatchObject({ displayName: '王*国', generations: [2, 3] });
    expect(people.some((p) => p.key === 'card-replaced/old')).toBe(true);
    expect(people.some((p) => p.key === 'citizen-card-no-ssse')).toBe(true);
    expect((await callError('demo', 'insertCard', { personKey: 'nobody', generation: 3 })).code).toBe('INVALID_ARGUMENT');
  });

  it('self-service check-in of a booked admission, card read through the real serial link', async () => {
    const read = await insert('local-employee');
    expect(read).toMatchObject({ name: 'card-read', payload: { card: { displayName: '王*国', displaySsn: '3202**********1014' } } });
    const booked = await call<{ person: { displayName: string }; bookings: { bookingId: string; suggestedDepositFen: number }[] }>('admission', 'findBooked', {
      credential: { kind: 'card' },
    });
    expect(booked.person.displayName).toBe('王*国');
    expect(booked.bookings.map((b) => b.bookingId)).toEqual(['YY0001']);
    const d = await call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
    expect(d).toMatchObject({ direct: true, scope: 'local' });
    // The demo world lives on the day its fixtures were written for, whatever the machine's date.
    expect(d.checkedAt.slice(0, 10)).toBe('2026-11-20');
    // The kiosk used to record a typed-in deposit as paid with no payment behind it: refused now.
    const typedIn = await callError('admission', 'checkIn', {
      bookingId: 'YY0001',
      checkId: d.checkId,
      deposit: { amountFen: booked.bookings[0]!.suggestedDepositFen, receiptNo: 'ZZ-YY0001', method: 'alipay' },
    });
    expect(typedIn).toMatchObject({ code: 'INVALID_ARGUMENT', message: '自助机的预交金须通过扫码支付缴纳' });
    const checkInOutcome = await call<RegisterOutcome>('admission', 'checkIn', { bookingId: 'YY0001', checkId: d.checkId });
    expect(checkInOutcome.outcome).toBe('admitted');
    const checkedIn = checkInOutcome.admission;
    expect(checkedIn).toMatchObject({ status: 'admitted', depositsFen: 0 });
    // The deposit through the payment sandbox: QR, the simulated phone pays, applied on the gateway's word.
    let order = await call<PaymentOrderView>('payments', 'startQr', { admissionId: checkedIn.admissionId, amountFen: booked.bookings[0]!.suggestedDepositFen });
    expect(order).toMatchObject({ state: 'awaiting-buyer', qrCode: expect.any(String) });
    // (Checked behind the kiosk's role check: a patient's kiosk may not look up admissions by number.)
    const staffView = (admissionId: string) => t.parts.services.admission.get({ admissionId }, { transport: 'memory' });
    expect((await staffView(checkedIn.admissionId)).depositsFen).toBe(0);
    await call('demo', 'phonePays', { qrCode: order.qrCode, action: 'pay' });
    for (let i = 0; i < 50 && order.state !== 'applied'; i++) order = await call<PaymentOrderView>('payments', 'status', { outTradeNo: order.outTradeNo });
    expect(order).toMatchObject({ state: 'applied', tradeNo: expect.any(String) });
    // The payment calls are in the terminal's metrics: operation and result, nothing about the order.
    const text = await (await fetch(`${t.parts.metricsEndpoint!.url}/metrics`)).text();
    expect(text).toMatch(/kiosk_payment_requests_total\{terminal="[^"]+",operation="precreate",result="ok"\} 1/);
    expect(text).not.toContain(order.outTradeNo);
    const adm = await staffView(checkedIn.admissionId);
    expect(adm).toMatchObject({ status: 'admitted', deptName: '心血管内科', bed: '0805', depositsFen: 300_000, direct: true });
    expect(adm.mdtrtId).not.toBeNull();
    // Once admitted, the booking is no longer offered.
    expect((await call<{ bookings: unknown[] }>('admission', 'findBooked', { credential: { kind: 'card' } })).bookings).toEqual([]);
    // The self-service kiosk cannot register walk-in admissions: the patient role may not ask (contract/access.ts).
    expect((await callError('admission', 'register', { checkId: d.checkId, deptCode: 'A07', ward: 'W17', bed: '1701', attendingDoctorCode: 'D0700001', attendingDoctorName: '程小兰', diagnosisCode: 'J18.9', diagnosisName: '肺炎', admissionType: 'normal' })).code).toBe('FORBIDDEN');
    await call('demo', 'removeCard');
    await call('system', 'resetSession');
  });

  it('a booking of another person, or not yet due, is refused', async () => {
    await insert('local-employee');
    // The demo panel swaps cards like a person would: the one in the reader comes out first.
    await insert('local-resident');
    const d = await call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
    expect((await callError('admission', 'checkIn', { bookingId: 'YY0002', checkId: d.checkId })).code).toBe('INVALID_ARGUMENT');
    const notYet = await callError('admission', 'checkIn', { bookingId: 'YY0004', checkId: d.checkId });
    expect(notYet.code).toBe('ADMISSION_STATE');
    expect(notYet.message).toMatch(/尚未到报到时间/);
    await call('demo', 'removeCard');
    await call('system', 'resetSession');
  });

  it('"cut the network" really makes platform calls fail, and restoring it brings them back', async () => {
    await insert('nj-unfiled');
    await call('demo', 'setNetwork', { online: false });
    expect((await call<TerminalStatus>('system', 'status')).platform.online).toBe(false);
    const err = await callError('eligibility', 'check', { credential: { kind: 'card' } });
    expect(err.code).toBe('PLATFORM_OFFLINE');
    await call('demo', 'setNetwork', { online: true });
    const d = await call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'card' } });
    expect(d).toMatchObject({ cached: false, scope: 'in-province', visitCase: 'unfiled' });
    expect((await call<TerminalStatus>('system', 'status')).platform.online).toBe(true);
    await call('demo', 'removeCard');
  });
});
