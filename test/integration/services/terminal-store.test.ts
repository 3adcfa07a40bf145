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
  it('checkpoints in a thread of its own, with the writer autocheckpoint raised to a safety net', async () => {
    const store = h.terminal.parts.store;
    expect(store.checkpointer).not.toBeNull();
    await eventually(() => store.checkpointer!.running, 15_000, 'the checkpointer thread to run');
    // 16 × the 1 MB threshold, in 1 KiB pages: the writer leaves checkpoints to the thread.
    await eventually(() => Number(store.db.pragma('wal_autocheckpoint', { simple: true })) === 16_000, 15_000, 'the writer autocheckpoint raised');
    expect(store.checkpointer!.failures).toBe(0);
  });
});
