import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { sandboxAdmin } from '../../../../insurance/sandbox/testing.ts';
import { byCard, DEMO, newMsgid, person, Wire } from './wire.ts';
import { readyVisit, settle, upload } from './visit.ts';

// State survives a restart and a kill -9: sign-ins, admissions, uploads, settlements and every msgid.

const KIOSK = fileURLToPath(new URL('../../../../bin/kiosk.mjs', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `kiosk sandbox` as a real child process; resolves with its URL from the one JSON line it prints. */
async function spawnSandbox(state: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [KIOSK, 'sandbox', '--port', '0', '--state', state, '--now', '2026-11-20T10:00:00+08:00', '--frozen'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiosk sandbox did not start in 30 s: ${stderr}`)), 30_000);
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`kiosk sandbox exited (${code}): ${stderr}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { child, url };
}

describe('restart (close and open the same state file)', () => {
  it('remembers sign-ins, admissions, uploads, settlements and msgids', async () => {
    let sb = await startTestSandbox();
    try {
      const w = new Wire(sb.url, DEMO);
      await w.signIn();
      const p = person('local-employee');
      const mdtrtId = await readyVisit(w, p, byCard(p));
      const msgid = newMsgid(DEMO.code);
      const s = await settle(w, p, mdtrtId, byCard(p), { msgid, acct: '1' });
      const journal = await sb.admin.journal();
      const refmsgids = new Set([s.body.inf_refmsgid]);

      sb = await sb.restart();
      const w2 = new Wire(sb.url, DEMO);
      w2.signNo = w.signNo; // the sign-in survives
      const replay = await settle(w2, p, mdtrtId, byCard(p), { msgid, acct: '1' });
      expect(replay.text).toBe(s.text);
      expect(await sb.admin.journal()).toEqual(journal);
      const q = await w2.send('5203', { data: { psn_no: p.psnNo, setl_id: s.body.output.setlinfo.setl_id } }, { insuplc: p.insuplc });
      expect(q.body.output.setlinfo).toMatchObject({ setl_stas: 'valid', acct_pay: 3971.52 });
      // the account stays debited: 523400 − 397152 = 126248
      expect((await w2.send('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno } })).body.output.insuinfo[0].balc).toBe(1262.48);
      // the settled visit refuses new lines; inf_refmsgid never repeats after a restart
      const late = await upload(w2, p, mdtrtId);
      expect(late.body.err_msg).toContain('该就诊已结算');
      expect(refmsgids.has(late.body.inf_refmsgid)).toBe(false);
    } finally {
      await sb.close();
    }
  });
});

describe('kill -9 of kiosk sandbox', () => {
  it('a settlement answered (or dropped after commit) before the kill is there after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-kill-'));
    dirs.push(dir);
    const state = join(dir, 'state.sqlite');

    const first = await spawnSandbox(state);
    const w = new Wire(first.url, DEMO);
    await w.signIn();
    const admin = sandboxAdmin(first.url);
    const a = person('nj-filed-long-term');
    const mA = await readyVisit(w, a, byCard(a));
    const answered = await settle(w, a, mA, byCard(a));
    expect(answered.body.infcode).toBe(0);

    const b = person('hf-filed');
    const mB = await readyVisit(w, b, byCard(b));
    await admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    const droppedMsgid = newMsgid(DEMO.code);
    await expect(settle(w, b, mB, byCard(b), { msgid: droppedMsgid })).rejects.toThrow();
    const before = await admin.journal();

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await spawnSandbox(state);
    const w2 = new Wire(second.url, DEMO);
    w2.signNo = w.signNo;
    expect(await sandboxAdmin(second.url).journal()).toEqual(before);
    expect((await settle(w2, a, mA, byCard(a), { msgid: answered.msgid })).text).toBe(answered.text);
    const dropped = await settle(w2, b, mB, byCard(b), { msgid: droppedMsgid });
    expect(dropped.body.infcode).toBe(0);
    expect(dropped.body.output.setlinfo.setl_id).toBe(before.find((e) => e.msgid === droppedMsgid)!.setl_id);
    // faults are not persisted: the restarted sandbox answers normally
    expect((await sandboxAdmin(second.url).faults()).length).toBe(0);

    second.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => second.child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  });
});
