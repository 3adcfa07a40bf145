import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey } from '../../../../db/keystore.ts';
import { openStore } from '../../../../db/store.ts';
import { RELAY_WORKER_BUNDLE, relayWorkerEntry, WorkerCommitter } from '../../../../services/sync/relay-worker-committer.ts';
// @ts-expect-error: plain ESM build script without type declarations
import { buildElectron, WORKER_BUNDLES } from '../../../../scripts/build-electron.mjs';
import { HOSPITAL, ManualClock } from '../../db/helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');

describe("the relay's commit worker entry", () => {
  it('from source: relay-commit-worker.ts beside the relay, loaded through tsx', () => {
    const entry = relayWorkerEntry();
    expect(entry.file).toBe(join(ROOT, 'services/sync/relay-commit-worker.ts'));
    expect(existsSync(entry.file)).toBe(true);
    expect(entry.execArgv[0]).toBe('--import');
    expect(existsSync(new URL(entry.execArgv[1]!))).toBe(true);
  });

  it('in the bundle: its own bundle beside main.cjs, built from that source', () => {
    expect((WORKER_BUNDLES as Record<string, string>)[RELAY_WORKER_BUNDLE]).toBe('services/sync/relay-commit-worker.ts');
  });
});

describe('the bundled commit worker (scripts/build-electron.mjs) commits on an encrypted store', () => {
  let outDir: string;
  let built: { mainFile: string };
  beforeAll(async () => {
    // Two levels below the app root, as dist/electron is: the bundles find node_modules and their data files.
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    outDir = mkdtempSync(join(ROOT, 'dist', 'test-worker-build-'));
    built = (await buildElectron({ outDir, logLevel: 'silent' })) as typeof built;
  }, 120_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is built next to main.cjs, and main.cjs looks for it there (not for the source)', () => {
    expect(existsSync(join(outDir, RELAY_WORKER_BUNDLE))).toBe(true);
    const main = readFileSync(built.mainFile, 'utf8');
    expect(main).toContain(JSON.stringify(RELAY_WORKER_BUNDLE));
    expect(main).toMatch(/typeof __dirname === "string"/);
  });

  it('runs the relay operations in its own thread on a second connection, with the relay clock, and closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-worker-store-'));
    const clock = new ManualClock('2026-11-20T02:00:00Z');
    const store = openStore(join(dir, 'kiosk.sqlite'), { fixmedinsCode: HOSPITAL, key: newKey(), clock });
    try {
      const committer = new WorkerCommitter(store.connectionSpec!, 'relay-bundle-test', clock, { file: join(outDir, RELAY_WORKER_BUNDLE), execArgv: [] });
      await committer.ready();
      await expect(committer.run('acquireLease', { ttlMs: 5_000 })).resolves.toEqual({ acquired: true, holder: 'relay-bundle-test' });
      await expect(committer.run('recover', null)).resolves.toEqual([]);
      await expect(committer.run('flush', { writes: [], release: [], claim: { free: 4, ahead: 4, alongside: '2301' } })).resolves.toEqual({ settled: [], send: [], ready: [], nextDueAt: null });
      // Written by the worker's connection, at the relay's clock, seen by this one.
      expect(store.db.prepare('SELECT holder, expires_at AS expiresAt FROM relay_lease').get()).toEqual({ holder: 'relay-bundle-test', expiresAt: clock.now().getTime() + 5_000 });
      await committer.run('releaseLease', null);
      await committer.close();
      expect(store.db.prepare('SELECT count(*) FROM relay_lease').pluck().get()).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
