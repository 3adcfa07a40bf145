import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import type { RowSeals } from '../audit/row-seals.ts';

export type SettlementStatus = 'pending' | 'settled' | 'reversed' | 'failed';

/** The split of a bill (2303/2304 setlinfo), every amount in fen. */
export interface SettlementSplit {
  medfeeSumamtFen: number;
  fulamtOwnpayAmtFen: number;
  overlmtSelfpayFen: number;
  preselfpayAmtFen: number;
  inscpScpAmtFen: number;
  actPayDedcFen: number;
  hifpPayFen: number;
  cvlservPayFen: number;
  hifesPayFen: number;
  hifmiPayFen: number;
  hifobPayFen: number;
  mafPayFen: number;
  othPayFen: number;
  fundPaySumamtFen: number;
  psnPartAmtFen: number;
  acctPayFen: number;
  psnCashPayFen: number;
  hospPartAmtFen: number;
  balcFen: number | null;
}

export interface Settlement extends SettlementSplit {
  id: number;
  iptNo: string;
  mdtrtId: string | null;
  psnNo: string;
  insutype: string;
  /** The 2304 msgid = medins_setl_id: the settlement key and the 2601 key. */
  msgid: string | null;
  setlId: string | null;
  status: SettlementStatus;
  depositFen: number;
  /** > 0 collect (应补), < 0 refund (应退). */
  dueFen: number;
  setlTime: string | null;
  output: unknown;
  reversalReason: string | null;
  reversedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const SPLIT_COLUMNS: Array<[keyof SettlementSplit, string]> = [
  ['medfeeSumamtFen', 'medfee_sumamt_fen'],
  ['fulamtOwnpayAmtFen', 'fulamt_ownpay_amt_fen'],
  ['overlmtSelfpayFen', 'overlmt_selfpay_fen'],
  ['preselfpayAmtFen', 'preselfpay_amt_fen'],
  ['inscpScpAmtFen', 'inscp_scp_amt_fen'],
  ['actPayDedcFen', 'act_pay_dedc_fen'],
  ['hifpPayFen', 'hifp_pay_fen'],
  ['cvlservPayFen', 'cvlserv_pay_fen'],
  ['hifesPayFen', 'hifes_pay_fen'],
  ['hifmiPayFen', 'hifmi_pay_fen'],
  ['hifobPayFen', 'hifob_pay_fen'],
  ['mafPayFen', 'maf_pay_fen'],
  ['othPayFen', 'oth_pay_fen'],
  ['fundPaySumamtFen', 'fund_pay_sumamt_fen'],
  ['psnPartAmtFen', 'psn_part_amt_fen'],
  ['acctPayFen', 'acct_pay_fen'],
  ['psnCashPayFen', 'psn_cash_pay_fen'],
  ['hospPartAmtFen', 'hosp_part_amt_fen'],
  ['balcFen', 'balc_fen'],
];

type Row = Record<string, unknown> & {
  id: number;
  ipt_no: string;
  mdtrt_id: string | null;
  psn_no: string;
  insutype: string;
  msgid: string | null;
  setl_id: string | null;
  status: SettlementStatus;
  deposit_fen: number;
  due_fen: number;
  setl_time: string | null;
  output_json: string | null;
  reversal_reason: string | null;
  reversed_at: number | null;
  created_at: number;
  updated_at: number;
};

/**
 * 医保结算 records. A visit has at most one live (pending or settled) settlement: a unique partial index
 * makes a second one fail, whatever a caller does after a crash.
 */
export class SettlementRepository {
  private readonly s;

  /** `seals`: every change of a settlement is sealed in the keyed audit chain (db/audit/row-seals.ts). */
  constructor(
    db: SqliteDatabase,
    private readonly seals: RowSeals,
  ) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO settlements (ipt_no, mdtrt_id, psn_no, insutype, msgid, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      get: db.prepare<[number], Row>('SELECT * FROM settlements WHERE id = ?'),
      byMsgid: db.prepare<[string], Row>('SELECT * FROM settlements WHERE msgid = ?'),
      bySetlId: db.prepare<[string], Row>('SELECT * FROM settlements WHERE setl_id = ?'),
      live: db.prepare<[string], Row>(`SELECT * FROM settlements WHERE ipt_no = ? AND status IN ('pending', 'settled')`),
      byVisit: db.prepare<[string], Row>('SELECT * FROM settlements WHERE ipt_no = ? ORDER BY id'),
      setMsgid: db.prepare('UPDATE settlements SET msgid = ?, updated_at = ? WHERE id = ?'),
      setStatus: db.prepare('UPDATE settlements SET status = ?, updated_at = ? WHERE id = ?'),
      reversed: db.prepare(`UPDATE settlements SET status = 'reversed', reversal_reason = ?, reversed_at = ?, updated_at = ? WHERE id = ?`),
      settled: db.prepare(
        `UPDATE settlements SET status = 'settled', setl_id = @setl_id, msgid = @msgid, mdtrt_id = coalesce(@mdtrt_id, mdtrt_id),
           ${SPLIT_COLUMNS.map(([k, c]) => `${c} = @${k}`).join(', ')},
           deposit_fen = @depositFen, due_fen = @dueFen, setl_time = @setl_time, output_json = @output_json, updated_at = @now
         WHERE id = @id`,
      ),
      list: db.prepare<{ from: number; to: number }, Row>('SELECT * FROM settlements WHERE created_at >= @from AND created_at < @to ORDER BY id'),
      touched: db.prepare<{ from: number; to: number }, Row>('SELECT * FROM settlements WHERE created_at < @to AND updated_at >= @from ORDER BY id'),
      owing: db.prepare<[], { ipt_no: string }>(`SELECT ipt_no FROM settlements WHERE status = 'settled' AND due_fen > 0 ORDER BY id`),
    };
  }

