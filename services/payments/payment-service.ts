import type { KioskServices } from '../../contract/api.ts';
import type { BalanceDueView, CollectBalance, PaymentOrderView } from '../../contract/dto/payments.ts';
import { KioskError } from '../../contract/errors.ts';
import type { PaymentOrder, PaymentPurpose, PaymentScene } from '../../db/repositories/payment-orders.ts';
import type { OrderRequest, PaymentGateway } from '../../payments/client/gateway.ts';
import type { ServiceContext } from '../context.ts';
import { paymentDayEnd } from './day-end.ts';
import { newOutTradeNo } from './out-trade-no.ts';
import { PaymentResolver, refusalText } from './resolver.ts';
import { orderView } from './views.ts';
import { balanceDueView, collectAtCounter, gatewayOrderFor } from './balance-due.ts';
import { stayDeposits, voidDeposit } from './deposit-void.ts';

type PaymentContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'operators'> & { emit?: ServiceContext['emit'] };

/** How long the patient has to pay a QR (timeout_express), and the countdown the screen shows. */
export const QR_MINUTES = 5;
/** How often the background loop looks at open orders (also: the first look after a restart). */
const SWEEP_MS = 3_000;
/** B扫C: quick queries after an unknown pay reply, paced, before the screen is told "being confirmed". */
const PAY_QUERIES = [300, 700, 1500, 3000];

/**
 * 预交金 and 补缴 through the payment gateway, exactly once (docs/payments.md):
 * 1. the order (out_trade_no, amount in fen, the stay, the operator) is written to the store BEFORE the
 *    gateway hears of it;
 * 2. the gateway's answer moves it, only when its signature verifies; no answer = resolved by query
 *    (PaymentResolver), never by paying again;
 * 3. paid → the deposit is recorded in the same transaction as the order's move (receipt = out_trade_no),
 *    or, when the stay can no longer take it, refunded by the original order;
 * 4. a background loop (and the start after a crash) finishes whatever was left open.
 */
export class PaymentService {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  readonly resolver: PaymentResolver | null;

  constructor(
    private readonly ctx: PaymentContext,
    private readonly gateway: PaymentGateway | null,
    options: { notExistGraceMs?: number } = {},
  ) {
    const moved = (o: PaymentOrder) => ctx.emit?.('payment-changed', { outTradeNo: o.outTradeNo, state: this.view(o).state });
    this.resolver = gateway ? new PaymentResolver(ctx.store, gateway, ctx.clock, ctx.log.child('payments'), options.notExistGraceMs, moved) : null;
  }

