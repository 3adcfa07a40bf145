import { MED_CHRGITM_TYPE } from '../../insurance/codes/med-chrgitm-type.ts';
import type { Catalogue } from './catalogue.ts';
import { lineAmountFen, parseCount, parseYuanToFen, countFromNumber, formatYuan } from './decimal.ts';
import type { ImportProblem, RawFeeRecord } from './his-import.ts';

/** A fee line ready for the store: checked against the catalogue and the visit, amounts in fen. */
export interface PreparedLine {
  /** From the HIS, or null: the service numbers it. */
  feedetlSn: string | null;
  medListCodg: string;
  medinsListCodg: string;
  name: string;
  chrgitmType: string;
  chrgitmLv: string | null;
  cnt: string;
  pricFen: number;
  amountFen: number;
  feeOcurTime: string;
  /** false when the time is the import's own (the HIS gave none): a re-import then matches on the rest. */
  feeOcurTimeGiven: boolean;
  deptCode: string | null;
  doctorCode: string | null;
}

export interface VisitFacts {
  iptNo: string;
  /** 入院时间: a fee before it belongs to another visit. */
  begntime: string;
  /** China time now (yyyy-MM-dd HH:mm:ss): the default fee_ocur_time, and the latest one accepted. */
  now: string;
  /** Default 开单科室 (the admission's department). */
  deptCode: string;
}

/** feedetl_sn: c30, and kept to characters every HIS and the platform agree on. */
export const FEEDETL_SN = /^[0-9A-Za-z_-]{1,30}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const CODE = /^[0-9A-Za-z._-]{1,50}$/;

/**
 * settlement-rules §4: a line whose amount is more than 1 fen off round(pric × cnt) is refused by the platform.
 * The terminal refuses it first, at entry, where the operator can still correct it.
 */
export const AMOUNT_TOLERANCE_FEN = 1;

export function prepareImportedLine(rec: RawFeeRecord, catalogue: Catalogue, visit: VisitFacts): { line: PreparedLine } | { problems: ImportProblem[] } {
  const problems: string[] = [];
  const where = rec.where;
  if (rec.iptNo !== null && rec.iptNo !== visit.iptNo) problems.push(`住院号“${rec.iptNo}”不是当前患者的住院号（${visit.iptNo}）`);
  if (rec.feedetlSn !== null && !FEEDETL_SN.test(rec.feedetlSn)) problems.push(`费用明细流水号“${clip(rec.feedetlSn)}”无效（最多30位字母、数字、-或_）`);
  const code = rec.medListCodg;
  if (code === null) problems.push('缺少医疗目录编码');
  else if (!CODE.test(code)) problems.push(`医疗目录编码“${clip(code)}”无效`);
  const entry = code !== null ? catalogue.get(code) : null;
  if (code !== null && CODE.test(code) && !entry) {
    // Outside the catalogue: the platform will treat it as wholly self-paid; the HIS must say what it is.
    if (rec.name === null) problems.push(`目录编码“${code}”不在医保目录中，须提供项目名称`);
    if (rec.chrgitmType === null) problems.push(`目录编码“${code}”不在医保目录中，须提供医疗收费项目类别`);
    if (rec.pric === null) problems.push(`目录编码“${code}”不在医保目录中，须提供单价`);
  }
  if (rec.chrgitmType !== null && !(rec.chrgitmType in MED_CHRGITM_TYPE)) problems.push(`医疗收费项目类别“${clip(rec.chrgitmType)}”无效（应为01–14）`);
  if (entry && rec.chrgitmType !== null && rec.chrgitmType !== entry.chrgitmType) {
    problems.push(`收费类别“${rec.chrgitmType}”与医保目录（${entry.chrgitmType}）不一致`);
  }
  let cnt: { text: string; tenThousandths: number } | null = null;
  if (rec.cnt === null) problems.push('缺少数量');
  else {
    const c = parseCount(rec.cnt);
    if (c.ok) cnt = c.value;
    else problems.push(c.error);
  }
  let pricFen: number | null = entry?.pricFen ?? null;
  if (rec.pric !== null) {
    const p = parseYuanToFen(rec.pric);
    if (p.ok) pricFen = p.value;
    else problems.push(`单价：${p.error}`);
  }
  let amountFen: number | null = null;
  if (rec.amount !== null) {
    const a = parseYuanToFen(rec.amount);
    if (a.ok) amountFen = a.value;
    else problems.push(`金额：${a.error}`);
  }
  const time = rec.feeOcurTime ?? visit.now;
  const timeProblem = checkTime(time, visit);
  if (timeProblem) problems.push(timeProblem);
  if (cnt && pricFen !== null) {
    const expected = lineAmountFen(pricFen, cnt.tenThousandths);
    if (amountFen === null) amountFen = expected;
    else if (Math.abs(expected - amountFen) > AMOUNT_TOLERANCE_FEN) {
      problems.push(`金额${formatYuan(amountFen)}元与单价×数量（${formatYuan(pricFen)}×${cnt.text}=${formatYuan(expected)}元）相差超过1分`);
    }
  }
  if (problems.length > 0 || !cnt || pricFen === null || amountFen === null || code === null) {
    return { problems: problems.map((message) => ({ where, message })) };
  }
  return {
    line: {
      feedetlSn: rec.feedetlSn,
      medListCodg: code,
      medinsListCodg: rec.medinsListCodg ?? code,
      name: entry?.name ?? rec.name ?? code,
      chrgitmType: entry?.chrgitmType ?? rec.chrgitmType ?? '14',
      chrgitmLv: entry?.level ?? null,
      cnt: cnt.text,
      pricFen,
      amountFen,
      feeOcurTime: time,
      feeOcurTimeGiven: rec.feeOcurTime !== null,
      deptCode: rec.deptCode ?? visit.deptCode,
      doctorCode: rec.doctorCode,
    },
  };
}

