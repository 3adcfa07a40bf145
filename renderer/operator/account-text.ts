import type { AccountSource, AccountView } from '../../contract/dto/accounts.ts';
import { ROLE_TEXT, type StaffRole } from '../../contract/dto/roles.ts';
import { chineseDateTime } from '../app/format.ts';

/** The staff roles in the order every list and picker shows them. */
export const STAFF_ROLES: readonly StaffRole[] = ['clerk', 'cashier', 'supervisor', 'technician'];

export const rolesText = (roles: readonly StaffRole[]) => STAFF_ROLES.filter((r) => roles.includes(r)).map((r) => ROLE_TEXT[r]).join('、');

/** 正常 / 已锁定（至 14:35）/ 已停用: what the supervisor's list says of an account. */
export function stateText(a: Pick<AccountView, 'state' | 'lockedUntil'>): string {
  if (a.state === 'disabled') return '已停用';
  if (a.state === 'locked') return a.lockedUntil ? `已锁定（至 ${a.lockedUntil.slice(11, 16)}）` : '已锁定';
  return '正常';
}

export const SOURCE_TEXT: Record<AccountSource, string> = {
  config: '配置文件',
  his: 'HIS 导入',
  cli: '本机添加',
  demo: '演示账号',
};

/** 最近登录: the China time written the Chinese way without seconds (2026年11月24日 08:01), or 从未登录. */
export const lastSignInText = (at: string | null) => (at ? chineseDateTime(at) : '从未登录');
