import { chinaDateTime } from '../../base/china-time.ts';
import type { AccountView } from '../../contract/dto/accounts.ts';
import type { AccountRole, OperatorAccount } from '../../db/repositories/operator-accounts.ts';
import { AccountRefused, ROLE_ORDER, type Accounts } from './accounts.ts';

/**
 * Who changes accounts: a supervisor signed in at a desk (the 账号管理 screen), or IT at the machine's command
 * line (`kiosk operators`), whose authority is the OS account that can read the store's key.
 */
export type AdminActor = { kind: 'supervisor'; opterNo: string } | { kind: 'it'; actor: string };

/**
 * Account administration (docs/security.md, "Account administration"): the one code path the supervisor's
 * screen and `kiosk operators` both take to list, add, change roles, disable or enable, reset a password and
 * lift a lockout. Every change is an audit row naming who made it (never the password or its hash); every
 * refusal too. The rules:
 * - only a supervisor (re-read from the store at each call, so a supervisor demoted a moment ago is refused);
 * - the last usable supervisor is never disabled or demoted (Accounts.keepsASupervisor);
 * - a supervisor cannot disable their own account (they would be signed out mid-change);
 * - roles and 停用 of configured and demo accounts belong to their source, which rewrites them at every start;
 * - passwords follow the password rule; one set by someone else must be changed at the next sign-in (the
 *   command line's `--keep` aside).
 */
export class AccountAdmin {
  constructor(private readonly accounts: Accounts) {}

  list(by: AdminActor): AccountView[] {
    this.authorize(by, 'list');
    return this.accounts.list().map((a) => this.view(a));
  }

  add(by: AdminActor, spec: { opterNo: string; name: string; roles: readonly AccountRole[]; password: string | null; mustChange: boolean }): AccountView {
    return this.change(by, 'add', spec.opterNo, () => {
      if (!/^[A-Za-z0-9_-]{1,20}$/.test(spec.opterNo)) throw new AccountRefused('invalid', '工号只能由字母、数字、“-”和“_”组成，最多20位。');
      const name = spec.name.trim();
      if (!name || name.length > 20) throw new AccountRefused('invalid', '请输入姓名（最多20个字）。');
      if (spec.roles.length === 0) throw new AccountRefused('invalid', '请至少选择一个角色。');
      return this.accounts.add({ opterNo: spec.opterNo, name, roles: ROLE_ORDER.filter((r) => spec.roles.includes(r)), password: spec.password, mustChange: spec.password !== null && (by.kind === 'supervisor' || spec.mustChange) }, actorText(by));
    });
  }

  setRoles(by: AdminActor, opterNo: string, roles: readonly AccountRole[]): AccountView {
    return this.change(by, 'set-roles', opterNo, () => {
      this.sourceAllows(opterNo);
      return this.accounts.setRoles(opterNo, roles, actorText(by));
    });
  }

  setDisabled(by: AdminActor, opterNo: string, disabled: boolean): AccountView {
    return this.change(by, disabled ? 'disable' : 'enable', opterNo, () => {
      if (disabled && by.kind === 'supervisor' && by.opterNo === opterNo) {
        throw new AccountRefused('own-account', '不能停用当前登录的本人账号。', ['如确需停用，请由另一位主管操作。']);
      }
      this.sourceAllows(opterNo);
      return this.accounts.setDisabled(opterNo, disabled, actorText(by));
    });
  }

  /** Sets a password for someone (a reset also lifts their lockout); they change it at the next sign-in unless IT says `--keep`. */
  resetPassword(by: AdminActor, opterNo: string, password: string, mustChange = true): AccountView {
    return this.change(by, 'reset-password', opterNo, () => this.accounts.setPassword(opterNo, password, { mustChange: by.kind === 'supervisor' || mustChange, actor: actorText(by) }));
  }

  /**
   * Lifts a lockout; `wasLocked` is false when the 工号 had no failures to forget. A supervisor unlocks
   * accounts; IT may also clear the failures of a 工号 that has none (a lockout does not tell which exist).
   */
  unlock(by: AdminActor, opterNo: string): { account: AccountView | null; wasLocked: boolean } {
    this.authorize(by, 'unlock');
    const known = this.accounts.get(opterNo);
    if (!known && by.kind === 'supervisor') this.refuse(by, 'unlock', opterNo, new AccountRefused('unknown-account', `没有工号为 ${opterNo} 的账号。`, ['请核对工号。']));
    const wasLocked = this.accounts.unlock(opterNo, actorText(by));
    const a = this.accounts.get(opterNo);
    return { account: a ? this.view(a) : null, wasLocked };
  }

  private change(by: AdminActor, action: string, opterNo: string, run: () => OperatorAccount): AccountView {
    this.authorize(by, action);
    try {
      return this.view(run());
    } catch (err) {
      if (err instanceof AccountRefused) this.refuse(by, action, opterNo, err);
      throw err;
    }
  }

  /** A refusal is an audit row too (which action, why; never the password), then the error. */
  private refuse(by: AdminActor, action: string, opterNo: string, err: AccountRefused): never {
    this.accounts.audit(actorText(by), 'operator.admin-refused', `operator:${opterNo}`, { action, reason: err.reason });
    throw err;
  }

  /** The supervisor's account as the store has it now: enabled, holding the role. */
  private authorize(by: AdminActor, action: string): void {
    if (by.kind === 'it') return;
    const me = this.accounts.get(by.opterNo);
    if (me && !me.disabled && me.roles.includes('supervisor')) return;
    this.accounts.audit(actorText(by), 'operator.admin-refused', `operator:${by.opterNo}`, { action, reason: 'not-a-supervisor' });
    throw new AccountRefused('not-a-supervisor', '只有主管可以管理操作员账号。', ['请由主管登录后办理。']);
  }

  private sourceAllows(opterNo: string): void {
    const a = this.accounts.get(opterNo);
    if (!a) throw new AccountRefused('unknown-account', `没有工号为 ${opterNo} 的账号。`, ['请核对工号。']);
    if (a.source === 'config') throw new AccountRefused('managed-elsewhere', `${a.name}（${a.opterNo}）由终端配置文件管理，角色和停用须在配置文件中修改。`, ['请联系信息科修改配置文件（终端每次启动时按配置文件写入）；密码可在此重置。']);
    if (a.source === 'demo') throw new AccountRefused('managed-elsewhere', `${a.name}（${a.opterNo}）是演示账号，角色和状态由演示模式决定。`, ['请新增一个账号来试用角色和停用。']);
  }

  private view(a: OperatorAccount): AccountView {
    const lockedUntil = this.accounts.lockOf(a.opterNo);
    return {
      opterNo: a.opterNo,
      name: a.name,
      roles: a.roles,
      state: a.disabled ? 'disabled' : lockedUntil !== null ? 'locked' : 'active',
      lockedUntil: lockedUntil !== null ? chinaDateTime(new Date(lockedUntil)) : null,
      hasPassword: a.passwordHash !== null,
      mustChangePassword: a.mustChange,
      source: a.source,
      lastSignInAt: a.lastSignInAt !== null ? chinaDateTime(new Date(a.lastSignInAt)) : null,
      rolesEditable: a.source === 'his' || a.source === 'cli',
    };
  }
}

/** The audit row's actor: the signed-in supervisor as every desk action names its operator, or the CLI's. */
export function actorText(by: AdminActor): string {
  return by.kind === 'supervisor' ? `opter:${by.opterNo}` : by.actor;
}
