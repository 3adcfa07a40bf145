import type { Store } from '../../db/store.ts';
import type { AccountRole, AccountSource, OperatorAccount, SignInFailures } from '../../db/repositories/operator-accounts.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../security/passwords.ts';
import type { StaffRow } from './staff-import.ts';

/**
 * The rules of operator accounts (docs/security.md, "Operator accounts"): checking a 工号 and password,
 * locking a 工号 after repeated failures, and every change to an account, each written to the audit log. The
 * sign-in screen, the desk unlock, a supervisor's approval and the `kiosk operators` commands all come here.
 *
 * A wrong password, an unknown 工号, a disabled account and an account without a password are one answer
 * (`refused`), take the same scrypt time, and count towards the same lockout: nothing tells which 工号 exist.
 */
export interface LockoutPolicy {
  /** Consecutive failures that lock the 工号. */
  maxFailures: number;
  /** How long a lock lasts (a supervisor or `kiosk operators unlock` lifts it sooner). */
  lockMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000, windowMs: 30 * 60_000 };

/** What a credential check is for: it is named in the audit row. */
export type CheckPurpose = 'sign-in' | 'desk-unlock' | 'approval' | 'change-password';

export type CheckResult =
  | { ok: true; account: OperatorAccount }
  | { ok: false; reason: 'refused'; failuresLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: number };

/** An account as the configuration (or the demo world) gives it. */
export interface AccountSpec {
  opterNo: string;
  name: string;
  roles: AccountRole[];
  passwordHash?: string | null;
  disabled?: boolean;
}

export class AccountError extends Error {}

/**
 * Why a change to an account was refused (docs/security.md, "Account administration"). The message is the
 * Chinese the supervisor's screen and the command line both show.
 */
export type RefusalReason = 'not-a-supervisor' | 'last-supervisor' | 'own-account' | 'managed-elsewhere' | 'weak-password' | 'duplicate' | 'unknown-account' | 'invalid';

export class AccountRefused extends AccountError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly guidance: string[] = [],
  ) {
    super(message);
  }
}

export type ImportPlan = { row: StaffRow; outcome: 'new' | 'changed' | 'unchanged' } | { row: StaffRow; outcome: 'kept'; why: string };

