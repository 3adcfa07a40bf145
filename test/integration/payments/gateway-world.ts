import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipayGateway } from '../../../payments/client/alipay-gateway.ts';
import { startPaymentSandbox, type PaymentSandbox } from '../../../payments/sandbox/index.ts';

export const APP_ID = '2021000000000001';

export function rsaPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

/** A payment sandbox on loopback, a client signed with a fresh app key, and a notify_url that records posts. */
export interface GatewayWorld {
  sandbox: PaymentSandbox;
  gateway: AlipayGateway;
  notifications: Record<string, string>[];
  /** POST JSON to the sandbox admin API. */
  admin<T = unknown>(path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startGatewayWorld(o: { timeoutMs?: number; seed?: number } = {}): Promise<GatewayWorld> {
  const app = rsaPair();
  const dir = mkdtempSync(join(tmpdir(), 'pay-world-'));
  const notifications: Record<string, string>[] = [];
  const listener: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      notifications.push(Object.fromEntries(new URLSearchParams(text)));
      res.end('success');
    });
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
  const sandbox = await startPaymentSandbox({ appId: APP_ID, appPublicKey: app.publicKey, statementDir: join(dir, 'bills'), seed: o.seed ?? 7, notifyRetryDelaysMs: [50, 100] });
  const gateway = new AlipayGateway({
    gatewayUrl: sandbox.gatewayUrl,
    appId: APP_ID,
    appPrivateKey: app.privateKey,
    alipayPublicKey: sandbox.alipayPublicKey,
    notifyUrl: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/notify`,
    timeoutMs: o.timeoutMs ?? 3_000,
  });
  return {
    sandbox,
    gateway,
    notifications,
    async admin<T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
      const res = await fetch(`${sandbox.url}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
      return { status: res.status, body: (await res.json()) as T };
    },
    async close() {
      await sandbox.close();
      listener.closeAllConnections();
      await new Promise<void>((r) => listener.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const order = (outTradeNo: string, totalFen = 300_000) => ({ outTradeNo, totalFen, subject: '住院预交金', operatorId: 'ZZJ01', terminalId: 'KIOSK01', timeoutExpress: '5m' });

export async function until<T>(fn: () => T | undefined | null | false, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
