import type { SqliteDatabase } from '../connection.ts';
import { chinaDay } from '../../base/china-time.ts';
import { assertInTransaction, type Tx } from '../tx.ts';
import type { RowSeals } from '../audit/row-seals.ts';

export type AdmissionStatus = 'queued' | 'admitted' | 'cancelled' | 'discharged' | 'settled' | 'dead-letter';

export interface Admission {
  iptNo: string;
  psnNo: string;
  insutype: string;
  insuplcAdmdvs: string;
  checkId: string | null;
  mdtrtId: string | null;
  status: AdmissionStatus;
  medType: string;
  admissionType: 'normal' | 'emergency';
  deptCode: string;
  deptName: string;
  ward: string;
  bed: string;
  atddrNo: string;
  chfpdrName: string;
  diagCode: string;
  diagName: string;
  begntime: string;
  endtime: string | null;
  direct: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewAdmission = Omit<Admission, 'iptNo' | 'mdtrtId' | 'status' | 'endtime' | 'createdAt' | 'updatedAt'>;

interface Row {
  ipt_no: string;
  psn_no: string;
  insutype: string;
  insuplc_admdvs: string;
  check_id: string | null;
  mdtrt_id: string | null;
  status: AdmissionStatus;
  med_type: string;
  admission_type: 'normal' | 'emergency';
  dept_code: string;
  dept_name: string;
  ward: string;
  bed: string;
  atddr_no: string;
  chfpdr_name: string;
  diag_code: string;
  diag_name: string;
  begntime: string;
  endtime: string | null;
  direct: number;
  created_at: number;
  updated_at: number;
}

/**
 * 入院登记. An admission exists locally from the moment it is registered (status queued, a local ipt_no);
 * 2401 gives it its mdtrt_id (status admitted). The relay's write-backs (services/write-back-table.ts) move the status on.
 */
export class AdmissionRepository {
  private readonly s;
  private readonly prefix: string;

