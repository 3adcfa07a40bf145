import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../../../insurance/sandbox/testing.ts';
import { byCard, DEMO, newMsgid, person, Wire } from './wire.ts';
import { admissionInput, readyVisit, settle } from './visit.ts';

// Each fault kind over real HTTP, and what it did (or did not) commit. Bounded: a handful of requests each.

let sb: TestSandbox;
let w: Wire;

beforeAll(async () => {
  sb = await startTestSandbox({ seed: 42 });
  w = new Wire(sb.url, DEMO);
  await w.signIn();
});
afterAll(async () => {
  await sb?.close();
});

const query1101 = (certno: string) => ({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: certno } });

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? String(e);
  }
  throw new Error('expected the request to fail at the transport');
}

describe('fault kinds', () => {
  it('latency (fixed) delays the answer by at least ms', async () => {
    const f = await sb.admin.addFault({ infno: '1101', kind: 'latency', ms: 300, count: 1 });
    const t0 = performance.now();
    const r = await w.send('1101', query1101(person('local-employee').certno));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.body.infcode).toBe(0);
    expect((await sb.admin.faults()).find((x) => x.id === f.id)?.fired).toBe(1);
    await sb.admin.clearFaults();
  });

  it('latency (random) draws within [minMs, maxMs]', async () => {
    await sb.admin.addFault({ infno: '1101', kind: 'latency', minMs: 100, maxMs: 200, count: 2 });
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      await w.send('1101', query1101(person('local-employee').certno));
      expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    }
    await sb.admin.clearFaults();
  });

  it('http5xx answers the status without processing', async () => {
    const p = person('local-resident');
    await sb.admin.addFault({ infno: '2401', kind: 'http5xx', status: 502, count: 1 });
    const msgid = newMsgid(DEMO.code);
    const r = await w.send('2401', admissionInput(p, byCard(p)), { insuplc: p.insuplc, msgid });
    expect(r.http).toBe(502);
    expect(await sb.admin.journal({ psn_no: p.psnNo })).toEqual([]);
    // count 1: the retry under the same msgid goes through, once
    const again = await w.send('2401', admissionInput(p, byCard(p)), { insuplc: p.insuplc, msgid });
    expect(again.body.infcode).toBe(0);
    expect(await sb.admin.journal({ psn_no: p.psnNo })).toHaveLength(1);
    await sb.admin.clearFaults();
  });

  it('reset destroys the connection without processing', async () => {
    const p = person('retired-employee');
    await sb.admin.addFault({ infno: '2401', kind: 'reset', count: 1 });
    const cause = await failure(w.send('2401', admissionInput(p, byCard(p)), { insuplc: p.insuplc }));
    expect(cause).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    expect(await sb.admin.journal({ psn_no: p.psnNo })).toEqual([]);
    await sb.admin.clearFaults();
  });

  it('drop-after-commit on 2304: no answer, but the settlement is on disk and the msgid replays its answer', async () => {
    const p = person('hf-filed');
    const mdtrtId = await readyVisit(w, p, byCard(p));
    await sb.admin.addFault({ infno: '2304', kind: 'drop-after-commit', count: 1 });
    const msgid = newMsgid(DEMO.code);
    const cause = await failure(settle(w, p, mdtrtId, byCard(p), { msgid }));
    expect(cause).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    const journal = await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' });
    expect(journal).toHaveLength(1);
    expect(journal[0]!.msgid).toBe(msgid);
    const replay = await settle(w, p, mdtrtId, byCard(p), { msgid });
    expect(replay.body.infcode).toBe(0);
    expect(replay.body.output.setlinfo.setl_id).toBe(journal[0]!.setl_id);
    expect(await sb.admin.journal({ mdtrt_id: mdtrtId, infno: '2304' })).toHaveLength(1);
    await sb.admin.clearFaults();
  });

  it('"*" matches every transaction; clear removes the faults', async () => {
    await sb.admin.addFault({ infno: '*', kind: 'http5xx' });
    expect((await w.send('1101', query1101(person('local-employee').certno))).http).toBe(503);
    expect((await w.send('5311', { data: { psn_no: 'X' } }, { insuplc: '320200' })).http).toBe(503);
    await sb.admin.clearFaults();
    expect(await sb.admin.faults()).toEqual([]);
    expect((await w.send('1101', query1101(person('local-employee').certno))).http).toBe(200);
  });

  it('refuses a malformed fault spec', async () => {
    const res = await fetch(`${sb.url}/admin/faults`, { method: 'POST', body: JSON.stringify({ infno: '2304', kind: 'latency' }) });
    expect(res.status).toBe(400);
  });
});

describe('seeded probability', () => {
  async function pattern(seed: number): Promise<number[]> {
    const s = await startTestSandbox({ seed });
    try {
      const wire = new Wire(s.url, DEMO);
      await wire.signIn();
      await s.admin.addFault({ infno: '1101', kind: 'http5xx', probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await wire.send('1101', query1101(person('local-employee').certno))).http);
      return statuses;
    } finally {
      await s.close();
    }
  }

  it('the same seed gives the same faults; both outcomes occur', async () => {
    const a = await pattern(7);
    const b = await pattern(7);
    expect(b).toEqual(a);
    expect(a).toContain(200);
    expect(a).toContain(503);
  });
});
