import type { SqliteDatabase } from './connection.ts';
import { dataVersionOf } from './data-version.ts';

/**
 * SQLite implementation of the platform client's ReversalJournal (insurance/client/reversal-journal.ts).
 * The types are repeated here, not imported, so db/ does not depend on the client; services/sync/client-port.ts
 * checks at compile time that this class satisfies the client's interface.
 */
export interface JournalOperator {
  opter: string;
  opter_name: string;
  opter_type: '1' | '2' | '3';
}

export interface JournalEntry {
  omsgid: string;
  oinfno: string;
  psn_no: string;
  insuplc_admdvs: string;
  visitKey: string;
  msgid: string;
  operator: JournalOperator;
  createdAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  /** How the last 2601 attempt ended: refused (a person must look) or failed (try again); null before any. */
  lastOutcome: AttemptOutcome | null;
  lastError: string | null;
}

export type AttemptOutcome = 'refused' | 'failed';

export type JournalResolution = 'reversed' | 'resolved-manually';

export interface JournalRecord extends JournalEntry {
  completedAt: string | null;
  resolution: JournalResolution | null;
  note: string | null;
}

interface Row {
  omsgid: string;
  oinfno: string;
  psn_no: string;
  insuplc_admdvs: string;
  visit_key: string;
  msgid: string;
  operator_json: string;
  created_at: string;
  attempts: number;
  last_attempt_at: string | null;
  last_error: string | null;
  last_outcome: AttemptOutcome | null;
  completed_at: string | null;
  resolution: JournalResolution | null;
  note: string | null;
}

/** Every method is one autocommit statement: durable (synchronous=FULL) when it returns. */
export class SqliteReversalJournal {
  private readonly s;
  private readonly db: SqliteDatabase;
  private readonly dataVersion: () => number;
  /**
   * The data_version at which `pending` last found nothing pending, or null: the client asks before every call (the
   * relay's drain: every operation), and only `add` here or another process can make an entry pending.
   */
  private nonePendingAt: number | null = null;

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.dataVersion = dataVersionOf(db);
    this.s = {
      add: db.prepare(
        `INSERT INTO reversal_journal (omsgid, oinfno, psn_no, insuplc_admdvs, visit_key, msgid, operator_json, created_at, attempts, last_attempt_at, last_outcome, last_error)
         VALUES (@omsgid, @oinfno, @psn_no, @insuplc_admdvs, @visit_key, @msgid, @operator_json, @created_at, @attempts, @last_attempt_at, @last_outcome, @last_error)
         ON CONFLICT (omsgid) DO NOTHING`,
      ),
      pending: db.prepare<[], Row>('SELECT * FROM reversal_journal WHERE completed_at IS NULL ORDER BY created_at, rowid'),
      get: db.prepare<[string], Row>('SELECT * FROM reversal_journal WHERE omsgid = ?'),
      attempt: db.prepare(
        'UPDATE reversal_journal SET attempts = attempts + 1, last_attempt_at = ?, last_outcome = ?, last_error = ? WHERE omsgid = ? AND completed_at IS NULL',
      ),
      complete: db.prepare(
        'UPDATE reversal_journal SET completed_at = ?, resolution = ?, note = ? WHERE omsgid = ? AND completed_at IS NULL',
      ),
    };
  }

  add(entry: JournalEntry): void {
    this.nonePendingAt = null;
    this.s.add.run({
      omsgid: entry.omsgid,
      oinfno: entry.oinfno,
      psn_no: entry.psn_no,
      insuplc_admdvs: entry.insuplc_admdvs,
      visit_key: entry.visitKey,
      msgid: entry.msgid,
      operator_json: JSON.stringify(entry.operator),
      created_at: entry.createdAt,
      attempts: entry.attempts,
      last_attempt_at: entry.lastAttemptAt,
      last_outcome: entry.lastOutcome,
      last_error: entry.lastError,
    });
  }

  /** Entries not yet completed, oldest first. */
  pending(): JournalEntry[] {
    const version = this.dataVersion();
    if (this.nonePendingAt === version) return [];
    const entries = this.s.pending.all().map((r) => toRecord(r));
    // Not what a transaction read that may yet roll back.
    this.nonePendingAt = entries.length === 0 && !this.db.inTransaction ? version : null;
    return entries;
  }

  recordAttempt(omsgid: string, at: string, failure: { outcome: AttemptOutcome; error: string }): void {
    this.nonePendingAt = null;
    this.s.attempt.run(at, failure.outcome, failure.error, omsgid);
  }

  complete(omsgid: string, at: string, resolution: JournalResolution, note?: string): void {
    this.nonePendingAt = null;
    this.s.complete.run(at, resolution, note ?? null, omsgid);
  }

  /** The entry for a reversed msgid, completed or not (the relay asks: is this item's reversal definite?). */
  get(omsgid: string): JournalRecord | null {
    const r = this.s.get.get(omsgid);
    return r ? toRecord(r) : null;
  }
}

function toRecord(r: Row): JournalRecord {
  return {
    omsgid: r.omsgid,
    oinfno: r.oinfno,
    psn_no: r.psn_no,
    insuplc_admdvs: r.insuplc_admdvs,
    visitKey: r.visit_key,
    msgid: r.msgid,
    operator: JSON.parse(r.operator_json) as JournalOperator,
    createdAt: r.created_at,
    attempts: r.attempts,
    lastAttemptAt: r.last_attempt_at,
    lastOutcome: r.last_outcome,
    lastError: r.last_error,
    completedAt: r.completed_at,
    resolution: r.resolution,
    note: r.note,
  };
}
