import { KioskError } from '../../contract/errors.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { Accounts } from './accounts.ts';

/**
 * A supervisor's approval at a desk (a settlement reversal, lifting a lockout): the supervisor types their own
 * 工号 and password, checked against the operator accounts (same lockout as sign-in), and the account must hold
 * the supervisor role. Audited either way; a refusal is SUPERVISOR_REQUIRED. The signed-in operator's own
 * credentials approve nothing unless that operator is a supervisor.
 */
export class SupervisorApproval {
  constructor(private readonly accounts: Accounts) {}

  require(supervisorNo: string, password: string, subject: string): { opterNo: string; name: string } {
    const result = this.accounts.check(supervisorNo, password, 'approval', `supervisor:${supervisorNo}`);
    if (!result.ok && result.reason === 'locked') {
      throw new KioskError('SUPERVISOR_REQUIRED', `主管工号 ${supervisorNo} 密码错误次数过多，已锁定至 ${clockText(result.lockedUntil)}。`, ['请由其他主管授权。']);
    }
    const supervisor = result.ok && result.account.roles.includes('supervisor') ? result.account : null;
    this.accounts.audit(`supervisor:${supervisorNo}`, supervisor ? 'operator.approval-given' : 'operator.approval-refused', subject, {
      why: supervisor ? null : result.ok ? 'not-a-supervisor' : 'credentials',
    });
    if (!supervisor) throw new KioskError('SUPERVISOR_REQUIRED', '须由主管授权：主管工号或密码不正确。', ['请主管本人输入工号和密码。']);
    return { opterNo: supervisor.opterNo, name: supervisor.name };
  }
}

/** "14:35" in China time: when a lock ends (the same day or the next morning: the time is what the desk needs). */
export function clockText(ms: number): string {
  return chinaTime(new Date(ms)).dateTime.slice(11, 16);
}
