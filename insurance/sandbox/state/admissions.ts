import type { StateDb } from './database.ts';

export type AdmissionStatus = 'in' | 'out' | 'cancelled';

export interface AdmissionRow {
  mdtrt_id: string;
  psn_no: string;
  insutype: string;
  fixmedins_code: string;
  ipt_no: string;
  med_type: string;
  begntime: string;
  emergency: number;
  status: AdmissionStatus;
  endtime: string | null;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string;
  /** JSON: the mdtrtinfo/diseinfo as last sent (2401, 2403), and dscginfo (2402). */
  detail: string;
  msgid: string;
}

/** Inpatient admissions made through this sandbox (2401–2405). */
export class Admissions {
  private readonly db: StateDb;
  private readonly insertStmt;
  private readonly getStmt;
  private readonly byPsnStmt;
  private readonly byIptStmt;

  constructor(db: StateDb) {
    this.db = db;
    this.insertStmt = db.prepare(
      `INSERT INTO admissions (mdtrt_id, psn_no, insutype, fixmedins_code, ipt_no, med_type, begntime, emergency, status, endtime, mdtrt_cert_type, mdtrt_cert_no, detail, msgid)
       VALUES (@mdtrt_id, @psn_no, @insutype, @fixmedins_code, @ipt_no, @med_type, @begntime, @emergency, @status, @endtime, @mdtrt_cert_type, @mdtrt_cert_no, @detail, @msgid)`,
    );
    this.getStmt = db.prepare<[string], AdmissionRow>('SELECT * FROM admissions WHERE mdtrt_id = ?');
    this.byPsnStmt = db.prepare<[string], AdmissionRow>('SELECT * FROM admissions WHERE psn_no = ? ORDER BY begntime');
    this.byIptStmt = db.prepare<[string, string], AdmissionRow>("SELECT * FROM admissions WHERE fixmedins_code = ? AND ipt_no = ? AND status <> 'cancelled'");
  }

  insert(a: AdmissionRow): void {
    this.insertStmt.run(a);
  }

  get(mdtrtId: string): AdmissionRow | undefined {
    return this.getStmt.get(mdtrtId);
  }

  /** The admission a 2401 msgid made. */
  byMsgid(msgid: string): AdmissionRow | undefined {
    return this.db.prepare<[string], AdmissionRow>('SELECT * FROM admissions WHERE msgid = ?').get(msgid);
  }

  byPerson(psnNo: string): AdmissionRow[] {
    return this.byPsnStmt.all(psnNo);
  }

  liveByIptNo(fixmedinsCode: string, iptNo: string): AdmissionRow | undefined {
    return this.byIptStmt.get(fixmedinsCode, iptNo);
  }

  all(): AdmissionRow[] {
    return this.db.prepare<[], AdmissionRow>('SELECT * FROM admissions ORDER BY begntime').all();
  }

  update(mdtrtId: string, changes: Partial<Omit<AdmissionRow, 'mdtrt_id'>>): void {
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const sql = `UPDATE admissions SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE mdtrt_id = @mdtrt_id`;
    this.db.prepare(sql).run({ ...changes, mdtrt_id: mdtrtId });
  }
}