/** Manual entry (KioskApi charges.add): the code must be in the catalogue; the price defaults to it. */
export function prepareManualLine(
  input: { medListCodg: string; cnt: number; pricFen?: number; feeOcurTime?: string; deptCode?: string; doctorCode?: string },
  index: number,
  catalogue: Catalogue,
  visit: VisitFacts,
): { line: PreparedLine } | { problems: ImportProblem[] } {
  const where = `第${index + 1}项`;
  const entry = catalogue.get(input.medListCodg);
  if (!entry) return { problems: [{ where, message: `目录编码“${clip(input.medListCodg)}”不在医保目录中` }] };
  const problems: string[] = [];
  const c = countFromNumber(input.cnt);
  if (!c.ok) problems.push(c.error);
  const time = input.feeOcurTime ?? visit.now;
  const timeProblem = checkTime(time, visit);
  if (timeProblem) problems.push(timeProblem);
  if (!c.ok || problems.length > 0) return { problems: problems.map((message) => ({ where, message })) };
  const pricFen = input.pricFen ?? entry.pricFen;
  return {
    line: {
      feedetlSn: null,
      medListCodg: entry.code,
      medinsListCodg: entry.code,
      name: entry.name,
      chrgitmType: entry.chrgitmType,
      chrgitmLv: entry.level,
      cnt: c.value.text,
      pricFen,
      amountFen: lineAmountFen(pricFen, c.value.tenThousandths),
      feeOcurTime: time,
      feeOcurTimeGiven: input.feeOcurTime !== undefined,
      deptCode: input.deptCode ?? visit.deptCode,
      doctorCode: input.doctorCode ?? null,
    },
  };
}

/**
 * Per visit facts (one import or entry), the verdict on each distinct time: a HIS export repeats a handful of
 * fee times over hundreds of lines, and parsing each again was a visible part of an import. The verdicts hold
 * for the begntime and now they were judged against; facts found changed since (they are plain data, never
 * trusted unchanged) start afresh. Keyed by the time alone: a key of all three built per line was most of what
 * this check cost an import (500 lines: 0.74 → 0.43 ms for the whole line check).
 */
const timeVerdicts = new WeakMap<VisitFacts, { begntime: string; now: string; byTime: Map<string, string | null> }>();

function checkTime(time: string, visit: VisitFacts): string | null {
  let verdicts = timeVerdicts.get(visit);
  if (!verdicts || verdicts.begntime !== visit.begntime || verdicts.now !== visit.now) {
    verdicts = { begntime: visit.begntime, now: visit.now, byTime: new Map() };
    timeVerdicts.set(visit, verdicts);
  }
  let verdict = verdicts.byTime.get(time);
  if (verdict === undefined) verdicts.byTime.set(time, (verdict = judgeTime(time, visit)));
  return verdict;
}

function judgeTime(time: string, visit: VisitFacts): string | null {
  if (!DATE_TIME.test(time) || Number.isNaN(Date.parse(time.replace(' ', 'T') + 'Z'))) return `费用发生时间“${clip(time)}”格式应为 yyyy-MM-dd HH:mm:ss`;
  if (time < visit.begntime) return `费用发生时间${time}早于入院时间${visit.begntime}`;
  if (time > visit.now) return `费用发生时间${time}晚于当前时间`;
  return null;
}

/** Two lines with the same HIS feedetl_sn are the same line when every billed fact agrees (a re-import). */
export function sameBilledLine(
  stored: { medListCodg: string; cnt: string; pricFen: number; detItemFeeSumamtFen: number; feeOcurTime: string },
  incoming: PreparedLine,
): boolean {
  return (
    stored.medListCodg === incoming.medListCodg &&
    stored.cnt === incoming.cnt &&
    stored.pricFen === incoming.pricFen &&
    stored.detItemFeeSumamtFen === incoming.amountFen &&
    (!incoming.feeOcurTimeGiven || stored.feeOcurTime === incoming.feeOcurTime)
  );
}

function clip(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}…` : s;
}
