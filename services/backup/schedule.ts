import type { BackupFile } from '../../db/backup.ts';
import type { Logger } from '../logging/logger.ts';

export interface BackupSchedule {
  close(): void;
}

/**
 * Rotating online backups of the store (db/backup.ts): a few minutes after start, then every `intervalMs`.
 * A failed backup is logged and tried again at the next turn; it never stops the terminal.
 */
export function startBackupSchedule(options: { backup: () => Promise<BackupFile>; log: Logger; firstDelayMs?: number; intervalMs?: number }): BackupSchedule {
  const interval = options.intervalMs ?? 6 * 3600_000;
  let handle: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const run = async () => {
    if (closed) return;
    try {
      const b = await options.backup();
      options.log.info('store backup', { path: b.path, bytes: b.bytes });
    } catch (err) {
      options.log.error('store backup failed', { error: err });
    }
    if (closed) return;
    handle = setTimeout(() => void run(), interval);
    handle.unref();
  };
  handle = setTimeout(() => void run(), options.firstDelayMs ?? 5 * 60_000);
  handle.unref();
  return {
    close() {
      closed = true;
      if (handle) clearTimeout(handle);
    },
  };
}
