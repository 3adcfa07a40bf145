import { parseCsv } from '../charges/csv.ts';
import type { AccountRole } from '../../db/repositories/operator-accounts.ts';
import { PASSWORD_HASH_PATTERN } from '../security/passwords.ts';

/**
 * The HIS staff export (docs/security.md, "Accounts from the HIS"): one row per member of staff, CSV with a
 * header line or a JSON array. Columns (Chinese or English names): 工号/opterNo, 姓名/name, 角色/roles
 * (several separated by | ; 、 or a space; 登记员/收费员/主管/技术员 or clerk/cashier/supervisor/technician),
 * optionally 状态/status (在职/停用, active/disabled) and 密码哈希/passwordHash (when the HIS uses the same scrypt
 * format). Every row is checked; a row with a problem is reported by its line and never half-imported.
 */
export interface StaffRow {
  line: number;
  opterNo: string;
  name: string;
  roles: AccountRole[];
  disabled: boolean;
  passwordHash: string | null;
}

export interface StaffProblem {
  line: number;
  message: string;
}

export interface StaffFile {
  rows: StaffRow[];
  problems: StaffProblem[];
}

const ROLE_NAMES: Record<string, AccountRole> = {
  clerk: 'clerk',
  登记员: 'clerk',
  入院登记员: 'clerk',
  入院登记: 'clerk',
  cashier: 'cashier',
  收费员: 'cashier',
  收款员: 'cashier',
  supervisor: 'supervisor',
  主管: 'supervisor',
  technician: 'technician',
  技术员: 'technician',
  信息科: 'technician',
};

const COLUMNS: Record<string, keyof Omit<StaffRow, 'line'>> = {
  工号: 'opterNo',
  opterno: 'opterNo',
  opter_no: 'opterNo',
  姓名: 'name',
  name: 'name',
  角色: 'roles',
  roles: 'roles',
  状态: 'disabled',
  status: 'disabled',
  密码哈希: 'passwordHash',
  passwordhash: 'passwordHash',
};

/**
 * Columns that would carry a password in clear. Only a scrypt hash (密码哈希) is imported; such a column used to be
 * dropped without a word, so IT believed the passwords imported while the accounts had none and the file kept
 * them in clear. The whole file is refused instead, naming the column.
 */
const PLAIN_PASSWORD = new Set(['密码', '口令', '初始密码', '登录密码', 'password', 'passwd', 'pwd', 'pass', 'initialpassword']);
const plainPasswordProblem = (line: number, column: string): StaffProblem => ({
  line,
  message: `文件含明文密码列“${column}”，不予导入：请删除该列并妥善销毁此文件。首次登录密码用 --initial-password 设置，或由 HIS 提供 scrypt 格式的“密码哈希”列。`,
});

const OPTER_NO = /^[A-Za-z0-9_-]{1,20}$/;
const MAX_ROWS = 5000;

export function parseStaffFile(text: string, format: 'csv' | 'json'): StaffFile {
  const raw = format === 'json' ? jsonRecords(text) : csvRecords(text);
  if ('problem' in raw) return { rows: [], problems: [raw.problem] };
  if (raw.records.length > MAX_ROWS) return { rows: [], problems: [{ line: 0, message: `行数超过上限 ${MAX_ROWS}，请分批导入。` }] };
  const rows: StaffRow[] = [];
  const problems: StaffProblem[] = [];
  const seen = new Map<string, number>();
  for (const r of raw.records) {
    const checked = checkRecord(r.line, r.fields);
    if ('message' in checked) {
      problems.push(checked);
      continue;
    }
    const earlier = seen.get(checked.opterNo);
    if (earlier !== undefined) {
      problems.push({ line: r.line, message: `工号 ${checked.opterNo} 与第 ${earlier} 行重复。` });
      continue;
    }
    seen.set(checked.opterNo, r.line);
    rows.push(checked);
  }
  return { rows, problems };
}

type Fields = Partial<Record<keyof Omit<StaffRow, 'line'>, unknown>>;
type Records = { records: { line: number; fields: Fields }[] } | { problem: StaffProblem };

