import { readFileSync } from 'node:fs';
import { AlipayGateway } from '../../payments/client/alipay-gateway.ts';
import type { PaymentGateway } from '../../payments/client/gateway.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { ServiceContext } from '../context.ts';
import type { DemoWorld } from '../demo/demo-world.ts';
import { startNotifyListener } from './notify-listener.ts';
import { PaymentService } from './payment-service.ts';

/**
 * The payment half of the composition: the configured gateway (or the demo's payment sandbox), the
 * notification listener (demo only: in production the hospital's front server receives notify_url), and the
 * service, started (open orders resume now).
 */
export async function composePayments(
  ctx: Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'operators' | 'emit'>,
  demo: DemoWorld | null,
  /** Wraps the gateway (the metrics' meteredGateway: latency and result of every call). */
  wrap: (gateway: PaymentGateway) => PaymentGateway = (g) => g,
): Promise<{ service: PaymentService; close(): Promise<void> }> {
  const gatewayConfig = gatewayOf(ctx.config, demo);
  if (!gatewayConfig) {
    const service = new PaymentService(ctx, null);
    return { service, close: () => service.close() };
  }
  let service: PaymentService | null = null;
  const listener = demo ? await startNotifyListener((p) => service?.notification(p) ?? Promise.resolve('failure')) : null;
  const gateway = wrap(new AlipayGateway({ ...gatewayConfig, notifyUrl: gatewayConfig.notifyUrl ?? listener?.url ?? null }, ctx.clock));
  service = new PaymentService(ctx, gateway);
  service.start();
  return {
    service,
    async close() {
      await service?.close();
      await listener?.close();
    },
  };
}

function gatewayOf(config: TerminalConfig, demo: DemoWorld | null) {
  const a = config.payments.alipay;
  if (a) {
    return {
      gatewayUrl: a.gatewayUrl,
      appId: a.appId,
      appPrivateKey: readFileSync(a.appPrivateKeyFile, 'utf8'),
      alipayPublicKey: readFileSync(a.alipayPublicKeyFile, 'utf8'),
      notifyUrl: a.notifyUrl,
      timeoutMs: a.timeoutMs,
    };
  }
  if (!demo) return null;
  const p = demo.payments;
  return { gatewayUrl: p.gatewayUrl, appId: p.appId, appPrivateKey: p.appPrivateKey, alipayPublicKey: p.alipayPublicKey, notifyUrl: null, timeoutMs: 10_000 };
}
