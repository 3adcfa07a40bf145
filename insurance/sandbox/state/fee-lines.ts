import type { StateDb } from './database.ts';

export interface FeeLineRow {
  mdtrt_id: string;
  feedetl_sn: string;
  seq: number;
  status: 'active' | 'deleted';
  content_hash: string;
  amount_fen: number;
  /** cnt scaled by 10^4, as decimal text (BigInt). */
  cnt_e4: string;
  init_feedetl_sn: string | null;
  med_list_codg: string;
  /** JSON: the line as uploaded. */
  line: string;
  /** JSON: the 2301 result row (split in fen, see platform/fee-line-result.ts). */
  result: string;
  msgid: string;
  /** The split in fen (also inside `result`), for sums. */
  fulamt_fen: number;
  overlmt_fen: number;
  preselfpay_fen: number;
  inscp_fen: number;
}

/** What a settlement needs of each active line. */
export interface LineAmounts {
  amount_fen: number;
  fulamt_fen: number;
  overlmt_fen: number;
  preselfpay_fen: number;
  inscp_fen: number;
}

/** 2301 lines by visit; feedetl_sn is unique within a mdtrt_id. 2302 marks lines deleted. */
export class FeeLines {
  private readonly getStmt;
  private readonly upsertStmt;
  private readonly activeStmt;
  private readonly countActiveStmt;
  private readonly deleteStmt;
  private readonly deleteAllStmt;
  private readonly maxSeqStmt;
  private readonly refundedStmt;
  private readonly amountsStmt;

  constructor(db: StateDb) {
    this.getStmt = db.prepare<[string, string], FeeLineRow>('SELECT * FROM fee_lines WHERE mdtrt_id = ? AND feedetl_sn = ?');
    this.upsertStmt = db.prepare(
      `INSERT INTO fee_lines (mdtrt_id, feedetl_sn, seq, status, content_hash, amount_fen, cnt_e4, init_feedetl_sn, med_list_codg, line, result, msgid,
         fulamt_fen, overlmt_fen, preselfpay_fen, inscp_fen)
       VALUES (@mdtrt_id, @feedetl_sn, @seq, @status, @content_hash, @amount_fen, @cnt_e4, @init_feedetl_sn, @med_list_codg, @line, @result, @msgid,
         @fulamt_fen, @overlmt_fen, @preselfpay_fen, @inscp_fen)
       ON CONFLICT(mdtrt_id, feedetl_sn) DO UPDATE SET seq = excluded.seq, status = excluded.status, content_hash = excluded.content_hash,
         amount_fen = excluded.amount_fen, cnt_e4 = excluded.cnt_e4, init_feedetl_sn = excluded.init_feedetl_sn,
         med_list_codg = excluded.med_list_codg, line = excluded.line, result = excluded.result, msgid = excluded.msgid,
         fulamt_fen = excluded.fulamt_fen, overlmt_fen = excluded.overlmt_fen, preselfpay_fen = excluded.preselfpay_fen, inscp_fen = excluded.inscp_fen`,
    );
    this.activeStmt = db.prepare<[string], FeeLineRow>("SELECT * FROM fee_lines WHERE mdtrt_id = ? AND status = 'active' ORDER BY seq");
    this.countActiveStmt = db.prepare<[string], { n: number }>("SELECT COUNT(*) AS n FROM fee_lines WHERE mdtrt_id = ? AND status = 'active'");
    this.deleteStmt = db.prepare("UPDATE fee_lines SET status = 'deleted' WHERE mdtrt_id = ? AND feedetl_sn = ?");
    this.deleteAllStmt = db.prepare("UPDATE fee_lines SET status = 'deleted' WHERE mdtrt_id = ? AND status = 'active'");
    this.maxSeqStmt = db.prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM fee_lines WHERE mdtrt_id = ?');
    this.amountsStmt = db.prepare<[string], LineAmounts>(
      "SELECT amount_fen, fulamt_fen, overlmt_fen, preselfpay_fen, inscp_fen FROM fee_lines WHERE mdtrt_id = ? AND status = 'active' ORDER BY seq",
    );
    this.refundedStmt = db.prepare<[string, string], FeeLineRow>(
      "SELECT * FROM fee_lines WHERE mdtrt_id = ? AND init_feedetl_sn = ? AND status = 'active'",
    );
  }

  get(mdtrtId: string, sn: string): FeeLineRow | undefined {
    return this.getStmt.get(mdtrtId, sn);
  }

  upsert(row: FeeLineRow): void {
    this.upsertStmt.run(row);
  }

  active(mdtrtId: string): FeeLineRow[] {
    return this.activeStmt.all(mdtrtId);
  }

  /** The amounts of the visit's active lines, for the bill. */
  activeAmounts(mdtrtId: string): LineAmounts[] {
    return this.amountsStmt.all(mdtrtId);
  }

  countActive(mdtrtId: string): number {
    return this.countActiveStmt.get(mdtrtId)?.n ?? 0;
  }

  /** Active refund lines pointing at an original line. */
  refundsOf(mdtrtId: string, sn: string): FeeLineRow[] {
    return this.refundedStmt.all(mdtrtId, sn);
  }

  markDeleted(mdtrtId: string, sn: string): void {
    this.deleteStmt.run(mdtrtId, sn);
  }

  markAllDeleted(mdtrtId: string): number {
    return this.deleteAllStmt.run(mdtrtId).changes;
  }

  nextSeq(mdtrtId: string): number {
    return (this.maxSeqStmt.get(mdtrtId)?.s ?? 0) + 1;
  }
}
