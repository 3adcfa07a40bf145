import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../db/store.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../../payments/sandbox/index.ts';
import { cardiologyAdmission } from '../sync/helpers.ts';
import { ScriptProcess, seeded } from '../sync/processes.ts';
import { APP_ID, rsaPair } from './gateway-world.ts';
import type { ChildSetup, Job } from './payment-child.ts';
import { settleWithBalanceDue } from './settled-stay.ts';
import { balanceDueOf } from '../../../services/payments/balance-due.ts';

const CHILD = join(import.meta.dirname, 'payment-child.ts');
const SEED = Number(process.env.PAYMENT_CRASH_SEED ?? 20261206);
const MIN_KILLS = 30;

interface TradeRow {
  outTradeNo: string;
  status: string;
  totalFen: number;
  refundedFen: number;
  charges: number;
}

// Real processes, really killed: a terminal's payment half SIGKILLs itself at a seeded step (before a gateway
// request, after a gateway answer it never got to record, after a store commit), ≥ 30 times, and is started
// again on the same SQLite file until every order is final. Then, against the gateway's own books: each order
// charged at most once; every paid order either applied once (its deposit, receipt = out_trade_no) or refunded
// in full; no deposit without a paid order; a balance due (少补, every fourth stay) never collected twice; a
// deposit given back after it was applied (a settlement's 多退, a cancelled stay) refunded at the gateway once,
// exactly as asked, and its refund 已退 with the gateway's request number.
describe(`payments survive SIGKILL at every step (seed ${SEED})`, () => {
  let dir: string;
  let sandbox: PaymentSandbox;
  let setup: ChildSetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pay-crash-'));
    const app = rsaPair();
    sandbox = await startPaymentSandbox({ appId: APP_ID, appPublicKey: app.publicKey, statementDir: join(dir, 'bills') });
    const storePath = join(dir, 'kiosk.sqlite');
    const store = openStore(storePath, { fixmedinsCode: 'H32020000001' });
    const jobs: Job[] = [];
    store.write((tx) => {
      for (let i = 0; i < 40; i++) {
        const adm = store.admissions.create(tx, { ...cardiologyAdmission(`P${i}`, '320200', '2026-11-20 08:00:00'), bed: String(i + 1) });
        store.admissions.setStatus(tx, adm.iptNo, 'admitted');
        // Every fourth stay pays a balance due (少补) after its settlement instead of a deposit.
        const job: Job = { iptNo: adm.iptNo, scene: i % 3 === 2 ? 'bar_code' : 'qr', purpose: i % 4 === 3 ? 'balance-due' : 'deposit', amountFen: 100_000 + i * 1_001, ...(i % 6 === 1 ? { cancelBeforePay: true } : {}) };
        // Some applied deposits go back by their order: a settlement's 多退 (a third), or the stay cancelled (all).
        if (job.purpose === 'deposit' && !job.cancelBeforePay && i % 5 === 0) job.refundAfter = 'settlement';
        if (job.purpose === 'deposit' && !job.cancelBeforePay && i % 5 === 2) job.refundAfter = 'cancellation';
        jobs.push(job);
      }
    });
    for (const job of jobs) if (job.purpose === 'balance-due') settleWithBalanceDue(store, job.iptNo, job.amountFen);
    store.close();
    setup = { storePath, sandboxUrl: sandbox.url, gatewayUrl: sandbox.gatewayUrl, appId: APP_ID, appPrivateKey: app.privateKey, alipayPublicKey: sandbox.alipayPublicKey, jobs };
    writeFileSync(join(dir, 'setup.json'), JSON.stringify(setup));
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each order charged at most once; every paid order applied or refunded', async () => {
    const random = seeded(SEED);
    const kinds = ['request', 'answer', 'write'] as const;
    const killed: { kind: string; n: number; doing?: string }[] = [];
    let done = false;
    for (let life = 0; life < 120 && !done; life++) {
      const killAt = killed.length < MIN_KILLS + 6 ? { kind: kinds[Math.floor(random() * 3)]!, n: 1 + Math.floor(random() * 5) } : null;
      const p = new ScriptProcess(CHILD, [join(dir, 'setup.json')], killAt ? { KILL_AT: JSON.stringify(killAt) } : {});
      const t0 = Date.now();
      const exit = await p.exited;
      if (process.env.PAYMENT_CRASH_TRACE) console.log(JSON.stringify({ life, killAt, exit, ms: Date.now() - t0, last: p.lines.at(-1), err: p.stderr.join('').slice(-300) }));
      if (exit.signal === 'SIGKILL') {
        killed.push({ ...killAt!, doing: String((p.lines.at(-1) as { doing?: unknown } | undefined)?.doing ?? '') });
        continue;
      }
      expect(exit.code, p.stderr.join('')).toBe(0);
      const last = p.lines.at(-1);
      done = last?.done === true;
    }
    expect(done).toBe(true);
    expect(killed.length).toBeGreaterThanOrEqual(MIN_KILLS);
    for (const k of kinds) expect(killed.some((x) => x.kind === k)).toBe(true);

    const trades = (await (await fetch(`${sandbox.url}/admin/trades`)).json()) as TradeRow[];
    const store = openStore(setup.storePath, { fixmedinsCode: 'H32020000001', readonly: true });
    let balanceDuePaid = 0;
    const refundsChecked = new Set<string>();
    let unchecked: string[] = [];
    try {
      const byNo = new Map(trades.map((t) => [t.outTradeNo, t]));
      for (const t of trades) expect(t.charges, t.outTradeNo).toBeLessThanOrEqual(1);
      const deposits = setup.jobs.flatMap((j) => store.money.deposits(j.iptNo));
      for (const job of setup.jobs) {
        const orders = store.payments.byVisit(job.iptNo);
        expect(orders.length, job.iptNo).toBeGreaterThanOrEqual(1);
        for (const o of orders) {
          const t = byNo.get(o.outTradeNo);
          const charged = t !== undefined && t.charges === 1;
          const applied = deposits.filter((d) => d.receiptNo === o.outTradeNo);
          if (charged) {
            // Paid at the gateway: either recorded exactly once, or refunded in full — never lost.
            if (o.state === 'applied') {
              expect(applied.map((d) => d.amountFen)).toEqual([o.amountFen]);
              // Given back by its order after it was applied: refunded at the gateway exactly as asked, once, and
              // the stay's refund is 已退 with the request number the gateway confirmed.
              const asked = store.payments.refundsOf(o.outTradeNo);
              expect(t.refundedFen, o.outTradeNo).toBe(asked.reduce((n, r) => n + r.amountFen, 0));
              if (job.refundAfter) {
                expect(asked.map((r) => r.state), o.outTradeNo).toEqual(['done']);
                const row = store.money.refunds(job.iptNo).find((r) => r.method === 'alipay')!;
                expect(row, job.iptNo).toMatchObject({ state: 'done', doneBy: 'gateway', refundRef: asked[0]!.outRequestNo, amountFen: asked[0]!.amountFen });
                expect(asked[0]!.amountFen).toBe(job.refundAfter === 'cancellation' ? o.amountFen : Math.floor(job.amountFen / 3));
                refundsChecked.add(job.iptNo);
              }
            }
            else {
              expect(o.state, o.outTradeNo).toBe('refunded');
              expect(t.refundedFen).toBe(t.totalFen);
              expect(applied).toEqual([]);
            }
          } else {
            expect(applied, o.outTradeNo).toEqual([]);
            expect(['closed', 'refunded'], o.outTradeNo).toContain(o.state);
          }
        }
        // The stays whose hospital step failed got their money back; the others have it recorded.
        const paidOrders = orders.filter((o) => byNo.get(o.outTradeNo)?.charges === 1);
        if (job.cancelBeforePay) expect(paidOrders.every((o) => o.state === 'refunded')).toBe(true);
        // A balance is never collected twice, and what was collected is what the order asked for.
        if (job.purpose === 'balance-due') {
          const collected = deposits.filter((d) => d.iptNo === job.iptNo && d.kind === 'balance-due').reduce((n, d) => n + d.amountFen, 0);
          expect([0, job.amountFen], job.iptNo).toContain(collected);
          const reversed = store.settlements.liveFor(job.iptNo) === null; // the QR was shown: the settlement was reversed
          expect(balanceDueOf(store, job.iptNo)?.outstandingFen ?? 0, job.iptNo).toBe(reversed ? 0 : job.amountFen - collected);
          if (reversed) expect(collected, job.iptNo).toBe(0);
        }
      }
      // A given-back deposit not checked above was never applied (its QR closed unshown after a lost answer).
      unchecked = setup.jobs.filter((j) => j.refundAfter && !refundsChecked.has(j.iptNo)).map((j) => [j.iptNo, ...store.payments.byVisit(j.iptNo).map((o) => o.state)].join(':'));
      for (const j of setup.jobs.filter((x) => x.refundAfter && !refundsChecked.has(x.iptNo))) expect(store.payments.byVisit(j.iptNo).some((o) => o.state === 'applied'), j.iptNo).toBe(false);
      balanceDuePaid = setup.jobs.filter((j) => j.purpose === 'balance-due').flatMap((j) => store.payments.byVisit(j.iptNo)).filter((o) => byNo.get(o.outTradeNo)?.charges === 1).length;
      // No deposit without a charge behind it.
      for (const d of deposits) expect(byNo.get(d.receiptNo)?.charges, d.receiptNo).toBe(1);
    } finally {
      store.close();
    }
    console.log(JSON.stringify({ seed: SEED, kills: killed.length, byKind: Object.fromEntries(kinds.map((k) => [k, killed.filter((x) => x.kind === k).length])), trades: trades.length, balanceDuePaid, refundsChecked: refundsChecked.size, unchecked, killedDuringRefunds: killed.filter((k) => /refund/.test(k.doing ?? '')).length }));
    // Most given-back deposits were applied (one whose QR answer was lost is closed unshown, never paid: checked above).
    expect(refundsChecked.size).toBeGreaterThanOrEqual(5);
  }, 300_000);
});
