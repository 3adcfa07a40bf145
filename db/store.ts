import { systemClock, type Clock } from '../base/clock.ts';
import { openDatabase, type SqliteDatabase } from './connection.ts';
import { forgetPendingChecks, runNestedWrite, runWriteTransaction, settlePendingChecks, sqliteCommit, type CommitSeam, type SettledCommit } from './commit.ts';
import { asCorruption, assertStorePresent, quickCheck, storeCorrupt, writeStoreMarker, type IntegrityReport } from './integrity.ts';
import { migrate, schemaVersion, latestVersion } from './migrate.ts';
import { SqliteMsgidSequence, type MsgidPartition } from './msgid-sequence.ts';
import { AuditLog } from './audit/audit-log.ts';
import { keepHeadAtBirth } from './audit/kept-head.ts';
import { RowSeals } from './audit/row-seals.ts';
import { Outbox } from './outbox/outbox.ts';
import { AdmissionRepository } from './repositories/admissions.ts';
import { CardRepository } from './repositories/cards.ts';
import { EligibilityRepository } from './repositories/eligibility.ts';
import { FeeLineRepository } from './repositories/fee-lines.ts';
import { MoneyRepository } from './repositories/money.ts';
import { OperatorRepository } from './repositories/operators.ts';
import { OperatorAccountRepository } from './repositories/operator-accounts.ts';
import { PaymentOrderRepository } from './repositories/payment-orders.ts';
import { PersonRepository } from './repositories/persons.ts';
import { SettlementRepository } from './repositories/settlements.ts';
import { SqliteReversalJournal } from './reversal-journal.ts';
import { SqliteSignInCache } from './sign-in-cache.ts';
import type { Tx } from './tx.ts';
import { WalCheckpointer, type CheckpointerOptions } from './wal-checkpointer.ts';

export interface StoreOptions {
  clock?: Clock;
  /** fixmedins_code (12): needed by `store.msgids`. */
  fixmedinsCode?: string;
  /** This terminal's part of the msgid counter space when several terminals share a fixmedins_code. */
  msgidPartition?: MsgidPartition;
  /** Local 住院号 prefix (default ZY). */
  iptNoPrefix?: string;
  /** Open for reading only: no migration, no writes (status queries, tests looking at a live store). */
  readonly?: boolean;
  busyTimeoutMs?: number;
  /**
   * The store key: the file is encrypted (db/encryption.ts). The terminal and the CLI get it from
   * `prepareStoreKey` (db/store-key.ts), which also encrypts a clear store in place and finishes a rotation.
   */
  key?: Buffer | null;
  /** Tests only: a commit that fails the way a disk does (db/commit.ts). */
  commitSeam?: CommitSeam;
  /**
   * Run WAL checkpoints in a background thread (db/wal-checkpointer.ts) instead of inside the commit that
   * crosses the threshold: the terminal's store. Ignored for read-only and in-memory stores.
   */
  walCheckpointer?: CheckpointerOptions;
  /**
   * A second connection to a store this process has already opened (the relay's commit worker): no
   * quick_check, migration, settling of unknown commits or keying of the audit chain — the first open did
   * those; the schema must be the one this program expects.
   */
  secondConnection?: boolean;
  /**
   * The audit key: the audit chain is HMAC-keyed from its anchor row on and money and visit rows are sealed in it
   * (db/audit/row-seals.ts). Comes with the store key from the key store (openEncryptedStore).
   */
  auditKey?: Buffer | null;
  /**
   * Key the audit chain now if it has no anchor: true only when the audit key was just created (the first
   * keyed open of a store made before). Otherwise a log without its anchor is a rewritten one, reported by
   * verify() and never re-anchored over. A store with no audit row ever written is keyed at any open.
   */
  keyAuditChain?: boolean;
}

/**
 * The terminal's local store: one SQLite file, one connection per process.
 *
 * One writer. Inside the terminal process every write goes through this connection's `write`, which runs the
 * callback in a BEGIN IMMEDIATE transaction: better-sqlite3 is synchronous, so no two write transactions of
 * the process can interleave, and IMMEDIATE takes SQLite's write lock at BEGIN, so a second process (the
 * `kiosk queue` CLI) waits for it (busy_timeout) instead of failing half-way. The callback must not await:
 * a transaction never spans network I/O. Readers never block the writer (WAL).
 */
