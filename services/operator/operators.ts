import type { KioskServices } from '../../contract/api.ts';
import type { Principal, StaffRole } from '../../contract/access.ts';
import { KioskError } from '../../contract/errors.ts';
import { selfServiceOperator, staffOperator, type Operator } from '../../insurance/client/envelope.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { OperatorPort, ServiceContext } from '../context.ts';
import { DEMO_ACCOUNTS } from '../demo/demo-accounts.ts';
import { AccountError, type Accounts, type CheckResult } from './accounts.ts';
import { clockText, SupervisorApproval } from './approval.ts';

type OperatorContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'platform'>;

interface SignedIn {
  opterNo: string;
  name: string;
  day: string;
  /** Locked at idle: every staff request is refused until the operator's password (or another sign-in). */
  locked: boolean;
}

/**
 * Who works at this terminal. Staff modes (入院登记, 出院结算): an operator signs in with 工号 and password
 * against the operator accounts (accounts.ts), then 9001 once per day (the client caches the day's sign_no in
 * the store, so a second sign-in the same day reuses it), and every platform call goes out under that operator
 * (opter_type 1). Self-service: the terminal itself is the operator (opter_type 2) and requests run as the
 * `patient` role. `principal()` is what the Dispatcher checks every request against (contract/access.ts).
 */
