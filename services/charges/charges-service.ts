import type { KioskServices } from '../../contract/api.ts';
import type { ChargesSummary } from '../../contract/dto/charges.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import { asWritten, type FeeLineRecord } from '../../db/repositories/fee-lines.ts';
import { type Clock } from '../../base/clock.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Logger } from '../logging/logger.ts';
import type { Catalogue } from './catalogue.ts';
import { enqueueFeeCancel, enqueueFeeUpload, queuedFeeSns, type Names } from './fee-upload.ts';
import { prepareImportedLine, prepareManualLine, sameBilledLine, type PreparedLine, type VisitFacts } from './fee-line-rules.ts';
import { parseHisCsv, parseHisJson, type ImportProblem } from './his-import.ts';
import type { OutboxPort } from '../context.ts';
import { summarise } from './totals.ts';
import { labelOf } from '../../insurance/codes/code-table.ts';
import { MED_CHRGITM_TYPE } from '../../insurance/codes/med-chrgitm-type.ts';

export interface ChargesDeps {
  store: Store;
  outbox: OutboxPort;
  catalogue: Catalogue;
  names: Names;
  clock: Clock;
  log: Logger;
  /** How long `upload` waits for the platform before answering with the lines still queued. */
  uploadWaitMs?: number;
}

type Charges = KioskServices['charges'];

/** Problems listed in an error's guidance; the rest are counted (a screen cannot show 10,000 lines). */
const MAX_LISTED_PROBLEMS = 30;
/** The preview lists more: the counter scrolls through them beside the lines. */
const MAX_PREVIEW_PROBLEMS = 500;

export function admissionOrThrow(store: Store, admissionId: string): Admission {
  const adm = store.admissions.get(admissionId);
  if (!adm) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${admissionId} 的入院登记。`, ['请核对住院号，或从在院患者列表中选择。']);
  return adm;
}

/** Charges can change until the stay is settled (a reversed settlement reopens them). */
function assertChargeable(adm: Admission): void {
  if (adm.status === 'settled') {
    throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 已出院结算，费用不能再修改。`, ['如需调整费用，请由主管撤销结算（2305）后再操作。']);
  }
  if (adm.status === 'cancelled' || adm.status === 'dead-letter') {
    throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 的入院登记已撤销或未被医保平台接受，不能记账。`, ['请在队列中查看该入院登记的处理情况。']);
  }
}

export function invalidLines(problems: readonly ImportProblem[], intro: string): KioskError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${p.where}：${p.message}`);
  if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`……另有 ${problems.length - MAX_LISTED_PROBLEMS} 处错误`);
  return new KioskError('FEE_LINE_INVALID', `${intro}共 ${problems.length} 处错误，本次未导入任何明细。`, [...listed, '请在 HIS 中修正后重新导出导入；已有的费用明细不受影响。']);
}

/**
 * 费用: HIS import, manual entry, line cancellation, 2301 upload through the outbox, running totals.
 * Every change is one transaction: a batch of lines is stored whole or not at all.
 */
