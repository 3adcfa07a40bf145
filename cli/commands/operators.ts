import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { CliCommand } from '../command.ts';
import { parseCliArgs, UsageError } from '../args.ts';
import { actorOf } from '../actor.ts';
import { storePath } from '../store-path.ts';
import { readNewPassword } from '../read-secret.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import type { AccountRole } from '../../db/repositories/operator-accounts.ts';
import type { AccountView } from '../../contract/dto/accounts.ts';
import { AccountError, Accounts } from '../../services/operator/accounts.ts';
import { AccountAdmin, type AdminActor } from '../../services/operator/account-admin.ts';
import { parseStaffFile } from '../../services/operator/staff-import.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';
import { hashPassword, passwordProblem } from '../../services/security/passwords.ts';

const usage = `Usage:
  kiosk operators list [--json] [--store <path>]
  kiosk operators add <工号> <姓名> --roles <clerk,cashier,supervisor,technician> [--no-password] [--store <path>]
  kiosk operators set-password <工号> [--keep] [--store <path>]
  kiosk operators set-roles <工号> --roles <clerk,cashier,supervisor,technician> [--store <path>]
  kiosk operators disable|enable|unlock <工号> [--store <path>]
  kiosk operators import <file.csv|file.json> [--apply] [--initial-password] [--disable-missing] [--store <path>]
  kiosk operators configure <工号> <姓名> --roles <…> --config <config.json>
  kiosk operators migrate-config --config <config.json>

Operator accounts (docs/security.md): who may sign in at the staff desks, with which roles. Passwords are read
from stdin (not echoed on a terminal; one per line from a pipe) and stored only as salted scrypt hashes; no
command prints a hash or a password. add and set-password make the operator choose their own password at the
next sign-in unless --keep. import checks an HIS staff export (CSV with header 工号,姓名,角色[,状态][,密码哈希],
or a JSON array) and prints the preview with every line's problem; --apply writes the good lines;
--initial-password reads one password for new accounts (changed at first sign-in); --disable-missing disables
HIS accounts absent from the file. The last supervisor who can sign in is never disabled or demoted, and the
roles and state of configured or demo accounts are changed in their source, not here (the same rules as the
supervisor's 账号管理 screen, through the same service). configure writes an account (with the hash) into a configuration file's
"operators"; migrate-config moves the deprecated "supervisors" entries there. Every change is audited.
Exit codes: 0 ok, 1 error (or import problems), 2 usage.`;

const ROLES: readonly AccountRole[] = ['clerk', 'cashier', 'supervisor', 'technician'];
const ROLE_TEXT: Record<AccountRole, string> = { clerk: '登记员', cashier: '收费员', supervisor: '主管', technician: '技术员' };

function rolesOf(value: string | undefined): AccountRole[] {
  const words = (value ?? '').split(/[,|]/).map((w) => w.trim()).filter(Boolean);
  const bad = words.filter((w) => !ROLES.includes(w as AccountRole));
  if (words.length === 0 || bad.length > 0) throw new UsageError(`--roles takes one or more of ${ROLES.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}`);
  return [...new Set(words as AccountRole[])];
}

/** One line per account, from the view the supervisor's screen shows; never the hash. */
function describe(a: AccountView): Record<string, unknown> {
  return {
    opterNo: a.opterNo,
    name: a.name,
    roles: a.roles,
    source: a.source,
    state: a.state === 'active' && !a.hasPassword ? 'no-password' : a.state,
    lockedUntil: a.lockedUntil,
    mustChangePassword: a.mustChangePassword,
    lastSignInAt: a.lastSignInAt,
  };
}

const STATE_TEXT: Record<string, string> = { active: '启用', disabled: '停用', locked: '锁定', 'no-password': '未设密码' };

async function newPassword(opterNo: string): Promise<string> {
  const password = await readNewPassword();
  const problem = passwordProblem(password, opterNo);
  if (problem) throw new AccountError(problem);
  return password;
}