export interface Store {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly clock: Clock;
  readonly operators: OperatorRepository;
  /** Operator accounts (roles, password hashes) and sign-in failures. */
  readonly accounts: OperatorAccountRepository;
  readonly persons: PersonRepository;
  readonly cards: CardRepository;
  readonly eligibility: EligibilityRepository;
  readonly admissions: AdmissionRepository;
  readonly feeLines: FeeLineRepository;
  readonly money: MoneyRepository;
  readonly settlements: SettlementRepository;
  /** Orders and refunds with the payment gateway (docs/payments.md). */
  readonly payments: PaymentOrderRepository;
  readonly outbox: Outbox;
  readonly audit: AuditLog;
  /** The platform client's reversal journal (2601s owed), in this file. */
  readonly reversals: SqliteReversalJournal;
  /** The platform client's sign-in cache (9001 sign_no per operator per day), on sign_ins. */
  readonly signInCache: SqliteSignInCache;
  /** What PRAGMA quick_check found at open and how long it took (null for a read-only open, which skips it). */
  readonly integrity: IntegrityReport | null;
  /**
   * Commits whose outcome was unknown when they failed (an I/O error at COMMIT), decided at this open against
   * the store as SQLite recovered it, and written to the audit log (action store.commit-settled).
   */
  readonly settledCommits: SettledCommit[];
  /** The msgid sequence of this hospital (needs StoreOptions.fixmedinsCode). */
  readonly msgids: SqliteMsgidSequence;
  /** The background WAL checkpointer, when StoreOptions.walCheckpointer asked for one; close() stops it first. */
  readonly checkpointer: WalCheckpointer | null;
  /**
   * How to open a second connection to this store in another thread (`openSecondConnection`), as plain data;
   * null when there is none to open like this one: `:memory:`, read-only, or a test's commit seam (a function,
   * which would not reach the other connection).
   */
  readonly connectionSpec: SecondConnectionSpec | null;
  /**
   * Runs `fn` in one write transaction (IMMEDIATE; a savepoint when nested) and returns its result. What must wait
   * until the transaction is on disk registers an after-transaction hook (db/commit.ts afterTransaction).
   */
  write<T>(fn: (tx: Tx) => T): T;
  /** Runs `fn` in one read transaction: a consistent snapshot across several queries. */
  read<T>(fn: () => T): T;
  schemaVersion(): number;
  close(): void;
}

/** What another thread needs to open the same store (keys included: it stays in this process's memory). */
export interface SecondConnectionSpec {
  path: string;
  key: Buffer | null;
  auditKey: Buffer | null;
  fixmedinsCode?: string;
  msgidPartition?: MsgidPartition;
  iptNoPrefix?: string;
  busyTimeoutMs?: number;
}

/** Opens another connection to a store already opened by this process (see StoreOptions.secondConnection). */
export function openSecondConnection(spec: SecondConnectionSpec, clock: Clock): Store {
  // Buffers arrive in another thread as plain Uint8Arrays (structured clone): the key code wants Buffers.
  const asBuffer = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  return openStore(spec.path, { ...spec, key: asBuffer(spec.key), auditKey: asBuffer(spec.auditKey), clock, secondConnection: true });
}

