import type { Dispatcher } from '../contract/dispatcher.ts';
import type { TerminalConfig } from './config/schema.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logging/logger.ts';

/**
 * What every service receives from the composition root (services/terminal.ts). Services never build their
 * own clients, stores or readers; they take them from here, so tests hand in real parts on temp files and ports.
 *
 * The store (db/), the platform client (insurance/client) and the reader manager (drivers/) are added here as
 * those layers land; services declare the narrow slice they use.
 */
export interface ServiceContext {
  config: TerminalConfig;
  clock: Clock;
  log: Logger;
  /** Emit a KioskApi event to every connected screen (validated against the contract). */
  emit: Dispatcher['emit'];
}