  /** `iptNoPrefix`: 'ZY' by default; give each terminal of a hospital its own prefix if they share numbering. */
  /** `seals`: every change of an admission is sealed in the keyed audit chain (db/audit/row-seals.ts). */
  constructor(
    db: SqliteDatabase,
    private readonly seals: RowSeals,
    options: { iptNoPrefix?: string } = {},
  ) {
    this.prefix = options.iptNoPrefix ?? 'ZY';
    if (!/^[A-Z]{1,4}$/.test(this.prefix)) throw new Error(`iptNoPrefix must be 1-4 capital letters, got "${this.prefix}"`);
    this.s = {
      nextNumber: db.prepare<[string, number], { last: number }>(
        `INSERT INTO local_numbers (series, year, last) VALUES (?, ?, 1)
         ON CONFLICT (series, year) DO UPDATE SET last = last + 1 RETURNING last`,
      ),
      insert: db.prepare(
        `INSERT INTO admissions (ipt_no, psn_no, insutype, insuplc_admdvs, check_id, mdtrt_id, status, med_type, admission_type,
           dept_code, dept_name, ward, bed, atddr_no, chfpdr_name, diag_code, diag_name, begntime, endtime, direct, created_at, updated_at)
         VALUES (@ipt_no, @psn_no, @insutype, @insuplc_admdvs, @check_id, NULL, 'queued', @med_type, @admission_type,
           @dept_code, @dept_name, @ward, @bed, @atddr_no, @chfpdr_name, @diag_code, @diag_name, @begntime, NULL, @direct, @now, @now)`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM admissions WHERE ipt_no = ?'),
      mdtrtIdOf: db.prepare<[string], string | null>('SELECT mdtrt_id FROM admissions WHERE ipt_no = ?').pluck(),
      byMdtrtId: db.prepare<[string], Row>('SELECT * FROM admissions WHERE mdtrt_id = ?'),
      setMdtrtId: db.prepare(`UPDATE admissions SET mdtrt_id = ?, updated_at = ? WHERE ipt_no = ?`),
      setStatus: db.prepare(`UPDATE admissions SET status = ?, updated_at = ? WHERE ipt_no = ?`),
      setEndtime: db.prepare(`UPDATE admissions SET endtime = ?, updated_at = ? WHERE ipt_no = ?`),
      list: db.prepare<{ status: string | null; limit: number }, Row>(
        'SELECT * FROM admissions WHERE (@status IS NULL OR status = @status) ORDER BY created_at DESC LIMIT @limit',
      ),
    };
  }

  /** The next local 住院号 of the year: prefix + yyyy + 6 digits, e.g. ZY2026000001. */
  nextIptNo(tx: Tx): string {
    assertInTransaction(tx);
    const year = Number(chinaDay(tx.now).slice(0, 4));
    const { last } = this.s.nextNumber.get(this.prefix, year)!;
    if (last > 999_999) throw new Error(`ipt_no series ${this.prefix}${year} exhausted`);
    return `${this.prefix}${year}${String(last).padStart(6, '0')}`;
  }

  /** Registers an admission locally (status queued) under a new ipt_no. */
  create(tx: Tx, a: NewAdmission & { iptNo?: string }): Admission {
    assertInTransaction(tx);
    const iptNo = a.iptNo ?? this.nextIptNo(tx);
    this.s.insert.run({
      ipt_no: iptNo,
      psn_no: a.psnNo,
      insutype: a.insutype,
      insuplc_admdvs: a.insuplcAdmdvs,
      check_id: a.checkId,
      med_type: a.medType,
      admission_type: a.admissionType,
      dept_code: a.deptCode,
      dept_name: a.deptName,
      ward: a.ward,
      bed: a.bed,
      atddr_no: a.atddrNo,
      chfpdr_name: a.chfpdrName,
      diag_code: a.diagCode,
      diag_name: a.diagName,
      begntime: a.begntime,
      direct: a.direct ? 1 : 0,
      now: tx.now.getTime(),
    });
    this.seals.seal(tx, 'admissions', iptNo);
    return this.get(iptNo)!;
  }

  get(iptNo: string): Admission | null {
    const r = this.s.get.get(iptNo);
    return r ? toAdmission(r) : null;
  }

  /** The admission's 就诊ID alone (null: not admitted on the platform yet, or no such admission): the relay asks for it before every send. */
  mdtrtIdOf(iptNo: string): string | null {
    return this.s.mdtrtIdOf.get(iptNo) ?? null;
  }

  byMdtrtId(mdtrtId: string): Admission | null {
    const r = this.s.byMdtrtId.get(mdtrtId);
    return r ? toAdmission(r) : null;
  }

  list(options: { status?: AdmissionStatus; limit?: number } = {}): Admission[] {
    return this.s.list.all({ status: options.status ?? null, limit: options.limit ?? 200 }).map(toAdmission);
  }

  /** 2401 succeeded: the platform's 就诊ID. */
  setMdtrtId(tx: Tx, iptNo: string, mdtrtId: string | null): void {
    assertInTransaction(tx);
    this.s.setMdtrtId.run(mdtrtId, tx.now.getTime(), iptNo);
    this.seals.seal(tx, 'admissions', iptNo);
  }

  setStatus(tx: Tx, iptNo: string, status: AdmissionStatus): void {
    assertInTransaction(tx);
    this.s.setStatus.run(status, tx.now.getTime(), iptNo);
    this.seals.seal(tx, 'admissions', iptNo);
  }

  setEndtime(tx: Tx, iptNo: string, endtime: string | null): void {
    assertInTransaction(tx);
    this.s.setEndtime.run(endtime, tx.now.getTime(), iptNo);
    this.seals.seal(tx, 'admissions', iptNo);
  }
}

function toAdmission(r: Row): Admission {
  return {
    iptNo: r.ipt_no,
    psnNo: r.psn_no,
    insutype: r.insutype,
    insuplcAdmdvs: r.insuplc_admdvs,
    checkId: r.check_id,
    mdtrtId: r.mdtrt_id,
    status: r.status,
    medType: r.med_type,
    admissionType: r.admission_type,
    deptCode: r.dept_code,
    deptName: r.dept_name,
    ward: r.ward,
    bed: r.bed,
    atddrNo: r.atddr_no,
    chfpdrName: r.chfpdr_name,
    diagCode: r.diag_code,
    diagName: r.diag_name,
    begntime: r.begntime,
    endtime: r.endtime,
    direct: r.direct === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
