import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { FakeHidScanner } from '../../drivers/scanner/fake-hid-scanner.ts';
import { browserAvailable, launchChromium } from './support/browser.ts';
import { KIOSK_SCREENS, shot, visibleText, withTerminal } from './support/kiosk-page.ts';
import { voucherQr } from './support/scenarios.ts';

const run = browserAvailable();
const JOURNEY_MS = 120_000;

/**
 * A patient holds the phone's 医保电子凭证 under the kiosk's USB-HID QR scanner (defect: the terminal never built
 * the HID scanner, so only keyboard-wedge scanners worked). The scanner device is injected below node-hid;
 * everything above it is the real terminal: driver, session, KioskApi event over the WebSocket, the kiosk
 * screen, the eligibility check against the sandbox platform.
 */
describe.runIf(run)('USB-HID QR scanner at the self-service kiosk (Chromium, portrait touch screen)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it(
    'a scan on the start screen identifies the patient and shows the eligibility in plain words',
    () => {
      const scanner = new FakeHidScanner({ vid: 0x0c2e, pid: 0x0b61 });
      return withTerminal(
        browser,
        'self-service',
        async ({ page, terminal }) => {
          await page.getByTestId('start-self-service').waitFor();
          // The patient's phone shows a fresh QR code; the terminal decodes it (ec.query) before any check.
          const VOUCHER = await voucherQr(terminal, 'local-employee');
          scanner.scan(VOUCHER);
          await page.getByTestId('ss-result').waitFor({ timeout: 30_000 });
          expect(await page.getByTestId('eligibility-verdict').textContent()).toBe('可以使用医保直接结算');
          // The voucher itself is never shown.
          expect(await visibleText(page)).not.toContain(VOUCHER);
          await shot(page, 'kiosk-21-hid-qr-scan-portrait');
        },
        { KIOSK_QR_SCANNER: '0c2e:0b61' },
        KIOSK_SCREENS.portrait,
        { scannerOpener: scanner.opener },
      );
    },
    JOURNEY_MS,
  );
});
