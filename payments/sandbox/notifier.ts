import { randomUUID } from 'node:crypto';
import { content, sign } from './rsa2.ts';
import { fenToYuan } from './open-api.ts';
import { chinaDateTime, type Trade } from './trade-book.ts';

/**
 * Alipay's asynchronous notification (trade_status_sync) as the sandbox sends it: a signed form POST to the
 * order's notify_url, until the merchant answers the body `success`. Alipay retries over 25 hours; the sandbox
 * keeps the shape (paced, capped) with short intervals.
 */
export interface NotifierOptions {
  appId: string;
  alipayPrivateKey: string;
  now: () => Date;
  /** Pauses between attempts (default 500, 1000, 2000 ms: four attempts in all). */
  retryDelaysMs?: readonly number[];
}

export class Notifier {
  private readonly pending = new Set<Promise<void>>();
  /** Every attempt, for the admin API and the tests. */
  readonly sent: { outTradeNo: string; notifyId: string; answer: string }[] = [];
  private closed = false;

  constructor(private readonly o: NotifierOptions) {}

  notify(t: Trade, copies: number): void {
    if (!t.notifyUrl) return;
    const params = this.params(t);
    for (let i = 0; i < copies; i++) {
      const p = this.deliver(t.notifyUrl, t.outTradeNo, params).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** The signed parameters of a notification (exported for the forged-notification tests). */
  params(t: Trade): Record<string, string> {
    const p: Record<string, string> = {
      notify_time: chinaDateTime(this.o.now()),
      notify_type: 'trade_status_sync',
      notify_id: randomUUID().replaceAll('-', ''),
      app_id: this.o.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      trade_status: t.status,
      total_amount: fenToYuan(t.totalFen),
      receipt_amount: fenToYuan(t.totalFen),
      buyer_logon_id: t.buyerLogonId ?? '',
      gmt_create: chinaDateTime(t.createdAt),
      gmt_payment: t.paidAt ? chinaDateTime(t.paidAt) : '',
    };
    p.sign = sign(content(p, ['sign', 'sign_type']), this.o.alipayPrivateKey);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(url: string, outTradeNo: string, params: Record<string, string>): Promise<void> {
    const delays = this.o.retryDelaysMs ?? [500, 1000, 2000];
    for (let attempt = 0; attempt <= delays.length && !this.closed; attempt++) {
      let answer: string;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body: new URLSearchParams(params).toString(),
          signal: AbortSignal.timeout(5_000),
        });
        answer = (await res.text()).trim();
      } catch (e) {
        answer = `error: ${(e as Error).message}`;
      }
      this.sent.push({ outTradeNo, notifyId: params.notify_id!, answer });
      if (answer === 'success') return;
      const wait = delays[attempt];
      if (wait === undefined) return;
      await new Promise((r) => setTimeout(r, wait).unref());
    }
  }
}
