import type { SqliteDatabase } from '../connection.ts';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { assertInTransaction, type Tx } from '../tx.ts';

export type FeeLineState = 'local' | 'uploaded' | 'refused' | 'cancelled';

export interface FeeLineRecord {
  iptNo: string;
  feedetlSn: string;
  initFeedetlSn: string | null;
  medListCodg: string;
  medinsListCodg: string;
  name: string;
  chrgitmType: string;
  chrgitmLv: string | null;
  /** The count as the decimal string sent at the wire (16,4); negative for a 退单 line. */
  cnt: string;
  pricFen: number;
  detItemFeeSumamtFen: number;
  feeOcurTime: string;
  bilgDeptCodg: string | null;
  bilgDrCodg: string | null;
  state: FeeLineState;
  refusal: string | null;
  fulamtOwnpayFen: number | null;
  overlmtSelfpayFen: number | null;
  preselfpayFen: number | null;
  inscpScpFen: number | null;
}

/** What a 2301 carries of a stored line (the discharge's queue step reads these, not whole rows). */
export type FeeLineToSend = Pick<
  FeeLineRecord,
  'feedetlSn' | 'initFeedetlSn' | 'medListCodg' | 'medinsListCodg' | 'cnt' | 'pricFen' | 'detItemFeeSumamtFen' | 'feeOcurTime' | 'bilgDeptCodg' | 'bilgDrCodg'
>;

export type NewFeeLine = Omit<FeeLineRecord, 'state' | 'refusal' | 'fulamtOwnpayFen' | 'overlmtSelfpayFen' | 'preselfpayFen' | 'inscpScpFen'>;

export interface UploadedSums {
  lineCount: number;
  medfeeSumamtFen: number;
  fulamtOwnpayFen: number;
  overlmtSelfpayFen: number;
  preselfpayFen: number;
  inscpScpFen: number;
}

/** The 2301 split of one line, in fen (from the platform's yuan). */
export interface LineSplit {
  fulamtOwnpayFen: number;
  overlmtSelfpayFen: number;
  preselfpayFen: number;
  inscpScpFen: number;
}

interface Row {
  ipt_no: string;
  feedetl_sn: string;
  init_feedetl_sn: string | null;
  med_list_codg: string;
  medins_list_codg: string;
  name: string;
  chrgitm_type: string;
  chrgitm_lv: string | null;
  cnt: string;
  pric_fen: number;
  det_item_fee_sumamt_fen: number;
  fee_ocur_time: string;
  bilg_dept_codg: string | null;
  bilg_dr_codg: string | null;
  state: FeeLineState;
  refusal: string | null;
  fulamt_ownpay_fen: number | null;
  overlmt_selfpay_fen: number | null;
  preselfpay_fen: number | null;
  inscp_scp_fen: number | null;
}

/**
 * Rows per multi-row statement of `addMany` and `markUploadedMany`: one statement per 2301 batch (50 lines). A
 * statement per row cost about twice as much per line (500 lines: ~4.5 ms of INSERTs or ~4 ms of UPDATEs one by one
 * against ~3.3 and ~2.3 ms by fifty, measured on the encrypted store).
 */
const ROWS_PER_STATEMENT = 50;

const INSERT_COLUMNS = `(ipt_no, feedetl_sn, init_feedetl_sn, med_list_codg, medins_list_codg, name, chrgitm_type, chrgitm_lv,
           cnt, pric_fen, det_item_fee_sumamt_fen, fee_ocur_time, bilg_dept_codg, bilg_dr_codg, state, created_at, updated_at)`;
const INSERT_ROW = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local', ?, ?)`;

/** A new line as `add`/`addMany` store it: local, no refusal, no split yet. */
export function asWritten(line: NewFeeLine): FeeLineRecord {
  return { ...line, state: 'local', refusal: null, fulamtOwnpayFen: null, overlmtSelfpayFen: null, preselfpayFen: null, inscpScpFen: null };
}

/** 费用明细 of a visit. feedetl_sn is unique per visit (primary key with ipt_no), as 2301 requires. */
export class FeeLineRepository {
  private readonly db: SqliteDatabase;
  private readonly s;
  /** Multi-row statements by row count (a chunk of ROWS_PER_STATEMENT, or the last, shorter one). */
  private readonly inserts = new Map<number, Statement<unknown[]>>();
  private readonly uploads = new Map<number, Statement<unknown[]>>();

