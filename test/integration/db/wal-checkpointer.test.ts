import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupStore } from '../../../db/backup.ts';
import { newKey } from '../../../db/keystore.ts';
import { openStore, type Store } from '../../../db/store.ts';
import { WalCheckpointer } from '../../../db/wal-checkpointer.ts';
import { HOSPITAL, ManualClock } from '../../unit/db/helpers.ts';

// The background WAL checkpointer (db/wal-checkpointer.ts): a real worker thread with its own connection to a
// real encrypted file. Waits are bounded polls of its counters, never timings.

const SMALL = { thresholdBytes: 64 * 1024, pollMs: 10 };

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background WAL checkpointer', () => {
  let dir: string;
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) if (s.db.open) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function open(options: Parameters<typeof openStore>[1] = {}, file = 'kiosk.sqlite'): Store {
    const store = openStore(join(dir, file), { fixmedinsCode: HOSPITAL, clock: new ManualClock(), key: newKey(), ...options });
    stores.push(store);
    return store;
  }

  function append(store: Store, n: number): void {
    for (let i = 0; i < n; i++) store.write((tx) => store.audit.append(tx, { actor: 'opter:1001', action: 'bench.fill', subject: `s${i}`, detail: { pad: 'x'.repeat(300) } }));
  }

  const walPending = (store: Store) => {
    const [row] = store.db.pragma('wal_checkpoint(NOOP)') as Array<{ log: number; checkpointed: number }>;
    return row!.log - row!.checkpointed;
  };

  it('checkpoints in its own thread as the WAL grows; the writer keeps its own autocheckpoint', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-ckpt-'));
    const store = open({ walCheckpointer: { pollMs: 10 } });
    // The writer's own: 4 MB in 1 KiB pages, as without the thread.
    expect(Number(store.db.pragma('wal_autocheckpoint', { simple: true }))).toBe(4000);
    append(store, 400); // about 2 MB of WAL: past the thread's 1 MB threshold, below the writer's 4 MB
    await until('a background checkpoint', () => store.checkpointer!.checkpoints > 0);
    await until('the WAL copied into the file', () => walPending(store) === 0);
    expect(store.checkpointer!.failures).toBe(0);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('is joined by close(): its connection is closed first, so the store removes its WAL as the last connection', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-ckpt-'));
    const store = open({ walCheckpointer: SMALL });
    append(store, 100);
    await until('a background checkpoint (its connection is open)', () => store.checkpointer!.checkpoints > 0);
    store.close();
    expect(store.checkpointer!.running).toBe(false);
    expect(existsSync(`${store.path}-wal`)).toBe(false);
    // Closed at once, while the thread may still be opening its connection: no hang, no WAL left.
    const quick = open({ walCheckpointer: SMALL }, 'quick.sqlite');
    quick.close();
    expect(existsSync(`${quick.path}-wal`)).toBe(false);
  });

  it('a checkpointer that fails is reported and never ends the process; the store keeps working', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-ckpt-'));
    const store = open();
    append(store, 5);
    const problems: Error[] = [];
    // A thread that cannot open the store (here: the wrong key) reports it and stops.
    const failing = new WalCheckpointer(store.path, newKey(), { ...SMALL, onProblem: (e) => problems.push(e) });
    await until('the failure to be reported', () => problems.length > 0);
    expect(problems[0]!.message).toMatch(/无法用本机密钥解开/);
    await until('the thread to stop', () => !failing.running);
    expect(failing.stop()).toBe(true);
    append(store, 5);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('keeps the WAL near the writer\'s 4 MB through a long run of commits (a longer WAL slows every encrypted commit)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-ckpt-'));
    const store = open({ walCheckpointer: { pollMs: 10 } });
    // Commits back to back: a PASSIVE checkpoint in the thread never catches the last frame, so only the writer's
    // own checkpoint lets the WAL restart. ~8 MB of commits; the WAL file never passes 4 MB by more than a few
    // commits (it grew to 16 MB when the writer's autocheckpoint was raised while the thread ran).
    let largest = 0;
    for (let i = 0; i < 40; i++) {
      append(store, 50);
      largest = Math.max(largest, statSync(`${store.path}-wal`).size);
    }
    expect(store.checkpointer!.failures).toBe(0);
    expect(largest).toBeGreaterThan(1_000_000);
    expect(largest).toBeLessThan(4_600_000);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('takes backups while it runs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-ckpt-'));
    const store = open({ walCheckpointer: SMALL });
    append(store, 100);
    const backup = await backupStore(store.db, store.path, { now: new Date('2026-11-20T00:00:00Z') });
    expect(existsSync(backup.path)).toBe(true);
    append(store, 100);
    await until('a background checkpoint', () => store.checkpointer!.checkpoints > 0);
  });
});
