import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { KioskError } from '../contract/errors.ts';
import type { SqliteDatabase } from './connection.ts';
import type { Tx } from './tx.ts';

/**
 * How a write transaction is committed: SQLite's COMMIT. A seam, because better-sqlite3 offers no VFS hook to
 * make a real fsync or pwrite fail: the durability tests inject a commit that fails the way a disk does
 * (test/integration/db/commit-failures.test.ts). Production never replaces it.
 */
export interface CommitSeam {
  commit(db: SqliteDatabase): void;
}

export const sqliteCommit: CommitSeam = { commit: (db) => void db.exec('COMMIT') };

/**
 * What a transaction left behind that the next open can look for: its last audit row (seq and chain hash) and
 * its last outbox row (id, msgid and a hash of its input). Ids, ipt_no and msgids of a transaction that did not
 * commit are handed out again, so the content decides, not the number.
 */
export interface CommitEvidence {
  at: number;
  audit: { seq: number; hash: string; action: string; subject: string } | null;
  outbox: { id: number; msgid: string; inputSha256: string } | null;
}

/**
 * The look-ups every write makes, prepared once per connection. The newest outbox row's id is asked before and
 * after the callback; its input (a 2301 batch's is 20 KB) is read only when the transaction added a row.
 */
interface Lookups {
  audit(): CommitEvidence['audit'] | undefined;
  outboxId(): number | null;
  outboxRow(id: number): { id: number; msgid: string; input: string | Buffer } | undefined;
}
const statements = new WeakMap<SqliteDatabase, Lookups>();
function lookups(db: SqliteDatabase): Lookups {
  let s = statements.get(db);
  if (!s) {
    const audit = db.prepare<[], NonNullable<CommitEvidence['audit']>>('SELECT seq, hash, action, subject FROM audit_log ORDER BY seq DESC LIMIT 1');
    const outboxId = db.prepare<[], { id: number }>('SELECT id FROM outbox ORDER BY id DESC LIMIT 1');
    const outboxRow = db.prepare<[number], { id: number; msgid: string; input: string | Buffer }>(
      'SELECT o.id, o.msgid, i.input_json AS input FROM outbox o JOIN outbox_inputs i ON i.outbox_id = o.id WHERE o.id = ?',
    );
    s = { audit: () => audit.get(), outboxId: () => outboxId.get()?.id ?? null, outboxRow: (id) => outboxRow.get(id) };
    statements.set(db, s);
  }
  return s;
}
const lastAudit = (db: SqliteDatabase) => lookups(db).audit() ?? null;
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Whether a failed COMMIT may nevertheless have reached the disk. In WAL mode a commit appends its frames to
 * the -wal file and then fsyncs it (synchronous=FULL): an I/O error there (SQLITE_IOERR_FSYNC, _WRITE, …) can
 * come after the commit frame was written, and SQLite's recovery at the next open replays it. SQLITE_FULL
 * cannot leave a whole commit frame behind; BUSY and the rest fail before anything is written.
 */
export function mayHaveCommitted(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_IOERR');
}

/**
 * One write transaction: BEGIN IMMEDIATE, `fn`, COMMIT through the seam. When the commit fails after it may
 * have reached the disk, the caller is told so (STORE_OUTCOME_UNKNOWN, never "did not happen") and the
 * transaction's evidence is written to the pending-check file, which the next open settles (settleAtOpen).
 */
export function runWriteTransaction<T>(db: SqliteDatabase, storePath: string, seam: CommitSeam, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  const hooks: TransactionHook[] = [];
  hooksOf.set(db, hooks);
  let result: T;
  let evidence: CommitEvidence;
  try {
    const before = { audit: lastAudit(db)?.seq ?? null, outbox: lookups(db).outboxId() };
    result = fn();
    const audit = lastAudit(db);
    const outboxId = lookups(db).outboxId();
    const outbox = outboxId !== null && outboxId !== before.outbox ? lookups(db).outboxRow(outboxId) : undefined;
    evidence = {
      at: Date.now(),
      audit: audit && audit.seq !== before.audit ? audit : null,
      outbox: outbox ? { id: outbox.id, msgid: outbox.msgid, inputSha256: sha256(outbox.input) } : null,
    };
  } catch (err) {
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } finally {
      endTransaction(db, hooks, 'rolled-back');
    }
    throw err;
  }
  try {
    seam.commit(db);
  } catch (err) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection is in SQLite's error state; the next statement reports it
      }
    }
    const unknown = mayHaveCommitted(err);
    endTransaction(db, hooks, unknown ? 'unknown' : 'rolled-back');
    if (!unknown) throw err;
    const recorded = recordPendingCheck(storePath, evidence);
    throw new KioskError(
      'STORE_OUTCOME_UNKNOWN',
      '本机数据正在核实：磁盘报告写入错误，本次保存可能已经写入，也可能没有。',
      ['请勿重复办理，也不要重复收费。', '请联系信息科检查磁盘并重启终端：终端启动时会核实本次保存是否生效，并记入审计日志。', ...(recorded ? [] : ['（核实记录也未能写入磁盘：请信息科按日志核对。）'])],
      { cause: err },
    );
  }
  endTransaction(db, hooks, 'committed');
  return result;
}

