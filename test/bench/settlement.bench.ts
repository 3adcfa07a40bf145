/**
 * Billing figures: a whole discharge through the billing services — HIS CSV import of a 500-line bill,
 * 2301 in batches through the outbox, 2402, 2303 (pre-settlement, audited), 2303 again + 2304 through the
 * outbox with the 多退少补 write-back — against the floor of the same platform transactions sent by the bare
 * client (typed functions, no store) in the same run, same sandbox, same loopback. The ratio is what the
 * step machine's durability costs (SQLite synchronous=FULL commits, outbox, audit log, the re-checking 2303).
 * Also: the 结算单 to PDF in Chromium against a one-line page in the same browser (the layout's own cost).
 * Each iteration is a fresh admission of the same person (untimed); the two paths alternate.
 * Run alone: npm exec -- tsx test/bench/settlement.bench.ts
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { fen } from '../../base/fen.ts';
import { uploadFeeDetails, type FeeDetail } from '../../insurance/client/transactions/fees.ts';
import { discharge } from '../../insurance/client/transactions/admission.ts';
import { preSettle, settle } from '../../insurance/client/transactions/settlement.ts';
import { chinaTime } from '../../base/china-time.ts';
import { ChromiumPdfRenderer } from '../../services/documents/pdf.ts';
import { bundledCatalogue } from '../../services/charges/catalogue.ts';
import { lineAmountFen } from '../../services/charges/decimal.ts';
import { admit, CALL, openTestTerminal, startTestSandbox, tempDir } from '../integration/services/billing/harness.ts';

const LINES = 500;
const ITERATIONS = 6; // per path, after one warm-up each
const PERSON = { certNo: '32020019620802112X' };
const CODES = ['0010001941077', '0030003439479', '0030007664191', '0040013662137', 'X090001792672'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function csv(): string {
  const rows = Array.from({ length: LINES }, (_, i) => `H${String(i + 1).padStart(5, '0')},${CODES[i % CODES.length]},1`);
  return ['feedetl_sn,med_list_codg,cnt', ...rows].join('\n');
}

export async function run(): Promise<Record<string, unknown>> {
  const tmp = tempDir('billing-bench-');
  const sandbox = await startTestSandbox();
  // The relay as the terminal builds it (its 30 s lease, not the tests' 3 s one): see relayTimings.
  const t = await openTestTerminal({ platformUrl: sandbox.url, storePath: join(tmp.dir, 'kiosk.sqlite'), relayTimings: 'terminal' });
  const catalogue = bundledCatalogue();
  const services: number[] = [];
  const bare: number[] = [];
  let lastSettled = '';
  try {
    const viaServices = async () => {
      const stay = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 10_000_000, method: 'cash', receiptNo: `B-${performance.now()}` }] });
      const start = performance.now();
      await t.billing.charges.import({ admissionId: stay.admissionId, format: 'csv', content: csv() }, CALL);
      const pre = await t.billing.discharge.preSettle({ admissionId: stay.admissionId }, CALL);
      const settled = await t.billing.discharge.settle({ admissionId: stay.admissionId }, CALL);
      // A figure is only a figure of a discharge that happened: outcomes are values, so check them.
      if (pre.outcome !== 'presettled' || settled.outcome !== 'settled') throw new Error(`bench discharge did not settle: ${pre.outcome} / ${settled.outcome}`);
      lastSettled = stay.admissionId;
      return performance.now() - start;
    };
    const viaBareClient = async () => {
      const stay = await admit(t, { certNo: PERSON.certNo, deposits: [{ amountFen: 10_000_000, method: 'cash', receiptNo: `C-${performance.now()}` }] });
      const adm = t.store.admissions.get(stay.admissionId)!;
      const now = chinaTime(new Date()).dateTime;
      const start = performance.now();
      const lines: FeeDetail[] = Array.from({ length: LINES }, (_, i) => {
        const item = catalogue.get(CODES[i % CODES.length]!)!;
        return {
          feedetl_sn: `H${String(i + 1).padStart(5, '0')}`,
          med_type: adm.medType,
          fee_ocur_time: now,
          med_list_codg: item.code,
          medins_list_codg: item.code,
          det_item_fee_sumamt: fen(lineAmountFen(item.pricFen, 10_000)),
          cnt: 1,
          pric: fen(item.pricFen),
          bilg_dept_codg: adm.deptCode,
          bilg_dept_name: adm.deptName,
          bilg_dr_codg: adm.atddrNo,
          bilg_dr_name: adm.chfpdrName,
        };
      });
      const up = await uploadFeeDetails(t.platform, { psn_no: adm.psnNo, mdtrt_id: adm.mdtrtId!, insuplc_admdvs: adm.insuplcAdmdvs, feedetail: lines });
      await discharge(t.platform, {
        insuplc_admdvs: adm.insuplcAdmdvs,
        dscginfo: { mdtrt_id: adm.mdtrtId!, psn_no: adm.psnNo, insutype: adm.insutype, endtime: now, dscg_dept_codg: adm.deptCode, dscg_dept_name: adm.deptName, dscg_way: '1' },
        diseinfo: [{ diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: adm.diagCode, diag_name: adm.diagName, diag_dept: adm.deptCode, dise_dor_no: adm.atddrNo, dise_dor_name: adm.chfpdrName, diag_time: now }],
      });
      const sum = (f: (r: (typeof up.result)[number]) => number) => fen(up.result.reduce((n, r) => n + f(r), 0));
      const input = {
        psn_no: adm.psnNo,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: PERSON.certNo,
        medfee_sumamt: sum((r) => r.det_item_fee_sumamt),
        fulamt_ownpay_amt: sum((r) => r.fulamt_ownpay_amt),
        overlmt_selfpay: sum((r) => r.overlmt_amt),
        preselfpay_amt: sum((r) => r.preselfpay_amt),
        inscp_scp_amt: sum((r) => r.inscp_scp_amt),
        psn_setlway: '01',
        mdtrt_id: adm.mdtrtId!,
        acct_used_flag: '0' as const,
        insutype: adm.insutype,
        mid_setl_flag: '0' as const,
        insuplc_admdvs: adm.insuplcAdmdvs,
      };
      await preSettle(t.platform, input);
      await settle(t.platform, input);
      const ms = performance.now() - start;
      // Leave the store consistent with the platform for the next admission of the same person.
      t.store.write((tx) => t.store.admissions.setStatus(tx, adm.iptNo, 'settled'));
      return ms;
    };
    await viaServices();
    await viaBareClient();
    for (let i = 0; i < ITERATIONS; i++) {
      services.push(await viaServices());
      bare.push(await viaBareClient());
    }

    // PDF: the 结算单 against a one-line page, same browser (warm).
    const pdf = new ChromiumPdfRenderer();
    let pdfFigures: Record<string, unknown>;
    if (pdf.availability().ok) {
      const sheet = await t.billing.documents.render({ kind: 'settlement-sheet', admissionId: lastSettled, pdf: false }, CALL);
      const blank = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>x</p></body></html>';
      await pdf.render(blank, 'a4');
      await pdf.render(sheet.html, 'a4');
      const sheetMs: number[] = [];
      const blankMs: number[] = [];
      for (let i = 0; i < 10; i++) {
        let s = performance.now();
        await pdf.render(sheet.html, 'a4');
        sheetMs.push(performance.now() - s);
        s = performance.now();
        await pdf.render(blank, 'a4');
        blankMs.push(performance.now() - s);
      }
      await pdf.close();
      pdfFigures = { chromium: pdf.launched?.source, sheetMedianMs: round(median(sheetMs)), blankPageMedianMs: round(median(blankMs)), ratio: round(median(sheetMs) / median(blankMs), 2), samples: 10 };
    } else {
      pdfFigures = { skipped: 'no Chromium on this machine' };
    }

    return {
      discharge: {
        lines: LINES,
        iterations: ITERATIONS,
        servicesMedianMs: round(median(services)),
        servicesP95Ms: round([...services].sort((a, b) => a - b)[Math.ceil(0.95 * services.length) - 1]!),
        bareClientMedianMs: round(median(bare)),
        ratio: round(median(services) / median(bare), 2),
        note: 'services = import + outbox 2301 batches + 2402 + 2303 (audited) + 2303 + 2304 through the outbox with write-back; floor = the same transactions by the bare client (one 2303)',
      },
      settlementSheetPdf: pdfFigures,
    };
  } finally {
    await t.close();
    await sandbox.close();
    tmp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
