import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import type { AuditLog, AuditProblem, SealCheck } from './audit-log.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * Seals of the rows that hold money and visits, in the keyed audit chain. Each write of such a row (a deposit
 * taken, a refund paid, a settlement opened or settled, an admission registered or moved on, a payment order or
 * payment refund created or moved) appends a
 * `record.<table>` audit row with the SHA-256 of the row's columns; `verify()` recomputes every row's digest
 * and compares it with its newest seal. A refund raised by ¥500 with a SQLite editor, a deposit inserted behind
 * the terminal's back, or a settlement deleted is reported, though the chain itself is intact.
 *
 * Columns a legitimate job rewrites later are left out: a settlement's stored 2304 output (retention masks the
 * names in it). Its amounts are columns of their own and are sealed.
 */
export const SEALED_TABLES = {
  admissions: { key: 'ipt_no', skip: [] as string[] },
  deposits: { key: 'id', skip: [] as string[] },
  // A deposit's 作废 (migration 15): its own row, the deposit itself untouched.
  deposit_voids: { key: 'id', skip: [] as string[] },
  // Migration 11 added the refund's state (退款中 / 已退 / 待人工处理): NULL on rows sealed before it.
  refunds: { key: 'id', skip: [] as string[], nullAddedLater: ['state', 'refund_ref', 'done_by', 'done_at', 'state_note'] },
  settlements: { key: 'id', skip: ['output_json'] },
  // Counting a gateway retry (attempts, note, updated_at) changes no money: left out, so it needs no seal.
  // settlement_id and tendered_fen came with migration 10: NULL there is left out, so a row sealed before
  // the upgrade keeps its digest (see nullAddedLater).
  payment_orders: { key: 'out_trade_no', skip: ['attempts', 'note', 'updated_at'], nullAddedLater: ['settlement_id', 'tendered_fen'] },
  // refund_id (the stay's refund it pays) came with migration 11.
  payment_refunds: { key: 'out_request_no', skip: ['attempts', 'note', 'updated_at'], nullAddedLater: ['refund_id'] },
} as const;
export type SealedTable = keyof typeof SEALED_TABLES;

/**
 * Columns a later migration added to a sealed table: a NULL in them is not part of the digest, so rows sealed
 * before the column existed still verify after the upgrade; a value in them is sealed like any column.
 */
function nullAddedLater(table: SealedTable): readonly string[] {
  const t = SEALED_TABLES[table];
  return 'nullAddedLater' in t ? t.nullAddedLater : [];
}

export function rowDigest(table: SealedTable, row: Record<string, unknown>): string {
  const later = nullAddedLater(table);
  const kept = Object.fromEntries(Object.entries(row).filter(([c, v]) => !(SEALED_TABLES[table].skip as readonly string[]).includes(c) && !(v === null && later.includes(c))));
  return createHash('sha256').update(canonicalJson(kept), 'utf8').digest('hex');
}

export class RowSeals implements SealCheck {
  /** One prepared read per sealed table: a discharge seals a handful of rows, each was a fresh compile. */
  private readonly reads = new Map<SealedTable, { get(key: string | number): Record<string, unknown> | undefined }>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly audit: AuditLog,
  ) {}

  private readOf(table: SealedTable) {
    let read = this.reads.get(table);
    if (!read) {
      read = this.db.prepare<[string | number], Record<string, unknown>>(`SELECT * FROM ${table} WHERE ${SEALED_TABLES[table].key} = ?`);
      this.reads.set(table, read);
    }
    return read;
  }

  /** Seals the row's current content (call after each write of it, in the same transaction). */
  seal(tx: Tx, table: SealedTable, key: string | number): void {
    if (!this.audit.keyed) return;
    assertInTransaction(tx);
    const row = this.readOf(table).get(key);
    if (!row) throw new Error(`seal: no ${table} row ${key}`);
    this.audit.append(tx, { actor: 'store', action: `record.${table}`, subject: `${table}:${key}`, detail: { digest: rowDigest(table, row) } });
  }

  /** Seals every row not sealed yet (when the chain is first keyed: the rows of a store made before). */
  sealAll(tx: Tx): number {
    const sealed = new Set(this.db.prepare<[], { subject: string }>("SELECT DISTINCT subject FROM audit_log WHERE action LIKE 'record.%'").all().map((r) => r.subject));
    let n = 0;
    for (const table of Object.keys(SEALED_TABLES) as SealedTable[]) {
      const keyCol = SEALED_TABLES[table].key;
      for (const row of this.db.prepare<[], Record<string, unknown>>(`SELECT ${keyCol} AS k FROM ${table}`).all()) {
        const key = row.k as string | number;
        if (sealed.has(`${table}:${key}`)) continue;
        this.seal(tx, table, key);
        n++;
      }
    }
    return n;
  }

  /** Every sealed row against its newest seal among `entries` (the keyed, verified audit rows). */
  check(entries: Iterable<{ seq: number; action: string; subject: string; detail: unknown }>): AuditProblem[] {
    const newest = new Map<string, { seq: number; digest: string }>();
    for (const e of entries) {
      if (!e.action.startsWith('record.')) continue;
      newest.set(e.subject, { seq: e.seq, digest: String((e.detail as { digest?: unknown } | null)?.digest ?? '') });
    }
    const problems: AuditProblem[] = [];
    for (const table of Object.keys(SEALED_TABLES) as SealedTable[]) {
      const keyCol = SEALED_TABLES[table].key;
      for (const row of this.db.prepare<[], Record<string, unknown>>(`SELECT * FROM ${table}`).iterate()) {
        const subject = `${table}:${String(row[keyCol])}`;
        const seal = newest.get(subject);
        newest.delete(subject);
        if (!seal) problems.push({ seq: 0, kind: 'record-unsealed', subject, message: `${subject} was written without the terminal (no audit record)` });
        else if (seal.digest !== rowDigest(table, row)) problems.push({ seq: seal.seq, kind: 'record-changed', subject, message: `${subject} differs from its audited value (audit row ${seal.seq})` });
      }
    }
    for (const [subject, seal] of newest) problems.push({ seq: seal.seq, kind: 'record-deleted', subject, message: `${subject} was deleted (audited in row ${seal.seq})` });
    return problems;
  }
}