export class Operators implements OperatorPort {
  private signedIn: SignedIn | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly ctx: OperatorContext,
    readonly accounts: Accounts,
  ) {}

  private get selfService(): boolean {
    return this.ctx.config.mode === 'self-service';
  }

  private today(): string {
    return chinaTime(this.ctx.clock.now()).day;
  }

  current(): Operator {
    if (this.selfService) return selfServiceOperator(this.ctx.config.terminal.selfServiceOpterNo, this.ctx.config.terminal.name);
    const s = this.requireStaff();
    return staffOperator(s.opterNo, s.name);
  }

  /** The operator signed in today whose account is still usable, or null. */
  private active(): (SignedIn & { roles: StaffRole[] }) | null {
    if (this.selfService || !this.signedIn) return null;
    // A sign-in is for one calendar day (China time): at midnight the desk signs in again.
    if (this.signedIn.day !== this.today()) return null;
    // Roles are read at every request: a role taken away or an account disabled applies at once.
    const account = this.accounts.get(this.signedIn.opterNo);
    if (!account || account.disabled) return null;
    return { ...this.signedIn, roles: account.roles };
  }

  staff(): { opterNo: string; name: string } | null {
    const s = this.active();
    return s ? { opterNo: s.opterNo, name: s.name } : null;
  }

  /** The status bar's operator: with roles, and whether the desk is locked. */
  statusView(): { opterNo: string; name: string; roles: StaffRole[]; locked: boolean } | null {
    const s = this.active();
    return s ? { opterNo: s.opterNo, name: s.name, roles: s.roles, locked: s.locked } : null;
  }

  requireStaff(): { opterNo: string; name: string } {
    if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端不能办理该业务', ['请到人工窗口办理']);
    const s = this.staff();
    if (!s) throw new KioskError('NOT_SIGNED_IN', '操作员尚未登录', ['请输入工号和密码登录后再办理业务']);
    return s;
  }

  /** Who the terminal serves now, for the Dispatcher's role check. */
  principal(): Principal {
    if (this.selfService) return { kind: 'operator', opterNo: this.ctx.config.terminal.selfServiceOpterNo, roles: ['patient'] };
    const s = this.active();
    if (!s) return { kind: 'nobody' };
    if (s.locked) return { kind: 'locked', opterNo: s.opterNo };
    return { kind: 'operator', opterNo: s.opterNo, roles: s.roles };
  }

  /** Called when the signed-in operator changes (the status bar shows it). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The KioskApi `operator` group. */
  group(): KioskServices['operator'] {
    return {
      signIn: async ({ opterNo, password }) => {
        if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端无需操作员登录', []);
        const account = this.passOrThrow(this.accounts.check(opterNo, password, 'sign-in'));
        if (account.mustChange) throw new KioskError('PASSWORD_CHANGE_REQUIRED', '首次登录或密码已重置，请先设置新密码。', ['新密码至少8位，须包含字母、数字、符号中的至少两类。']);
        // A technician's work (store, backups, devices) needs no 医保 sign-in, and must be possible offline.
        let signNo: string | null = null;
        let day = this.today();
        if (account.roles.some((r) => r !== 'technician')) {
          try {
            const record = await this.ctx.platform.ensureSignedIn(staffOperator(opterNo, account.name));
            signNo = record.sign_no;
            day = record.day;
          } catch (err) {
            throw toKioskError(err);
          }
        }
        const previous = this.signedIn && this.signedIn.opterNo !== opterNo ? this.signedIn.opterNo : null;
        this.ctx.store.write((tx) => {
          this.ctx.store.operators.saveOperator(tx, opterNo, account.name);
          this.ctx.store.accounts.recordSignIn(tx, opterNo);
          if (previous) this.ctx.store.audit.append(tx, { actor: `opter:${opterNo}`, action: 'operator.replaced', subject: `operator:${previous}` });
        });
        this.signedIn = { opterNo, name: account.name, day, locked: false };
        this.ctx.log.info('operator signed in', { opterNo, roles: account.roles, signNo, replaced: previous });
        this.changed();
        return { opterNo, name: account.name, roles: account.roles, signNo };
      },
      signOut: async () => {
        const s = this.requireStaff();
        const account = this.accounts.get(s.opterNo);
        if (account?.roles.some((r) => r !== 'technician')) {
          try {
            await this.ctx.platform.signOut(staffOperator(s.opterNo, s.name));
          } catch (err) {
            throw toKioskError(err);
          }
        }
        this.signedIn = null;
        this.ctx.log.info('operator signed out', { opterNo: s.opterNo });
        this.changed();
        return { ok: true as const };
      },
      lock: async () => {
        const s = this.active();
        if (s && !s.locked) {
          this.signedIn = { ...s, locked: true };
          this.ctx.store.write((tx) => this.ctx.store.audit.append(tx, { actor: `opter:${s.opterNo}`, action: 'operator.desk-locked', subject: `operator:${s.opterNo}` }));
          this.changed();
        }
        return { ok: true as const };
      },
      unlock: async ({ password }) => {
        const s = this.active();
        if (!s) throw new KioskError('NOT_SIGNED_IN', '操作员尚未登录', ['请输入工号和密码登录。']);
        if (!s.locked) return { ok: true as const };
        const result = this.accounts.check(s.opterNo, password, 'desk-unlock');
        if (!result.ok && result.reason === 'refused') throw new KioskError('SIGN_IN_FAILED', '密码不正确。', [`连续输错将锁定账号。如需换人，请由其他操作员登录。`]);
        this.passOrThrow(result);
        this.signedIn = { ...s, locked: false };
        this.changed();
        return { ok: true as const };
      },
      changePassword: async ({ opterNo, password, newPassword }) => {
        if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端无需操作员登录', []);
        this.passOrThrow(this.accounts.check(opterNo, password, 'change-password'));
        try {
          this.accounts.setPassword(opterNo, newPassword, { mustChange: false, actor: `opter:${opterNo}` });
        } catch (err) {
          if (err instanceof AccountError) throw new KioskError('PASSWORD_REJECTED', err.message, ['请换一个密码。']);
          throw err;
        }
        return { ok: true as const };
      },
      demoAccounts: async () => (this.ctx.config.demo && !this.selfService ? DEMO_ACCOUNTS.map(({ opterNo, name, roles, password }) => ({ opterNo, name, roles, password })) : []),
      unlockAccount: async ({ opterNo, supervisorNo, supervisorPassword }) => {
        if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端不能办理该业务', ['请到人工窗口办理']);
        new SupervisorApproval(this.accounts).require(supervisorNo, supervisorPassword, `operator:${opterNo}`);
        return { wasLocked: this.accounts.unlock(opterNo, `supervisor:${supervisorNo}`) };
      },
    };
  }

  private passOrThrow(result: CheckResult) {
    if (result.ok) return result.account;
    if (result.reason === 'locked') {
      throw new KioskError('ACCOUNT_LOCKED', `密码错误次数过多，该工号已锁定至 ${clockText(result.lockedUntil)}。`, [`请 ${clockText(result.lockedUntil)} 后再试，或请主管解锁。`]);
    }
    throw new KioskError('SIGN_IN_FAILED', '工号或密码不正确。', [result.failuresLeft <= 2 ? `再输错 ${result.failuresLeft} 次，该工号将被锁定。` : '请检查后重新输入（注意大小写）。']);
  }

  /** An account changed (account administration): the status bar re-reads the signed-in operator's roles. */
  accountsChanged(): void {
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
