import type { PaymentGateway } from '../../payments/client/gateway.ts';

/**
 * A payment gateway that reports every call's latency and result (ok / refused / unknown, or error when it
 * threw) to the metrics, and otherwise is the gateway it wraps. Only the operation name is recorded, never
 * an order number, an amount or a buyer account.
 */
type Observe = (operation: string, result: 'ok' | 'refused' | 'unknown' | 'error', seconds: number) => void;

const TIMED = ['precreate', 'pay', 'query', 'cancel', 'close', 'refund', 'refundQuery', 'statement'] as const;

export function meteredGateway(gateway: PaymentGateway, observe: Observe): PaymentGateway {
  const wrapped: Record<string, unknown> = {};
  for (const op of TIMED) {
    if (typeof gateway[op] !== 'function') continue;
    const fn = gateway[op].bind(gateway) as (...args: unknown[]) => Promise<{ kind: 'ok' | 'refused' | 'unknown' }>;
    wrapped[op] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        const r = await fn(...args);
        observe(op, r.kind, (performance.now() - started) / 1000);
        return r;
      } catch (err) {
        observe(op, 'error', (performance.now() - started) / 1000);
        throw err;
      }
    };
  }
  return { channel: gateway.channel, verifyNotification: gateway.verifyNotification.bind(gateway), ...wrapped } as PaymentGateway;
}
