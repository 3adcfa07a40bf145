import { sandboxAdmin } from '../../../insurance/sandbox/testing.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelOf } from '../../../contract/define.ts';
import type { EligibilityDecision } from '../../../contract/dto/eligibility.ts';
import { KioskError } from '../../../contract/errors.ts';
import { FakeHidScanner } from '../../../drivers/scanner/fake-hid-scanner.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import { eventually } from './harness.ts';

/**
 * The USB-HID QR scanner through the composition root (defect: services/terminal.ts never built it, so a HID
 * scanner's scan reached no screen). A scanner device is injected below node-hid; the demo terminal (sandbox
 * platform) is configured for it like a deployment (KIOSK_QR_SCANNER), and a scan must come out as the
 * KioskApi `qr-scanned` event the screens identify the patient with, then as an eligibility decision.
 */
const IDS = { vid: 0x0c2e, pid: 0x0b61 };
/** A 医保电子凭证 QR code of the sandbox's local-employee, as the patient's phone shows it (decoded once). */
let VOUCHER = '';

let dir: string;
let t: Terminal;
const scanner = new FakeHidScanner(IDS);
const events: { name: string; payload: unknown }[] = [];

async function call<T>(group: string, method: string, args: unknown = {}): Promise<T> {
  const reply = await t.dispatcher.call(channelOf(group, method), args, { transport: 'memory' });
  if (!reply.ok) throw KioskError.fromDto(reply.error);
  return reply.value as T;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-hid-scanner-'));
  const loaded = loadConfig({ env: { KIOSK_DATA_DIR: dir, KIOSK_MODE: 'self-service', KIOSK_QR_SCANNER: '0c2e:0b61' } });
  expect(loaded.config.readers.scanner).toEqual(IDS);
  t = await createTerminal(loaded, { log: memoryLogger(), scannerOpener: scanner.opener });
  t.dispatcher.subscribe((name, payload) => events.push({ name, payload }));
  VOUCHER = (await sandboxAdmin(new URL(t.parts.demo!.sandboxUrl).origin).voucherQr('local-employee')).qrCode;
}, 60_000);
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('USB-HID QR scanner', () => {
  it('a scan becomes the qr-scanned event, and that code an eligibility decision for the right person', async () => {
    // The scanner is found at start-up (or within one poll of being plugged in).
    await eventually(() => {
      scanner.scan(VOUCHER);
      return events.find((e) => e.name === 'qr-scanned');
    }, 15_000, 'the qr-scanned event');
    expect(events.find((e) => e.name === 'qr-scanned')?.payload).toEqual({ code: VOUCHER });
    // What the kiosk screen does with the event: identify by the voucher (mdtrt_cert_type 01) and check.
    const decision = await call<EligibilityDecision>('eligibility', 'check', { credential: { kind: 'qr', code: VOUCHER }, admissionType: 'normal' });
    expect(decision.person.psnNo).toBe('32020000000000000001');
    expect(decision.person.displayName).toContain('*');
  });

  it('a stray barcode (a drug box) is dropped, not sent as a credential', async () => {
    const before = events.filter((e) => e.name === 'qr-scanned').length;
    scanner.scan('6901234567892');
    scanner.scan(VOUCHER);
    await eventually(() => events.filter((e) => e.name === 'qr-scanned').length > before, 5_000, 'the second voucher scan');
    expect(events.filter((e) => e.name === 'qr-scanned').slice(before).map((e) => e.payload)).toEqual([{ code: VOUCHER }]);
  });
});
