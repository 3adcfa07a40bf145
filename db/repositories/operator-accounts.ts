import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export type AccountRole = 'clerk' | 'cashier' | 'supervisor' | 'technician';
export type AccountSource = 'config' | 'his' | 'cli' | 'demo';

export interface OperatorAccount {
  opterNo: string;
  name: string;
  roles: AccountRole[];
  /** scrypt hash, or null: no password set yet (the account cannot sign in). */
  passwordHash: string | null;
  mustChange: boolean;
  disabled: boolean;
  source: AccountSource;
  configHash: string | null;
  passwordChangedAt: number | null;
  /** The last sign-in at this terminal (ms since epoch), or null: never. */
  lastSignInAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SignInFailures {
  opterNo: string;
  failures: number;
  lastFailedAt: number;
  /** ms since epoch, or null: not locked. */
  lockedUntil: number | null;
}

interface AccountRow {
  opter_no: string;
  name: string;
  roles: string;
  password_hash: string | null;
  must_change: number;
  disabled: number;
  source: AccountSource;
  config_hash: string | null;
  password_changed_at: number | null;
  last_sign_in_at: number | null;
  created_at: number;
  updated_at: number;
}

const toAccount = (r: AccountRow): OperatorAccount => ({
  opterNo: r.opter_no,
  name: r.name,
  roles: JSON.parse(r.roles) as AccountRole[],
  passwordHash: r.password_hash,
  mustChange: r.must_change === 1,
  disabled: r.disabled === 1,
  source: r.source,
  configHash: r.config_hash,
  passwordChangedAt: r.password_changed_at,
  lastSignInAt: r.last_sign_in_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Operator accounts and the sign-in failures that lock them (migration 012). Rows only; the rules are in services/operator/accounts.ts. */
export class OperatorAccountRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      get: db.prepare<[string], AccountRow>('SELECT * FROM operator_accounts WHERE opter_no = ?'),
      list: db.prepare<[], AccountRow>('SELECT * FROM operator_accounts ORDER BY opter_no'),
      insert: db.prepare(
        `INSERT INTO operator_accounts (opter_no, name, roles, password_hash, must_change, disabled, source, config_hash, password_changed_at, created_at, updated_at)
         VALUES (@opterNo, @name, @roles, @passwordHash, @mustChange, @disabled, @source, @configHash, @passwordChangedAt, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE operator_accounts SET name = @name, roles = @roles, password_hash = @passwordHash, must_change = @mustChange, disabled = @disabled,
           source = @source, config_hash = @configHash, password_changed_at = @passwordChangedAt, updated_at = @now WHERE opter_no = @opterNo`,
      ),
      failures: db.prepare<[string], { opter_no: string; failures: number; last_failed_at: number; locked_until: number | null }>('SELECT * FROM sign_in_failures WHERE opter_no = ?'),
      putFailures: db.prepare(
        `INSERT INTO sign_in_failures (opter_no, failures, last_failed_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (opter_no) DO UPDATE SET failures = excluded.failures, last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
      ),
      signedIn: db.prepare('UPDATE operator_accounts SET last_sign_in_at = ? WHERE opter_no = ?'),
      clearFailures: db.prepare('DELETE FROM sign_in_failures WHERE opter_no = ?'),
      pruneFailures: db.prepare('DELETE FROM sign_in_failures WHERE last_failed_at < ? AND (locked_until IS NULL OR locked_until < ?)'),
      locked: db.prepare<[number], { opter_no: string; failures: number; last_failed_at: number; locked_until: number | null }>(
        'SELECT * FROM sign_in_failures WHERE locked_until > ? ORDER BY opter_no',
      ),
    };
  }

  get(opterNo: string): OperatorAccount | null {
    const r = this.s.get.get(opterNo);
    return r ? toAccount(r) : null;
  }

  list(): OperatorAccount[] {
    return this.s.list.all().map(toAccount);
  }

  /** Writes the account whole (insert or replace of every field but created_at and the last sign-in). */
  put(tx: Tx, a: Omit<OperatorAccount, 'createdAt' | 'updatedAt' | 'lastSignInAt'>): OperatorAccount {
    assertInTransaction(tx);
    const row = {
      opterNo: a.opterNo,
      name: a.name,
      roles: JSON.stringify(a.roles),
      passwordHash: a.passwordHash,
      mustChange: a.mustChange ? 1 : 0,
      disabled: a.disabled ? 1 : 0,
      source: a.source,
      configHash: a.configHash,
      passwordChangedAt: a.passwordChangedAt,
      now: tx.now.getTime(),
    };
    if (this.s.update.run(row).changes === 0) this.s.insert.run(row);
    return this.get(a.opterNo)!;
  }

  /** The operator signed in now (the account list's 最近登录). */
  recordSignIn(tx: Tx, opterNo: string): void {
    assertInTransaction(tx);
    this.s.signedIn.run(tx.now.getTime(), opterNo);
  }

  failures(opterNo: string): SignInFailures | null {
    const r = this.s.failures.get(opterNo);
    return r ? { opterNo: r.opter_no, failures: r.failures, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until } : null;
  }

  putFailures(tx: Tx, f: SignInFailures): void {
    assertInTransaction(tx);
    this.s.putFailures.run(f.opterNo, f.failures, f.lastFailedAt, f.lockedUntil);
  }

  clearFailures(tx: Tx, opterNo: string): boolean {
    assertInTransaction(tx);
    return this.s.clearFailures.run(opterNo).changes > 0;
  }

  /** Forgets failures older than `before` that hold no lock (typed numbers are not kept for ever). */
  pruneFailures(tx: Tx, before: number): void {
    assertInTransaction(tx);
    this.s.pruneFailures.run(before, tx.now.getTime());
  }

  /** 工号 locked at `now`. */
  lockedAt(now: number): SignInFailures[] {
    return this.s.locked.all(now).map((r) => ({ opterNo: r.opter_no, failures: r.failures, lastFailedAt: r.last_failed_at, lockedUntil: r.locked_until }));
  }
}
