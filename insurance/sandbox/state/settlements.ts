import type { StateDb } from './database.ts';

export type SettlementStatus = 'valid' | 'refunded' | 'reversed';

export interface SettlementRow {
  setl_id: string;
  kind: 'settle' | 'refund';
  init_setl_id: string | null;
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  insuplc_admdvs: string;
  fixmedins_code: string;
  msgid: string;
  setl_time: string;
  year: number;
  status: SettlementStatus;
  medfee_fen: number;
  inscp_fen: number;
  hifp_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  /** JSON: { setlinfo, setldetail } as answered. */
  output: string;
}

export interface YearTotals {
  hifpFen: number;
  /** Σ (inscp − hifp_pay): the in-scope personal burden. */
  inscpBurdenFen: number;
  /** Distinct admissions with a valid settlement. */
  admissions: number;
}

/** Settlements (2304) and their refunds (2305). Year-to-date totals count valid settlements only. */
export class Settlements {
  private readonly db: StateDb;
  private readonly insertStmt;
  private readonly getStmt;
  private readonly validForVisitStmt;
  private readonly statusStmt;
  private readonly totalsStmt;

  constructor(db: StateDb) {
    this.db = db;
    this.insertStmt = db.prepare(
      `INSERT INTO settlements (setl_id, kind, init_setl_id, mdtrt_id, psn_no, insutype, insuplc_admdvs, fixmedins_code, msgid, setl_time, year, status,
         medfee_fen, inscp_fen, hifp_fen, fund_fen, acct_fen, cash_fen, output)
       VALUES (@setl_id, @kind, @init_setl_id, @mdtrt_id, @psn_no, @insutype, @insuplc_admdvs, @fixmedins_code, @msgid, @setl_time, @year, @status,
         @medfee_fen, @inscp_fen, @hifp_fen, @fund_fen, @acct_fen, @cash_fen, @output)`,
    );
    this.getStmt = db.prepare<[string], SettlementRow>('SELECT * FROM settlements WHERE setl_id = ?');
    this.validForVisitStmt = db.prepare<[string], SettlementRow>("SELECT * FROM settlements WHERE mdtrt_id = ? AND kind = 'settle' AND status = 'valid'");
    this.statusStmt = db.prepare('UPDATE settlements SET status = ? WHERE setl_id = ?');
    this.totalsStmt = db.prepare<[string, string, number, string], { hifp: number | null; burden: number | null; admissions: number }>(
      `SELECT SUM(hifp_fen) AS hifp, SUM(inscp_fen - hifp_fen) AS burden, COUNT(DISTINCT mdtrt_id) AS admissions
       FROM settlements WHERE psn_no = ? AND insutype = ? AND year = ? AND kind = 'settle' AND status = 'valid' AND mdtrt_id <> ?`,
    );
  }

  insert(s: SettlementRow): void {
    this.insertStmt.run(s);
  }

  get(setlId: string): SettlementRow | undefined {
    return this.getStmt.get(setlId);
  }

  /** The settlement or refund record a 2304 / 2305 msgid made. */
  byMsgid(msgid: string): SettlementRow | undefined {
    return this.db.prepare<[string], SettlementRow>('SELECT * FROM settlements WHERE msgid = ?').get(msgid);
  }

  validForVisit(mdtrtId: string): SettlementRow | undefined {
    return this.validForVisitStmt.get(mdtrtId);
  }

  setStatus(setlId: string, status: SettlementStatus): void {
    this.statusStmt.run(status, setlId);
  }

  /** Valid settlements of a person's year, other than those of one visit. */
  yearTotals(psnNo: string, insutype: string, year: number, exceptMdtrtId: string): YearTotals {
    const r = this.totalsStmt.get(psnNo, insutype, year, exceptMdtrtId);
    return { hifpFen: r?.hifp ?? 0, inscpBurdenFen: r?.burden ?? 0, admissions: r?.admissions ?? 0 };
  }

  /** Settlement and refund records of a hospital on days [from, to], not erased by 2601. */
  forReconciliation(fixmedinsCode: string, fromDay: string, toDay: string): SettlementRow[] {
    return this.db
      .prepare<[string, string, string], SettlementRow>(
        "SELECT * FROM settlements WHERE fixmedins_code = ? AND substr(setl_time, 1, 10) BETWEEN ? AND ? AND status <> 'reversed' ORDER BY setl_time, setl_id",
      )
      .all(fixmedinsCode, fromDay, toDay);
  }

  byPerson(psnNo: string): SettlementRow[] {
    return this.db.prepare<[string], SettlementRow>('SELECT * FROM settlements WHERE psn_no = ? ORDER BY setl_time, setl_id').all(psnNo);
  }
}
