import { generateKeyPairSync } from 'node:crypto';
import { startPaymentSandbox } from '../../payments/sandbox/index.ts';

/**
 * The demo's payment sandbox, in this process on 127.0.0.1 (any free port): the application's RSA key pair
 * is made here at start (node:crypto); the sandbox gets its public half and hands back "Alipay's" public key.
 */
export interface DemoPaymentSandbox {
  /** The sandbox's own address (admin API: the simulated phone). */
  url: string;
  gatewayUrl: string;
  appId: string;
  appPrivateKey: string;
  alipayPublicKey: string;
  close(): Promise<void>;
}

export const DEMO_APP_ID = '2021000000000001';

export async function startDemoPaymentSandbox(o: { statementDir: string; now?: string }): Promise<DemoPaymentSandbox> {
  const app = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const sandbox = await startPaymentSandbox({ appId: DEMO_APP_ID, appPublicKey: app.publicKey, statementDir: o.statementDir, ...(o.now ? { now: o.now } : {}) });
  return { url: sandbox.url, gatewayUrl: sandbox.gatewayUrl, appId: DEMO_APP_ID, appPrivateKey: app.privateKey, alipayPublicKey: sandbox.alipayPublicKey, close: () => sandbox.close() };
}