export function openStore(path: string, options: StoreOptions = {}): Store {
  const clock = options.clock ?? systemClock;
  const db = openChecked(path, options);
  let integrity: IntegrityReport | null = null;
  try {
    if (!options.readonly && !options.secondConnection) {
      // Before any write: a damaged file is never migrated or written to (docs/store.md, "Integrity at open").
      integrity = quickCheck(db);
      if (!integrity.ok) throw storeCorrupt(path, new Error(`quick_check: ${integrity.problems.join('; ')}`));
      migrate(db, { now: () => clock.now().getTime() });
      writeStoreMarker(path, clock.now());
    } else if (schemaVersion(db) !== latestVersion()) throw new Error(`store ${path} is at schema ${schemaVersion(db)}, this program expects ${latestVersion()}`);
  } catch (err) {
    db.close();
    throw asCorruption(path, err);
  }
  let msgids: SqliteMsgidSequence | null = null;
  const msgidsOf = (): SqliteMsgidSequence => {
    if (!options.fixmedinsCode) throw new Error('openStore: fixmedinsCode is required for msgids');
    msgids ??= new SqliteMsgidSequence(db, options.fixmedinsCode, options.msgidPartition);
    return msgids;
  };
  const settledCommits: SettledCommit[] = [];
  const audit = new AuditLog(db, { key: options.auditKey ?? null });
  const seals = new RowSeals(db, audit);
  audit.seals = seals;
  let checkpointer: WalCheckpointer | null = null;
  const store: Store = {
    path,
    db,
    clock,
    get checkpointer() {
      return checkpointer;
    },
    integrity,
    settledCommits,
    operators: new OperatorRepository(db),
    accounts: new OperatorAccountRepository(db),
    persons: new PersonRepository(db),
    cards: new CardRepository(db),
    eligibility: new EligibilityRepository(db),
    admissions: new AdmissionRepository(db, seals, { iptNoPrefix: options.iptNoPrefix }),
    feeLines: new FeeLineRepository(db),
    money: new MoneyRepository(db, seals),
    settlements: new SettlementRepository(db, seals),
    payments: new PaymentOrderRepository(db, seals),
    outbox: new Outbox(db, () => msgidsOf()),
    audit,
    reversals: new SqliteReversalJournal(db),
    signInCache: new SqliteSignInCache(db, () => clock.now()),
    get msgids(): SqliteMsgidSequence {
      return msgidsOf();
    },
    write<T>(fn: (tx: Tx) => T): T {
      const body = () => {
        const result = fn({ db, now: clock.now() });
        if (result instanceof Promise) throw new Error('store.write: the callback must be synchronous (no await inside a transaction)');
        return result;
      };
      return db.inTransaction ? runNestedWrite(db, body) : runWriteTransaction(db, path, options.commitSeam ?? sqliteCommit, body);
    },
    read<T>(fn: () => T): T {
      return db.inTransaction ? fn() : db.transaction(fn).deferred();
    },
    connectionSpec:
      path === ':memory:' || options.readonly || options.commitSeam
        ? null
        : {
            path,
            key: options.key ?? null,
            auditKey: options.auditKey ?? null,
            fixmedinsCode: options.fixmedinsCode,
            msgidPartition: options.msgidPartition,
            iptNoPrefix: options.iptNoPrefix,
            busyTimeoutMs: options.busyTimeoutMs,
          },
    schemaVersion: () => schemaVersion(db),
    close: () => {
      checkpointer?.stop(); // its connection closed first: the store's is the last, and SQLite removes the WAL
      db.close();
    },
  };
  if (options.secondConnection) return store;
  if (!options.readonly) settledCommits.push(...settleAtOpen(store));
  // Key the audit chain once (a new store's first row; an older store's rows are sealed as they are now).
  if (audit.keyed && !options.readonly && (options.keyAuditChain || audit.pristine())) {
    store.write((tx) => {
      if (!audit.anchor(tx)) return;
      seals.sealAll(tx);
      keepHeadAtBirth(audit, path, tx.now);
    });
  }
  if (options.walCheckpointer && !options.readonly && path !== ':memory:') checkpointer = new WalCheckpointer(path, options.key ?? null, options.walCheckpointer);
  return store;
}

/** Decides the commits left unknown by the last run (db/commit.ts), records each in the audit log, forgets them. */
function settleAtOpen(store: Store): SettledCommit[] {
  const settled = settlePendingChecks(store.db, store.path);
  if (settled.length === 0) return settled;
  store.write((tx) => {
    for (const { evidence, outcome } of settled) {
      const subject = evidence.audit?.subject ?? (evidence.outbox ? `outbox:${evidence.outbox.id}` : 'store');
      store.audit.append(tx, { actor: 'system:store', action: 'store.commit-settled', subject, detail: { outcome, action: evidence.audit?.action ?? null, failedAt: evidence.at } });
    }
  });
  forgetPendingChecks(store.path);
  return settled;
}

/** Opens the file unless a store that existed is now missing or empty; SQLite's "not a database" is corruption. */
function openChecked(path: string, options: StoreOptions): SqliteDatabase {
  assertStorePresent(path);
  try {
    return openDatabase(path, { readonly: options.readonly, busyTimeoutMs: options.busyTimeoutMs, key: options.key ?? null });
  } catch (err) {
    throw asCorruption(path, err);
  }
}
