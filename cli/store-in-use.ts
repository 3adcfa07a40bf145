import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { KioskError } from '../contract/errors.ts';
import { openDatabase, type SqliteDatabase } from '../db/connection.ts';
import { openElsewhere } from '../db/reencrypt.ts';
import { prepareStoreKey } from '../db/store-key.ts';
import { cliKeyStore } from '../services/security/key-store.ts';

/**
 * Refuses a command that must not run under a live terminal (`kiosk store restore`, `kiosk store audit --accept`):
 * the relay's lease names the terminal; an open connection finds any process, whatever its clock says (the demo
 * terminal runs on its demo day, so its lease looked expired and the store was replaced under it).
 */
export function refuseWhileInUse(path: string, what: string, command: string): void {
  const running = runningTerminal(path) ?? (openElsewhere(path, cliKeyStore(path).read('store')) ? '另一程序（终端或 kiosk 命令）正打开它' : null);
  if (running) throw new KioskError('STORE_ERROR', `终端正在使用该数据库（${running}），不能${what}。`, [`请先停止终端，再运行 ${command}。`]);
}

/** The terminal (its relay) holds a live lease on the store: a change under it would race its next writes. */
function runningTerminal(path: string): string | null {
  if (!existsSync(path) || statSync(path).size === 0) return null;
  let db: SqliteDatabase | null = null;
  try {
    db = openDatabase(path, { readonly: true, key: prepareStoreKey(path, cliKeyStore(path), { readonly: true }) });
    const row = db.prepare<[], { pid: number; host: string; expires_at: number }>('SELECT pid, host, expires_at FROM relay_lease').get();
    if (!row || row.host !== hostname() || row.expires_at < Date.now()) return null;
    process.kill(row.pid, 0);
    return `进程 ${row.pid}`;
  } catch {
    return null; // unreadable (damaged) or no such process: nothing running on it
  } finally {
    db?.close();
  }
}
