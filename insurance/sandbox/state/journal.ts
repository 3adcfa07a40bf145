import type { StateDb } from './database.ts';

export interface JournalFields {
  psn_no?: string | null;
  mdtrt_id?: string | null;
  ipt_no?: string | null;
  setl_id?: string | null;
  omsgid?: string | null;
  oinfno?: string | null;
}

export interface JournalEntry {
  seq: number;
  msgid: string;
  infno: string;
  fixmedins_code: string;
  psn_no: string | null;
  mdtrt_id: string | null;
  ipt_no: string | null;
  setl_id: string | null;
  omsgid: string | null;
  oinfno: string | null;
  time: string;
  /** The msgid of the 2601 that later reversed this entry's transaction, or null. */
  reversed_by: string | null;
}

export interface JournalFilter {
  psn_no?: string;
  mdtrt_id?: string;
  infno?: string;
  afterSeq?: number;
}

/** The ordered record of every transaction that took effect (GET /admin/journal). */
export class Journal {
  private readonly insertStmt;
  private readonly db: StateDb;

  constructor(db: StateDb) {
    this.db = db;
    this.insertStmt = db.prepare(
      'INSERT INTO journal (msgid, infno, fixmedins_code, psn_no, mdtrt_id, ipt_no, setl_id, omsgid, oinfno, time) VALUES (@msgid, @infno, @fixmedins_code, @psn_no, @mdtrt_id, @ipt_no, @setl_id, @omsgid, @oinfno, @time)',
    );
  }

  append(e: { msgid: string; infno: string; fixmedins_code: string; time: string } & JournalFields): void {
    this.insertStmt.run({
      msgid: e.msgid,
      infno: e.infno,
      fixmedins_code: e.fixmedins_code,
      psn_no: e.psn_no ?? null,
      mdtrt_id: e.mdtrt_id ?? null,
      ipt_no: e.ipt_no ?? null,
      setl_id: e.setl_id ?? null,
      omsgid: e.omsgid ?? null,
      oinfno: e.oinfno ?? null,
      time: e.time,
    });
  }

  list(f: JournalFilter = {}): JournalEntry[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    const add = (clause: string, name: string, value: unknown) => {
      where.push(clause);
      args[name] = value;
    };
    if (f.psn_no !== undefined) add('j.psn_no = @psn_no', 'psn_no', f.psn_no);
    if (f.mdtrt_id !== undefined) add('j.mdtrt_id = @mdtrt_id', 'mdtrt_id', f.mdtrt_id);
    if (f.infno !== undefined) add('j.infno = @infno', 'infno', f.infno);
    if (f.afterSeq !== undefined) add('j.seq > @after', 'after', f.afterSeq);
    const sql = `SELECT j.*, m.reversed_by AS reversed_by FROM journal j LEFT JOIN messages m ON m.msgid = j.msgid
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY j.seq`;
    return this.db.prepare(sql).all(args) as JournalEntry[];
  }
}
