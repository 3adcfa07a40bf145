import type { Logger } from '../../../services/logging/logger.ts';
import type { Relauncher } from './relaunch.ts';

export type ProcessEvents = { on(event: 'uncaughtException' | 'unhandledRejection', listener: (err: unknown) => void): unknown };

/**
 * A main-process error that nothing caught leaves the services in an unknown state: log it (redacted), then
 * relaunch the app (the outbox in SQLite survives; in-memory state does not matter). Past the relaunch
 * budget the app stays up on the out-of-service page instead of looping; the OS supervisor (systemd unit,
 * Windows Shell Launcher) covers a main process that dies outright.
 */
export function installMainErrorGuard(deps: {
  process: ProcessEvents;
  relauncher: Relauncher;
  giveUp: (reason: string) => void;
  log: Logger;
}): void {
  let handling = false;
  const handle = (kind: 'uncaught-exception' | 'unhandled-rejection') => (err: unknown) => {
    deps.log.error(`main-${kind}`, { err });
    if (handling) return; // one recovery at a time; later errors are logged only
    handling = true;
    try {
      if (!deps.relauncher.relaunch(`main ${kind}`)) deps.giveUp(`main-process ${kind}, relaunch budget spent`);
    } catch (recoveryErr) {
      deps.log.error('main-recovery-failed', { err: recoveryErr });
    }
  };
  deps.process.on('uncaughtException', handle('uncaught-exception'));
  deps.process.on('unhandledRejection', handle('unhandled-rejection'));
}
