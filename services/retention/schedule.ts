import type { RetentionReport } from '../../db/retention.ts';
import type { Logger } from '../logging/logger.ts';

export interface RetentionSchedule {
  close(): void;
}

/**
 * Purges personal data older than the configured period (config store.retentionDays): shortly after start-up,
 * then once a day. What is kept for accounting is decided in db/retention.ts; this only runs it and logs the
 * counts (the purge writes its own audit row).
 */
export function startRetentionSchedule(options: {
  purge: () => RetentionReport;
  log: Logger;
  /** Start-up is busy (readers, platform sign-in); the first purge waits a little. */
  firstDelayMs?: number;
  intervalMs?: number;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}): RetentionSchedule {
  const timers = options.timers ?? { setTimeout, clearTimeout };
  const interval = options.intervalMs ?? 24 * 3600_000;
  let handle: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const run = () => {
    if (closed) return;
    try {
      const report = options.purge();
      options.log.info('retention purge', { deleted: report.deleted, scrubbedSettlements: report.scrubbedSettlements });
    } catch (err) {
      // A failed purge must not take the terminal down; it is tried again tomorrow and the error is logged.
      options.log.error('retention purge failed', { err });
    }
    handle = timers.setTimeout(run, interval);
    (handle as { unref?: () => void }).unref?.();
  };
  handle = timers.setTimeout(run, options.firstDelayMs ?? 60_000);
  (handle as { unref?: () => void }).unref?.();
  return {
    close() {
      closed = true;
      if (handle) timers.clearTimeout(handle);
    },
  };
}