export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {}

  get(opterNo: string): OperatorAccount | null {
    return this.store.accounts.get(opterNo);
  }

  list(): OperatorAccount[] {
    return this.store.accounts.list();
  }

  /** The lock on a 工号 now, or null. */
  lockOf(opterNo: string): number | null {
    const f = this.store.accounts.failures(opterNo);
    return f?.lockedUntil && f.lockedUntil > this.now() ? f.lockedUntil : null;
  }

  lockedNow(): SignInFailures[] {
    return this.store.accounts.lockedAt(this.now());
  }

  /** Checks a 工号 and password; audited either way (never the password). */
  check(opterNo: string, password: string, purpose: CheckPurpose, actor = `opter:${opterNo}`): CheckResult {
    const t = this.now();
    const lockedUntil = this.lockOf(opterNo);
    if (lockedUntil !== null) {
      this.audit(actor, 'operator.refused-locked', `operator:${opterNo}`, { purpose, lockedUntil: new Date(lockedUntil).toISOString() });
      return { ok: false, reason: 'locked', lockedUntil };
    }
    const account = this.store.accounts.get(opterNo);
    const usable = account !== null && !account.disabled;
    const good = verifyPassword(password, usable ? account.passwordHash : null);
    if (good && usable) {
      this.store.write((tx) => {
        this.store.accounts.clearFailures(tx, opterNo);
        this.store.audit.append(tx, { actor, action: `operator.${purpose}`, subject: `operator:${opterNo}`, detail: { ok: true } });
      });
      return { ok: true, account };
    }
    return this.store.write((tx) => {
      this.store.accounts.pruneFailures(tx, t - this.policy.windowMs);
      const before = this.store.accounts.failures(opterNo);
      const failures = (before && t - before.lastFailedAt < this.policy.windowMs ? before.failures : 0) + 1;
      const lock = failures >= this.policy.maxFailures ? t + this.policy.lockMs : null;
      this.store.accounts.putFailures(tx, { opterNo, failures, lastFailedAt: t, lockedUntil: lock });
      // Known or not is recorded for IT (the audit log is not shown to whoever typed it).
      const why = account === null ? 'unknown' : account.disabled ? 'disabled' : account.passwordHash === null ? 'no-password' : 'wrong-password';
      this.store.audit.append(tx, { actor, action: `operator.${purpose}-failed`, subject: `operator:${opterNo}`, detail: { why, failures } });
      if (lock !== null) {
        this.store.audit.append(tx, { actor: 'system:lockout', action: 'operator.locked', subject: `operator:${opterNo}`, detail: { failures, until: new Date(lock).toISOString() } });
        return { ok: false as const, reason: 'locked' as const, lockedUntil: lock };
      }
      return { ok: false as const, reason: 'refused' as const, failuresLeft: this.policy.maxFailures - failures };
    });
  }

  /** Lifts a lockout (a supervisor at the desk, or `kiosk operators unlock`). False when it was not locked. */
  unlock(opterNo: string, actor: string): boolean {
    return this.store.write((tx) => {
      const had = this.store.accounts.failures(opterNo);
      if (!had) return false;
      this.store.accounts.clearFailures(tx, opterNo);
      this.store.audit.append(tx, { actor, action: 'operator.unlocked', subject: `operator:${opterNo}`, detail: { failures: had.failures, wasLockedUntil: had.lockedUntil ? new Date(had.lockedUntil).toISOString() : null } });
      return true;
    });
  }

  /** A new account (CLI). Its password, when given, follows the password rule. */
  add(spec: { opterNo: string; name: string; roles: AccountRole[]; password: string | null; mustChange: boolean }, actor: string): OperatorAccount {
    if (this.store.accounts.get(spec.opterNo)) throw new AccountRefused('duplicate', `工号 ${spec.opterNo} 已存在。`, ['请换一个工号，或在列表中修改该账号。']);
    const hash = spec.password === null ? null : this.acceptablePasswordHash(spec.opterNo, spec.password);
    return this.store.write((tx) => {
      const a = this.store.accounts.put(tx, { opterNo: spec.opterNo, name: spec.name, roles: spec.roles, passwordHash: hash, mustChange: spec.mustChange, disabled: false, source: 'cli', configHash: null, passwordChangedAt: hash ? tx.now.getTime() : null });
      this.store.audit.append(tx, { actor, action: 'operator.account-added', subject: `operator:${a.opterNo}`, detail: { roles: a.roles, source: 'cli', password: hash !== null } });
      return a;
    });
  }

  /** Sets a password (the operator's own change, or IT resetting it with `mustChange`). */
  setPassword(opterNo: string, password: string, options: { mustChange: boolean; actor: string }): OperatorAccount {
    const a = this.require(opterNo);
    const hash = this.acceptablePasswordHash(opterNo, password);
    if (a.passwordHash && verifyPassword(password, a.passwordHash)) throw new AccountRefused('weak-password', '新密码不能与原密码相同。', ['请换一个密码。']);
    return this.store.write((tx) => {
      const next = this.store.accounts.put(tx, { ...a, passwordHash: hash, mustChange: options.mustChange, passwordChangedAt: tx.now.getTime() });
      this.store.accounts.clearFailures(tx, opterNo);
      this.store.audit.append(tx, { actor: options.actor, action: 'operator.password-set', subject: `operator:${opterNo}`, detail: { mustChange: options.mustChange } });
      return next;
    });
  }

  /** Disables or enables an account; never the last usable supervisor (see keepsASupervisor). */
  setDisabled(opterNo: string, disabled: boolean, actor: string): OperatorAccount {
    const a = this.require(opterNo);
    return this.store.write((tx) => {
      const next = this.store.accounts.put(tx, { ...a, disabled });
      this.keepsASupervisor(a, next);
      this.store.audit.append(tx, { actor, action: disabled ? 'operator.disabled' : 'operator.enabled', subject: `operator:${opterNo}` });
      return next;
    });
  }

  /** Replaces an account's roles; never takes the supervisor role from the last usable supervisor. */
  setRoles(opterNo: string, roles: readonly AccountRole[], actor: string): OperatorAccount {
    const a = this.require(opterNo);
    const wanted = ROLE_ORDER.filter((r) => roles.includes(r));
    if (wanted.length === 0) throw new AccountRefused('invalid', '请至少选择一个角色。');
    return this.store.write((tx) => {
      const next = this.store.accounts.put(tx, { ...a, roles: wanted });
      this.keepsASupervisor(a, next);
      this.store.audit.append(tx, { actor, action: 'operator.roles-changed', subject: `operator:${opterNo}`, detail: { from: a.roles, to: wanted } });
      return next;
    });
  }

  /**
   * A terminal whose last supervisor is disabled or demoted has nobody who may manage accounts, reverse a
   * settlement or lift a lockout at the desk: such a change is refused (inside its transaction, so it rolls
   * back). A terminal that had no usable supervisor before is not made worse by any change, so it is let be.
   */
  private keepsASupervisor(before: OperatorAccount, after: OperatorAccount): void {
    if (!usableSupervisor(before) || usableSupervisor(after)) return;
    if (this.store.accounts.list().some(usableSupervisor)) return;
    throw new AccountRefused('last-supervisor', `${before.name}（${before.opterNo}）是本终端唯一可登录的主管，不能停用或取消其主管角色。`, ['请先为另一位操作员添加主管角色（并设置密码），再修改该账号。']);
  }

  /**
   * Makes the store's accounts of one source match a list (the configuration at every start; the demo accounts
   * in demo mode). A listed account is written with the list's name and roles; its password is replaced only
   * when the list's hash changed since the last time (a password changed at the terminal survives restarts);
   * an account of that source no longer listed is disabled. Accounts of other sources are left alone, except
   * that a configured 工号 becomes the configuration's (the configuration is the hospital's word).
   */
  sync(source: Extract<AccountSource, 'config' | 'demo'>, specs: readonly AccountSpec[], actor: string): { added: number; changed: number; disabled: number } {
    const counts = { added: 0, changed: 0, disabled: 0 };
    this.store.write((tx) => {
      const listed = new Set<string>();
      for (const s of specs) {
        listed.add(s.opterNo);
        const was = this.store.accounts.get(s.opterNo);
        const hash = s.passwordHash ?? null;
        const passwordChanged = !was || was.configHash !== hash;
        const next = {
          opterNo: s.opterNo,
          name: s.name,
          roles: [...s.roles],
          passwordHash: passwordChanged ? hash : was.passwordHash,
          mustChange: passwordChanged ? false : was.mustChange,
          disabled: s.disabled ?? (was?.source === source ? false : (was?.disabled ?? false)),
          source,
          configHash: hash,
          passwordChangedAt: passwordChanged ? (hash ? tx.now.getTime() : null) : was.passwordChangedAt,
        };
        if (was && sameAccount(was, next)) continue;
        this.store.accounts.put(tx, next);
        if (was) counts.changed++;
        else counts.added++;
        this.store.audit.append(tx, { actor, action: was ? 'operator.account-changed' : 'operator.account-added', subject: `operator:${s.opterNo}`, detail: { roles: next.roles, source, passwordReplaced: was ? passwordChanged : hash !== null, disabled: next.disabled } });
      }
      for (const a of this.store.accounts.list()) {
        if (a.source !== source || listed.has(a.opterNo) || a.disabled) continue;
        this.store.accounts.put(tx, { ...a, disabled: true });
        counts.disabled++;
        this.store.audit.append(tx, { actor, action: 'operator.disabled', subject: `operator:${a.opterNo}`, detail: { why: `no longer in the ${source} accounts` } });
      }
    });
    return counts;
  }

  /** An audit row about accounts (approvals name their own subject, e.g. `settlement:7`). */
  audit(actor: string, action: string, subject: string, detail: Record<string, unknown> = {}): void {
    this.store.write((tx) => this.store.audit.append(tx, { actor, action, subject, detail }));
  }

  /** What importing these HIS rows would do, row by row (nothing written). */
  planImport(rows: readonly StaffRow[]): ImportPlan[] {
    return rows.map((r) => {
      const was = this.store.accounts.get(r.opterNo);
      if (!was) return { row: r, outcome: 'new' };
      if (was.source === 'config' || was.source === 'demo') return { row: r, outcome: 'kept', why: was.source === 'config' ? '由配置文件管理，未导入' : '演示账号，未导入' };
      const same = was.name === r.name && JSON.stringify(was.roles) === JSON.stringify(r.roles) && was.disabled === r.disabled && (r.passwordHash === null || r.passwordHash === was.passwordHash);
      return { row: r, outcome: same ? 'unchanged' : 'changed' };
    });
  }

  /**
   * Imports HIS rows (planImport's new and changed ones) in one transaction. A new account without a hash in
   * the file gets `initialPasswordHash` and must change it at first sign-in (or none: it cannot sign in until
   * `kiosk operators set-password`). `disableMissing`: HIS accounts absent from the file are disabled (leavers).
   */
  importStaff(rows: readonly StaffRow[], options: { initialPasswordHash: string | null; disableMissing: boolean; actor: string }): { plan: ImportPlan[]; disabled: string[] } {
    const plan = this.planImport(rows);
    const disabled: string[] = [];
    this.store.write((tx) => {
      for (const p of plan) {
        if (p.outcome !== 'new' && p.outcome !== 'changed') continue;
        const was = this.store.accounts.get(p.row.opterNo);
        const hash = p.row.passwordHash ?? was?.passwordHash ?? options.initialPasswordHash;
        const replaced = hash !== (was?.passwordHash ?? null);
        this.store.accounts.put(tx, {
          opterNo: p.row.opterNo,
          name: p.row.name,
          roles: p.row.roles,
          passwordHash: hash,
          // The shared initial password is for the first sign-in only.
          mustChange: replaced ? p.row.passwordHash === null : (was?.mustChange ?? false),
          disabled: p.row.disabled,
          source: 'his',
          configHash: null,
          passwordChangedAt: replaced ? tx.now.getTime() : (was?.passwordChangedAt ?? null),
        });
        this.store.audit.append(tx, { actor: options.actor, action: was ? 'operator.account-changed' : 'operator.account-added', subject: `operator:${p.row.opterNo}`, detail: { roles: p.row.roles, source: 'his', line: p.row.line, passwordReplaced: replaced, disabled: p.row.disabled } });
      }
      if (options.disableMissing) {
        const listed = new Set(rows.map((r) => r.opterNo));
        for (const a of this.store.accounts.list()) {
          if (a.source !== 'his' || a.disabled || listed.has(a.opterNo)) continue;
          this.store.accounts.put(tx, { ...a, disabled: true });
          disabled.push(a.opterNo);
          this.store.audit.append(tx, { actor: options.actor, action: 'operator.disabled', subject: `operator:${a.opterNo}`, detail: { why: 'not in the HIS staff export' } });
        }
      }
    });
    return { plan, disabled };
  }

  private require(opterNo: string): OperatorAccount {
    const a = this.store.accounts.get(opterNo);
    if (!a) throw new AccountRefused('unknown-account', `没有工号为 ${opterNo} 的账号。`, ['请核对工号。']);
    return a;
  }

  private acceptablePasswordHash(opterNo: string, password: string): string {
    const problem = passwordProblem(password, opterNo);
    if (problem) throw new AccountRefused('weak-password', problem, [PASSWORD_RULE_TEXT]);
    return hashPassword(password);
  }
}

/** The rule passwordProblem checks, said once for the screens' guidance. */
export const PASSWORD_RULE_TEXT = '密码须为8–64位，包含字母、数字、符号中的至少两类，且不能包含工号。';

/** Roles in one order (the list shows them the same way whatever order they were ticked in). */
export const ROLE_ORDER: readonly AccountRole[] = ['clerk', 'cashier', 'supervisor', 'technician'];

/** A supervisor who can sign in now or after a lockout ends: enabled, with a password. */
export function usableSupervisor(a: OperatorAccount): boolean {
  return !a.disabled && a.passwordHash !== null && a.roles.includes('supervisor');
}

function sameAccount(a: OperatorAccount, b: Omit<OperatorAccount, 'createdAt' | 'updatedAt' | 'lastSignInAt'>): boolean {
  return (
    a.name === b.name &&
    JSON.stringify(a.roles) === JSON.stringify(b.roles) &&
    a.passwordHash === b.passwordHash &&
    a.mustChange === b.mustChange &&
    a.disabled === b.disabled &&
    a.source === b.source &&
    a.configHash === b.configHash
  );
}
