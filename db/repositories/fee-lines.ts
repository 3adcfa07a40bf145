import type { SqliteDatabase } from '../connection.ts';
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

/** 费用明细 of a visit. feedetl_sn is unique per visit (primary key with ipt_no), as 2301 requires. */
export class FeeLineRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO fee_lines (ipt_no, feedetl_sn, init_feedetl_sn, med_list_codg, medins_list_codg, name, chrgitm_type, chrgitm_lv,
           cnt, pric_fen, det_item_fee_sumamt_fen, fee_ocur_time, bilg_dept_codg, bilg_dr_codg, state, created_at, updated_at)
         VALUES (@ipt_no, @feedetl_sn, @init_feedetl_sn, @med_list_codg, @medins_list_codg, @name, @chrgitm_type, @chrgitm_lv,
           @cnt, @pric_fen, @det_item_fee_sumamt_fen, @fee_ocur_time, @bilg_dept_codg, @bilg_dr_codg, 'local', @now, @now)`,
      ),
      // Positional: an import binds hundreds of rows, and binding by name costs a property look-up per column.
      insertMany: db.prepare<[string, string, string | null, string, string, string, string, string | null, string, number, number, string, string | null, string | null, number, number]>(
        `INSERT INTO fee_lines (ipt_no, feedetl_sn, init_feedetl_sn, med_list_codg, medins_list_codg, name, chrgitm_type, chrgitm_lv,
           cnt, pric_fen, det_item_fee_sumamt_fen, fee_ocur_time, bilg_dept_codg, bilg_dr_codg, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local', ?, ?)`,
      ),
      byVisit: db.prepare<[string], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? ORDER BY created_at, feedetl_sn'),
      inState: db.prepare<[string, FeeLineState], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? AND state = ? ORDER BY created_at, feedetl_sn'),
      anyInBill: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM fee_lines WHERE ipt_no = ? AND state IN ('local', 'uploaded') LIMIT 1`),
      anyInState: db.prepare<[string, FeeLineState], { one: number }>('SELECT 1 AS one FROM fee_lines WHERE ipt_no = ? AND state = ? LIMIT 1'),
      uploadedSums: db.prepare<[string], UploadedSums>(
        `SELECT count(*) AS lineCount, coalesce(sum(det_item_fee_sumamt_fen), 0) AS medfeeSumamtFen,
                coalesce(sum(fulamt_ownpay_fen), 0) AS fulamtOwnpayFen, coalesce(sum(overlmt_selfpay_fen), 0) AS overlmtSelfpayFen,
                coalesce(sum(preselfpay_fen), 0) AS preselfpayFen, coalesce(sum(inscp_scp_fen), 0) AS inscpScpFen
           FROM fee_lines WHERE ipt_no = ? AND state = 'uploaded'`,
      ),
      get: db.prepare<[string, string], Row>('SELECT * FROM fee_lines WHERE ipt_no = ? AND feedetl_sn = ?'),
      uploaded: db.prepare<[number, number, number, number, number, string, string]>(
        `UPDATE fee_lines SET state = 'uploaded', refusal = NULL, fulamt_ownpay_fen = ?, overlmt_selfpay_fen = ?, preselfpay_fen = ?,
           inscp_scp_fen = ?, updated_at = ? WHERE ipt_no = ? AND feedetl_sn = ?`,
      ),
      setState: db.prepare<[FeeLineState, string | null, number, string, string]>('UPDATE fee_lines SET state = ?, refusal = ?, updated_at = ? WHERE ipt_no = ? AND feedetl_sn = ?'),
      total: db.prepare<[string], { total: number | null }>(
        `SELECT sum(det_item_fee_sumamt_fen) AS total FROM fee_lines WHERE ipt_no = ? AND state IN ('local', 'uploaded')`,
      ),
    };
  }

  add(tx: Tx, line: NewFeeLine): FeeLineRecord {
    assertInTransaction(tx);
    if (!Number.isSafeInteger(line.detItemFeeSumamtFen) || !Number.isSafeInteger(line.pricFen)) throw new Error('fee line money must be integer fen');
    this.s.insert.run({
      ipt_no: line.iptNo,
      feedetl_sn: line.feedetlSn,
      init_feedetl_sn: line.initFeedetlSn,
      med_list_codg: line.medListCodg,
      medins_list_codg: line.medinsListCodg,
      name: line.name,
      chrgitm_type: line.chrgitmType,
      chrgitm_lv: line.chrgitmLv,
      cnt: line.cnt,
      pric_fen: line.pricFen,
      det_item_fee_sumamt_fen: line.detItemFeeSumamtFen,
      fee_ocur_time: line.feeOcurTime,
      bilg_dept_codg: line.bilgDeptCodg,
      bilg_dr_codg: line.bilgDrCodg,
      now: tx.now.getTime(),
    });
    // The row as just written (no second read: an import adds hundreds in one transaction).
    return {
      iptNo: line.iptNo,
      feedetlSn: line.feedetlSn,
      initFeedetlSn: line.initFeedetlSn,
      medListCodg: line.medListCodg,
      medinsListCodg: line.medinsListCodg,
      name: line.name,
      chrgitmType: line.chrgitmType,
      chrgitmLv: line.chrgitmLv,
      cnt: line.cnt,
      pricFen: line.pricFen,
      detItemFeeSumamtFen: line.detItemFeeSumamtFen,
      feeOcurTime: line.feeOcurTime,
      bilgDeptCodg: line.bilgDeptCodg,
      bilgDrCodg: line.bilgDrCodg,
      state: 'local',
      refusal: null,
      fulamtOwnpayFen: null,
      overlmtSelfpayFen: null,
      preselfpayFen: null,
      inscpScpFen: null,
    };
  }

  /**
   * Many new lines of one transaction (an import): the same rows as `add`, without reading or returning them
   * (an import stores hundreds; the caller already holds what it wrote).
   */
  addMany(tx: Tx, lines: readonly NewFeeLine[]): void {
    assertInTransaction(tx);
    const now = tx.now.getTime();
    for (const line of lines) {
      if (!Number.isSafeInteger(line.detItemFeeSumamtFen) || !Number.isSafeInteger(line.pricFen)) throw new Error('fee line money must be integer fen');
      this.s.insertMany.run(
        line.iptNo,
        line.feedetlSn,
        line.initFeedetlSn,
        line.medListCodg,
        line.medinsListCodg,
        line.name,
        line.chrgitmType,
        line.chrgitmLv,
        line.cnt,
        line.pricFen,
        line.detItemFeeSumamtFen,
        line.feeOcurTime,
        line.bilgDeptCodg,
        line.bilgDrCodg,
        now,
        now,
      );
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

  /** The line uploaded with its split. False when the visit has no such line (nothing written). */
  markUploaded(tx: Tx, iptNo: string, feedetlSn: string, split: LineSplit): boolean {
    assertInTransaction(tx);
    const r = this.s.uploaded.run(split.fulamtOwnpayFen, split.overlmtSelfpayFen, split.preselfpayFen, split.inscpScpFen, tx.now.getTime(), iptNo, feedetlSn);
    return r.changes > 0;
  }

  /** False when the visit has no such line (nothing written). */
  setState(tx: Tx, iptNo: string, feedetlSn: string, state: FeeLineState, refusal: string | null = null): boolean {
    assertInTransaction(tx);
    return this.s.setState.run(state, refusal, tx.now.getTime(), iptNo, feedetlSn).changes > 0;
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
