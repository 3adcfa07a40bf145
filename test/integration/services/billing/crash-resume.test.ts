import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DischargeStep } from '../../../../services/discharge/discharge-service.ts';
import { admit, CALL, liveSettlements, openTestTerminal, settleUntilSettled, startTestSandbox, tempDir, type TestSandbox, outcome } from './harness.ts';

/**
 * Discharge killed at each step, for real: a child terminal process (real SQLite file, real sandbox over
 * HTTP) is SIGKILLed when it reports the step, then a new terminal on the same file resumes. Whatever the
 * step, the sandbox journal ends with exactly one live settlement, and the store with one settlement and one
 * 多退少补 movement.
 *
 * "2304 in flight" is the hardest point: the sandbox holds the 2304 (latency fault) and commits it after the
 * process is dead, so the answer reaches nobody; the resumed terminal must reverse it (2601) first.
 */
const CHILD = new URL('./discharge-child.ts', import.meta.url).pathname;
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };
const BILL = [
  'feedetl_sn,med_list_codg,cnt',
  ...Array.from({ length: 60 }, (_, i) => `H${String(i + 1).padStart(4, '0')},0010001941077,1`), // 60 lines: two 2301 batches
  'H0061,0030003439479,1',
].join('\n');

type KillPoint = DischargeStep | '2304-in-flight';
const POINTS: KillPoint[] = ['charges-queued', 'charges-uploaded', 'discharge-queued', 'discharged', 'presettled', 'settle-queued', '2304-in-flight', 'settled'];

interface Child {
  proc: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
}

function startChild(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return {
    proc,
    lines,
    waitFor(pattern, timeoutMs) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child did not print ${pattern} within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}

async function kill(child: Child): Promise<void> {
  if (child.proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
  child.proc.kill('SIGKILL');
  await exited;
}

describe('discharge killed at each step and resumed', () => {
  let sandbox: TestSandbox;
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    tmp = tempDir('billing-crash-');
  });
  afterAll(() => tmp?.remove());

  for (const point of POINTS) {
    it(`killed at ${point}: resumes, settles exactly once`, async () => {
      sandbox = await startTestSandbox();
      const storePath = join(tmp.dir, `${point}.sqlite`);
      let admissionId: string;
      {
        // The admission desk's part, in this process: admit, deposit, import the HIS bill (lines stay local).
        const desk = await openTestTerminal({ platformUrl: sandbox.url, storePath });
        const stay = await admit(desk, { certNo: PERSON.certNo, deposits: [{ amountFen: 300_000, method: 'cash', receiptNo: `YJ-${point}` }] });
        await desk.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: BILL }, CALL);
        admissionId = stay.admissionId;
        await desk.close();
      }
      if (point === '2304-in-flight') await sandbox.admin.addFault({ infno: '2304', kind: 'latency', ms: 2_500, count: 1 });
      const child = startChild({ SANDBOX_URL: sandbox.url, STORE_PATH: storePath, ADMISSION_ID: admissionId, KILL_AT: point === '2304-in-flight' ? 'never' : point });
      try {
        if (point === '2304-in-flight') {
          await child.waitFor(/^STEP settle-queued$/, 60_000);
          // The relay sends at once; the sandbox sits on the request for 2.5 s, then commits it.
          await new Promise((r) => setTimeout(r, 800));
        } else {
          await child.waitFor(new RegExp(`^WAITING-FOR-KILL ${point}$`), 60_000);
        }
      } finally {
        await kill(child);
      }
      expect(child.lines.some((l) => l.startsWith('ERROR'))).toBe(false);
      if (point === '2304-in-flight') {
        // The platform committed the attempt after its sender died.
        const deadline = Date.now() + 10_000;
        while ((await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2304' })).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2304' })).toHaveLength(1);
      }

      // A new terminal process on the same file resumes: pre-settle again if the patient had not confirmed yet.
      const t = await openTestTerminal({ platformUrl: sandbox.url, storePath });
      try {
        const confirmedBefore = ['presettled', 'settle-queued', '2304-in-flight', 'settled'].includes(point);
        if (!confirmedBefore) outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'presettled');
        // An attempt that was out when the terminal died is an unknown outcome until its 2601: the settle says a
        // reversal is under way, and the cashier settles again once it is done (settleUntilSettled).
        const settled = (await settleUntilSettled(t, admissionId)).settled.settlement;
        expect(settled.status).toBe('settled');

        const live = await liveSettlements(sandbox, PERSON.psnNo);
        expect(live).toHaveLength(1);
        expect(live[0]!.setl_id).toBe(settled.setlId);
        const journal = await sandbox.admin.journal({ psn_no: PERSON.psnNo });
        const attempts = journal.filter((e) => e.infno === '2304');
        // Killed at settle-queued, the 2304 may already be out: the relay, idle, claimed it in the transaction that
        // queued it and sent it once that was on disk (Relay.claimWith), before the step was reported. Either the
        // kill came first (one attempt) or, as when killed in flight, it is reversed before it goes again.
        const sentBeforeKill = point === '2304-in-flight' || (point === 'settle-queued' && attempts.length > 1);
        if (sentBeforeKill) {
          expect(attempts).toHaveLength(2);
          expect(attempts[0]!.reversed_by).not.toBeNull();
          const reversal = journal.find((e) => e.infno === '2601')!;
          expect(reversal.omsgid).toBe(attempts[0]!.msgid);
          expect(reversal.seq).toBeLessThan(attempts[1]!.seq);
        } else {
          expect(attempts).toHaveLength(1);
        }
        // Every fee line went up once, 2402 once.
        expect(journal.filter((e) => e.infno === '2402')).toHaveLength(1);
        expect(t.store.feeLines.byVisit(admissionId).every((l) => l.state === 'uploaded')).toBe(true);

        const local = t.store.settlements.byVisit(admissionId);
        expect(local.filter((s) => s.status === 'settled')).toHaveLength(1);
        expect(local.filter((s) => s.status === 'pending')).toHaveLength(0);
        // 多退少补 recorded once: deposit 3000 元 − cash.
        const refunds = t.store.money.refunds(admissionId);
        expect(refunds).toHaveLength(1);
        expect(refunds[0]!.amountFen).toBe(300_000 - settled.breakdown.psnCashPayFen);
        expect(t.store.admissions.get(admissionId)?.status).toBe('settled');
      } finally {
        await t.close();
        await sandbox.close();
      }
    });
  }
});
