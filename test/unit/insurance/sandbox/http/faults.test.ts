import { describe, expect, it } from 'vitest';
import { FaultInjector, FaultSpec } from '../../../../../insurance/sandbox/http/faults.ts';
import { isLoopback } from '../../../../../insurance/sandbox/http/loopback.ts';
import { SeededRandom } from '../../../../../insurance/sandbox/seeded-random.ts';

describe('fault plans', () => {
  it('matches by infno or "*", adds latencies, keeps the first terminal fault', () => {
    const f = new FaultInjector(1);
    f.add({ infno: '*', kind: 'latency', ms: 100 });
    f.add({ infno: '2304', kind: 'latency', ms: 50 });
    f.add({ infno: '2304', kind: 'drop-after-commit' });
    f.add({ infno: '2304', kind: 'http5xx' });
    expect(f.plan('2304')).toMatchObject({ latencyMs: 150, terminal: { kind: 'drop-after-commit' } });
    expect(f.plan('1101')).toMatchObject({ latencyMs: 100, terminal: null });
  });

  it('count limits how often a fault fires', () => {
    const f = new FaultInjector(1);
    f.add({ infno: '2304', kind: 'reset', count: 2 });
    expect([f.plan('2304'), f.plan('2304'), f.plan('2304')].map((p) => p.terminal?.kind ?? null)).toEqual(['reset', 'reset', null]);
    expect(f.list()[0]!.fired).toBe(2);
  });

  it('probability draws from the seed: same seed, same plan; clear with a seed restarts it', () => {
    const run = (f: FaultInjector) => Array.from({ length: 40 }, () => f.plan('1101').terminal?.kind ?? '-').join(',');
    const a = new FaultInjector(99);
    const b = new FaultInjector(99);
    a.add({ infno: '1101', kind: 'http5xx', probability: 0.3 });
    b.add({ infno: '1101', kind: 'http5xx', probability: 0.3 });
    const first = run(a);
    expect(run(b)).toBe(first);
    const fired = first.split(',').filter((x) => x === 'http5xx').length;
    expect(fired).toBeGreaterThan(0);
    expect(fired).toBeLessThan(40);
    a.clear(99);
    a.add({ infno: '1101', kind: 'http5xx', probability: 0.3 });
    expect(run(a)).toBe(first);
  });

  it('random latency stays within [minMs, maxMs]', () => {
    const f = new FaultInjector(5);
    f.add({ infno: '*', kind: 'latency', minMs: 10, maxMs: 20 });
    for (let i = 0; i < 200; i++) {
      const ms = f.plan('1101').latencyMs;
      expect(ms).toBeGreaterThanOrEqual(10);
      expect(ms).toBeLessThanOrEqual(20);
    }
  });

  it('validates specs', () => {
    expect(FaultSpec.safeParse({ infno: '2304', kind: 'latency' }).success).toBe(false);
    expect(FaultSpec.safeParse({ infno: '2304', kind: 'latency', minMs: 9, maxMs: 3 }).success).toBe(false);
    expect(FaultSpec.safeParse({ infno: 'abc', kind: 'reset' }).success).toBe(false);
    expect(FaultSpec.safeParse({ infno: '2304', kind: 'explode' }).success).toBe(false);
    expect(FaultSpec.safeParse({ infno: '*', kind: 'http5xx', status: 502, probability: 0.5, count: 3 }).success).toBe(true);
  });
});

describe('seeded random', () => {
  it('is uniform enough and reproducible', () => {
    const r = new SeededRandom(123);
    const xs = Array.from({ length: 10_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const again = new SeededRandom(123);
    expect(again.next()).toBe(xs[0]);
  });
});

describe('loopback check of the admin endpoint', () => {
  it('accepts only loopback peers', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.5.6.7')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback('::ffff:192.168.1.2')).toBe(false);
    expect(isLoopback('fe80::1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