/** configure / migrate-config edit a configuration file: JSON in, JSON out (mode 0600: it holds hashes). */
function editConfig(path: string, edit: (config: Record<string, unknown>) => string): void {
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const said = edit(config);
  writeFileSync(path, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  console.log(said);
}

type ConfigAccount = { opterNo: string; name: string; roles: AccountRole[]; passwordHash: string | null };

function configAccounts(config: Record<string, unknown>): ConfigAccount[] {
  const list = Array.isArray(config.operators) ? (config.operators as ConfigAccount[]) : [];
  config.operators = list;
  return list;
}

export const operatorsCommand: CliCommand = {
  name: 'operators',
  summary: 'Operator accounts: list, add, set a password, disable, unlock, import an HIS staff export (audited)',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      store: { type: 'string' },
      json: { type: 'boolean' },
      roles: { type: 'string' },
      'no-password': { type: 'boolean' },
      keep: { type: 'boolean' },
      apply: { type: 'boolean' },
      'initial-password': { type: 'boolean' },
      'disable-missing': { type: 'boolean' },
      config: { type: 'string' },
      format: { type: 'string' },
      operator: { type: 'string' },
    });
    const [action, ...rest] = positionals;
    if (!action) throw new UsageError(usage);

    if (action === 'configure' || action === 'migrate-config') {
      const path = values.config ?? process.env.KIOSK_CONFIG;
      if (!path) throw new UsageError('--config <config.json> is required');
      if (action === 'migrate-config') {
        editConfig(path, (config) => {
          const old = Array.isArray(config.supervisors) ? (config.supervisors as ConfigAccount[]) : [];
          const list = configAccounts(config);
          for (const s of old) if (!list.some((o) => o.opterNo === s.opterNo)) list.push({ opterNo: s.opterNo, name: s.name, roles: ['supervisor'], passwordHash: s.passwordHash });
          delete config.supervisors;
          return `已将 ${old.length} 个主管账号移入 operators（角色 supervisor）：${resolve(path)}`;
        });
        return 0;
      }
      const [opterNo, name] = rest;
      if (!opterNo || !name) throw new UsageError(usage);
      const roles = rolesOf(values.roles);
      const passwordHash = hashPassword(await newPassword(opterNo));
      editConfig(path, (config) => {
        const list = configAccounts(config).filter((o) => o.opterNo !== opterNo);
        list.push({ opterNo, name, roles, passwordHash });
        config.operators = list;
        return `已写入账号 ${opterNo}（${roles.map((r) => ROLE_TEXT[r]).join('、')}）：${resolve(path)}；终端下次启动时生效。`;
      });
      return 0;
    }

    const path = storePath(values.store);
    const store = openEncryptedStore(path, cliKeyStore(path));
    const accounts = new Accounts(store, () => Date.now());
    // The same service as the supervisor's 账号管理 screen: the same rules and audit rows, with IT as the actor.
    const admin = new AccountAdmin(accounts);
    const it: AdminActor = { kind: 'it', actor: actorOf(values.operator) };
    const actor = it.actor;
    try {
      switch (action) {
        case 'list': {
          const rows = admin.list(it).map(describe);
          if (values.json) console.log(JSON.stringify(rows, null, 2));
          else if (rows.length === 0) console.log('没有操作员账号。');
          else
            for (const r of rows)
              console.log(
                [r.opterNo, r.name, (r.roles as AccountRole[]).map((x) => ROLE_TEXT[x]).join('、'), STATE_TEXT[r.state as string], r.lockedUntil ? `至 ${r.lockedUntil}` : '', r.mustChangePassword ? '须改密码' : '', `来源:${r.source}`, r.lastSignInAt ? `最近登录:${r.lastSignInAt}` : '']
                  .filter(Boolean)
                  .join('\t'),
              );
          return 0;
        }
        case 'add': {
          const [opterNo, name] = rest;
          if (!opterNo || !name || !/^[A-Za-z0-9_-]{1,20}$/.test(opterNo)) throw new UsageError(usage);
          const roles = rolesOf(values.roles);
          const password = values['no-password'] ? null : await newPassword(opterNo);
          const a = admin.add(it, { opterNo, name, roles, password, mustChange: !values.keep });
          console.log(`已添加 ${a.opterNo} ${a.name}（${roles.map((r) => ROLE_TEXT[r]).join('、')}）${password === null ? '，尚未设置密码' : a.mustChangePassword ? '，首次登录须修改密码' : ''}。`);
          return 0;
        }
        case 'set-password': {
          const [opterNo] = rest;
          if (!opterNo) throw new UsageError(usage);
          if (!accounts.get(opterNo)) throw new AccountError(`没有工号为 ${opterNo} 的账号。`);
          const a = admin.resetPassword(it, opterNo, await newPassword(opterNo), !values.keep);
          console.log(`已设置 ${a.opterNo} 的密码${a.mustChangePassword ? '，下次登录须修改' : ''}；该工号的锁定已解除。`);
          return 0;
        }
        case 'set-roles': {
          const [opterNo] = rest;
          if (!opterNo) throw new UsageError(usage);
          const a = admin.setRoles(it, opterNo, rolesOf(values.roles));
          console.log(`${a.opterNo} ${a.name} 的角色已改为：${a.roles.map((r) => ROLE_TEXT[r]).join('、')}。`);
          return 0;
        }
        case 'disable':
        case 'enable': {
          const [opterNo] = rest;
          if (!opterNo) throw new UsageError(usage);
          const a = admin.setDisabled(it, opterNo, action === 'disable');
          console.log(`${a.opterNo} ${a.name} 已${a.state === 'disabled' ? '停用' : '启用'}。`);
          return 0;
        }
        case 'unlock': {
          const [opterNo] = rest;
          if (!opterNo) throw new UsageError(usage);
          console.log(admin.unlock(it, opterNo).wasLocked ? `工号 ${opterNo} 已解锁。` : `工号 ${opterNo} 没有被锁定（也没有登录失败记录）。`);
          return 0;
        }
        case 'import': {
          const [file] = rest;
          if (!file) throw new UsageError(usage);
          const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
          if (format !== 'csv' && format !== 'json') throw new UsageError('--format csv|json');
          const parsed = parseStaffFile(readFileSync(file, 'utf8'), format);
          const plan = accounts.planImport(parsed.rows);
          const where = format === 'json' ? '第 %d 项' : '第 %d 行';
          for (const p of parsed.problems) console.log(`✗ ${p.line ? where.replace('%d', String(p.line)) : '文件'}：${p.message}`);
          const counts = { new: 0, changed: 0, unchanged: 0, kept: 0 };
          for (const p of plan) {
            counts[p.outcome]++;
            if (p.outcome !== 'unchanged') console.log(`${p.outcome === 'kept' ? '·' : '✓'} ${where.replace('%d', String(p.row.line))}：${p.row.opterNo} ${p.row.name}（${p.row.roles.map((r) => ROLE_TEXT[r]).join('、')}）${{ new: '新增', changed: '更新', kept: p.outcome === 'kept' ? p.why : '' }[p.outcome]}${p.row.disabled ? '，停用' : ''}`);
          }
          console.log(`共 ${parsed.rows.length + parsed.problems.length} 行：新增 ${counts.new}，更新 ${counts.changed}，无变化 ${counts.unchanged}，未导入 ${counts.kept}，有问题 ${parsed.problems.length}。`);
          if (parsed.rows.length === 0) {
            // A refused file (a plain-text password column, a missing header) or nothing but bad lines: never "已导入".
            console.log('没有可导入的行，未写入。');
            return 1;
          }
          if (!values.apply) {
            console.log('以上为预览，未写入。确认后加 --apply 导入（有问题的行不会导入）。');
            return parsed.problems.length > 0 ? 1 : 0;
          }
          let initial: string | null = null;
          if (values['initial-password']) initial = hashPassword(await newPassword(''));
          const done = accounts.importStaff(parsed.rows, { initialPasswordHash: initial, disableMissing: values['disable-missing'] ?? false, actor });
          console.log(`已导入：新增 ${counts.new}，更新 ${counts.changed}。${done.disabled.length > 0 ? `已停用不在名单中的 ${done.disabled.length} 个账号：${done.disabled.join('、')}。` : ''}${initial === null && counts.new > 0 ? '新账号尚无密码：用 kiosk operators set-password 设置。' : ''}`);
          return parsed.problems.length > 0 ? 1 : 0;
        }
        default:
          throw new UsageError(usage);
      }
    } catch (err) {
      if (err instanceof AccountError) {
        console.error(err.message);
        return 1;
      }
      throw err;
    } finally {
      store.close();
    }
  },
};