  /** Opens the settlement of a visit (status pending) before 2304 is sent, under the 2304's msgid. */
  open(tx: Tx, s: { iptNo: string; mdtrtId: string | null; psnNo: string; insutype: string; msgid: string | null }): Settlement {
    assertInTransaction(tx);
    const info = this.s.insert.run(s.iptNo, s.mdtrtId, s.psnNo, s.insutype, s.msgid, tx.now.getTime(), tx.now.getTime());
    this.seals.seal(tx, 'settlements', Number(info.lastInsertRowid));
    return this.get(Number(info.lastInsertRowid))!;
  }

  /** 2304 succeeded: its setl_id, the split, and the msgid it went out under. */
  markSettled(
    tx: Tx,
    id: number,
    r: { setlId: string; msgid: string; mdtrtId?: string | null; split: SettlementSplit; depositFen: number; dueFen: number; setlTime: string | null; output: unknown },
  ): Settlement {
    assertInTransaction(tx);
    for (const [k] of SPLIT_COLUMNS) {
      const v = r.split[k];
      if (v !== null && !Number.isSafeInteger(v)) throw new Error(`settlement ${k} must be integer fen, got ${v}`);
    }
    this.s.settled.run({
      id,
      setl_id: r.setlId,
      msgid: r.msgid,
      mdtrt_id: r.mdtrtId ?? null,
      ...r.split,
      depositFen: r.depositFen,
      dueFen: r.dueFen,
      setl_time: r.setlTime,
      output_json: JSON.stringify(r.output ?? null),
      now: tx.now.getTime(),
    });
    this.seals.seal(tx, 'settlements', id);
    return this.get(id)!;
  }

  setMsgid(tx: Tx, id: number, msgid: string): void {
    assertInTransaction(tx);
    this.s.setMsgid.run(msgid, tx.now.getTime(), id);
    this.seals.seal(tx, 'settlements', id);
  }

  setStatus(tx: Tx, id: number, status: SettlementStatus): void {
    assertInTransaction(tx);
    this.s.setStatus.run(status, tx.now.getTime(), id);
    this.seals.seal(tx, 'settlements', id);
  }

  markReversed(tx: Tx, id: number, reason: string): void {
    assertInTransaction(tx);
    this.s.reversed.run(reason, tx.now.getTime(), tx.now.getTime(), id);
    this.seals.seal(tx, 'settlements', id);
  }

  get(id: number): Settlement | null {
    const r = this.s.get.get(id);
    return r ? toSettlement(r) : null;
  }

  byMsgid(msgid: string): Settlement | null {
    const r = this.s.byMsgid.get(msgid);
    return r ? toSettlement(r) : null;
  }

  bySetlId(setlId: string): Settlement | null {
    const r = this.s.bySetlId.get(setlId);
    return r ? toSettlement(r) : null;
  }

  /** Stays whose settled settlement left a balance due (少补; it may have been collected since: balance-due.ts). */
  staysWithBalanceDue(): string[] {
    return this.s.owing.all().map((r) => r.ipt_no);
  }

  /** The visit's pending or settled settlement, if any. */
  liveFor(iptNo: string): Settlement | null {
    const r = this.s.live.get(iptNo);
    return r ? toSettlement(r) : null;
  }

  byVisit(iptNo: string): Settlement[] {
    return this.s.byVisit.all(iptNo).map(toSettlement);
  }

  /** Settlements opened in [from, to) (epoch ms), for the day-end reconciliation. */
  between(from: number, to: number): Settlement[] {
    return this.s.list.all({ from, to }).map(toSettlement);
  }

  /**
   * Settlements opened before `to` and changed at or after `from` (epoch ms): every one that may have taken
   * effect or been reversed in [from, to), however long ago it was opened (the cashier's day-end).
   */
  touchedBetween(from: number, to: number): Settlement[] {
    return this.s.touched.all({ from, to }).map(toSettlement);
  }
}

function toSettlement(r: Row): Settlement {
  const split = Object.fromEntries(SPLIT_COLUMNS.map(([k, c]) => [k, r[c] as number | null])) as unknown as SettlementSplit;
  return {
    id: r.id,
    iptNo: r.ipt_no,
    mdtrtId: r.mdtrt_id,
    psnNo: r.psn_no,
    insutype: r.insutype,
    msgid: r.msgid,
    setlId: r.setl_id,
    status: r.status,
    ...split,
    depositFen: r.deposit_fen,
    dueFen: r.due_fen,
    setlTime: r.setl_time,
    output: r.output_json === null ? null : (JSON.parse(r.output_json) as unknown),
    reversalReason: r.reversal_reason,
    reversedAt: r.reversed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
