import { HospitalStructure, namesOf } from '../../../../services/admission/hospital-structure.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfRenderer, NoPdfRenderer } from '../../../../services/documents/pdf.ts';
import { chromiumAvailable } from '../../../../services/browser/chromium.ts';
import { createDocumentsService } from '../../../../services/documents/documents-service.ts';
import { bundledCatalogue } from '../../../../services/charges/catalogue.ts';
import { admit, CALL, openTestTerminal, startTestSandbox, tempDir, type TestSandbox, type TestTerminal, outcome } from './harness.ts';

/**
 * PDF without Electron: headless Chromium through playwright-core. Page sizes are checked in the PDF itself
 * (MediaBox in points: A4 595.28 × 841.89, roll width 80 mm = 226.77). Chromium is a prerequisite of this
 * suite (npm install brings one on Linux x64, services/browser/chromium.ts): without it the first test fails.
 */
const PERSON = { certNo: '32020019620802112X' };

function mediaBoxes(pdf: Buffer): number[][] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*([\d.\s-]+)\]/g)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
}

describe('documents as PDF', () => {
  let sandbox: TestSandbox;
  let t: TestTerminal;
  let tmp: ReturnType<typeof tempDir>;
  let admissionId: string;

  beforeAll(async () => {
    tmp = tempDir();
    sandbox = await startTestSandbox();
    t = await openTestTerminal({ platformUrl: sandbox.url, storePath: join(tmp.dir, 'kiosk.sqlite'), printer: null, billing: { spoolDir: join(tmp.dir, 'spool') } });
    admissionId = (await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 60_000, method: 'bank-card', receiptNo: 'YJ-P-1' }] })).admissionId;
    await t.billing.charges.import({ admissionId, format: 'csv', content: 'med_list_codg,cnt\n0010001941077,2\n0030003439479,1\n' }, CALL);
    outcome(await t.billing.discharge.preSettle({ admissionId }, CALL), 'presettled');
    outcome(await t.billing.discharge.settle({ admissionId }, CALL), 'settled');
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    tmp?.remove();
  });

  it('Chromium is installed (prerequisite)', () => {
    expect(chromiumAvailable(), 'no Chromium: npm install brings one on Linux x64; else apt-get install chromium, or set KIOSK_CHROMIUM_PATH').toBe(true);
  });

  it('renders the 结算单 and 费用清单 on A4 and the deposit receipt on an 80 mm roll', async () => {
    const sheet = await t.billing.documents.render({ kind: 'settlement-sheet', admissionId, pdf: true }, CALL);
    const pdf = Buffer.from(sheet.pdfBase64!, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 = 595.28 × 841.89 pt; Chromium lays pages out in whole CSS pixels, so allow one point.
    for (const [x0, y0, w, h] of mediaBoxes(pdf)) {
      expect([x0, y0]).toEqual([0, 0]);
      expect(Math.abs(w! - 595.28)).toBeLessThan(1);
      expect(Math.abs(h! - 841.89)).toBeLessThan(1);
    }

    const list = await t.billing.documents.render({ kind: 'fee-list', admissionId, pdf: true }, CALL);
    expect(mediaBoxes(Buffer.from(list.pdfBase64!, 'base64')).length).toBeGreaterThan(0);

    const receipt = await t.billing.documents.render({ kind: 'deposit-receipt', admissionId, pdf: true }, CALL);
    expect(receipt.media).toBe('roll-80mm');
    const boxes = mediaBoxes(Buffer.from(receipt.pdfBase64!, 'base64'));
    expect(boxes).toHaveLength(1); // one continuous page: a roll has no page breaks
    expect(Math.abs(boxes[0]![2]! - 226.77)).toBeLessThan(1);
    expect(boxes[0]![3]!).toBeGreaterThan(113); // longer than 40 mm: the content, not a page size
  });

  it('without a printer, print spools a PDF into the spool folder', async () => {
    const r = await t.billing.documents.print({ kind: 'fee-list', admissionId }, CALL);
    expect(r.status).toBe('spooled-pdf');
    expect(r.message).toMatch(/^未连接打印机，已生成 PDF 文件：/);
    const files = readdirSync(join(tmp.dir, 'spool'));
    expect(files).toHaveLength(1);
    expect(readFileSync(join(tmp.dir, 'spool', files[0]!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('where PDF cannot be made: render refuses clearly, print says it failed in Chinese', async () => {
    const none = new NoPdfRenderer('未找到 Chromium 浏览器');
    await expect(none.render()).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: '本终端无法生成 PDF：未找到 Chromium 浏览器' });
    const missing = new ChromiumPdfRenderer({ resolve: null });
    await expect(missing.render('<p>x</p>', 'a4')).rejects.toMatchObject({ code: 'NOT_AVAILABLE', guidance: expect.arrayContaining([expect.stringContaining('apt-get install chromium')]) });

    // Same store, a documents service whose host cannot make PDF and has no printer (a browser host without Chromium).
    const docs = createDocumentsService({
      store: t.store,
      config: t.ctx.config,
      clock: t.ctx.clock,
      log: t.log,
      catalogue: bundledCatalogue(),
      names: namesOf(HospitalStructure.load()),
      pdf: none,
      printer: null,
      spoolDir: join(tmp.dir, 'spool2'),
      dayEnd: (q) => t.billing.reconciliation.dayEnd(q, CALL),
    });
    const r = await docs.print({ kind: 'fee-list', admissionId }, CALL);
    expect(r).toEqual({ status: 'failed', message: '未连接打印机，且本终端无法生成 PDF：未找到 Chromium 浏览器。请在连接打印机的终端上补打。' });
    expect(existsSync(join(tmp.dir, 'spool2'))).toBe(false);
    // The HTML is still there for a screen preview.
    const html = await docs.render({ kind: 'fee-list', admissionId, pdf: false }, CALL);
    expect(html.pdfBase64).toBeNull();
    expect(html.html).toContain('住院费用清单');
    await expect(docs.render({ kind: 'fee-list', admissionId, pdf: true }, CALL)).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });
});
