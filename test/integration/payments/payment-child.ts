// A terminal's payment half in its own process, for the SIGKILL tests (payments-crash.test.ts): it resumes
// whatever its store left open, then works through the jobs (one stay each) until every order is final,
// acting also as the patients' phones through the sandbox admin API. KILL_AT makes it SIGKILL itself at one
// exact step: before the n-th gateway request, after the n-th gateway answer (the sandbox has committed, the
// answer is lost), or after the n-th committed store write.
import { readFileSync } from 'node:fs';
import { openStore, type Store } from '../../../db/store.ts';
import { AlipayGateway } from '../../../payments/client/alipay-gateway.ts';
import type { PaymentGateway } from '../../../payments/client/gateway.ts';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { createLogger } from '../../../services/logging/logger.ts';
import { PaymentService } from '../../../services/payments/payment-service.ts';
import { requestSettlementRefund } from '../../../services/money/refund-requests.ts';
import { cancelStay } from '../../../services/admission/write-back.ts';

export interface Job {
  iptNo: string;
  scene: 'qr' | 'bar_code';
  amountFen: number;
  /** deposit (an admitted stay) or balance-due (a stay settled with this amount due: 少补). */
  purpose: 'deposit' | 'balance-due';
  /**
   * After the QR is shown and before the phone pays, the hospital step is made to fail: the stay is cancelled
   * (deposit), or its settlement reversed (balance due).
   */
  cancelBeforePay?: boolean;
  /**
   * Once the deposit is applied, money goes back by its order: the settlement's 多退 (part of it), or the
   * stay's cancellation through the write-back table's cancelStay (all of it). Killed around those steps too.
   */
  refundAfter?: 'settlement' | 'cancellation';
}
export interface ChildSetup {
  storePath: string;
  sandboxUrl: string;
  gatewayUrl: string;
  appId: string;
  appPrivateKey: string;
  alipayPublicKey: string;
  jobs: Job[];
}
type KillAt = { kind: 'request' | 'answer' | 'write'; n: number } | null;