  /** Resume open orders now, then every few seconds. */
  start(): void {
    if (!this.resolver || this.timer) return;
    this.sweep();
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  group(): KioskServices['payments'] {
    return {
      startQr: async ({ admissionId, amountFen, purpose }) => this.startQr(admissionId, amountFen, purpose),
      payByCode: async ({ admissionId, amountFen, purpose, authCode }) => this.payByCode(admissionId, amountFen, purpose, authCode),
      status: async ({ outTradeNo }) => this.status(outTradeNo),
      cancel: async ({ outTradeNo }) => this.cancel(outTradeNo),
      listForAdmission: async ({ admissionId }) => this.ctx.store.payments.byVisit(admissionId).map((o) => this.view(o)),
      attention: async () => this.ctx.store.payments.needingAttention().map((o) => this.view(o)),
      dayEnd: async ({ date }) => paymentDayEnd(this.ctx, this.gateway, date),
      balanceDue: async ({ admissionId }) => balanceDueView(this.ctx.store, admissionId, this.ctx.clock.now()),
      collectBalance: async (args) => this.collectBalance(args),
      deposits: async ({ admissionId }) => stayDeposits(this.ctx.store, this.mustAdmission(admissionId)),
      voidDeposit: async (args) => voidDeposit(this.ctx, args),
    };
  }

  /** 少补 by cash or bank-card POS at a counter (balance-due.ts); pushed to the screens like any order's move. */
  collectBalance(args: CollectBalance): { order: PaymentOrderView; balance: BalanceDueView } {
    const { order, balance } = collectAtCounter(this.ctx, args, this.ctx.clock.now());
    this.ctx.emit?.('payment-changed', { outTradeNo: order.outTradeNo, state: 'applied' });
    return { order: this.view(order), balance };
  }

  async startQr(iptNo: string, amountFen: number, purpose: PaymentPurpose): Promise<PaymentOrderView> {
    const { gateway, resolver } = this.ready();
    const o = this.writeOrder(iptNo, amountFen, purpose, 'qr');
    // precreate is idempotent for one out_trade_no (the same QR comes back): a lost answer may be asked again.
    for (let i = 0; i < 2; i++) {
      const r = await gateway.precreate(this.request(o));
      if (r.kind === 'ok') {
        this.ctx.store.write((tx) => this.ctx.store.payments.move(tx, o.outTradeNo, ['created'], 'awaiting', { qrCode: r.value.qrCode }));
        break;
      }
      if (r.kind === 'refused') {
        this.ctx.store.write((tx) => this.ctx.store.payments.move(tx, o.outTradeNo, ['created'], 'closed', { note: refusalText(r.subCode, r.message) }));
        break;
      }
      this.ctx.store.write((tx) => this.ctx.store.payments.countAttempt(tx, o.outTradeNo, `下单结果未知：${r.reason}`));
    }
    if (this.ctx.store.payments.get(o.outTradeNo)!.state === 'created') await resolver.step(o.outTradeNo);
    const now = this.ctx.store.payments.get(o.outTradeNo)!;
    if (now.state === 'awaiting' && !now.qrCode) {
      // The gateway has the order but its QR answer was lost: asking again gives the same QR.
      const again = await gateway.precreate(this.request(o));
      if (again.kind === 'ok') this.ctx.store.write((tx) => this.ctx.store.payments.move(tx, o.outTradeNo, ['awaiting'], 'awaiting', { qrCode: again.value.qrCode }));
    }
    return this.view(this.ctx.store.payments.get(o.outTradeNo)!);
  }

  async payByCode(iptNo: string, amountFen: number, purpose: PaymentPurpose, authCode: string): Promise<PaymentOrderView> {
    const { gateway, resolver } = this.ready();
    const o = this.writeOrder(iptNo, amountFen, purpose, 'bar_code');
    const r = await gateway.pay({ ...this.request(o), authCode });
    if (r.kind === 'ok') {
      if (r.value.status === 'TRADE_SUCCESS') resolver.paid(o, r.value);
      else this.ctx.store.write((tx) => this.ctx.store.payments.move(tx, o.outTradeNo, ['created'], 'awaiting', { tradeNo: r.value.tradeNo ?? undefined }));
      return this.view((await resolver.step(o.outTradeNo))!);
    }
    if (r.kind === 'refused') {
      this.ctx.store.write((tx) => this.ctx.store.payments.move(tx, o.outTradeNo, ['created'], 'closed', { note: refusalText(r.subCode, r.message) }));
      return this.view(this.ctx.store.payments.get(o.outTradeNo)!);
    }
    // Unknown: never pay again. Ask the gateway a few times, paced; the background loop goes on after that.
    this.ctx.store.write((tx) => this.ctx.store.payments.countAttempt(tx, o.outTradeNo, `支付结果未知：${r.reason}`));
    for (const wait of PAY_QUERIES) {
      await new Promise((res) => setTimeout(res, wait));
      const after = await resolver.step(o.outTradeNo);
      if (after && after.state !== 'created') return this.view(after);
    }
    return this.view(this.ctx.store.payments.get(o.outTradeNo)!);
  }

  async status(outTradeNo: string): Promise<PaymentOrderView> {
    const o = this.mustGet(outTradeNo);
    const refunding = this.ctx.store.payments.refundsOf(outTradeNo).some((r) => r.state === 'pending');
    if (this.resolver && (refunding || o.state === 'created' || o.state === 'awaiting' || o.state === 'paid' || o.state === 'refunding')) {
      return this.view((await this.resolver.step(outTradeNo)) ?? o);
    }
    return this.view(o);
  }

  async cancel(outTradeNo: string): Promise<PaymentOrderView> {
    const { resolver } = this.ready();
    const o = this.mustGet(outTradeNo);
    if (o.state !== 'created' && o.state !== 'awaiting') return this.view(o);
    await resolver.closeAtGateway(o, '已取消支付');
    return this.view((await resolver.step(outTradeNo)) ?? o);
  }

  private mustAdmission(iptNo: string): string {
    if (!this.ctx.store.admissions.get(iptNo)) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${iptNo} 的入院登记`, ['请核对住院号']);
    return iptNo;
  }

  private view(o: PaymentOrder): PaymentOrderView {
    return orderView(o, this.ctx.clock.now());
  }

  // ── parts ───────────────────────────────────────────────────────────────────────────────────────────

  private ready(): { gateway: PaymentGateway; resolver: PaymentResolver } {
    if (!this.gateway || !this.resolver) throw new KioskError('NOT_AVAILABLE', '本终端未开通扫码支付', ['请到收费窗口缴费']);
    return { gateway: this.gateway, resolver: this.resolver };
  }

  private writeOrder(iptNo: string, amountFen: number, purpose: PaymentPurpose, scene: PaymentScene): PaymentOrder {
    const { store, clock, config } = this.ctx;
    const adm = store.admissions.get(iptNo);
    if (!adm) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${iptNo} 的入院登记`, ['请核对住院号']);
    if (purpose === 'deposit' && adm.status !== 'queued' && adm.status !== 'admitted') throw new KioskError('ADMISSION_STATE', '该住院当前不能缴纳预交金', ['请到收费窗口办理']);
    const opterNo = this.opterNo();
    const now = clock.now();
    return store.write((tx) => {
      // 少补: the whole outstanding balance of the live settlement, and no other order for it open (balance-due.ts).
      const settlementId = purpose === 'balance-due' ? gatewayOrderFor(store, iptNo, amountFen).settlementId : null;
      const o = store.payments.create(tx, {
        settlementId,
        outTradeNo: newOutTradeNo(config.hospital.code, now),
        channel: 'alipay',
        scene,
        purpose,
        iptNo,
        amountFen,
        subject: `${config.hospital.name}${purpose === 'deposit' ? '住院预交金' : '出院结算补缴'}`,
        opterNo,
        terminalId: config.terminal.name,
        expiresAt: now.getTime() + QR_MINUTES * 60_000,
      });
      store.audit.append(tx, { actor: `opter:${opterNo}`, action: 'payment.ordered', subject: `payment:${o.outTradeNo}`, detail: { visit: iptNo, amountFen, purpose, scene, settlementId } });
      return o;
    });
  }

