/**
 * Payment figures (issue 14): from the patient's phone paying a QR to 支付成功 on the counter's screen in
 * Chromium, against the payment sandbox, and the terminal's overhead over the sandbox's own latency:
 *   - scanToScreenMs: the simulated phone's pay call sent → the screen shows the payment applied;
 *   - phonePayMs: that call's own round trip (the sandbox takes the money and answers the phone);
 *   - overheadMs = scanToScreenMs − phonePayMs: notification, signature checks, the order's move and the
 *     deposit in SQLite, the push event, the screen's status call and render (goal ≤ 100 ms at p95);
 *   - gatewayQueryMs: one signed alipay.trade.query straight to the sandbox, the floor of any gateway call.
 * The SIGKILL counts come from test/integration/payments/payments-crash.test.ts (it prints them).
 * Run alone: npm exec -- tsx test/bench/payments.bench.ts   (PAYMENT_BENCH_N, default 20)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/support/browser.ts';
import { signInByKeyboard } from '../e2e/support/kiosk-page.ts';
import { admitWithCharges, apiOf, PEOPLE } from '../e2e/support/scenarios.ts';
import { startTerminalHost } from '../e2e/support/terminal-host.ts';
import { AlipayGateway } from '../../payments/client/alipay-gateway.ts';
import { buildRenderer } from './build-renderer.ts';
import { runWhenMain } from './run-alone.ts';

const N = Number(process.env.PAYMENT_BENCH_N ?? 20);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;
const summary = (xs: number[]) => ({ p50: round(pct(xs, 50)), p95: round(pct(xs, 95)), max: round(Math.max(...xs)) });

export async function run(): Promise<Record<string, unknown>> {
  await buildRenderer();
  const t = await startTerminalHost({ KIOSK_MODE: 'discharge', KIOSK_DEMO: '1', KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-bench-pay-')) });
  const browser = await launchChromium();
  const api = apiOf(t.terminal);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.setDefaultTimeout(20_000);
    await page.goto(t.host.launchUrl());
    await page.getByTestId('start-discharge').waitFor();
    const stay = await admitWithCharges(api, PEOPLE.local.certNo, { depositFen: 100_000, chargesFen: 100_000 });
    await signInByKeyboard(page, '0002');
    await page.getByTestId('stay-search').fill(stay.iptNo);
    await page.getByTestId('stay-search').press('Enter');
    await page.locator(`[data-testid="stay-row"][data-ipt-no="${stay.iptNo}"] [data-testid="open-stay"]`).click();
    await page.getByTestId('deposit-top-up').waitFor();

    const scanToScreen: number[] = [];
    const phonePay: number[] = [];
    for (let i = 0; i < N + 2; i++) {
      await page.getByTestId('top-up-amount').fill('100');
      await page.getByTestId('top-up-qr').click();
      const qr = await page.getByTestId('pay-qr').getAttribute('data-qr');
      const applied = page.getByTestId('pay-applied').waitFor();
      const t0 = performance.now();
      await api.demo.phonePays({ qrCode: qr!, action: 'pay' });
      const t1 = performance.now();
      await applied;
      const t2 = performance.now();
      if (i >= 2) {
        // the first two warm the page, the connections and the JIT
        scanToScreen.push(t2 - t0);
        phonePay.push(t1 - t0);
      }
      await page.getByTestId('top-up-done').click();
    }

    const demo = t.terminal.parts.demo!;
    const direct = new AlipayGateway({ gatewayUrl: demo.payments.gatewayUrl, appId: demo.payments.appId, appPrivateKey: demo.payments.appPrivateKey, alipayPublicKey: demo.payments.alipayPublicKey, notifyUrl: null, timeoutMs: 5_000 });
    const queries: number[] = [];
    for (let i = 0; i < N; i++) {
      const q0 = performance.now();
      await direct.query('NOT_AN_ORDER');
      queries.push(performance.now() - q0);
    }
    const overhead = scanToScreen.map((x, i) => x - phonePay[i]!);
    return {
      samples: N,
      scanToScreenMs: summary(scanToScreen),
      phonePayMs: summary(phonePay),
      overheadMs: summary(overhead),
      gatewayQueryMs: summary(queries),
      goalOverheadP95Ms: 100,
      meetsGoal: pct(overhead, 95) <= 100,
      orders: (await api.payments.listForAdmission({ admissionId: stay.admissionId })).filter((o) => o.state === 'applied').length,
    };
  } finally {
    api.close();
    await browser.close();
    await t.close();
  }
}

runWhenMain(import.meta.url, run);
