import { z } from 'zod';
import { SeededRandom } from '../seeded-random.ts';

/**
 * Fault injection per infno ("*" = every transaction), drawn from a seeded random source:
 * - latency: wait ms (or a uniform draw in [minMs, maxMs]) before processing;
 * - http5xx: answer HTTP `status` (default 503) without processing;
 * - reset: destroy the connection with a TCP reset without processing;
 * - drop-after-commit: process and persist, then destroy the connection without answering.
 * `probability` (default 1) is drawn per matching request; `count` (default unlimited) limits how many
 * times the fault fires.
 */
export const FaultSpec = z
  .object({
    infno: z.string().regex(/^(\*|\d{4}[A-Z]?)$/, 'infno: a transaction code or "*"'),
    kind: z.enum(['latency', 'http5xx', 'reset', 'drop-after-commit']),
    ms: z.number().int().min(0).max(600_000).optional(),
    minMs: z.number().int().min(0).max(600_000).optional(),
    maxMs: z.number().int().min(0).max(600_000).optional(),
    probability: z.number().min(0).max(1).optional(),
    count: z.number().int().min(1).optional(),
    status: z.number().int().min(500).max(599).optional(),
  })
  .strict()
  .refine((f) => f.kind !== 'latency' || f.ms !== undefined || (f.minMs !== undefined && f.maxMs !== undefined), {
    message: 'latency needs ms, or minMs and maxMs',
  })
  .refine((f) => f.minMs === undefined || f.maxMs === undefined || f.minMs <= f.maxMs, { message: 'minMs > maxMs' });
export type FaultSpec = z.infer<typeof FaultSpec>;

export interface ActiveFault extends FaultSpec {
  id: number;
  /** How many times it fired. */
  fired: number;
}

export interface FaultPlan {
  latencyMs: number;
  /** What happens instead of (http5xx, reset) or after (drop-after-commit) a normal answer. */
  terminal: { kind: 'http5xx'; status: number } | { kind: 'reset' } | { kind: 'drop-after-commit' } | null;
  /** ids of the faults that fired. */
  fired: number[];
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  private random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  add(spec: FaultSpec): ActiveFault {
    const f = { ...spec, id: this.nextId++, fired: 0 };
    this.faults.push(f);
    return f;
  }

  /** Removes every fault; with a seed, restarts the random source too. */
  clear(seed?: number): void {
    this.faults = [];
    if (seed !== undefined) this.random = new SeededRandom(seed);
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Decides the faults of one request (draws the random source, counts what fires). */
  plan(infno: string | null): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, terminal: null, fired: [] };
    for (const f of this.faults) {
      if (f.infno !== '*' && f.infno !== infno) continue;
      if (f.count !== undefined && f.fired >= f.count) continue;
      const draw = this.random.next();
      if (f.probability !== undefined && draw >= f.probability) continue;
      if (f.kind !== 'latency' && plan.terminal !== null) continue;
      f.fired++;
      plan.fired.push(f.id);
      if (f.kind === 'latency') plan.latencyMs += f.ms ?? this.random.int(f.minMs!, f.maxMs!);
      else if (f.kind === 'http5xx') plan.terminal = { kind: 'http5xx', status: f.status ?? 503 };
      else plan.terminal = { kind: f.kind };
    }
    return plan;
  }
}