function csvRecords(text: string): Records {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { problem: { line: parsed.line, message: `CSV 格式错误：${parsed.error}` } };
  const [header, ...body] = parsed.records;
  if (!header) return { problem: { line: 1, message: '文件为空。' } };
  const plain = header.fields.find((h) => PLAIN_PASSWORD.has(h.trim().toLowerCase()));
  if (plain !== undefined) return { problem: plainPasswordProblem(header.line, plain.trim()) };
  const columns = header.fields.map((h) => COLUMNS[h.trim().toLowerCase()] ?? COLUMNS[h.trim()]);
  const missing = ['工号', '姓名', '角色'].filter((_, i) => !columns.includes((['opterNo', 'name', 'roles'] as const)[i]));
  if (missing.length > 0) return { problem: { line: header.line, message: `表头缺少列：${missing.join('、')}（须有 工号,姓名,角色）。` } };
  return {
    records: body.map((r) => {
      const fields: Fields = {};
      columns.forEach((c, i) => {
        if (c) fields[c] = r.fields[i];
      });
      return { line: r.line, fields };
    }),
  };
}

function jsonRecords(text: string): Records {
  let data: unknown;
  try {
    data = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (err) {
    return { problem: { line: 0, message: `JSON 格式错误：${(err as Error).message}` } };
  }
  if (!Array.isArray(data)) return { problem: { line: 0, message: 'JSON 须为数组，每个元素一名员工。' } };
  for (const [i, item] of data.entries()) {
    const plain = item && typeof item === 'object' ? Object.keys(item as object).find((k) => PLAIN_PASSWORD.has(k.trim().toLowerCase())) : undefined;
    if (plain !== undefined) return { problem: plainPasswordProblem(i + 1, plain) };
  }
  return {
    records: data.map((item, i) => {
      const fields: Fields = {};
      if (item && typeof item === 'object') {
        for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
          const c = COLUMNS[k.toLowerCase()] ?? COLUMNS[k];
          if (c) fields[c] = v;
        }
      }
      // JSON "lines" are element numbers (1-based), named as such in the preview.
      return { line: i + 1, fields };
    }),
  };
}

function checkRecord(line: number, f: Fields): StaffRow | StaffProblem {
  const opterNo = String(f.opterNo ?? '').trim();
  if (!opterNo) return { line, message: '缺少工号。' };
  if (!OPTER_NO.test(opterNo)) return { line, message: `工号“${opterNo.slice(0, 24)}”不合规：只能是1–20位字母、数字、- 或 _。` };
  const name = String(f.name ?? '').trim();
  if (!name) return { line, message: `工号 ${opterNo}：缺少姓名。` };
  if (name.length > 50) return { line, message: `工号 ${opterNo}：姓名超过50个字符。` };
  const roleWords = Array.isArray(f.roles) ? f.roles.map(String) : String(f.roles ?? '').split(/[|;；、,，\s]+/);
  const words = roleWords.map((w) => w.trim()).filter(Boolean);
  if (words.length === 0) return { line, message: `工号 ${opterNo}：缺少角色。` };
  const unknown = words.filter((w) => !ROLE_NAMES[w.toLowerCase()] && !ROLE_NAMES[w]);
  if (unknown.length > 0) return { line, message: `工号 ${opterNo}：无法识别的角色“${unknown.join('、')}”（可用：登记员、收费员、主管、技术员）。` };
  const roles = [...new Set(words.map((w) => (ROLE_NAMES[w.toLowerCase()] ?? ROLE_NAMES[w])!))];
  const status = f.disabled === undefined || f.disabled === null ? '' : String(f.disabled).trim().toLowerCase();
  if (!['', '在职', 'active', '启用', '停用', '离职', 'disabled', 'true', 'false'].includes(status)) return { line, message: `工号 ${opterNo}：状态“${status}”无法识别（在职 或 停用）。` };
  const disabled = ['停用', '离职', 'disabled', 'true'].includes(status);
  const hash = f.passwordHash === undefined || f.passwordHash === null ? '' : String(f.passwordHash).trim();
  if (hash && !PASSWORD_HASH_PATTERN.test(hash)) return { line, message: `工号 ${opterNo}：密码哈希不是 scrypt 格式（不要导入明文密码）。` };
  return { line, opterNo, name, roles, disabled, passwordHash: hash || null };
}
