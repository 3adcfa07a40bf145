import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../../insurance/sandbox/index.ts';
import { startTestSandbox as startSandboxForTests } from '../../../../insurance/sandbox/testing.ts';
import { admit, CALL, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/** HIS import, manual entry, upload (2301) and cancellation (2302) against the sandbox, from a SQLite file. */
const PERSON = { certNo: '32020019620802112X', psnNo: '32020000000000000002' };

describe('charges', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let admissionId: string;

  beforeEach(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    t = await openTestTerminal({ platformUrl: sandbox.url, storePath: join(tmp.dir, 'kiosk.sqlite') });
    admissionId = (await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 50_000, method: 'cash', receiptNo: 'YJ-F-1' }] })).admissionId;
  });
  afterEach(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('a malformed HIS file changes nothing, names every bad line, and the corrected file imports', async () => {
    const good = 'feedetl_sn,med_list_codg,cnt\nH1,0010001941077,2\n';
    await t.billing.charges.import({ admissionId, format: 'csv', content: good }, CALL);
    const before = await t.billing.charges.list({ admissionId }, CALL);

    const bad = ['feedetl_sn,med_list_codg,cnt,pric,det_item_fee_sumamt', 'H2,0030003439479,1,220.00,220.00', 'H3,0030003439479,x', 'H4,0030003439479,1,220.00,219.97', 'H5,NOT-A-CODE,1,,'].join('\n');
    const err = await t.billing.charges.import({ admissionId, format: 'csv', content: bad }, CALL).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FEE_LINE_INVALID', message: expect.stringContaining('本次未导入任何明细') });
    // The column count of line 3 is caught first; fixed, the remaining problems are all named at once.
    expect((err as { guidance: string[] }).guidance[0]).toMatch(/^第3行：有3列，表头有5列/);
    const err2 = await t.billing.charges
      .import({ admissionId, format: 'csv', content: bad.replace('H3,0030003439479,x', 'H3,0030003439479,x,,') }, CALL)
      .catch((e: unknown) => e as { guidance: string[] });
    expect((err2 as { guidance: string[] }).guidance.slice(0, 3)).toEqual([
      '第3行：数量“x”不是有效数字',
      '第4行：金额219.97元与单价×数量（220.00×1=220.00元）相差超过1分',
      '第5行：目录编码“NOT-A-CODE”不在医保目录中，须提供项目名称',
    ]);
    expect(await t.billing.charges.list({ admissionId }, CALL)).toEqual(before);

    const fixed = JSON.stringify([
      { feedetl_sn: 'H1', med_list_codg: '0010001941077', cnt: 2 }, // already there, unchanged: skipped
      { feedetl_sn: 'H2', med_list_codg: '0030003439479', cnt: 1, pric: '220.00' },
      { feedetl_sn: 'H5', med_list_codg: 'HOSP-OWN-01', name: '院内自制护理包', med_chrgitm_type: '08', cnt: 1, pric: 12.5 },
    ]);
    const after = await t.billing.charges.import({ admissionId, format: 'json', content: fixed }, CALL);
    expect(after.lines.map((l) => [l.feedetlSn, l.state, l.amountFen])).toEqual([
      ['H1', 'local', 6_000],
      ['H2', 'local', 22_000],
      ['H5', 'local', 1_250],
    ]);
    // The same sn with other content is a conflict, not an overwrite.
    await expect(
      t.billing.charges.import({ admissionId, format: 'json', content: JSON.stringify([{ feedetl_sn: 'H2', med_list_codg: '0030003439479', cnt: 2 }]) }, CALL),
    ).rejects.toMatchObject({ code: 'FEE_LINE_INVALID', guidance: expect.arrayContaining([expect.stringContaining('已存在且内容不同')]) });
  });

  it("a stay's first import answers with exactly what is stored, in the stored order, without reading it back", async () => {
    // Out of order, numbered and unnumbered (the terminal numbers those K…), two categories.
    const file = ['feedetl_sn,med_list_codg,cnt', 'H20,0030003439479,1', ',0010001941077,2', 'H03,0010001941077,1', 'A-7,X090001792672,1', ',0030003439479,3'].join('\n');
    const imported = await t.billing.charges.import({ admissionId, format: 'csv', content: file }, CALL);
    expect(imported).toEqual(await t.billing.charges.list({ admissionId }, CALL));
    expect(imported.lines.map((l) => l.feedetlSn)).toEqual(['A-7', 'H03', 'H20', 'K0000001', 'K0000002']);
    // A stay with lines already: the answer is read, and is the same as the list.
    const more = await t.billing.charges.add({ admissionId, lines: [{ medListCodg: '0010001941077', cnt: 1 }] }, CALL);
    expect(more).toEqual(await t.billing.charges.list({ admissionId }, CALL));
    expect(more.lines).toHaveLength(6);
  });

  it('uploads in batches of 50 under one msgid each, then withdraws a sent line with 2302', async () => {
    const lines = Array.from({ length: 120 }, () => ({ medListCodg: '0040013662137', cnt: 1 })); // 降钙素原 150 元, 丙类
    await t.billing.charges.add({ admissionId, lines }, CALL);
    const summary = await t.billing.charges.upload({ admissionId }, CALL);
    expect(summary.lines).toHaveLength(120);
    expect(summary.lines.every((l) => l.state === 'uploaded')).toBe(true);
    expect(summary.byCategory).toEqual([{ chrgitmType: '04', label: '化验费', amountFen: 120 * 15_000 }]);
    const uploads = await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2301' });
    expect(uploads).toHaveLength(3); // 50 + 50 + 20
    expect(new Set(uploads.map((u) => u.msgid)).size).toBe(3);

    const afterCancel = await t.billing.charges.cancelLine({ admissionId, feedetlSn: 'K0000007' }, CALL);
    expect(afterCancel.lines.find((l) => l.feedetlSn === 'K0000007')?.state).toBe('cancelled');
    expect(afterCancel.totalFen).toBe(119 * 15_000);
    // The 2302 goes through the outbox; the pre-settlement waits for it, and the platform bill agrees.
    const pre = outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'presettled').preSettlement;
    expect(pre.breakdown.medfeeSumamtFen).toBe(119 * 15_000);
    expect(pre.breakdown.fulamtOwnpayFen).toBe(119 * 15_000);
    expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2302' })).toHaveLength(1);
  });

  it('previews a HIS file line by line with every problem, storing nothing; the import then stores what was shown', async () => {
    await t.billing.charges.import({ admissionId, format: 'csv', content: 'feedetl_sn,med_list_codg,cnt\nH1,0010001941077,2\n' }, CALL);
    const before = await t.billing.charges.list({ admissionId }, CALL);
    const file = ['feedetl_sn,med_list_codg,cnt,pric', 'H1,0010001941077,2,', 'H2,0030003439479,1,220.00', 'H3,0030003439479,0,', 'H1,0010001941077,5,'].join('\n');
    const bad = await t.billing.charges.previewImport({ admissionId, format: 'csv', content: file }, CALL);
    expect(bad.lines.map((l) => [l.where, l.feedetlSn, l.outcome, l.amountFen])).toEqual([
      ['第2行', 'H1', 'unchanged', 6_000],
      ['第3行', 'H2', 'new', 22_000],
    ]);
    expect(bad.problems.map((p) => p.where)).toEqual(['第4行', '第5行']);
    expect(bad.problems[1]!.message).toContain('重复');
    expect(bad.newFen).toBe(22_000);
    expect(await t.billing.charges.list({ admissionId }, CALL)).toEqual(before);

    const good = file.split('\n').slice(0, 3).join('\n');
    const preview = await t.billing.charges.previewImport({ admissionId, format: 'csv', content: good }, CALL);
    expect(preview.problems).toEqual([]);
    const after = await t.billing.charges.import({ admissionId, format: 'csv', content: good }, CALL);
    expect(after.totalFen - before.totalFen).toBe(preview.newFen);
  });

  it('pre-settlement of a stay with no charges is refused before anything reaches the platform (no 2402)', async () => {
    await expect(t.billing.discharge.preSettle({ admissionId }, CALL)).rejects.toMatchObject({ code: 'CHARGES_MISSING' });
    expect(t.store.outbox.listByVisit(admissionId).filter((i) => i.infno === '2402')).toEqual([]);
    expect(await sandbox.admin.journal({ psn_no: PERSON.psnNo, infno: '2402' })).toHaveLength(0);
  });

  it('searches the bundled catalogue', async () => {
    const hits = await t.billing.charges.searchCatalogue({ q: 'CT平扫', limit: 5 }, CALL);
    expect(hits[0]).toMatchObject({ code: '0030003439479', name: 'CT平扫（头颅）', chrgitmType: '03', level: '02', pricFen: 22_000 });
  });
});

