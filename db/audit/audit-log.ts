import { createHash, createHmac } from 'node:crypto';
import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import { canonicalJson } from './canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  /** Who: an operator number (`opter:1001`), `relay`, `cli:<user>`, `retention`… never a patient's name. */
  actor: string;
  /** What, dotted: `outbox.retry`, `outbox.cancel`, `outbox.edit`, `retention.purge`… */
  action: string;
  /** On what: `outbox:17`, `admission:ZY2026000001`… */
  subject: string;
  /** JSON details. Masked or free of personal data by the caller's contract. */
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEntryInput> {
  seq: number;
  at: number;
  prevHash: string;
  hash: string;
}

export type AuditProblem =
  | { seq: number; kind: 'edited'; message: string }
  | { seq: number; kind: 'broken-link'; message: string }
  | { seq: number; kind: 'missing'; message: string }
  | { seq: number; kind: 'truncated'; message: string }
  | { seq: number; kind: 'unreadable'; message: string }
  /** A keyed log without its anchor row: the chain was rewritten without the key (or never keyed). */
  | { seq: number; kind: 'unkeyed'; message: string }
  /** The head the terminal kept beside its keys (db/audit/kept-head.ts) is damaged or was edited without the key. */
  | { seq: number; kind: 'kept-head'; message: string }
  /** The kept head is gone from a store whose chain has rows (it is kept from the store's first row on): deleted. */
  | { seq: number; kind: 'kept-head-missing'; message: string }
  /** A sealed money or visit row that differs from its audited value, has no seal, or is gone. */
  | { seq: number; kind: 'record-changed' | 'record-unsealed' | 'record-deleted'; subject: string; message: string };

export interface AuditVerification {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  problems: AuditProblem[];
  /** Findings an IT administrator accepted earlier (db/audit/accepted.ts): not in `problems`, not counted by `ok`. */
  accepted?: AuditProblem[];
}

interface Row {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string;
  detail_json: string;
  prev_hash: string;
  hash: string;
}

/** The bytes a row's hash covers: every column but the hashes themselves, canonically encoded. */
export function canonicalRow(row: { seq: number; at: number; actor: string; action: string; subject: string; detail: unknown }): string {
  return canonicalJson({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail: row.detail });
}

/**
 * hash = HMAC-SHA256(audit key, prev_hash ‖ canonical row), hex, from the anchor row on; SHA-256 without a key
 * (rows written before the log was keyed, and stores opened without keys: tests, tools).
 */
export function chainHash(prevHash: string, canonical: string, key: Buffer | null = null): string {
  const h = key ? createHmac('sha256', key) : createHash('sha256');
  return h.update(prevHash, 'utf8').update(canonical, 'utf8').digest('hex');
}

/** The action of the row from which the chain is keyed (the first row of a new store; appended once to an old one). */
export const KEYED_ANCHOR_ACTION = 'audit.keyed';

/** Prefixed to a kept head's bytes before its HMAC: no kept-head MAC can ever equal a chain hash, nor the reverse. */
const KEPT_HEAD_DOMAIN = 'kiosk audit kept head v1\n';

/** Checks rows against their seals in the log (db/audit/row-seals.ts), after the chain itself verified. */
export interface SealCheck {
  check(entries: Iterable<{ seq: number; action: string; subject: string; detail: unknown }>): AuditProblem[];
}

/**
 * Append-only, hash-chained log of every operator action and every automatic decision that changes money or a
 * visit (dead letters, reversals, retention). Each row's hash covers the previous row's hash, so editing a row
 * breaks its own hash, and deleting one breaks the link of the next (and leaves a gap in seq). Deleting the
 * newest rows is caught by comparing with SQLite's AUTOINCREMENT high-water mark, and, against a determined
 * attacker who also edits that, by a head (seq, hash) kept outside the file (the day-end report prints it).
 */
export class AuditLog {
  private readonly db: SqliteDatabase;
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly highWaterStmt;
  private readonly anchorStmt;
  private readonly listStmt;
  private readonly bySubjectStmt;
  private readonly latestStmt;
  private readonly rowStmt;
  private readonly key: Buffer | null;
  private anchorSeq: number | null = null;
  /** Set by the store: the sealed rows' check, run by verify(). */
  seals: SealCheck | null = null;

