import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../db/store.ts';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { createLogger } from '../../../services/logging/logger.ts';
import { PaymentService } from '../../../services/payments/payment-service.ts';
import { cardiologyAdmission } from '../sync/helpers.ts';
import { startGatewayWorld, type GatewayWorld } from './gateway-world.ts';

/** The payment service on a real SQLite file, against the payment sandbox over HTTP, with admitted stays. */
export interface PaymentWorld extends GatewayWorld {
  store: Store;
  service: PaymentService;
  stays: string[];
  /** The payment-changed events the service pushed to the screens. */
  events: { outTradeNo: string; state: string }[];
  stop(): Promise<void>;
}

export async function startPaymentWorld(o: { stays?: number; opterNo?: string } = {}): Promise<PaymentWorld> {
  const w = await startGatewayWorld();
  const dir = mkdtempSync(join(tmpdir(), 'pay-svc-'));
  const store = openStore(join(dir, 'kiosk.sqlite'), { fixmedinsCode: 'H32020000001' });
  const stays: string[] = [];
  store.write((tx) => {
    for (let i = 0; i < (o.stays ?? 4); i++) {
      const adm = store.admissions.create(tx, { ...cardiologyAdmission(`P${i}`, '320200', '2026-11-20 08:00:00'), bed: String(i + 1) });
      store.admissions.setStatus(tx, adm.iptNo, 'admitted');
      stays.push(adm.iptNo);
    }
  });
  const opterNo = o.opterNo ?? '0002';
  const operators = { current: () => ({ opter: opterNo, opter_name: '王收费', opter_type: '1' as const }), staff: () => ({ opterNo, name: '王收费' }), requireStaff: () => ({ opterNo, name: '王收费' }) };
  const events: { outTradeNo: string; state: string }[] = [];
  const emit = ((name: string, payload: { outTradeNo: string; state: string }) => {
    if (name === 'payment-changed') events.push(payload);
  }) as never;
  const service = new PaymentService({ config: TerminalConfig.parse({ mode: 'discharge', demo: false }), clock: { now: () => new Date() }, log: createLogger({ level: 'error' }), store, operators, emit }, w.gateway, { notExistGraceMs: 500 });
  return {
    ...w,
    store,
    service,
    stays,
    events,
    async stop() {
      await service.close();
      await w.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