describe('discharge while the platform is away', () => {
  it('settlement waits while the platform is away (no self-pay way offered that the terminal lacks), keeps everything queued, and goes on when the platform is back', async () => {
    const tmp = tempDir();
    const statePath = join(tmp.dir, 'sandbox.sqlite');
    const first = await startSandboxForTests({ statePath, now: new Date().toISOString(), frozen: false });
    let sandbox: { close(): Promise<void> } = first;
    const t = await openTestTerminal({ platformUrl: first.url, storePath: join(tmp.dir, 'kiosk.sqlite') });
    try {
      const { admissionId } = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 50_000, method: 'cash', receiptNo: 'YJ-O-1' }] });
      expect((await t.billing.discharge.openStays({ q: admissionId }, CALL)).map((s) => s.admissionId)).toEqual([admissionId]);
      await t.billing.charges.import({ admissionId, format: 'csv', content: 'med_list_codg,cnt\n0010001941077,2\n' }, CALL);
      // The platform goes away (its state file stays).
      const port = Number(new URL(first.url).port);
      await first.close();

      // Offline is an outcome, not an error: the screen says the work waits.
      const waiting = outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'waiting');
      expect(waiting.reason).toBe('offline');
      expect(waiting.guidance).toEqual(expect.arrayContaining([expect.stringContaining('恢复连接后会自动上传')]));
      expect(waiting.guidance.join('')).not.toMatch(/自费结账|零星报销/);
      // Nothing lost: the lines wait in the outbox.
      const lines = (await t.billing.charges.list({ admissionId }, CALL)).lines;
      expect(lines.map((l) => l.state)).toEqual(['local']);
      expect(t.store.outbox.listByVisit(admissionId).filter((i) => i.infno === '2301' && i.state !== 'done')).toHaveLength(1);

      // Back on the same address with the same state.
      sandbox = await startSandbox({ port, statePath, now: new Date().toISOString(), frozen: false });
      const deadline = Date.now() + 15_000;
      let pre;
      while (!pre && Date.now() < deadline) {
        const o = await t.billing.discharge.preSettle({ admissionId }, CALL).catch(() => undefined);
        pre = o?.outcome === 'presettled' ? o.preSettlement : undefined;
        if (!pre) await new Promise((r) => setTimeout(r, 300));
      }
      expect(pre?.breakdown.medfeeSumamtFen).toBe(6_000);
      const settled = outcome(await t.billing.discharge.settle({ admissionId }, CALL), 'settled').settlement;
      expect(settled.status).toBe('settled');
      expect(await t.billing.discharge.openStays({ q: admissionId }, CALL)).toEqual([]);
      expect((await t.billing.discharge.list({}, CALL)).map((s) => s.settlementId)).toEqual([settled.settlementId]);
    } finally {
      await t.close();
      await sandbox.close();
      tmp.remove();
    }
  });
});