export function createChargesService(deps: ChargesDeps): Charges {
  const { store, catalogue, clock } = deps;
  const log = deps.log.child('charges');
  const uploadWaitMs = deps.uploadWaitMs ?? 20_000;

  const visitFacts = (adm: Admission): VisitFacts => ({ iptNo: adm.iptNo, begntime: adm.begntime, now: chinaTime(clock.now()).dateTime, deptCode: adm.deptCode });
  const summary = (adm: Admission) => summarise(adm.iptNo, store.feeLines.byVisit(adm.iptNo));

  /** K + 7 digits, after the highest one the visit has: unique within the visit, never reused. */
  const nextSns = (iptNo: string, count: number): string[] => {
    let max = 0;
    for (const l of store.feeLines.byVisit(iptNo)) {
      const m = /^K(\d{7})$/.exec(l.feedetlSn);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return Array.from({ length: count }, (_, i) => `K${String(max + i + 1).padStart(7, '0')}`);
  };

  /**
   * Sorts checked lines against the stay's stored ones: new, re-imported unchanged (skipped), or in conflict
   * (a stored feedetl_sn with other content, or one repeated in the batch).
   */
  const classify = (adm: Admission, prepared: PreparedLine[], where: string[]) => {
    const existing = new Map(store.feeLines.byVisit(adm.iptNo).map((l) => [l.feedetlSn, l]));
    const problems: ImportProblem[] = [];
    const seenInBatch = new Set<string>();
    const fresh: PreparedLine[] = [];
    const outcomes: Array<'new' | 'unchanged' | 'conflict'> = [];
    prepared.forEach((line, i) => {
      if (line.feedetlSn === null) {
        fresh.push(line);
        outcomes.push('new');
        return;
      }
      if (seenInBatch.has(line.feedetlSn)) {
        problems.push({ where: where[i]!, message: `费用明细流水号“${line.feedetlSn}”在本次导入中重复` });
        outcomes.push('conflict');
        return;
      }
      seenInBatch.add(line.feedetlSn);
      const old = existing.get(line.feedetlSn);
      if (!old) {
        fresh.push(line);
        outcomes.push('new');
      } else if (sameBilledLine(old, line)) outcomes.push('unchanged');
      else {
        problems.push({ where: where[i]!, message: `费用明细流水号“${line.feedetlSn}”已存在且内容不同（原：${old.name} ×${old.cnt}）` });
        outcomes.push('conflict');
      }
    });
    return { fresh, outcomes, problems, unchanged: outcomes.filter((o) => o === 'unchanged').length, hadLines: existing.size > 0 };
  };

  /** A HIS file read and checked line by line, nothing stored. */
  const checkFile = (adm: Admission, format: 'csv' | 'json', content: string) => {
    const parsed = format === 'csv' ? parseHisCsv(content) : parseHisJson(content);
    if (!parsed.ok) return { readable: false as const, prepared: [], where: [], problems: parsed.problems };
    const facts = visitFacts(adm);
    const problems: ImportProblem[] = [];
    const prepared: PreparedLine[] = [];
    const where: string[] = [];
    for (const rec of parsed.records) {
      const r = prepareImportedLine(rec, catalogue, facts);
      if ('line' in r) {
        prepared.push(r.line);
        where.push(rec.where);
      } else problems.push(...r.problems);
    }
    return { readable: true as const, prepared, where, problems };
  };

  /**
   * Stores prepared lines in one transaction; lines re-imported unchanged are skipped. Returns the stay's summary:
   * for a stay that had no line yet, from the rows just written (a HIS bill of hundreds is not read back): they
   * are all its lines, in byVisit's order (one created_at, then feedetl_sn, ASCII by the import rules).
   */
  const store_ = (adm: Admission, prepared: PreparedLine[], origin: string, where: string[]): ChargesSummary => {
    const { fresh, problems, unchanged, hadLines } = classify(adm, prepared, where);
    if (problems.length > 0) throw invalidLines(problems, '导入的费用明细与已有明细冲突，');
    const unnumbered = fresh.filter((l) => l.feedetlSn === null).length;
    const generated = unnumbered > 0 ? nextSns(adm.iptNo, unnumbered) : [];
    let g = 0;
    const rows = fresh.map((l) => ({
      iptNo: adm.iptNo,
      feedetlSn: l.feedetlSn ?? generated[g++]!,
      initFeedetlSn: null,
      medListCodg: l.medListCodg,
      medinsListCodg: l.medinsListCodg,
      name: l.name,
      chrgitmType: l.chrgitmType,
      chrgitmLv: l.chrgitmLv,
      cnt: l.cnt,
      pricFen: l.pricFen,
      detItemFeeSumamtFen: l.amountFen,
      feeOcurTime: l.feeOcurTime,
      bilgDeptCodg: l.deptCode,
      bilgDrCodg: l.doctorCode,
    }));
    store.write((tx) => {
      store.feeLines.addMany(tx, rows);
      store.audit.append(tx, {
        actor: 'charges',
        action: `charges.${origin}`,
        subject: `admission:${adm.iptNo}`,
        detail: { added: fresh.length, unchanged, totalFen: fresh.reduce((n, l) => n + l.amountFen, 0) },
      });
    });
    log.info('fee lines stored', { visit: adm.iptNo, origin, added: fresh.length, unchanged });
    if (hadLines) return summary(adm);
    const written = rows.map(asWritten);
    return summarise(adm.iptNo, written.sort((a, b) => (a.feedetlSn < b.feedetlSn ? -1 : a.feedetlSn > b.feedetlSn ? 1 : 0)));
  };

  return {
    async searchCatalogue({ q, limit }) {
      return catalogue.search(q, limit).map((e) => ({ code: e.code, name: e.name, chrgitmType: e.chrgitmType, level: e.level, pricFen: e.pricFen, unit: e.unit }));
    },

    async list({ admissionId }) {
      return summary(admissionOrThrow(store, admissionId));
    },

    async add({ admissionId, lines }) {
      const adm = admissionOrThrow(store, admissionId);
      assertChargeable(adm);
      const facts = visitFacts(adm);
      const problems: ImportProblem[] = [];
      const prepared: PreparedLine[] = [];
      lines.forEach((input, i) => {
        const r = prepareManualLine(input, i, catalogue, facts);
        if ('line' in r) prepared.push(r.line);
        else problems.push(...r.problems);
      });
      if (problems.length > 0) throw invalidLines(problems, '录入的费用明细有误，');
      return store_(adm, prepared, 'add', prepared.map((_, i) => `第${i + 1}项`));
    },

    async import({ admissionId, format, content }) {
      const adm = admissionOrThrow(store, admissionId);
      assertChargeable(adm);
      const checked = checkFile(adm, format, content);
      if (!checked.readable) throw invalidLines(checked.problems, `HIS 费用文件（${format.toUpperCase()}）无法读取，`);
      if (checked.problems.length > 0) throw invalidLines(checked.problems, `HIS 费用文件（${format.toUpperCase()}）有误，`);
      return store_(adm, checked.prepared, 'import', checked.where);
    },

    async previewImport({ admissionId, format, content }) {
      const adm = admissionOrThrow(store, admissionId);
      assertChargeable(adm);
      const checked = checkFile(adm, format, content);
      const { outcomes, problems: conflicts } = classify(adm, checked.prepared, checked.where);
      const problems = [...checked.problems, ...conflicts];
      const lines = checked.prepared.flatMap((l, i) => {
        const outcome = outcomes[i];
        if (outcome === 'conflict' || outcome === undefined) return [];
        return [{ where: checked.where[i]!, feedetlSn: l.feedetlSn, medListCodg: l.medListCodg, name: l.name, chrgitmLabel: labelOf(MED_CHRGITM_TYPE, l.chrgitmType), cnt: Number(l.cnt), pricFen: l.pricFen, amountFen: l.amountFen, feeOcurTime: l.feeOcurTime, outcome }];
      });
      return {
        lines,
        problems: problems.slice(0, MAX_PREVIEW_PROBLEMS),
        moreProblems: Math.max(0, problems.length - MAX_PREVIEW_PROBLEMS),
        newFen: lines.reduce((n, l) => n + (l.outcome === 'new' ? l.amountFen : 0), 0),
      };
    },

    async cancelLine({ admissionId, feedetlSn }) {
      const adm = admissionOrThrow(store, admissionId);
      assertChargeable(adm);
      const line: FeeLineRecord | null = store.feeLines.get(adm.iptNo, feedetlSn);
      if (!line) throw new KioskError('FEE_LINE_INVALID', `没有流水号为 ${feedetlSn} 的费用明细。`, ['请刷新费用列表后重试。']);
      if (line.state === 'cancelled') return summary(adm);
      const sentOrQueued = line.state === 'uploaded' || queuedFeeSns(store, adm.iptNo).has(feedetlSn);
      const item = store.write((tx) => {
        // A line the platform has (or is about to get) is withdrawn with 2302, after its 2301 in the queue.
        const queued = sentOrQueued ? enqueueFeeCancel(tx, store, adm, feedetlSn) : null;
        store.feeLines.setState(tx, adm.iptNo, feedetlSn, 'cancelled', null);
        store.audit.append(tx, {
          actor: 'charges',
          action: 'charges.cancel-line',
          subject: `admission:${adm.iptNo}`,
          detail: { feedetlSn, amountFen: line.detItemFeeSumamtFen, outbox: queued?.id ?? null },
        });
        return queued;
      });
      if (item) deps.outbox.kick();
      return summary(adm);
    },

    async upload({ admissionId }) {
      const adm = admissionOrThrow(store, admissionId);
      assertChargeable(adm);
      const items = store.write((tx) => {
        const queued = enqueueFeeUpload(tx, store, adm, deps.names);
        // Claimed here when the relay is idle (OutboxPort.claimWith): the first batches need no commit of their own.
        deps.outbox.claimWith(tx, queued);
        return queued;
      });
      // Batches go one after the other (one visit, in order): waiting for the last waits for all of them.
      const last = items.at(-1);
      if (last && deps.outbox.online) await deps.outbox.settle(last.id, { timeoutMs: uploadWaitMs });
      else if (last) deps.outbox.kick();
      return summary(store.admissions.get(adm.iptNo) ?? adm);
    },
  };
}
