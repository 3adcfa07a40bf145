import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PinVerifier } from '../../../../services/discharge/pin.ts';
import { admit, CALL, liveSettlements, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/**
 * A platform that asks for the patient's PIN before 2304. The sandbox does not (no public source says how a
 * Jiangsu platform would); a pass-through proxy on 127.0.0.1 adds the flag to its 2303 answers
 * (setlinfo.exp_content.pwd_chk_flag = "1", docs/settlement.md). The PIN itself is checked by the
 * PinVerifier port (the card's VERIFY in production; here a verifier that knows one PIN).
 */
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };

function askingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers: { 'content-type': 'application/json;charset=utf-8' }, body });
      let text = await upstream.text();
      try {
        const env = JSON.parse(text) as { infcode: number; output?: { setlinfo?: Record<string, unknown> } };
        if ((JSON.parse(body) as { infno?: string }).infno === '2303' && env.infcode === 0 && env.output?.setlinfo) {
          const ext = JSON.parse(String(env.output.setlinfo.exp_content ?? '{}')) as Record<string, unknown>;
          env.output.setlinfo.exp_content = JSON.stringify({ ...ext, pwd_chk_flag: '1' });
          text = JSON.stringify(env);
        }
      } catch {
        // not JSON: pass through untouched
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(text);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

describe('PIN where the platform asks for it', () => {
  let sandbox: TestSandbox;
  let proxy: { url: string; close(): Promise<void> };
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  const tried: string[] = [];
  const verifier: PinVerifier = {
    async verify(_adm, pin) {
      tried.push(pin);
      return pin === '246810' ? { ok: true } : { ok: false, message: '社会保障卡密码错误，还可尝试2次。', guidance: ['请患者重新输入密码。'] };
    },
  };

  beforeEach(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    proxy = await askingProxy(sandbox.url);
    t = await openTestTerminal({ platformUrl: proxy.url, storePath: join(tmp.dir, 'kiosk.sqlite'), billing: { pin: verifier } });
  });
  afterEach(async () => {
    await t?.close();
    await proxy?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('asks, refuses without the PIN or with a wrong one, settles with the right one', async () => {
    const { admissionId } = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 50_000, method: 'cash', receiptNo: 'YJ-PIN-1' }] });
    await t.billing.charges.import({ admissionId, format: 'csv', content: 'med_list_codg,cnt\n0010001941077,2\n' }, CALL);
    const pre = outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.pinRequired).toBe(true);
    expect(await t.billing.discharge.settle({ admissionId }, CALL)).toMatchObject({ outcome: 'pin-required', message: '医保平台要求患者输入社会保障卡密码后才能结算。' });
    expect(await t.billing.discharge.settle({ admissionId, pin: '111111' }, CALL)).toMatchObject({ outcome: 'pin-required', message: '社会保障卡密码错误，还可尝试2次。' });
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(0);
    const settled = outcome(await t.billing.discharge.settle({ admissionId, pin: '246810' }, CALL), 'settled').settlement;
    expect(settled.status).toBe('settled');
    expect(await liveSettlements(sandbox, PERSON.psnNo)).toHaveLength(1);
    expect(tried).toEqual(['111111', '246810']);
    // The PIN is nowhere in the store: not in the outbox input, not in the audit log.
    const dump = JSON.stringify([t.store.outbox.listByVisit(admissionId), t.store.audit.list({})]);
    expect(dump).not.toContain('246810');
    expect(dump).not.toContain('111111');
  });
});