  private request(o: PaymentOrder): OrderRequest {
    return { outTradeNo: o.outTradeNo, totalFen: o.amountFen, subject: o.subject, operatorId: o.opterNo, terminalId: o.terminalId, timeoutExpress: `${QR_MINUTES}m` };
  }

  private mustGet(outTradeNo: string): PaymentOrder {
    const o = this.ctx.store.payments.get(outTradeNo);
    if (!o) throw new KioskError('PAYMENT_NOT_FOUND', `未找到支付订单 ${outTradeNo}`, []);
    return o;
  }

  /** Money is attributed to the signed-in operator; at a self-service kiosk to the terminal's own number. */
  private opterNo(): string {
    if (this.ctx.config.mode === 'self-service') return this.ctx.config.terminal.selfServiceOpterNo;
    return this.ctx.operators.requireStaff().opterNo;
  }

  /** Works through open orders and pending refunds now (a refund an operator just asked again), not at the next tick. */
  sweepNow(): void {
    this.sweep();
  }

  private sweep(): void {
    if (this.sweeping || !this.resolver) return;
    this.sweeping = this.resolver.sweep().finally(() => (this.sweeping = null));
  }

  /** A notification from the gateway (form parameters): verified, then the order moves. Answers the body. */
  async notification(params: Record<string, string>): Promise<'success' | 'failure'> {
    if (!this.gateway || !this.resolver) return 'failure';
    const n = this.gateway.verifyNotification(params);
    if (!n) {
      this.ctx.log.warn('payment notification refused: signature does not verify', { outTradeNo: params.out_trade_no ?? null });
      return 'failure';
    }
    const o = this.ctx.store.payments.get(n.outTradeNo);
    if (!o) return 'success'; // not ours (another terminal's store): acknowledged, nothing to do here
    if ((n.status === 'TRADE_SUCCESS' || n.status === 'TRADE_FINISHED') && (o.state === 'created' || o.state === 'awaiting')) {
      this.resolver.paid(o, { tradeNo: n.tradeNo, totalFen: n.totalFen, buyerLogonId: null, paidAt: null });
    }
    await this.resolver.step(n.outTradeNo);
    return 'success';
  }
}
