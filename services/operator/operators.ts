import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import { selfServiceOperator, staffOperator, type Operator } from '../../insurance/client/envelope.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { OperatorPort, ServiceContext } from '../context.ts';

type OperatorContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'platform'>;

/**
 * Who works at this terminal. Staff modes (入院登记, 出院结算): the operator signs in with 9001 once per day;
 * the client caches the day's sign_no in the store, so a second sign-in the same day (or after a restart)
 * reuses it instead of signing in again, and every platform call goes out under that operator (opter_type 1).
 * Self-service: the terminal itself is the operator (opter_type 2, config terminal.selfServiceOpterNo).
 */
export class Operators implements OperatorPort {
  private signedIn: { opterNo: string; name: string; day: string } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly ctx: OperatorContext) {}

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

  staff(): { opterNo: string; name: string } | null {
    if (this.selfService || !this.signedIn) return null;
    // A sign-in is for one calendar day (China time): at midnight the desk signs in again.
    if (this.signedIn.day !== this.today()) return null;
    return { opterNo: this.signedIn.opterNo, name: this.signedIn.name };
  }

  requireStaff(): { opterNo: string; name: string } {
    if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端不能办理该业务', ['请到人工窗口办理']);
    const s = this.staff();
    if (!s) throw new KioskError('NOT_SIGNED_IN', '操作员尚未签到', ['请先输入工号和姓名完成医保签到（9001），再办理业务']);
    return s;
  }

  /** Called when the signed-in operator changes (the status bar shows it). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The KioskApi `operator` group. */
  group(): KioskServices['operator'] {
    return {
      signIn: async ({ opterNo, name }) => {
        if (this.selfService) throw new KioskError('NOT_AVAILABLE', '自助终端无需操作员签到', []);
        const operator = staffOperator(opterNo, name);
        let record;
        try {
          record = await this.ctx.platform.ensureSignedIn(operator);
        } catch (err) {
          throw toKioskError(err);
        }
        this.ctx.store.write((tx) => this.ctx.store.operators.saveOperator(tx, opterNo, name));
        this.signedIn = { opterNo, name, day: record.day };
        this.ctx.log.info('operator signed in', { opterNo, signNo: record.sign_no });
        this.changed();
        return { opterNo, name, signNo: record.sign_no };
      },
      signOut: async () => {
        const s = this.requireStaff();
        try {
          await this.ctx.platform.signOut(staffOperator(s.opterNo, s.name));
        } catch (err) {
          throw toKioskError(err);
        }
        this.signedIn = null;
        this.ctx.log.info('operator signed out', { opterNo: s.opterNo });
        this.changed();
        return { ok: true as const };
      },
    };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