/**
 * A nested write (store.write inside store.write): a savepoint. When it rolls back, the hooks registered inside
 * it hear so at once; when it is released they wait for the outermost transaction's end.
 */
export function runNestedWrite<T>(db: SqliteDatabase, fn: () => T): T {
  const hooks = hooksOf.get(db);
  const mark = hooks?.length ?? 0;
  try {
    return db.transaction(fn)();
  } catch (err) {
    if (hooks) runHooks(hooks.splice(mark), 'rolled-back');
    throw err;
  }
}

/** How a write transaction ended, as its after-transaction hooks hear it. */
export type TransactionEnd = 'committed' | 'rolled-back' | 'unknown';
export type TransactionHook = (end: TransactionEnd) => void;
const hooksOf = new WeakMap<SqliteDatabase, TransactionHook[]>();

/**
 * Runs `hook` once the write transaction `tx` belongs to has ended (the outermost one: store.write): committed
 * (on disk, synchronous=FULL), rolled back, or of unknown outcome (its COMMIT failed after it may have reached
 * the disk: STORE_OUTCOME_UNKNOWN, settled at the next open). For work that must not begin before what the
 * transaction wrote is durable: the relay sends an item it claimed in a service's transaction only once that is
 * committed (Relay.claimWith). The hook runs synchronously, before `store.write` returns or throws; it must not
 * throw (a hook's failure is its own to report: it cannot change how the transaction ended), nor write.
 */
export function afterTransaction(tx: Tx, hook: TransactionHook): void {
  const hooks = hooksOf.get(tx.db);
  if (!hooks) throw new Error('afterTransaction: not inside a store write transaction');
  hooks.push(hook);
}

function endTransaction(db: SqliteDatabase, hooks: TransactionHook[], end: TransactionEnd): void {
  if (hooksOf.get(db) === hooks) hooksOf.delete(db);
  runHooks(hooks.splice(0), end);
}

function runHooks(hooks: TransactionHook[], end: TransactionEnd): void {
  for (const hook of hooks) {
    try {
      hook(end);
    } catch {
      // A hook reports its own failures (see afterTransaction): the transaction ended as it did regardless.
    }
  }
}

/** The pending-check file beside the store: one JSON line per commit whose outcome is not known. */
export function pendingCheckPathOf(storePath: string): string {
  return `${storePath}.unsettled`;
}

function recordPendingCheck(storePath: string, evidence: CommitEvidence): boolean {
  if (storePath === ':memory:') return false;
  try {
    const file = pendingCheckPathOf(storePath);
    appendFileSync(file, `${JSON.stringify(evidence)}\n`, { mode: 0o600 });
    const fd = openSync(file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false; // the disk is failing; the caller's error says so
  }
}

export interface SettledCommit {
  evidence: CommitEvidence;
  /** committed: its rows are in the store (its outbox rows will be sent); lost: nothing of it is; unknown: it left nothing to look for. */
  outcome: 'committed' | 'lost' | 'unknown';
}

/** Reads the pending checks and decides each against the store as SQLite recovered it. */
export function settlePendingChecks(db: SqliteDatabase, storePath: string): SettledCommit[] {
  const file = pendingCheckPathOf(storePath);
  if (storePath === ':memory:' || !existsSync(file)) return [];
  const settled: SettledCommit[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let evidence: CommitEvidence;
    try {
      evidence = JSON.parse(line) as CommitEvidence;
    } catch {
      continue; // a torn last line: its write never finished, so neither did anything after it
    }
    settled.push({ evidence, outcome: outcomeOf(db, evidence) });
  }
  return settled;
}

export function forgetPendingChecks(storePath: string): void {
  rmSync(pendingCheckPathOf(storePath), { force: true });
}

function outcomeOf(db: SqliteDatabase, e: CommitEvidence): SettledCommit['outcome'] {
  if (e.audit) return db.prepare('SELECT 1 FROM audit_log WHERE seq = ? AND hash = ?').get(e.audit.seq, e.audit.hash) ? 'committed' : 'lost';
  if (e.outbox) {
    const row = db
      .prepare<[number, string], { input_json: string | Buffer }>('SELECT i.input_json FROM outbox o JOIN outbox_inputs i ON i.outbox_id = o.id WHERE o.id = ? AND o.msgid = ?')
      .get(e.outbox.id, e.outbox.msgid);
    return row && sha256(row.input_json) === e.outbox.inputSha256 ? 'committed' : 'lost';
  }
  return 'unknown';
}
