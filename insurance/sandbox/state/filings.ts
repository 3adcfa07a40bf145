import type { FilingRecord, RegistrationRecord } from '../world/world.ts';
import type { StateDb } from './database.ts';

/**
 * Filings and 大市一卡通 registrations added through the admin endpoint, and vali_flag changes of any
 * (fixture or added) — e.g. a filing cancelled so a registration can be made.
 */
export class FilingStore {
  private readonly insertFiling;
  private readonly insertRegistration;
  private readonly filingsOf;
  private readonly registrationsOf;
  private readonly overrideStmt;
  private readonly overridesStmt;

  constructor(db: StateDb) {
    this.insertFiling = db.prepare(
      'INSERT INTO filings (trt_dcla_detl_sn, psn_no, dcla_type, mdtrtarea_admdvs, begndate, enddate, crte_time, vali_flag) VALUES (@trt_dcla_detl_sn, @psn_no, @dcla_type, @mdtrtarea_admdvs, @begndate, @enddate, @crte_time, @vali_flag)',
    );
    this.insertRegistration = db.prepare(
      'INSERT INTO registrations (reg_id, psn_no, insu_admdvs, trt_admdvs, card_sn, begndate, vali_flag) VALUES (@reg_id, @psn_no, @insu_admdvs, @trt_admdvs, @card_sn, @begndate, @vali_flag)',
    );
    this.filingsOf = db.prepare<[string], FilingRecord>('SELECT * FROM filings WHERE psn_no = ? ORDER BY crte_time, trt_dcla_detl_sn');
    this.registrationsOf = db.prepare<[string], RegistrationRecord>('SELECT * FROM registrations WHERE psn_no = ? ORDER BY begndate, reg_id');
    this.overrideStmt = db.prepare(
      'INSERT INTO vali_flag_overrides (kind, id, vali_flag) VALUES (?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET vali_flag = excluded.vali_flag',
    );
    this.overridesStmt = db.prepare<[string], { id: string; vali_flag: string }>('SELECT id, vali_flag FROM vali_flag_overrides WHERE kind = ?');
  }

  addFiling(f: FilingRecord): void {
    this.insertFiling.run(f);
  }

  addRegistration(r: RegistrationRecord): void {
    this.insertRegistration.run(r);
  }

  filings(psnNo: string): FilingRecord[] {
    return this.filingsOf.all(psnNo);
  }

  registrations(psnNo: string): RegistrationRecord[] {
    return this.registrationsOf.all(psnNo);
  }

  setValiFlag(kind: 'filing' | 'registration', id: string, valiFlag: '0' | '1'): void {
    this.overrideStmt.run(kind, id, valiFlag);
  }

  valiFlagOverrides(kind: 'filing' | 'registration'): Map<string, string> {
    return new Map(this.overridesStmt.all(kind).map((r) => [r.id, r.vali_flag]));
  }
}
