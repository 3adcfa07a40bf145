import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { Accounts } from '../../../services/operator/accounts.ts';
import { hashPassword, verifyPassword } from '../../../services/security/passwords.ts';

/** `kiosk operators` as IT runs it: a real process on an encrypted store; passwords on stdin; no hash printed. */
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

function kiosk(args: string[], stdin = ''): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = execFile(process.execPath, [KIOSK, 'operators', ...args], { env: { ...process.env, KIOSK_CONFIG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
    child.stdin!.end(stdin);
  });
}

describe('kiosk operators', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists, resets, disables and unlocks accounts; audited; never prints a hash or a password', { timeout: 120_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-operators-cli-'));
    const store = join(dir, 'kiosk.sqlite');
    const outputs: string[] = [];
    const run = async (args: string[], stdin = '') => {
      const r = await kiosk([...args, '--store', store], stdin);
      outputs.push(r.out);
      return r;
    };

    expect((await run(['add', '1001', '张护士', '--roles', 'clerk'], 'short\n')).out).toMatch(/密码至少8位/);
    expect((await run(['add', '1001', '张护士', '--roles', 'clerk,nurse'], 'Zhang-2026\n')).code).toBe(2);
    const added = await run(['add', '1001', '张护士', '--roles', 'clerk'], 'Zhang-2026\n');
    expect(added).toMatchObject({ code: 0 });
    expect(added.out).toMatch(/已添加 1001 张护士（登记员），首次登录须修改密码/);
    expect((await run(['add', '2001', '李收费', '--roles', 'cashier,supervisor', '--keep'], 'Li-pass-2026\n')).code).toBe(0);

    const list = await run(['list', '--json']);
    expect(JSON.parse(list.out)).toEqual([
      { opterNo: '1001', name: '张护士', roles: ['clerk'], source: 'cli', state: 'active', lockedUntil: null, mustChangePassword: true, lastSignInAt: null },
      { opterNo: '2001', name: '李收费', roles: ['cashier', 'supervisor'], source: 'cli', state: 'active', lockedUntil: null, mustChangePassword: false, lastSignInAt: null },
    ]);

    // Lock 2001 the way the desk does (five wrong passwords), then unlock from the command line.
    {
      const s = openEncryptedStore(store, cliKeyStore(store));
      const accounts = new Accounts(s, () => Date.now());
      for (let i = 0; i < 5; i++) accounts.check('2001', `wrong-${i}`, 'sign-in');
      s.close();
    }
    expect((await run(['list'])).out).toMatch(/2001\t李收费\t收费员、主管\t锁定\t至 /);
    expect((await run(['unlock', '2001'])).out).toMatch(/工号 2001 已解锁/);
    expect((await run(['set-password', '2001'], 'New-pass-77\n')).out).toMatch(/下次登录须修改/);
    expect((await run(['disable', '1001'])).out).toMatch(/已停用/);
    // The same rules as the supervisor's screen (one service): 2001 is the only supervisor, so it stays one.
    expect(await run(['set-roles', '2001', '--roles', 'cashier'])).toMatchObject({ code: 1, out: expect.stringMatching(/唯一可登录的主管/) });
    expect(await run(['disable', '2001'])).toMatchObject({ code: 1, out: expect.stringMatching(/唯一可登录的主管/) });
    expect((await run(['set-roles', '1001', '--roles', 'clerk,supervisor'])).out).toMatch(/1001 张护士 的角色已改为：登记员、主管/);
    expect((await run(['set-roles', '1001', '--roles', 'clerk'])).code).toBe(0);
    expect((await run(['set-password', '9999'], 'New-pass-77\n'))).toMatchObject({ code: 1, out: expect.stringMatching(/没有工号为 9999 的账号/) });

    const s = openEncryptedStore(store, cliKeyStore(store));
    try {
      expect(verifyPassword('New-pass-77', s.accounts.get('2001')!.passwordHash)).toBe(true);
      expect(s.accounts.get('1001')!.disabled).toBe(true);
      const actions = s.audit.list({}).filter((e) => e.subject.startsWith('operator:')).map((e) => `${e.action} ${e.subject}`);
      expect(actions).toEqual(expect.arrayContaining(['operator.account-added operator:1001', 'operator.locked operator:2001', 'operator.unlocked operator:2001', 'operator.password-set operator:2001', 'operator.disabled operator:1001', 'operator.roles-changed operator:1001', 'operator.admin-refused operator:2001']));
      expect(JSON.stringify(s.audit.list({}))).not.toMatch(/scrypt\$|Zhang-2026|New-pass-77/);
    } finally {
      s.close();
    }
    for (const o of outputs) expect(o).not.toMatch(/scrypt\$|Zhang-2026|Li-pass-2026|New-pass-77/);
  });

  it('import: a preview naming each bad line, then --apply with an initial password to change at first sign-in', { timeout: 120_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-operators-cli-'));
    const store = join(dir, 'kiosk.sqlite');
    const file = join(dir, 'staff.csv');
    writeFileSync(file, '工号,姓名,角色\n3001,周登记,登记员\n3002,吴收费,收费员\n3003,郑某,护工\n3001,重复,登记员\n');
    const preview = await kiosk(['import', file, '--store', store]);
    expect(preview.code).toBe(1);
    expect(preview.out).toMatch(/✗ 第 4 行：工号 3003：无法识别的角色“护工”/);
    expect(preview.out).toMatch(/✗ 第 5 行：工号 3001 与第 2 行重复/);
    expect(preview.out).toMatch(/新增 2，更新 0，无变化 0，未导入 0，有问题 2/);
    expect(preview.out).toMatch(/以上为预览，未写入/);
    expect((await kiosk(['list', '--json', '--store', store])).out.trim()).toBe('[]');

    const applied = await kiosk(['import', file, '--apply', '--initial-password', '--store', store], 'Start-2026\n');
    expect(applied.out).toMatch(/已导入：新增 2，更新 0。/);
    const list = JSON.parse((await kiosk(['list', '--json', '--store', store])).out) as { opterNo: string; source: string; mustChangePassword: boolean }[];
    expect(list.map((a) => [a.opterNo, a.source, a.mustChangePassword])).toEqual([['3001', 'his', true], ['3002', 'his', true]]);
    expect(applied.out + preview.out).not.toMatch(/scrypt\$|Start-2026/);
  });

  it('import: an HIS export with a plain-text password column is refused whole, and --apply says nothing was written', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-operators-cli-'));
    const store = join(dir, 'kiosk.sqlite');
    const file = join(dir, 'staff.csv');
    writeFileSync(file, '工号,姓名,角色,密码\n7001,陈某,收费员,Chen-2026x\n');
    const applied = await kiosk(['import', file, '--apply', '--store', store]);
    expect(applied.code).toBe(1);
    expect(applied.out).toContain('✗ 第 1 行：文件含明文密码列“密码”，不予导入');
    expect(applied.out).toContain('没有可导入的行，未写入。');
    expect(applied.out).not.toContain('已导入');
    expect(applied.out).not.toContain('Chen-2026x');
    expect((await kiosk(['list', '--json', '--store', store])).out.trim()).toBe('[]');
  });

  it('configure writes an account into the configuration (0600); migrate-config moves the old `supervisors` there', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-operators-cli-'));
    const config = join(dir, 'config.json');
    const old = hashPassword('Sup-pass-2026');
    writeFileSync(config, JSON.stringify({ mode: 'discharge', supervisors: [{ opterNo: 'SUP01', name: '刘主管', passwordHash: old }] }));
    const r = await kiosk(['configure', '0002', '王收费', '--roles', 'cashier', '--config', config], 'Wang-2026x\n');
    expect(r.out).toMatch(/已写入账号 0002（收费员）/);
    expect(r.out).not.toMatch(/scrypt\$/);
    expect((await kiosk(['migrate-config', '--config', config])).out).toMatch(/已将 1 个主管账号移入 operators/);
    const written = JSON.parse(readFileSync(config, 'utf8')) as { supervisors?: unknown; operators: { opterNo: string; roles: string[]; passwordHash: string }[] };
    expect(written.supervisors).toBeUndefined();
    expect(written.operators.map((o) => [o.opterNo, o.roles])).toEqual([['0002', ['cashier']], ['SUP01', ['supervisor']]]);
    expect(verifyPassword('Wang-2026x', written.operators[0]!.passwordHash)).toBe(true);
    expect(written.operators[1]!.passwordHash).toBe(old);
    expect(statSync(config).mode & 0o777).toBe(0o600);
  });
});
