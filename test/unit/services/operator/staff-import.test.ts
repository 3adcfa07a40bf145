import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../../db/store.ts';
import { Accounts } from '../../../../services/operator/accounts.ts';
import { parseStaffFile } from '../../../../services/operator/staff-import.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';

/** The HIS staff export: every line checked, problems by line, nothing half-imported. */
const CSV = [
  '工号,姓名,角色,状态',
  '1001,张护士,登记员,在职',
  '1002,李收费,收费员|主管,在职',
  ',无工号,登记员,在职',
  '1003,王某,医生,在职',
  '1001,重复,登记员,在职',
  '10 04,空格,登记员,在职',
  '1005,,收费员,在职',
  '1006,赵技术,技术员,离职',
  '1007,钱某,收费员,休假',
].join('\n');

describe('HIS staff export', () => {
  it('reports each bad line by number and keeps the good ones', () => {
    const { rows, problems } = parseStaffFile(CSV, 'csv');
    expect(rows.map((r) => [r.line, r.opterNo, r.roles, r.disabled])).toEqual([
      [2, '1001', ['clerk'], false],
      [3, '1002', ['cashier', 'supervisor'], false],
      [9, '1006', ['technician'], true],
    ]);
    expect(problems.map((p) => p.line)).toEqual([4, 5, 6, 7, 8, 10]);
    expect(problems.find((p) => p.line === 5)?.message).toMatch(/无法识别的角色“医生”/);
    expect(problems.find((p) => p.line === 6)?.message).toMatch(/与第 2 行重复/);
    expect(problems.find((p) => p.line === 10)?.message).toMatch(/状态/);
  });

  it('refuses a file without the required columns, or a JSON that is not an array; refuses plain-text passwords', () => {
    expect(parseStaffFile('编号,名字\n1,a', 'csv').problems[0]?.message).toMatch(/表头缺少列：工号、姓名、角色/);
    expect(parseStaffFile('{"a":1}', 'json').problems[0]?.message).toMatch(/数组/);
    const json = JSON.stringify([
      { opterNo: 'A1', name: '甲', roles: ['cashier'], passwordHash: 'secret123' },
      { opterNo: 'A2', name: '乙', roles: 'clerk;supervisor', passwordHash: hashPassword('pw-a2-2026') },
    ]);
    const { rows, problems } = parseStaffFile(json, 'json');
    expect(problems).toEqual([{ line: 1, message: expect.stringMatching(/不是 scrypt 格式/) }]);
    expect(rows.map((r) => [r.opterNo, r.roles])).toEqual([['A2', ['clerk', 'supervisor']]]);
  });

  it('refuses a whole file with a plain-text password column, CSV or JSON, naming the column (it was dropped without a word)', () => {
    const csv = parseStaffFile('工号,姓名,角色,密码\n7001,陈某,收费员,Pass-2026\n', 'csv');
    expect(csv.rows).toEqual([]);
    expect(csv.problems).toEqual([{ line: 1, message: expect.stringMatching(/^文件含明文密码列“密码”，不予导入/) }]);
    const json = parseStaffFile(JSON.stringify([{ opterNo: 'A1', name: '甲', roles: ['cashier'] }, { opterNo: 'A2', name: '乙', roles: ['clerk'], Password: 'abc12345' }]), 'json');
    expect(json.rows).toEqual([]);
    expect(json.problems).toEqual([{ line: 2, message: expect.stringContaining('文件含明文密码列“Password”') }]);
  });

  describe('import into the store', () => {
    let dir: string;
    let store: Store;
    afterEach(() => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('previews, then adds and updates HIS accounts (audited), leaves configured ones alone, disables leavers on request', () => {
      dir = mkdtempSync(join(tmpdir(), 'kiosk-staff-'));
      store = openStore(join(dir, 's.sqlite'), { fixmedinsCode: 'H32020000001' });
      const accounts = new Accounts(store, () => Date.now());
      accounts.sync('config', [{ opterNo: '1002', name: '李收费', roles: ['cashier'], passwordHash: hashPassword('cfg-pw-1002') }], 'test');
      const { rows } = parseStaffFile(CSV, 'csv');
      expect(accounts.planImport(rows).map((p) => [p.row.opterNo, p.outcome])).toEqual([['1001', 'new'], ['1002', 'kept'], ['1006', 'new']]);
      expect(accounts.list()).toHaveLength(1); // a preview writes nothing

      const initial = hashPassword('Initial-2026');
      accounts.importStaff(rows, { initialPasswordHash: initial, disableMissing: false, actor: 'cli:it' });
      expect(accounts.get('1001')).toMatchObject({ source: 'his', roles: ['clerk'], passwordHash: initial, mustChange: true, disabled: false });
      expect(accounts.get('1006')).toMatchObject({ disabled: true });
      expect(accounts.get('1002')).toMatchObject({ source: 'config', roles: ['cashier'] });
      expect(store.audit.list({ subject: 'operator:1001' }).map((e) => e.action)).toEqual(['operator.account-added']);

      // The next export no longer lists 1001: with --disable-missing it is disabled.
      const next = parseStaffFile('工号,姓名,角色\n1006,赵技术,技术员', 'csv').rows;
      const done = accounts.importStaff(next, { initialPasswordHash: null, disableMissing: true, actor: 'cli:it' });
      expect(done.disabled).toEqual(['1001']);
      expect(accounts.get('1001')?.disabled).toBe(true);
      expect(accounts.get('1006')?.disabled).toBe(false);
      expect(JSON.stringify(store.audit.list({}))).not.toContain(initial);
    });
  });
});
