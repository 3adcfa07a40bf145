import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { UsageError, parseCliArgs } from '../args.ts';
import type { CliCommand } from '../command.ts';
import { startPaymentSandbox } from '../../payments/sandbox/index.ts';

const usage = `kiosk payment-sandbox [--port <n>] [--app-id <id>] [--app-public-key <pem file>] [--statements <dir>] [--now <ISO time>] [--seed <n>]

Runs the payment sandbox of docs/payments.md: Alipay's open-API wire (POST /gateway.do: precreate, pay, query,
cancel, close, refund, refund query, bill download URL) signed with RSA2, on 127.0.0.1 only, with the
loopback admin API under /admin/ (the simulated phone: scan and pay or decline, 付款码; faults; trades;
statement). When listening it prints one JSON line and keeps running until SIGINT/SIGTERM:
  {"url":"http://127.0.0.1:PORT","gatewayUrl":"…/gateway.do","appId":"…","alipayPublicKey":"-----BEGIN PUBLIC KEY-----…"}
Without --app-public-key it makes an application key pair and prints its private key as "appPrivateKey"
(a sandbox key, for trying the wire by hand).

  --port <n>              port (default 0 = any free port)
  --app-id <id>           the merchant application's app_id (default 2021000000000001)
  --app-public-key <file> the application's RSA public key (PEM): requests must be signed by its private key
  --statements <dir>      where the day's statement files go (default .kiosk-data/payment-statements)
  --now <ISO time>        start the sandbox clock here (it runs from it)
  --seed <n>              seed of the fault injector's random source (default 1)`;

export const paymentSandboxCommand: CliCommand = {
  name: 'payment-sandbox',
  summary: '支付沙箱 — Alipay open-API gateway simulator with a simulated phone and fault injection (loopback)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      port: { type: 'string' },
      'app-id': { type: 'string' },
      'app-public-key': { type: 'string' },
      statements: { type: 'string' },
      now: { type: 'string' },
      seed: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    if (values.now !== undefined && Number.isNaN(Date.parse(values.now))) throw new UsageError(`--now is not an ISO time: ${values.now}`);
    const appId = values['app-id'] ?? '2021000000000001';
    if (!/^\d{16}$/.test(appId)) throw new UsageError('--app-id: 16 digits');
    let appPublicKey: string;
    let appPrivateKey: string | undefined;
    const keyFile = values['app-public-key'];
    if (keyFile !== undefined) {
      if (!existsSync(keyFile)) throw new UsageError(`no such key file: ${keyFile}`);
      appPublicKey = readFileSync(keyFile, 'utf8');
      if (!appPublicKey.includes('PUBLIC KEY')) throw new UsageError(`${keyFile} is not a PEM public key`);
    } else {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      appPublicKey = pair.publicKey;
      appPrivateKey = pair.privateKey;
    }
    const sandbox = await startPaymentSandbox({
      port,
      appId,
      appPublicKey,
      statementDir: values.statements ?? '.kiosk-data/payment-statements',
      seed,
      ...(values.now !== undefined ? { now: values.now } : {}),
    });
    process.stdout.write(`${JSON.stringify({ url: sandbox.url, gatewayUrl: sandbox.gatewayUrl, appId, alipayPublicKey: sandbox.alipayPublicKey, ...(appPrivateKey ? { appPrivateKey } : {}) })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await sandbox.close();
    return 0;
  },
};