  /**
   * `key`: the audit key (32 bytes, from the key store, never in the database). With it, rows from the anchor
   * on are HMAC-chained: someone with the file but not the key can neither recompute an edited row's hash nor
   * rewrite the whole chain.
   */
  constructor(db: SqliteDatabase, options: { key?: Buffer | null } = {}) {
    this.db = db;
    this.key = options.key ?? null;
    this.anchorStmt = db.prepare<[string], { seq: number }>('SELECT seq FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1');
    this.lastStmt = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.highWaterStmt = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
    this.listStmt = db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
    this.bySubjectStmt = db.prepare<[string, number, number], Row>('SELECT * FROM audit_log WHERE subject = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.latestStmt = db.prepare<[string, string], Row>('SELECT * FROM audit_log WHERE subject = ? AND action = ? ORDER BY seq DESC LIMIT 1');
    this.rowStmt = db.prepare<[number], Row>('SELECT * FROM audit_log WHERE seq = ?');
    this.insertStmt = db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, prev_hash, hash) VALUES (@seq, @at, @actor, @action, @subject, @detail_json, @prev_hash, @hash)',
    );
  }

  /** True when the log has a key (the terminal's): rows are HMAC-chained and money rows are sealed. */
  get keyed(): boolean {
    return this.key !== null;
  }

  /**
   * Keys the chain from here on (once per store; the store calls it at open): appends the anchor row, which
   * carries the head of the unkeyed rows before it, so a later rewrite of those rows shows too.
   */
  anchor(tx: Tx): AuditEntry | null {
    if (!this.key || this.findAnchor() !== null) return null;
    const legacyHead = this.head();
    const entry = this.append(tx, { actor: 'store', action: KEYED_ANCHOR_ACTION, subject: 'audit_log', detail: { legacyHead } });
    this.anchorSeq = entry.seq;
    return entry;
  }

  /**
   * HMAC of a kept head's bytes under the audit key, domain-separated from the chain's own hashes (db/audit/kept-head.ts);
   * null without a key. The key never leaves this object.
   */
  macKeptHead(bytes: string): string | null {
    return this.key ? createHmac('sha256', this.key).update(KEPT_HEAD_DOMAIN, 'utf8').update(bytes, 'utf8').digest('hex') : null;
  }

  /** No row was ever written (AUTOINCREMENT mark 0): a new store, keyed from its first row. */
  pristine(): boolean {
    return this.lastStmt.get() === undefined && this.highWater() === 0;
  }

  /** Appends one entry in the caller's transaction (the action and its audit row commit together). */
  append(tx: Tx, entry: AuditEntryInput): AuditEntry {
    assertInTransaction(tx);
    const keyed = this.key !== null && (entry.action === KEYED_ANCHOR_ACTION || this.findAnchor() !== null);
    const last = this.lastStmt.get();
    // AUTOINCREMENT's high-water mark, so a seq is never reused even if the newest row was removed.
    const seq = Math.max(last?.seq ?? 0, this.highWater()) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const detail = entry.detail ?? {};
    const at = tx.now.getTime();
    const canonical = canonicalRow({ seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, detail });
    const hash = chainHash(prevHash, canonical, keyed ? this.key : null);
    this.insertStmt.run({ seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, detail_json: canonicalJson(detail), prev_hash: prevHash, hash });
    return { seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, detail, prevHash, hash };
  }

  /** Entries, oldest first, optionally only those about one subject. */
  list(options: { subject?: string; sinceSeq?: number; limit?: number } = {}): AuditEntry[] {
    const since = options.sinceSeq ?? 0;
    const limit = options.limit ?? 1_000_000;
    // Two statements, not one with `@subject IS NULL OR …`: SQLite cannot use the subject index for that.
    const rows = options.subject === undefined ? this.listStmt.all(since, limit) : this.bySubjectStmt.all(options.subject, since, limit);
    return rows.map(toEntry);
  }

  /**
   * The newest entry of one subject with this action, or null: read backwards through the subject's index, so the
   * older rows of the subject (a stay's imports, deposits, earlier 预结算) are neither read nor parsed.
   */
  latest(subject: string, action: string): AuditEntry | null {
    const row = this.latestStmt.get(subject, action);
    return row ? toEntry(row) : null;
  }

  /**
   * SHA-256 of one row's stored columns as they are (unparsed: an unreadable row has one too), or null without the
   * row: what an accepted finding about a row is tied to (db/audit/accepted.ts), so a later change of it shows.
   */
  storedDigest(seq: number): string | null {
    const row = this.rowStmt.get(seq);
    if (!row) return null;
    const stored = [row.seq, row.at, row.actor, row.action, row.subject, row.detail_json, row.prev_hash, row.hash];
    return createHash('sha256').update(JSON.stringify(stored), 'utf8').digest('hex');
  }

  /** The newest (seq, hash): keep it somewhere else (printed report, another machine) to detect truncation. */
  head(): { seq: number; hash: string } {
    const last = this.lastStmt.get();
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Walks the whole chain. Finds an edited row (its hash no longer matches), a deleted row (a gap in seq and
   * a broken link), and a truncated tail (below the AUTOINCREMENT mark, or below an expected head).
   */
  verify(options: { expectedHead?: { seq: number; hash: string } } = {}): AuditVerification {
    const problems: AuditProblem[] = [];
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    let head = { seq: 0, hash: GENESIS_HASH };
    const anchor = this.findAnchor();
    if (this.key && anchor === null) {
      problems.push({ seq: 1, kind: 'unkeyed', message: 'the log has no keyed anchor: it was rewritten without the audit key' });
    }
    const sealed: Array<{ seq: number; action: string; subject: string; detail: unknown }> = [];
    const iter = this.db.prepare<[], Row>('SELECT * FROM audit_log ORDER BY seq').iterate();
    for (const row of iter) {
      const keyedRow = anchor !== null && row.seq >= anchor;
      checked++;
      if (row.seq !== expectedSeq) {
        problems.push({ seq: expectedSeq, kind: 'missing', message: `rows ${expectedSeq}..${row.seq - 1} are missing` });
      }
      if (row.prev_hash !== prevHash) {
        problems.push({ seq: row.seq, kind: 'broken-link', message: `row ${row.seq} does not follow the row before it` });
      }
      let detail: unknown;
      try {
        detail = JSON.parse(row.detail_json);
      } catch {
        problems.push({ seq: row.seq, kind: 'unreadable', message: `row ${row.seq} detail is not JSON` });
        detail = row.detail_json;
      }
      if (keyedRow && !this.key) {
        problems.push({ seq: row.seq, kind: 'unkeyed', message: `row ${row.seq} is keyed and this check has no audit key` });
        break;
      }
      const recomputed = chainHash(row.prev_hash, canonicalRow({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, detail }), keyedRow ? this.key : null);
      if (recomputed !== row.hash) problems.push({ seq: row.seq, kind: 'edited', message: `row ${row.seq} was changed after it was written` });
      if (row.seq === anchor && !sameHead((detail as { legacyHead?: unknown } | null)?.legacyHead, head)) {
        problems.push({ seq: row.seq, kind: 'edited', message: `the rows before the keyed anchor (${row.seq}) were changed` });
      }
      if (keyedRow) sealed.push({ seq: row.seq, action: row.action, subject: row.subject, detail });
      prevHash = row.hash;
      expectedSeq = row.seq + 1;
      head = { seq: row.seq, hash: row.hash };
    }
    const mark = this.highWater();
    if (mark > head.seq) problems.push({ seq: head.seq + 1, kind: 'truncated', message: `rows ${head.seq + 1}..${mark} were removed from the end` });
    const expected = options.expectedHead;
    if (expected && expected.seq > 0) {
      if (expected.seq > head.seq) {
        if (mark <= head.seq) problems.push({ seq: head.seq + 1, kind: 'truncated', message: `the log ends at ${head.seq}, the kept head is ${expected.seq}` });
      } else {
        const at = this.db.prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?').get(expected.seq);
        if (!at || at.hash !== expected.hash) problems.push({ seq: expected.seq, kind: 'edited', message: `row ${expected.seq} differs from the kept head` });
      }
    }
    if (this.key && this.seals) problems.push(...this.seals.check(sealed));
    return { ok: problems.length === 0, checked, head, problems };
  }

  private findAnchor(): number | null {
    this.anchorSeq ??= this.anchorStmt.get(KEYED_ANCHOR_ACTION)?.seq ?? null;
    return this.anchorSeq;
  }

  private highWater(): number {
    return this.highWaterStmt.get()?.seq ?? 0;
  }
}

function sameHead(a: unknown, b: { seq: number; hash: string }): boolean {
  const h = a as { seq?: unknown; hash?: unknown } | null | undefined;
  return !!h && h.seq === b.seq && h.hash === b.hash;
}

function toEntry(row: Row): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    detail: JSON.parse(row.detail_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
