import { afterEach, describe, expect, it } from 'vitest';
import { RelayLease } from '../../../db/relay-lease.ts';
import { tempStore } from './helpers.ts';

describe('relay lease (one relay per store)', () => {
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());

  it('a second relay cannot take a live lease; it can once the lease expires', () => {
    ctx = tempStore();
    const a = new RelayLease(ctx.store.db, { holder: 'a', pid: 101, host: 'h', isAlive: () => true });
    const b = new RelayLease(ctx.store.db, { holder: 'b', pid: 102, host: 'h', isAlive: () => true });
    expect(ctx.store.write((tx) => a.acquire(tx, 10_000))).toBe(true);
    expect(ctx.store.write((tx) => b.acquire(tx, 10_000))).toBe(false);
    ctx.clock.advance(5_000);
    expect(ctx.store.write((tx) => a.renew(tx, 10_000))).toBe(true);
    ctx.clock.advance(9_000);
    expect(ctx.store.write((tx) => b.acquire(tx, 10_000))).toBe(false);
    ctx.clock.advance(2_000);
    expect(ctx.store.write((tx) => b.acquire(tx, 10_000))).toBe(true);
    // a has lost it and must stop.
    expect(ctx.store.write((tx) => a.renew(tx, 10_000))).toBe(false);
  });

  it('a lease held by a process of this machine that no longer exists is taken at once (after kill -9)', () => {
    ctx = tempStore();
    let aAlive = true;
    const a = new RelayLease(ctx.store.db, { holder: 'a', pid: 201, host: 'h', isAlive: () => aAlive });
    const b = new RelayLease(ctx.store.db, { holder: 'b', pid: 202, host: 'h', isAlive: (pid) => (pid === 201 ? aAlive : true) });
    ctx.store.write((tx) => a.acquire(tx, 60_000));
    expect(ctx.store.write((tx) => b.acquire(tx, 60_000))).toBe(false);
    aAlive = false;
    expect(ctx.store.write((tx) => b.acquire(tx, 60_000))).toBe(true);
    expect(b.current()).toMatchObject({ holder: 'b', pid: 202 });
  });

  it('a lease of another machine is never taken early (its pid means nothing here)', () => {
    ctx = tempStore();
    const a = new RelayLease(ctx.store.db, { holder: 'a', pid: 301, host: 'other', isAlive: () => false });
    const b = new RelayLease(ctx.store.db, { holder: 'b', pid: 302, host: 'here', isAlive: () => false });
    ctx.store.write((tx) => a.acquire(tx, 60_000));
    expect(ctx.store.write((tx) => b.acquire(tx, 60_000))).toBe(false);
  });

  it('release frees it', () => {
    ctx = tempStore();
    const a = new RelayLease(ctx.store.db, { holder: 'a', isAlive: () => true });
    ctx.store.write((tx) => a.acquire(tx, 60_000));
    ctx.store.write((tx) => a.release(tx));
    expect(a.current()).toBeNull();
  });
});
