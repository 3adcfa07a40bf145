import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export interface CachedPerson {
  psnNo: string;
  psnCertType: string | null;
  certno: string | null;
  psnName: string | null;
  insuplcAdmdvs: string | null;
  /** The whole 1101 output as the platform returned it. */
  info: unknown;
  fetchedAt: number;
}

interface Row {
  psn_no: string;
  psn_cert_type: string | null;
  certno: string | null;
  psn_name: string | null;
  insuplc_admdvs: string | null;
  info_json: string;
  fetched_at: number;
}

/** 1101 人员信息 results, cached so that a card read offline can still be matched to a person. */
export class PersonRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      upsert: db.prepare(
        `INSERT INTO persons (psn_no, psn_cert_type, certno, psn_name, insuplc_admdvs, info_json, fetched_at)
         VALUES (@psn_no, @psn_cert_type, @certno, @psn_name, @insuplc_admdvs, @info_json, @fetched_at)
         ON CONFLICT (psn_no) DO UPDATE SET psn_cert_type = excluded.psn_cert_type, certno = excluded.certno,
           psn_name = excluded.psn_name, insuplc_admdvs = excluded.insuplc_admdvs, info_json = excluded.info_json,
           fetched_at = excluded.fetched_at`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM persons WHERE psn_no = ?'),
      byCertno: db.prepare<[string], Row>('SELECT * FROM persons WHERE certno = ? ORDER BY fetched_at DESC LIMIT 1'),
    };
  }

  /**
   * Caches a 1101 output. baseinfo.psn_no, certno, psn_name and the first insuinfo row's insuplc_admdvs are
   * copied to columns for lookups; the rest stays as returned.
   */
  save(tx: Tx, output1101: { baseinfo: Record<string, unknown>; insuinfo?: Array<Record<string, unknown>> } & Record<string, unknown>): CachedPerson {
    assertInTransaction(tx);
    const base = output1101.baseinfo;
    const psnNo = str(base.psn_no);
    if (!psnNo) throw new Error('1101 output without baseinfo.psn_no');
    this.s.upsert.run({
      psn_no: psnNo,
      psn_cert_type: str(base.psn_cert_type),
      certno: str(base.certno),
      psn_name: str(base.psn_name),
      insuplc_admdvs: str(output1101.insuinfo?.[0]?.insuplc_admdvs),
      info_json: JSON.stringify(output1101),
      fetched_at: tx.now.getTime(),
    });
    return this.get(psnNo)!;
  }

  get(psnNo: string): CachedPerson | null {
    const r = this.s.get.get(psnNo);
    return r ? toPerson(r) : null;
  }

  /** The newest cached person with this 证件号码 (offline lookup from a card read). */
  byCertno(certno: string): CachedPerson | null {
    const r = this.s.byCertno.get(certno);
    return r ? toPerson(r) : null;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function toPerson(r: Row): CachedPerson {
  return {
    psnNo: r.psn_no,
    psnCertType: r.psn_cert_type,
    certno: r.certno,
    psnName: r.psn_name,
    insuplcAdmdvs: r.insuplc_admdvs,
    info: JSON.parse(r.info_json) as unknown,
    fetchedAt: r.fetched_at,
  };
}
