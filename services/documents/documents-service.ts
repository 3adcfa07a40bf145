import { writeFileSync } from 'node:fs';
import { ensurePrivateDir } from '../../db/private-files.ts';
import { spoolFileName } from './spool-retention.ts';
import { join } from 'node:path';
import type { KioskServices } from '../../contract/api.ts';
import { KioskError, isKioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { Printer } from '../context.ts';
import { type Clock } from '../../base/clock.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Logger } from '../logging/logger.ts';
import type { Names } from '../charges/fee-upload.ts';
import type { Catalogue } from '../charges/catalogue.ts';
import { ADMISSION_SLIP_TITLE, renderAdmissionSlip } from './admission-slip.ts';
import { renderDepositReceipt } from './deposit-receipt.ts';
import { renderRefundSlip } from './refund-slip.ts';
import { refundView } from '../money/refund-views.ts';
import { forAudience, type Audience, type DocumentFacts } from './facts.ts';
import { renderFeeList } from './fee-list.ts';
import { gatherFacts } from './gather.ts';
import type { Media } from './html.ts';
import type { PdfRenderer } from './pdf.ts';
import { renderSettlementSheet } from './settlement-sheet.ts';
import { DAY_END_TITLE, renderDayEndSheet } from './day-end-sheet.ts';
import type { DayEndQuery, DayEndReport } from '../../contract/dto/day-end.ts';

export interface DocumentsDeps {
  store: Store;
  config: TerminalConfig;
  clock: Clock;
  log: Logger;
  catalogue: Catalogue;
  names: Names;
  pdf: PdfRenderer;
  /** The real printer (Electron), or null: print then spools a PDF into `spoolDir`. */
  printer: Printer | null;
  spoolDir: string;
  /** The cashier's day-end report (services/reconciliation/day-end-report.ts): the one source of its figures. */
  dayEnd: (q: DayEndQuery) => Promise<DayEndReport>;
}

type Documents = KioskServices['documents'];
type Kind = 'settlement-sheet' | 'fee-list' | 'admission-slip' | 'deposit-receipt' | 'day-end-report' | 'refund-slip';
interface Ref {
  kind: Kind;
  admissionId?: string;
  settlementId?: string;
  receiptNo?: string;
  dayEnd?: DayEndQuery;
}

export const TITLES: Record<Kind, string> = {
  'settlement-sheet': '医疗保障基金结算单',
  'fee-list': '住院费用清单',
  'admission-slip': ADMISSION_SLIP_TITLE,
  'deposit-receipt': '住院预交金收据',
  'day-end-report': DAY_END_TITLE,
  'refund-slip': '住院退费凭条',
};

/**
 * 单据: the 医保结算单, 费用清单, 入院登记单 and 预交金收据 as HTML (explicit page size) and PDF, and printing.
 * What crosses the KioskApi is masked (`screen`); only the printer gets the patient's name in full (`paper`).
 * Every print is audited; a 结算单 printed before carries 补打 (reprint). The 收款员日结报表 is not about one
 * patient: it prints the day-end report of the range and operator it names (`dayEnd`).
 */
export function createDocumentsService(deps: DocumentsDeps): Documents {
  const { store, config } = deps;
  const log = deps.log.child('documents');

  /** For a 结算单 named by its admission: the live settlement, else the latest reversed one. */
  const resolve = (ref: Ref): Ref => {
    if (ref.kind !== 'settlement-sheet' || ref.settlementId !== undefined || ref.admissionId === undefined) return ref;
    const all = store.settlements.byVisit(ref.admissionId).filter((s) => s.status === 'settled' || s.status === 'reversed');
    const chosen = all.find((s) => s.status === 'settled') ?? all.at(-1);
    if (!chosen) throw new KioskError('SETTLEMENT_NOT_FOUND', `住院号 ${ref.admissionId} 尚未结算，没有结算单。`, ['请先完成出院结算。']);
    return { ...ref, settlementId: String(chosen.id) };
  };

  const mediaOf = (kind: Kind): Media => (kind === 'settlement-sheet' || kind === 'fee-list' || kind === 'day-end-report' ? 'a4' : config.printer.receiptMedia);

  const printsSoFar = (ref: Ref): number =>
    store.audit.list({ subject: subjectOf(ref) }).filter((e) => e.action === 'documents.print' && e.detail.kind === ref.kind).length;

  const html = (facts: DocumentFacts, ref: Ref, media: Media): string => {
    switch (ref.kind) {
      case 'settlement-sheet':
        return renderSettlementSheet(facts);
      case 'fee-list':
        return renderFeeList(facts);
      case 'admission-slip':
        return renderAdmissionSlip(facts, media);
      case 'day-end-report':
        throw new Error('the day-end report is built from its own report (buildDayEnd)');
      case 'refund-slip': {
        // Which refund: the one named by its receipt number, else the stay's newest.
        const refunds = store.money.refunds(facts.visit.iptNo);
        const r = ref.receiptNo ? refunds.find((x) => x.receiptNo === ref.receiptNo) : refunds.at(-1);
        if (!r) throw new KioskError('INVALID_ARGUMENT', ref.receiptNo ? `没有凭条号为 ${ref.receiptNo} 的退款。` : '该住院登记没有退款记录。', []);
        return renderRefundSlip(facts, media, refundView(store, config, r));
      }
      case 'deposit-receipt': {
        const found = ref.receiptNo ? facts.deposits.some((d) => d.receiptNo === ref.receiptNo) : facts.deposits.some((d) => d.kind === 'deposit');
        if (!found) throw new KioskError('INVALID_ARGUMENT', ref.receiptNo ? `没有收据号为 ${ref.receiptNo} 的缴款记录。` : '该住院登记没有预交金记录。', []);
        return renderDepositReceipt(facts, media, ref.receiptNo);
      }
    }
  };

  const buildDayEnd = async (ref: Ref) => {
    if (!ref.dayEnd) throw new KioskError('INVALID_ARGUMENT', '打印日结报表须指明日期。', []);
    const report = await deps.dayEnd(ref.dayEnd);
    const html = renderDayEndSheet(report, { hospitalName: config.hospital.name, terminalName: config.terminal.name });
    return { ref, html, media: 'a4' as const, title: DAY_END_TITLE };
  };

  const build = async (ref0: Ref, audience: Audience, reprint = false) => {
    if (ref0.kind === 'day-end-report') return buildDayEnd(ref0);
    const ref = resolve(ref0);
    const facts = forAudience(gatherFacts({ store, config, catalogue: deps.catalogue, names: deps.names, now: deps.clock.now() }, ref), audience);
    const media = mediaOf(ref.kind);
    let out = html(facts, ref, media);
    if (reprint) out = out.replace(/<h1>([^<]*)<\/h1>/, '<h1>$1（补打）</h1>');
    const balanceReceipt = ref.kind === 'deposit-receipt' && facts.deposits.find((d) => d.receiptNo === ref.receiptNo)?.kind === 'balance-due';
    return { ref, html: out, media, title: balanceReceipt ? '出院结算补缴收据' : TITLES[ref.kind] };
  };

  return {
    async render(args) {
      const doc = await build(args, 'screen');
      let pdfBase64: string | null = null;
      if (args.pdf) pdfBase64 = (await deps.pdf.render(doc.html, doc.media)).toString('base64');
      return { kind: args.kind, title: doc.title, html: doc.html, pdfBase64, media: doc.media };
    },

    async print(args) {
      const ref = args.kind === 'day-end-report' ? args : resolve(args);
      const reprint = ref.kind === 'settlement-sheet' && printsSoFar(ref) > 0;
      const doc = await build(ref, 'paper', reprint);
      let result: { status: 'printed' | 'spooled-pdf' | 'failed'; message: string };
      if (deps.printer) {
        try {
          result = await deps.printer.print({ title: doc.title, html: doc.html, media: doc.media });
        } catch (e) {
          log.error('printer threw', { kind: ref.kind, error: e instanceof Error ? e.message : String(e) });
          result = { status: 'failed', message: '打印失败：打印机无响应。请检查打印机后重试。' };
        }
      } else {
        result = await spool(doc);
      }
      store.write((tx) =>
        store.audit.append(tx, { actor: 'documents', action: 'documents.print', subject: subjectOf(ref), detail: { kind: ref.kind, status: result.status, reprint } }),
      );
      return result;
    },
  };

  /** No printer here (browser host): the document becomes a PDF file in the spool folder. */
  async function spool(doc: { ref: Ref; html: string; media: Media; title: string }): Promise<{ status: 'spooled-pdf' | 'failed'; message: string }> {
    let pdf: Buffer;
    try {
      pdf = await deps.pdf.render(doc.html, doc.media);
    } catch (e) {
      const why = isKioskError(e) ? e.message : '无法生成 PDF';
      return { status: 'failed', message: `未连接打印机，且${why.replace(/^本终端/, '本终端')}。请在连接打印机的终端上补打。` };
    }
    const stamp = chinaTime(deps.clock.now()).compact;
    const file = join(deps.spoolDir, spoolFileName(stamp, doc.ref));
    try {
      ensurePrivateDir(deps.spoolDir);
      writeFileSync(file, pdf, { mode: 0o600 });
    } catch (e) {
      log.error('spool write failed', { error: e instanceof Error ? e.message : String(e) });
      return { status: 'failed', message: '未连接打印机，PDF 文件也无法保存（磁盘不可写）。请联系信息科。' };
    }
    log.info('document spooled', { kind: doc.ref.kind, file });
    return { status: 'spooled-pdf', message: `未连接打印机，已生成 PDF 文件：${file}` };
  }
}

function subjectOf(ref: Ref): string {
  if (ref.dayEnd) return `day-end:${ref.dayEnd.from}..${ref.dayEnd.to ?? ref.dayEnd.from}:${ref.dayEnd.opterNo ?? 'all'}`;
  return ref.settlementId !== undefined ? `settlement:${ref.settlementId}` : `admission:${ref.admissionId ?? ''}`;
}
