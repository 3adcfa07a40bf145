import type { StaffRole } from '../../contract/dto/roles.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import type { DeskTab } from '../components/DeskShell.tsx';

export const ACCOUNTS_TAB: DeskTab<'accounts'> = { id: 'accounts', label: '账号管理' };

/**
 * A desk's tabs, with 账号管理 last for a supervisor. The roles are the terminal's current ones (the status),
 * so a supervisor who gives up the role loses the tab at once; the terminal refuses the requests anyway.
 */
export function withAccountsTab<T extends string>(tabs: DeskTab<T>[], status: TerminalStatus, signedIn: { roles?: StaffRole[] }): DeskTab<T | 'accounts'>[] {
  const roles = status.operator?.roles ?? signedIn.roles ?? [];
  return roles.includes('supervisor') ? [...tabs, ACCOUNTS_TAB] : tabs;
}
