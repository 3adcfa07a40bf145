import type { App, RelaunchOptions } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';
import type { RelaunchLedger } from './relaunch-ledger.ts';

export interface RelaunchBudget {
  /** At most this many self-relaunches… */
  limit: number;
  /** …within this window; past it the app stops relaunching and shows the out-of-service page. */
  windowMs: number;
}

export const DEFAULT_RELAUNCH_BUDGET: RelaunchBudget = { limit: 2, windowMs: 30 * 60_000 };

/**
 * How to start ourselves again. An AppImage runs from a squashfs mount that disappears when the app exits,
 * so process.execPath is useless there; the AppImage file itself ($APPIMAGE) must be relaunched.
 */
export function relaunchOptions(env: NodeJS.ProcessEnv, argv: readonly string[]): RelaunchOptions {
  const args = argv.slice(1);
  return env.APPIMAGE ? { execPath: env.APPIMAGE, args } : { args };
}

export interface Relauncher {
  /** Relaunches and exits when the budget allows (returns true; the process is on its way out), else false. */
  relaunch(reason: string): boolean;
}

export function createRelauncher(deps: {
  app: Pick<App, 'relaunch' | 'exit'>;
  ledger: RelaunchLedger;
  log: Logger;
  now: () => number;
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  budget?: RelaunchBudget;
}): Relauncher {
  const budget = deps.budget ?? DEFAULT_RELAUNCH_BUDGET;
  let relaunching = false;
  return {
    relaunch(reason) {
      if (relaunching) return true;
      const now = deps.now();
      const recent = deps.ledger.recent(now, budget.windowMs);
      if (recent >= budget.limit) {
        deps.log.error('relaunch-budget-exhausted', { reason, recent, limit: budget.limit, windowMinutes: budget.windowMs / 60_000 });
        return false;
      }
      relaunching = true;
      deps.ledger.record(now);
      deps.log.error('app-relaunch', { reason, recent });
      deps.app.relaunch(relaunchOptions(deps.env, deps.argv));
      deps.app.exit(0);
      return true;
    },
  };
}
