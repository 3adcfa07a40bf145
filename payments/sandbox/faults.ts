import { z } from 'zod';
import { SeededRandom } from '../../insurance/sandbox/seeded-random.ts';

/**
 * Fault injection per open-API method ("*" = every method), drawn from a seeded random source, like the 医保
 * sandbox's (insurance/sandbox/http/faults.ts):
 * - latency: wait ms (or a uniform draw in [minMs, maxMs]) before processing;
 * - http5xx: answer HTTP `status` (default 502) without processing;
 * - timeout: hold the request `ms` (default 120 s) without processing, then drop the connection;
 * - reset: destroy the connection without processing;
 * - drop-after-commit: process and commit, then destroy the connection without answering;
 * - duplicate-notification: the asynchronous notification of a trade made by `method` is sent twice (drawn
 *   when the trade is paid, not when the request arrives).
 */
export const PaymentFaultSpec = z
  .object({
    method: z.string().regex(/^(\*|alipay(\.[a-z]+)+)$/, 'method: an open-API method name or "*"'),
    kind: z.enum(['latency', 'http5xx', 'timeout', 'reset', 'drop-after-commit', 'duplicate-notification']),
    ms: z.number().int().min(0).max(600_000).optional(),
    minMs: z.number().int().min(0).max(600_000).optional(),
    maxMs: z.number().int().min(0).max(600_000).optional(),
    probability: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
    status: z.number().int().min(500).max(599).optional(),
  })
  .strict()
  .refine((f) => f.kind !== 'latency' || f.ms !== undefined || (f.minMs !== undefined && f.maxMs !== undefined && f.minMs <= f.maxMs), {
    message: 'latency needs ms, or minMs <= maxMs',
  });
export type PaymentFaultSpec = z.infer<typeof PaymentFaultSpec>;

export interface PaymentFaultPlan {
  latencyMs: number;
  terminal: { kind: 'http5xx'; status: number } | { kind: 'timeout'; ms: number } | { kind: 'reset' } | { kind: 'drop-after-commit' } | null;
}

export class PaymentFaults {
  private faults: (PaymentFaultSpec & { id: number; fired: number })[] = [];
  private nextId = 1;
  private random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  add(spec: PaymentFaultSpec): { id: number } {
    const f = { ...spec, id: this.nextId++, fired: 0 };
    this.faults.push(f);
    return { id: f.id };
  }

  clear(seed?: number): void {
    this.faults = [];
    if (seed !== undefined) this.random = new SeededRandom(seed);
  }

  list(): (PaymentFaultSpec & { id: number; fired: number })[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Whether a notification of a trade made by `method` goes twice (only duplicate-notification faults draw). */
  duplicates(method: string): boolean {
    for (const f of this.faults) {
      if (f.kind !== 'duplicate-notification' || (f.method !== '*' && f.method !== method)) continue;
      if (f.count !== undefined && f.fired >= f.count) continue;
      if (f.probability !== undefined && this.random.next() >= f.probability) continue;
      f.fired++;
      return true;
    }
    return false;
  }

  plan(method: string | null): PaymentFaultPlan {
    const plan: PaymentFaultPlan = { latencyMs: 0, terminal: null };
    for (const f of this.faults) {
      if (f.kind === 'duplicate-notification' || (f.method !== '*' && f.method !== method)) continue;
      if (f.count !== undefined && f.fired >= f.count) continue;
      const draw = this.random.next();
      if (f.probability !== undefined && draw >= f.probability) continue;
      const isTerminal = f.kind === 'http5xx' || f.kind === 'timeout' || f.kind === 'reset' || f.kind === 'drop-after-commit';
      if (isTerminal && plan.terminal !== null) continue;
      f.fired++;
      if (f.kind === 'latency') plan.latencyMs += f.ms ?? this.random.int(f.minMs!, f.maxMs!);
      else if (f.kind === 'http5xx') plan.terminal = { kind: 'http5xx', status: f.status ?? 502 };
      else if (f.kind === 'timeout') plan.terminal = { kind: 'timeout', ms: f.ms ?? 120_000 };
      else plan.terminal = { kind: f.kind };
    }
    return plan;
  }
}
