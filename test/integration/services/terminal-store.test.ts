import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from './harness.ts';

/**
 * The store as the terminal opens it (services/terminal.ts), not as a test helper does: the background WAL
 * checkpointer runs (docs/store.md, "Checkpoints off the commit path"). A rebase once dropped it from the
 * terminal while the billing harness and the settlement bench kept it, so the bench measured a store the
 * terminal no longer opened.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'discharge' });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('the terminal store', () => {
  it('checkpoints in a thread of its own; the writer keeps its 4 MB autocheckpoint, the bound on the WAL', async () => {
    const store = h.terminal.parts.store;
    expect(store.checkpointer).not.toBeNull();
    await eventually(() => store.checkpointer!.running, 15_000, 'the checkpointer thread to run');
    // 4 MB in 1 KiB pages: a longer WAL slows every encrypted commit (docs/store.md).
    expect(Number(store.db.pragma('wal_autocheckpoint', { simple: true }))).toBe(4000);
    expect(store.checkpointer!.failures).toBe(0);
  });
});
