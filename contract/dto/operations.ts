import { z } from 'zod';
import { AuditChainCheck, Day, Fen } from './common.ts';

export const QueueItem = z.object({
  id: z.string(),
  infno: z.string(),
  visit: z.string().nullable(), // local admission number the item belongs to
  state: z.enum(['pending', 'in-flight', 'unknown-outcome', 'dead', 'done', 'cancelled']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  /** Why a dead item waits for a person (refused, reversal-refused, unresolvable, reversal-cap, output-invalid). Optional: added later. */
  deadReason: z.string().nullable().optional(),
  /** Definite 2601 reversals of the item since it was queued or last retried. Optional: added later. */
  reversals: z.number().int().optional(),
});

export const QueueStatus = z.object({
  depth: z.number().int(),
  oldestAgeSeconds: z.number().nullable(),
  deadLetters: z.number().int(),
  items: z.array(QueueItem),
});

export const ReconciliationReport = z.object({
  date: Day,
  totals: z.array(
    z.object({
      insutype: z.string(),
      clrType: z.string(),
      localCount: z.number().int(),
      localFundFen: Fen,
      localCashFen: Fen,
      platformAgrees: z.boolean(),
      platformMessage: z.string().nullable(),
    }),
  ),
  mismatches: z.array(
    z.object({
      kind: z.enum(['missing-locally', 'missing-on-platform', 'amount-differs']),
      setlId: z.string().nullable(),
      msgid: z.string().nullable(),
      detail: z.string(),
    }),
  ),
  /** The audit chain verified at day-end (keyed chain, sealed money rows): print the head. */
  auditChain: AuditChainCheck,
});

export const DemoPerson = z.object({
  key: z.string(),
  displayName: z.string(),
  description: z.string(), // what this person demonstrates, Chinese
  generations: z.array(z.union([z.literal(2), z.literal(3)])),
});