  constructor(db: SqliteDatabase) {
    this.db = db;
    this.s = {
      // Which of these lines the visit has (markUploadedMany, when an answer names lines that are not this store's).
      present: db.prepare<[string, string], { feedetl_sn: string }>('SELECT feedetl_sn FROM fee_lines WHERE ipt_no = ? AND feedetl_sn IN (SELECT value FROM json_each(?))'),
      byVisit: db.prepare<[string], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? ORDER BY created_at, feedetl_sn'),
      inState: db.prepare<[string, FeeLineState], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? AND state = ? ORDER BY created_at, feedetl_sn'),
      // Named as FeeLineToSend's fields, so a row needs no mapping (a bill has hundreds).
      toSend: db.prepare<[string], FeeLineToSend>(
        `SELECT feedetl_sn AS feedetlSn, init_feedetl_sn AS initFeedetlSn, med_list_codg AS medListCodg, medins_list_codg AS medinsListCodg,
                cnt, pric_fen AS pricFen, det_item_fee_sumamt_fen AS detItemFeeSumamtFen, fee_ocur_time AS feeOcurTime,
                bilg_dept_codg AS bilgDeptCodg, bilg_dr_codg AS bilgDrCodg
           FROM fee_lines WHERE ipt_no = ? AND state = 'local' ORDER BY created_at, feedetl_sn`,
      ),
      anyInBill: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM fee_lines WHERE ipt_no = ? AND state IN ('local', 'uploaded') LIMIT 1`),
      anyInState: db.prepare<[string, FeeLineState], { one: number }>('SELECT 1 AS one FROM fee_lines WHERE ipt_no = ? AND state = ? LIMIT 1'),
      uploadedSums: db.prepare<[string], UploadedSums>(
        `SELECT count(*) AS lineCount, coalesce(sum(det_item_fee_sumamt_fen), 0) AS medfeeSumamtFen,
                coalesce(sum(fulamt_ownpay_fen), 0) AS fulamtOwnpayFen, coalesce(sum(overlmt_selfpay_fen), 0) AS overlmtSelfpayFen,
                coalesce(sum(preselfpay_fen), 0) AS preselfpayFen, coalesce(sum(inscp_scp_fen), 0) AS inscpScpFen
           FROM fee_lines WHERE ipt_no = ? AND state = 'uploaded'`,
      ),
      get: db.prepare<[string, string], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? AND feedetl_sn = ?'),
      setState: db.prepare<[FeeLineState, string | null, number, string, string]>('UPDATE fee_lines SET state = ?, refusal = ?, updated_at = ? WHERE ipt_no = ? AND feedetl_sn = ?'),
      total: db.prepare<[string], { total: number | null }>(
        `SELECT sum(det_item_fee_sumamt_fen) AS total FROM fee_lines WHERE ipt_no = ? AND state IN ('local', 'uploaded')`,
      ),
    };
  }

  add(tx: Tx, line: NewFeeLine): FeeLineRecord {
    this.addMany(tx, [line]);
    // The row as just written (no second read).
    return asWritten(line);
  }

  /**
   * Many new lines of one transaction (an import): the same rows as `add`, without reading or returning them
   * (an import stores hundreds; the caller already holds what it wrote).
   */
  addMany(tx: Tx, lines: readonly NewFeeLine[]): void {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    for (let i = 0; i < lines.length; i += ROWS_PER_STATEMENT) {
      const chunk = lines.slice(i, i + ROWS_PER_STATEMENT);
      // Positional: an import binds hundreds of rows, and binding by name costs a property look-up per column.
      const args: unknown[] = [];
      for (const line of chunk) {
        if (!Number.isSafeInteger(line.detItemFeeSumamtFen) || !Number.isSafeInteger(line.pricFen)) throw new Error('fee line money must be integer fen');
        args.push(line.iptNo, line.feedetlSn, line.initFeedetlSn, line.medListCodg, line.medinsListCodg, line.name, line.chrgitmType, line.chrgitmLv, line.cnt,
          line.pricFen, line.detItemFeeSumamtFen, line.feeOcurTime, line.bilgDeptCodg, line.bilgDrCodg, now, now);
      }
      this.statementFor(this.inserts, chunk.length, (n) => `INSERT INTO fee_lines ${INSERT_COLUMNS} VALUES ${Array<string>(n).fill(INSERT_ROW).join(', ')}`).run(...args);
    }
  }

  get(iptNo: string, feedetlSn: string): FeeLineRecord | null {
    const r = this.s.get.get(iptNo, feedetlSn);
    return r ? toLine(r) : null;
  }

  byVisit(iptNo: string): FeeLineRecord[] {
    return this.s.byVisit.all(iptNo).map(toLine);
  }

  /** The visit's lines in one state, in the order of byVisit (a discharge asks for the few not yet uploaded). */
  inState(iptNo: string, state: FeeLineState): FeeLineRecord[] {
    return this.s.inState.all(iptNo, state).map(toLine);
  }

  /**
   * The visit's local lines (not yet sent), as a 2301 carries them, in the order of byVisit. Only those columns:
   * a whole row mapped to a FeeLineRecord cost about twice as much (500 lines: ~1.4 against ~0.75 ms).
   */
  toSend(iptNo: string): FeeLineToSend[] {
    return this.s.toSend.all(iptNo);
  }

  /** Whether the visit has a line that counts in its bill (local or uploaded). */
  anyInBill(iptNo: string): boolean {
    return this.s.anyInBill.get(iptNo) !== undefined;
  }

  /** Whether the visit has a line in this state. */
  anyInState(iptNo: string, state: FeeLineState): boolean {
    return this.s.anyInState.get(iptNo, state) !== undefined;
  }

  /** Count and sums in fen of the visit's uploaded lines (a split not yet known counts as 0), summed by SQLite. */
  uploadedSums(iptNo: string): UploadedSums {
    return this.s.uploadedSums.get(iptNo)!;
  }

  /**
   * Lines uploaded with their splits (a 2301 batch's answer), by feedetl_sn, a statement per ROWS_PER_STATEMENT
   * lines. Returns the feedetl_sn of the lines the visit has; the others are not this store's, nothing is written
   * for them.
   */
  markUploadedMany(tx: Tx, iptNo: string, splits: ReadonlyMap<string, LineSplit>): Set<string> {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    const entries = [...splits];
    let changed = 0;
    for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
      const args: unknown[] = [now];
      for (const [sn, split] of chunk) args.push(sn, split.fulamtOwnpayFen, split.overlmtSelfpayFen, split.preselfpayFen, split.inscpScpFen);
      args.push(iptNo);
      // One row of the VALUES per line, joined on the primary key (the rows are distinct: a Map's keys).
      const stmt = this.statementFor(
        this.uploads,
        chunk.length,
        (n) => `UPDATE fee_lines SET state = 'uploaded', refusal = NULL, fulamt_ownpay_fen = v.column2, overlmt_selfpay_fen = v.column3,
                  preselfpay_fen = v.column4, inscp_scp_fen = v.column5, updated_at = ?
                FROM (VALUES ${Array<string>(n).fill('(?, ?, ?, ?, ?)').join(', ')}) AS v
               WHERE fee_lines.ipt_no = ? AND fee_lines.feedetl_sn = v.column1`,
      );
      changed += stmt.run(...args).changes;
    }
    if (changed === entries.length) return new Set(splits.keys());
    return new Set(this.s.present.all(iptNo, JSON.stringify([...splits.keys()])).map((r) => r.feedetl_sn));
  }

  /** False when the visit has no such line (nothing written). */
  setState(tx: Tx, iptNo: string, feedetlSn: string, state: FeeLineState, refusal: string | null = null): boolean {
    assertInTransaction(tx);
    return this.s.setState.run(state, refusal, tx.now.getTime(), iptNo, feedetlSn).changes > 0;
  }

  /** The multi-row statement of `rows` rows, prepared once per size. */
  private statementFor(cache: Map<number, Statement<unknown[]>>, rows: number, sql: (rows: number) => string): Statement<unknown[]> {
    let stmt = cache.get(rows);
    if (!stmt) {
      stmt = this.db.prepare<unknown[]>(sql(rows));
      cache.set(rows, stmt);
    }
    return stmt;
  }

  /** Charges of the visit that count (local or uploaded), in fen. */
  totalFen(iptNo: string): number {
    return this.s.total.get(iptNo)?.total ?? 0;
  }
}

function toLine(r: Row): FeeLineRecord {
  return {
    iptNo: r.ipt_no,
    feedetlSn: r.feedetl_sn,
    initFeedetlSn: r.init_feedetl_sn,
    medListCodg: r.med_list_codg,
    medinsListCodg: r.medins_list_codg,
    name: r.name,
    chrgitmType: r.chrgitm_type,
    chrgitmLv: r.chrgitm_lv,
    cnt: r.cnt,
    pricFen: r.pric_fen,
    detItemFeeSumamtFen: r.det_item_fee_sumamt_fen,
    feeOcurTime: r.fee_ocur_time,
    bilgDeptCodg: r.bilg_dept_codg,
    bilgDrCodg: r.bilg_dr_codg,
    state: r.state,
    refusal: r.refusal,
    fulamtOwnpayFen: r.fulamt_ownpay_fen,
    overlmtSelfpayFen: r.overlmt_selfpay_fen,
    preselfpayFen: r.preselfpay_fen,
    inscpScpFen: r.inscp_scp_fen,
  };
}
