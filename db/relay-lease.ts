import { hostname } from 'node:os';
import type { SqliteDatabase } from './connection.ts';
import { assertInTransaction, type Tx } from './tx.ts';

export interface LeaseHolder {
  holder: string;
  pid: number;
  host: string;
  acquiredAt: number;
  expiresAt: number;
}

/**
 * One relay per store. Two relays draining the same outbox would each recover the other's in-flight items
 * and send them again. The lease is a row naming the holder; it is renewed while the relay runs and can be
 * taken over when it has expired, or at once when its holder is a process on this machine that no longer
 * exists (a relay killed with SIGKILL never releases; its successor should not wait out the lease).
 */
export class RelayLease {
  private readonly s;
  readonly holder: string;
  private readonly pid: number;
  private readonly host: string;
  private readonly name: string;
  private readonly isAlive: (pid: number) => boolean;

  constructor(db: SqliteDatabase, options: { holder: string; name?: string; pid?: number; host?: string; isAlive?: (pid: number) => boolean }) {
    this.holder = options.holder;
    this.name = options.name ?? 'relay';
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processAlive;
    this.s = {
      get: db.prepare<[string], { holder: string; pid: number; host: string; acquired_at: number; expires_at: number }>('SELECT * FROM relay_lease WHERE name = ?'),
      put: db.prepare(
        `INSERT INTO relay_lease (name, holder, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host,
           acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`,
      ),
      renew: db.prepare('UPDATE relay_lease SET expires_at = ? WHERE name = ? AND holder = ?'),
      release: db.prepare('DELETE FROM relay_lease WHERE name = ? AND holder = ?'),
    };
  }

  current(): LeaseHolder | null {
    const r = this.s.get.get(this.name);
    return r ? { holder: r.holder, pid: r.pid, host: r.host, acquiredAt: r.acquired_at, expiresAt: r.expires_at } : null;
  }

  /** Takes the lease if free, expired, held by a dead local process, or already ours. */
  acquire(tx: Tx, ttlMs: number): boolean {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    const cur = this.current();
    const free =
      !cur || cur.holder === this.holder || cur.expiresAt <= now || (cur.host === this.host && cur.pid !== this.pid && !this.isAlive(cur.pid));
    if (!free) return false;
    this.s.put.run(this.name, this.holder, this.pid, this.host, cur?.holder === this.holder ? cur.acquiredAt : now, now + ttlMs);
    return true;
  }

  /** Extends our lease; false when another relay has taken it (we must stop). */
  renew(tx: Tx, ttlMs: number): boolean {
    assertInTransaction(tx);
    return this.s.renew.run(tx.now.getTime() + ttlMs, this.name, this.holder).changes === 1;
  }

  release(tx: Tx): void {
    assertInTransaction(tx);
    this.s.release.run(this.name, this.holder);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
