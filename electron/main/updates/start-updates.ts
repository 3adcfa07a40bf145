import type { AppUpdater } from 'electron-updater';
import type { TerminalConfig } from '../../../services/config/schema.ts';
import type { Logger } from '../../../services/logging/logger.ts';
import type { Terminal } from '../../../services/terminal.ts';
import { electronUpdaterPort } from './electron-updater-port.ts';
import { terminalActivity } from './terminal-activity.ts';
import { UpdateFlow } from './update-flow.ts';

/**
 * Runs the update flow in the packaged app: a check every `updates.checkIntervalMinutes`, an install attempt
 * every 30 s (it installs only when the terminal is idle and nothing is in progress). Returns a stop function.
 */
export function startUpdates(config: TerminalConfig, terminal: Pick<Terminal, 'parts'>, updater: AppUpdater, log: Logger): () => void {
  if (!config.updates.enabled) return () => undefined;
  const flow = new UpdateFlow({
    updater: electronUpdaterPort(updater, config.updates.url),
    activity: terminalActivity(terminal),
    idleBeforeInstallMs: config.updates.idleMinutes * 60_000,
    log,
  });
  const check = setInterval(() => void flow.check(), config.updates.checkIntervalMinutes * 60_000);
  const install = setInterval(() => flow.maybeInstall(), 30_000);
  check.unref();
  install.unref();
  setTimeout(() => void flow.check(), 60_000).unref();
  return () => {
    clearInterval(check);
    clearInterval(install);
  };
}
