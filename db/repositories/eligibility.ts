import type { SqliteDatabase } from '../connection.ts';
import { assertInTransaction, type Tx } from '../tx.ts';

export interface EligibilitySnapshot {
  checkId: string;
  psnNo: string;
  mdtrtCertType: string;
  mdtrtCertNo: string;
  insutype: string | null;
  admissionType: 'normal' | 'emergency';
  /** The EligibilityDecision as returned to the screen when it was made online. */
  decision: unknown;
  checkedAt: number;
}

interface Row {
  check_id: string;
  psn_no: string;
  mdtrt_cert_type: string;
  mdtrt_cert_no: string;
  insutype: string | null;
  admission_type: 'normal' | 'emergency';
  decision_json: string;
  checked_at: number;
}

/**
 * Eligibility decisions. Offline, `freshFor` returns the newest decision for the same credential that is
 * younger than the configured age (config store.eligibilityCacheMaxAgeMinutes); the service labels it cached.
 */
export class EligibilityRepository {
  private readonly s;

  constructor(db: SqliteDatabase) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO eligibility_snapshots (check_id, psn_no, mdtrt_cert_type, mdtrt_cert_no, insutype, admission_type, decision_json, checked_at)
         VALUES (@check_id, @psn_no, @mdtrt_cert_type, @mdtrt_cert_no, @insutype, @admission_type, @decision_json, @checked_at)`,
      ),
      get: db.prepare<[string], Row>('SELECT * FROM eligibility_snapshots WHERE check_id = ?'),
      freshByCert: db.prepare<{ type: string; no: string; since: number; insutype: string | null; admission_type: string }, Row>(
        `SELECT * FROM eligibility_snapshots
          WHERE mdtrt_cert_type = @type AND mdtrt_cert_no = @no AND checked_at >= @since AND admission_type = @admission_type
            AND (@insutype IS NULL OR insutype IS @insutype)
          ORDER BY checked_at DESC LIMIT 1`,
      ),
      freshByPsn: db.prepare<{ psn_no: string; since: number; insutype: string | null; admission_type: string }, Row>(
        `SELECT * FROM eligibility_snapshots
          WHERE psn_no = @psn_no AND checked_at >= @since AND admission_type = @admission_type
            AND (@insutype IS NULL OR insutype IS @insutype)
          ORDER BY checked_at DESC LIMIT 1`,
      ),
    };
  }

  save(tx: Tx, snap: Omit<EligibilitySnapshot, 'checkedAt'> & { checkedAt?: number }): EligibilitySnapshot {
    assertInTransaction(tx);
    const checkedAt = snap.checkedAt ?? tx.now.getTime();
    this.s.insert.run({
      check_id: snap.checkId,
      psn_no: snap.psnNo,
      mdtrt_cert_type: snap.mdtrtCertType,
      mdtrt_cert_no: snap.mdtrtCertNo,
      insutype: snap.insutype,
      admission_type: snap.admissionType,
      decision_json: JSON.stringify(snap.decision),
      checked_at: checkedAt,
    });
    return { ...snap, checkedAt };
  }

  get(checkId: string): EligibilitySnapshot | null {
    const r = this.s.get.get(checkId);
    return r ? toSnapshot(r) : null;
  }

  /** The newest snapshot for this credential younger than maxAgeMs at `now`, or null. */
  freshFor(
    key: { mdtrtCertType: string; mdtrtCertNo: string } | { psnNo: string },
    options: { now: Date; maxAgeMs: number; insutype?: string | null; admissionType?: 'normal' | 'emergency' },
  ): EligibilitySnapshot | null {
    const since = options.now.getTime() - options.maxAgeMs;
    const common = { since, insutype: options.insutype ?? null, admission_type: options.admissionType ?? 'normal' };
    const r =
      'psnNo' in key
        ? this.s.freshByPsn.get({ psn_no: key.psnNo, ...common })
        : this.s.freshByCert.get({ type: key.mdtrtCertType, no: key.mdtrtCertNo, ...common });
    return r ? toSnapshot(r) : null;
  }
}

function toSnapshot(r: Row): EligibilitySnapshot {
  return {
    checkId: r.check_id,
    psnNo: r.psn_no,
    mdtrtCertType: r.mdtrt_cert_type,
    mdtrtCertNo: r.mdtrt_cert_no,
    insutype: r.insutype,
    admissionType: r.admission_type,
    decision: JSON.parse(r.decision_json) as unknown,
    checkedAt: r.checked_at,
  };
}
