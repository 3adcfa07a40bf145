import { z } from 'zod';
import { DateTime } from './common.ts';
import { StaffRole } from './roles.ts';

/** 工号 as accounts take it: letters, digits, `_` and `-` (the HIS's staff numbers), up to 20. */
export const AccountNo = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/);

/** 正常 / 已锁定 (too many failed sign-ins, until a time) / 已停用. */
export const AccountState = z.enum(['active', 'locked', 'disabled']);
export type AccountState = z.infer<typeof AccountState>;

/** Where the account comes from: the configuration, an HIS staff export, this terminal (screen or command line), demo mode. */
export const AccountSource = z.enum(['config', 'his', 'cli', 'demo']);
export type AccountSource = z.infer<typeof AccountSource>;

/** One operator account as the supervisor's list shows it: never a password or a hash. */
export const AccountView = z.object({
  opterNo: z.string(),
  name: z.string(),
  roles: z.array(StaffRole),
  state: AccountState,
  /** China time, while locked. */
  lockedUntil: DateTime.nullable(),
  /** No password yet: the account cannot sign in until one is set. */
  hasPassword: z.boolean(),
  /** An initial or reset password: the operator sets their own at the next sign-in. */
  mustChangePassword: z.boolean(),
  source: AccountSource,
  /** China time of the last sign-in at this terminal, or null: never. */
  lastSignInAt: DateTime.nullable(),
  /** Whether roles and 停用/启用 may be changed here (not for configured or demo accounts, which their source rewrites at every start). */
  rolesEditable: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountList = z.object({
  accounts: z.array(AccountView),
  /** The signed-in supervisor's own 工号 (their own account cannot be disabled). */
  self: z.string(),
});
export type AccountList = z.infer<typeof AccountList>;

const Roles = z.array(StaffRole).min(1).max(4);
/** An initial password typed by the supervisor (the terminal checks the rule and says which part fails). */
const InitialPassword = z.string().min(1).max(64);

export const NewAccount = z.object({ opterNo: AccountNo, name: z.string().trim().min(1).max(20), roles: Roles, password: InitialPassword });
export const SetRoles = z.object({ opterNo: AccountNo, roles: Roles });
export const SetDisabled = z.object({ opterNo: AccountNo, disabled: z.boolean() });
export const ResetPassword = z.object({ opterNo: AccountNo, password: InitialPassword });
