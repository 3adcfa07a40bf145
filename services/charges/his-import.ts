import { parseCsv } from './csv.ts';

/**
 * Reading a HIS fee export (docs/his-import.md) into raw fee records: one record per line, fields as text,
 * each with the line (CSV) or position (JSON) it came from. Nothing here knows the catalogue or the visit;
 * fee-line-rules.ts checks those. Every problem is collected, not just the first, so the operator can fix
 * the export in one go.
 */
export interface RawFeeRecord {
  /** "第3行" (CSV line) or "第3条" (JSON element), for messages. */
  where: string;
  feedetlSn: string | null;
  iptNo: string | null;
  medListCodg: string | null;
  medinsListCodg: string | null;
  name: string | null;
  chrgitmType: string | null;
  cnt: string | null;
  pric: string | null;
  amount: string | null;
  feeOcurTime: string | null;
  deptCode: string | null;
  doctorCode: string | null;
}

export interface ImportProblem {
  where: string;
  message: string;
}

export type ImportParse = { ok: true; records: RawFeeRecord[] } | { ok: false; problems: ImportProblem[] };

export const MAX_IMPORT_LINES = 10_000;

type Field = Exclude<keyof RawFeeRecord, 'where'>;

/** Column names: the national field name first, then the Chinese headers HIS exports use. */
const COLUMNS: Record<Field, readonly string[]> = {
  feedetlSn: ['feedetl_sn', '费用明细流水号', '明细流水号', '流水号'],
  iptNo: ['ipt_no', '住院号'],
  medListCodg: ['med_list_codg', '医疗目录编码', '医保目录编码', '医保编码'],
  medinsListCodg: ['medins_list_codg', '医药机构目录编码', '院内编码', '院内项目编码'],
  name: ['name', 'medins_list_name', '项目名称', '名称'],
  chrgitmType: ['med_chrgitm_type', '医疗收费项目类别', '收费类别'],
  cnt: ['cnt', '数量'],
  pric: ['pric', '单价'],
  amount: ['det_item_fee_sumamt', '金额', '明细项目费用总额'],
  feeOcurTime: ['fee_ocur_time', '费用发生时间'],
  deptCode: ['bilg_dept_codg', '开单科室编码'],
  doctorCode: ['bilg_dr_codg', '开单医生编码'],
};

const FIELDS = Object.keys(COLUMNS) as Field[];

function fieldOfHeader(header: string): Field | null {
  const h = header.trim().toLowerCase();
  for (const f of FIELDS) if (COLUMNS[f].some((name) => name.toLowerCase() === h)) return f;
  return null;
}

function emptyRecord(where: string): RawFeeRecord {
  return {
    where,
    feedetlSn: null,
    iptNo: null,
    medListCodg: null,
    medinsListCodg: null,
    name: null,
    chrgitmType: null,
    cnt: null,
    pric: null,
    amount: null,
    feeOcurTime: null,
    deptCode: null,
    doctorCode: null,
  };
}

/** CSV with a header row (comma, or tab when the header has tabs and no commas). */
export function parseHisCsv(text: string): ImportParse {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const csv = parseCsv(text, { delimiter });
  if (!csv.ok) return { ok: false, problems: [{ where: `第${csv.line}行`, message: csv.error }] };
  const [header, ...rows] = csv.records;
  if (!header) return { ok: false, problems: [{ where: '文件', message: '内容为空：没有表头，也没有费用明细' }] };
  const problems: ImportProblem[] = [];
  const columns: Array<Field | null> = header.fields.map(fieldOfHeader);
  header.fields.forEach((h, i) => {
    if (columns[i] === null && h.trim() !== '') problems.push({ where: `第${header.line}行（表头）`, message: `无法识别的列“${h.trim()}”` });
  });
  const seen = new Set<Field>();
  columns.forEach((f) => {
    if (f === null) return;
    if (seen.has(f)) problems.push({ where: `第${header.line}行（表头）`, message: `列“${COLUMNS[f][0]}”出现了两次` });
    seen.add(f);
  });
  for (const required of ['medListCodg', 'cnt'] as const) {
    if (!seen.has(required)) problems.push({ where: `第${header.line}行（表头）`, message: `缺少必需的列“${COLUMNS[required][0]}”（${COLUMNS[required][1]}）` });
  }
  if (rows.length === 0) problems.push({ where: '文件', message: '只有表头，没有费用明细' });
  if (rows.length > MAX_IMPORT_LINES) problems.push({ where: '文件', message: `一次最多导入${MAX_IMPORT_LINES}条，本文件有${rows.length}条，请分批导入` });
  if (problems.length > 0) return { ok: false, problems };

  const records: RawFeeRecord[] = [];
  for (const row of rows) {
    const where = `第${row.line}行`;
    if (row.fields.length !== columns.length) {
      problems.push({ where, message: `有${row.fields.length}列，表头有${columns.length}列（可能是逗号未加引号）` });
      continue;
    }
    const rec = emptyRecord(where);
    row.fields.forEach((value, i) => {
      const f = columns[i];
      const v = value.trim();
      if (f && v !== '') rec[f] = v;
    });
    records.push(rec);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records };
}

/**
 * JSON: an array of line objects, or an object with `feedetail` (the shape of the 2301 input node). Keys are
 * the national field names (or the Chinese column names); numbers and strings are both accepted for values.
 */
export function parseHisJson(text: string): ImportParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, problems: [{ where: '文件', message: `不是有效的 JSON（${detail.slice(0, 120)}）` }] };
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.feedetail) ? doc.feedetail : null;
  if (list === null) return { ok: false, problems: [{ where: '文件', message: 'JSON 应为费用明细数组，或含 feedetail 数组的对象' }] };
  if (list.length === 0) return { ok: false, problems: [{ where: '文件', message: '没有费用明细' }] };
  if (list.length > MAX_IMPORT_LINES) return { ok: false, problems: [{ where: '文件', message: `一次最多导入${MAX_IMPORT_LINES}条，本文件有${list.length}条，请分批导入` }] };
  const problems: ImportProblem[] = [];
  const records: RawFeeRecord[] = [];
  list.forEach((item, index) => {
    const where = `第${index + 1}条`;
    if (!isObject(item)) {
      problems.push({ where, message: '不是对象' });
      return;
    }
    const rec = emptyRecord(where);
    for (const [key, value] of Object.entries(item)) {
      const f = fieldOfHeader(key);
      if (f === null) continue; // other 2301 fields (drord_no, hosp_appr_flag…) are the HIS's own; not needed here
      if (value === null || value === undefined || value === '') continue;
      if (typeof value === 'string') rec[f] = value.trim();
      else if (typeof value === 'number' && Number.isFinite(value)) rec[f] = String(value);
      else problems.push({ where, message: `字段“${key}”的值类型不正确` });
    }
    records.push(rec);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, records };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
