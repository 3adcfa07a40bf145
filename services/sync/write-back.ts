import type { z } from 'zod';
import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { Codec } from '../../insurance/client/transactions/codec.ts';

/**
 * What the relay writes back when an outbox item is done, dead or cancelled, in the SAME transaction that
 * changes the item's state: a crash can never leave the item done and the admission without its mdtrt_id.
 *
 * One entry per infno, built once at the composition root (services/write-back-table.ts) and required by
 * every path that finishes an item (the relay, the desk's queue panel, `kiosk queue`, the services that
 * cancel a refused item): there is no default table a caller could fall back to and drift from.
 *
 * `output` is the transaction codec's own schema (insurance/client/transactions): the relay's port checks the
 * platform's answer with it before the item is done, and `apply` receives the answer decoded by it. The item
 * handed to `apply` is the item as completed (its `output` is the raw answer that goes on disk) and its
 * envelope names the operator who queued it: write-backs take the operator from there, never from whoever
 * happens to be signed in when the relay gets the answer.
 */
export interface WriteBack<S extends z.ZodType = z.ZodType> {
  readonly output: S;
  apply(tx: Tx, store: Store, item: OutboxItem, typed: z.output<S>): void;
  /** The platform refused the item (or its input cannot be completed). */
  dead?(tx: Tx, store: Store, item: OutboxItem, error: string): void;
  /** A person cancelled the item (or it was cancelled with an earlier item of its visit). */
  cancelled?(tx: Tx, store: Store, item: OutboxItem): void;
}

export type WriteBackTable = Readonly<Record<string, WriteBack>>;

/** An entry on a transaction's codec: the schema is the codec's, so the three paths cannot disagree. */
export function writeBackOf<S extends z.ZodType>(codec: Codec<never, S>, handlers: Omit<WriteBack<S>, 'output'>): WriteBack {
  return { output: codec.output, ...handlers } as WriteBack;
}

/** The entry of an item's infno; an infno the outbox carries without one is a defect, not a silent no-op. */
export function writeBackFor(table: WriteBackTable, infno: string): WriteBack {
  const entry = table[infno];
  if (!entry) throw new Error(`no write-back for infno ${infno}: add it to services/write-back-table.ts`);
  return entry;
}

/** The operator an item was queued under (its envelope), for the rows its write-back adds. */
export function operatorOf(item: OutboxItem): string | null {
  return item.envelope.opter ?? null;
}