const setup = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildSetup;
const killAt = (process.env.KILL_AT ? JSON.parse(process.env.KILL_AT) : null) as KillAt;
const counts = { request: 0, answer: 0, write: 0 };
/** What the process is doing, for the parent's count of kills during refunds: the gateway method, or a refund's write. */
let doing = 'start';
function maybeDie(kind: 'request' | 'answer' | 'write'): void {
  counts[kind]++;
  if (killAt && killAt.kind === kind && killAt.n === counts[kind]) {
    process.stdout.write(`${JSON.stringify({ dying: killAt, doing })}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

function killable(inner: PaymentGateway): PaymentGateway {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      doing = fn.name.replace(/^bound /, '');
      maybeDie('request');
      const r = await fn(...a);
      maybeDie('answer');
      return r;
    };
  return {
    channel: inner.channel,
    precreate: wrap(inner.precreate.bind(inner)),
    pay: wrap(inner.pay.bind(inner)),
    query: wrap(inner.query.bind(inner)),
    cancel: wrap(inner.cancel.bind(inner)),
    close: wrap(inner.close.bind(inner)),
    refund: wrap(inner.refund.bind(inner)),
    refundQuery: wrap(inner.refundQuery.bind(inner)),
    statement: wrap(inner.statement.bind(inner)),
    verifyNotification: inner.verifyNotification.bind(inner),
  };
}

function killableStore(store: Store): Store {
  const write = store.write.bind(store);
  return Object.assign(store, {
    write<T>(fn: Parameters<Store['write']>[0]): T {
      const nested = store.db.inTransaction;
      const r = write(fn) as T;
      if (!nested) maybeDie('write');
      return r;
    },
  });
}

async function admin(path: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${setup.sandboxUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The stay can no longer take the payment: cancelled (a deposit), or its settlement reversed (a balance due). */
function failHospitalStep(store: Store, job: Job): void {
  if (job.purpose === 'deposit') {
    if (store.admissions.get(job.iptNo)?.status !== 'cancelled') store.write((tx) => store.admissions.setStatus(tx, job.iptNo, 'cancelled'));
    return;
  }
  const s = store.settlements.liveFor(job.iptNo);
  if (s?.status === 'settled') {
    store.write((tx) => {
      store.settlements.markReversed(tx, s.id, '测试：结算撤销');
      store.admissions.setStatus(tx, job.iptNo, 'discharged');
    });
  }
}

const FINAL = new Set(['applied', 'refunded', 'closed', 'attention']);

/** The refund is asked for once (in one transaction with its request numbers), then stepped until the gateway answered. */
async function refundBack(store: Store, service: PaymentService, job: Job): Promise<void> {
  const order = store.payments.byVisit(job.iptNo).find((o) => o.state === 'applied');
  if (!order) return;
  doing = 'refund-request-write';
  store.write((tx) => {
    if (store.money.refunds(job.iptNo).length > 0) return; // asked before this life
    if (job.refundAfter === 'cancellation') return cancelStay(tx, store, job.iptNo, 'ZZJ01', { test: 'crash' });
    const adm = store.admissions.get(job.iptNo)!;
    const s = store.settlements.open(tx, { iptNo: job.iptNo, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid: null });
    requestSettlementRefund(tx, store, { iptNo: job.iptNo, settlementId: s.id, amountFen: Math.floor(job.amountFen / 3), receiptNo: `TK-${job.iptNo}-${s.id}`, opterNo: 'ZZJ01' });
  });
  for (let round = 0; round < 200 && store.money.refunds(job.iptNo).some((r) => r.state === 'requested'); round++) {
    await service.status(order.outTradeNo);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  const store = killableStore(openStore(setup.storePath, { fixmedinsCode: 'H32020000001' }));
  const config = TerminalConfig.parse({ mode: 'self-service', demo: false });
  const gateway = killable(new AlipayGateway({ gatewayUrl: setup.gatewayUrl, appId: setup.appId, appPrivateKey: setup.appPrivateKey, alipayPublicKey: setup.alipayPublicKey, notifyUrl: null, timeoutMs: 3_000 }));
  const operators = { current: () => ({ opter: 'ZZJ01', opter_name: '自助机', opter_type: '2' as const }), staff: () => null, requireStaff: () => ({ opterNo: 'ZZJ01', name: '自助机' }) };
  const service = new PaymentService({ config, clock: { now: () => new Date() }, log: createLogger({ level: 'error' }), store, operators }, gateway, { notExistGraceMs: 3_500 });
  // Resume first: exactly what a restarted terminal does.
  await service.resolver!.sweep();
  for (const job of setup.jobs) {
    for (let round = 0; round < 200; round++) {
      const o = store.payments.byVisit(job.iptNo).at(-1);
      if (!o) {
        if (job.scene === 'qr') await service.startQr(job.iptNo, job.amountFen, job.purpose);
        else {
          const code = (await admin('/admin/payment-codes', { behaviour: 'pay' })).body.authCode as string;
          await service.payByCode(job.iptNo, job.amountFen, job.purpose, code);
        }
        continue;
      }
      if (FINAL.has(o.state)) break;
      if (o.state === 'awaiting' && o.qrCode) {
        if (job.cancelBeforePay) failHospitalStep(store, job);
        await admin('/admin/scan', { qrCode: o.qrCode, action: 'pay' }); // 409 once paid: fine
      }
      await service.status(o.outTradeNo);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Given back right after it was applied: the refund steps fall among the others, where the kills are.
    if (job.refundAfter) await refundBack(store, service, job);
  }
  const open = setup.jobs.flatMap((j) => store.payments.byVisit(j.iptNo)).filter((o) => !FINAL.has(o.state));
  const refunding = setup.jobs.flatMap((j) => store.money.refunds(j.iptNo)).filter((r) => r.state === 'requested');
  process.stdout.write(`${JSON.stringify({ done: open.length === 0 && refunding.length === 0, open: open.map((o) => [o.outTradeNo, o.state]), refunding: refunding.map((r) => r.receiptNo) })}\n`);
  await service.close();
  store.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
