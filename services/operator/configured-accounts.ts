import type { TerminalConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { DEMO_ACCOUNTS } from '../demo/demo-accounts.ts';
import type { AccountSpec, Accounts } from './accounts.ts';

/**
 * At every start: the configuration's accounts (`operators`, plus the deprecated `supervisors` as supervisor
 * accounts) and, in demo mode only, the demo accounts are written into the store (Accounts.sync). Outside
 * demo mode the demo accounts are disabled, should a demo store ever be reused.
 */
export function syncConfiguredAccounts(accounts: Accounts, config: TerminalConfig, log: Logger): void {
  const specs: AccountSpec[] = config.operators.map((o) => ({ opterNo: o.opterNo, name: o.name, roles: o.roles, passwordHash: o.passwordHash, ...(o.disabled !== undefined ? { disabled: o.disabled } : {}) }));
  if (config.supervisors.length > 0) {
    log.warn('configuration: `supervisors` is deprecated; loaded as accounts with the supervisor role. Move each entry to `operators` with "roles": ["supervisor"] (same opterNo, name, passwordHash)', { count: config.supervisors.length });
    for (const s of config.supervisors) {
      if (!specs.some((o) => o.opterNo === s.opterNo)) specs.push({ opterNo: s.opterNo, name: s.name, roles: ['supervisor'], passwordHash: s.passwordHash });
    }
  }
  const fromConfig = accounts.sync('config', specs, 'system:config');
  const demo = accounts.sync('demo', config.demo ? DEMO_ACCOUNTS.map(({ password: _shown, ...spec }) => spec) : [], 'system:demo');
  log.info('operator accounts', { configured: specs.length, ...fromConfig, demo: config.demo ? DEMO_ACCOUNTS.length : 0, demoDisabled: demo.disabled, inStore: accounts.list().filter((a) => !a.disabled).length });
}
