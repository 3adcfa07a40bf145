import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelOf } from '../../../contract/define.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import type { IdCardView } from '../../../contract/dto/idcard.ts';
import type { TerminalStatus } from '../../../contract/dto/status.ts';
import { KioskError } from '../../../contract/errors.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import { eventually } from './harness.ts';

/**
 * The ID card as credential 02 at the self-service kiosk: the demo terminal's virtual ID card reader on a
 * pty, read through the driver by reader.readIdCard, then eligibility and booked check-in with
 * { kind: 'idcard' } against the sandbox over HTTP; a person with no insurance is told to go 自费.
 */
let dir: string;
let t: Terminal;
const events: { name: string; payload: unknown }[] = [];

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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-idcard-'));
  t = await createTerminal(loadConfig({ env: { KIOSK_DATA_DIR: dir, KIOSK_MODE: 'self-service' } }), { log: memoryLogger() });
  t.dispatcher.subscribe((name, payload) => events.push({ name, payload }));
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the ID card as credential 02', () => {
  it('reads the ID card laid on the reader, masked on the kiosk screen, and announces it', async () => {
    await call('demo', 'placeIdCard', { cardId: 'person/local-employee' });
    const view = await call<IdCardView>('reader', 'readIdCard', {});
    expect(view).toEqual({
      cardType: 'resident',
      kindLabel: '居民身份证',
      displayName: '王*国',
      displayIdNumber: '3202**********1014',
      sexWord: '男',
      nationWord: '汉',
      birthDate: '1975-03-14',
      validTo: '2040-01-01',
      expired: false,
    });
    expect(events.find((e) => e.name === 'idcard-read')).toMatchObject({ payload: { card: { displayName: '王*国' } } });
    expect(await call('reader', 'currentIdCard')).toEqual(view);
  });

  it('checks eligibility and finds the booked admission with { kind: "idcard" }', async () => {
    const d = await call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'idcard' } });
    expect(d).toMatchObject({ person: { displayName: '王*国', displayCertNo: '3202**********1014' }, direct: true, scope: 'local' });
    const booked = await call<{ bookings: { bookingId: string }[] }>('admission', 'findBooked', { credential: { kind: 'idcard' } });
    expect(booked.bookings.map((b) => b.bookingId)).toEqual(['YY0001']);
  });

  it('tells a person with no insurance to go 自费', async () => {
    await call('demo', 'placeIdCard', { cardId: 'uninsured' });
    expect((await call<IdCardView>('reader', 'readIdCard', {})).displayName).toBe('邓*军');
    const e = await callError('eligibility', 'check', { credential: { kind: 'idcard' } });
    expect(e.code).toBe('PERSON_NOT_FOUND');
    expect(e.guidance.join('')).toContain('自费');
  });

  it('CARD_ABSENT when no card is laid within the wait, after telling the screen to ask for one', async () => {
    await call('demo', 'placeIdCard', { cardId: null });
    const before = events.length;
    const e = await callError('reader', 'readIdCard', { waitMs: 600 });
    expect(e).toMatchObject({ code: 'CARD_ABSENT', message: '未检测到身份证' });
    expect(events.slice(before).some((x) => x.name === 'idcard-waiting')).toBe(true);
  });

  it('forgets the ID card on session reset', async () => {
    await call('system', 'resetSession');
    expect(await call('reader', 'currentIdCard')).toBeNull();
    expect((await callError('eligibility', 'check', { credential: { kind: 'idcard' } })).code).toBe('CARD_ABSENT');
  });
});

describe('the ID card reader in the status (for the staff status bar)', () => {
  const readerStatus = async () => (await call<TerminalStatus>('system', 'status')).idCardReader;
  const pushed = (from: number) =>
    events
      .slice(from)
      .filter((e) => e.name === 'status')
      .map((e) => (e.payload as TerminalStatus).idCardReader?.state);

  it('ready once the start probe answered; unusable with its reason when the reader stops answering; ready again after a good read', async () => {
    await eventually(async () => ((await readerStatus())?.state === 'ready' ? true : null), 10_000, 'the start probe');
    const reader = t.parts.demo!.idCardReader!;
    const before = events.length;
    reader.setQuirks(['mute']);
    try {
      const e = await callError('reader', 'readIdCard', { waitMs: 600 });
      expect(e.code).toBe('READER_NOT_FOUND');
      expect(await readerStatus()).toEqual({ state: 'error', message: '身份证阅读器没有应答', guidance: '请检查身份证阅读器的连接线和电源' });
      await eventually(async () => (pushed(before).includes('error') ? true : null), 5_000, 'a status event with the reader unusable');
    } finally {
      reader.setQuirks([]);
    }
    await call('demo', 'placeIdCard', { cardId: 'person/local-employee' });
    await call('reader', 'readIdCard', {});
    expect(await readerStatus()).toEqual({ state: 'ready', message: null });
    // A card's own failure (none laid) says nothing against the reader.
    await call('demo', 'placeIdCard', { cardId: null });
    expect((await callError('reader', 'readIdCard', { waitMs: 600 })).code).toBe('CARD_ABSENT');
    expect((await readerStatus())?.state).toBe('ready');
  });
});
