import type { KioskServices } from '../../contract/api.ts';
import { KioskError, type ErrorCode } from '../../contract/errors.ts';
import { AccountRefused, type RefusalReason } from './accounts.ts';
import type { AccountAdmin, AdminActor } from './account-admin.ts';
import type { Operators } from './operators.ts';

const CODE: Record<RefusalReason, ErrorCode> = {
  'not-a-supervisor': 'FORBIDDEN',
  'last-supervisor': 'ACCOUNT_STATE',
  'own-account': 'ACCOUNT_STATE',
  'managed-elsewhere': 'ACCOUNT_STATE',
  'weak-password': 'PASSWORD_REJECTED',
  duplicate: 'ACCOUNT_EXISTS',
  'unknown-account': 'ACCOUNT_NOT_FOUND',
  invalid: 'INVALID_ARGUMENT',
};

/**
 * The KioskApi `accounts` group: the supervisor's 账号管理 screen. The Dispatcher has already checked the role
 * (contract/access.ts); the acting supervisor is taken from the session here and checked again by
 * AccountAdmin, so no request argument names who acts. A change to the signed-in operator's own account (a
 * supervisor taking their own role away) is told to the status bar at once.
 */
export function accountsGroup(admin: AccountAdmin, operators: Operators): KioskServices['accounts'] {
  const supervisor = (): { kind: 'supervisor'; opterNo: string } => {
    const p = operators.principal();
    if (p.kind !== 'operator' || !p.roles.includes('supervisor')) throw new KioskError('FORBIDDEN', '只有主管可以管理操作员账号。', ['请由主管登录后办理。']);
    return { kind: 'supervisor', opterNo: p.opterNo };
  };
  const ask = async <T>(fn: (by: { kind: 'supervisor'; opterNo: string }) => T): Promise<T> => {
    const by = supervisor();
    try {
      return fn(by);
    } catch (err) {
      if (err instanceof AccountRefused) throw new KioskError(CODE[err.reason], err.message, err.guidance);
      throw err;
    }
  };
  const run = async <T>(fn: (by: AdminActor) => T): Promise<T> => {
    const result = await ask(fn);
    operators.accountsChanged();
    return result;
  };
  return {
    list: () => ask((by) => ({ accounts: admin.list(by), self: by.opterNo })),
    add: ({ opterNo, name, roles, password }) => run((by) => admin.add(by, { opterNo, name, roles, password, mustChange: true })),
    setRoles: ({ opterNo, roles }) => run((by) => admin.setRoles(by, opterNo, roles)),
    setDisabled: ({ opterNo, disabled }) => run((by) => admin.setDisabled(by, opterNo, disabled)),
    resetPassword: ({ opterNo, password }) => run((by) => admin.resetPassword(by, opterNo, password)),
    // AccountAdmin refuses a supervisor an unknown 工号 before anything is unlocked, so the account is there.
    unlock: ({ opterNo }) => run((by) => admin.unlock(by, opterNo).account!),
  };
}
