import { maskCertNo, maskName, maskPhone } from '../contract/mask.ts';
import type { Store } from './store.ts';

export interface RetentionReport {
  cutoff: number;
  deleted: {
    cardsSeen: number;
    persons: number;
    eligibilitySnapshots: number;
    outboxItems: number;
    reversalJournal: number;
    signIns: number;
    feeLinesOfUnsettledVisits: number;
  };
  scrubbedSettlements: number;
}

/** A visit still in progress: everything about it is kept whatever its age. */
const OPEN_VISIT = `('queued', 'admitted', 'discharged', 'dead-letter')`;
const OPEN_ITEM = `('pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead')`;

/** Fields of a stored 2304 output that identify the person; masked (names, numbers) or dropped (the rest). */
const MASKED = { psn_name: maskName, certno: maskCertNo, tel: maskPhone } as const;
const DROPPED = ['brdy', 'naty', 'addr', 'coner_name', 'emp_name'];

/**
 * Purges personal data older than `retentionDays` (config store.retentionDays) in one transaction, and writes
 * one audit row with the counts. What goes and what stays (docs/store.md "Retention"):
 *
 * Deleted when older than the cutoff and not part of an open visit or an open queue item:
 *   cards read (cards_seen), cached 1101 persons, eligibility snapshots, done/cancelled outbox items with their
 *   attempts (their inputs carry card numbers and names), completed 2601 journal entries, operators' daily
 *   sign-ins, and fee lines of visits that were cancelled without a settlement.
 * Scrubbed: the stored 2304 output of old settlements keeps its amounts; names and ID numbers are masked,
 *   birth date, nationality, address and employer removed.
 * Kept, because accounting and the platform's reconciliation need them: settlements (split in fen, setl_id,
 *   msgid = medins_setl_id), fee lines of settled visits (the 费用清单), deposits and refunds, admissions
 *   (no names or ID numbers; psn_no and mdtrt_id are the platform's keys for 2305 and 3202), the audit log
 *   (never holds names or ID numbers), operators.
 */
export function purgePersonalData(store: Store, options: { retentionDays: number; actor?: string }): RetentionReport {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) throw new RangeError('retentionDays must be a positive integer');
  return store.write((tx) => {
    const db = tx.db;
    const cutoff = tx.now.getTime() - options.retentionDays * 24 * 60 * 60 * 1000;
    const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params).changes;

    const cardsSeen = run('DELETE FROM cards_seen WHERE seen_at < ?', cutoff);
    const eligibilitySnapshots = run(
      `DELETE FROM eligibility_snapshots WHERE checked_at < ?
         AND check_id NOT IN (SELECT check_id FROM admissions WHERE check_id IS NOT NULL AND status IN ${OPEN_VISIT})`,
      cutoff,
    );
    const persons = run(
      `DELETE FROM persons WHERE fetched_at < ?
         AND psn_no NOT IN (SELECT psn_no FROM admissions WHERE status IN ${OPEN_VISIT})
         AND psn_no NOT IN (SELECT psn_no FROM outbox WHERE psn_no IS NOT NULL AND state IN ${OPEN_ITEM})`,
      cutoff,
    );
    const outboxItems = run(`DELETE FROM outbox WHERE state IN ('done', 'cancelled') AND updated_at < ?`, cutoff);
    const reversalJournal = run(`DELETE FROM reversal_journal WHERE completed_at IS NOT NULL AND completed_at < ?`, new Date(cutoff).toISOString());
    const signIns = run('DELETE FROM sign_ins WHERE created_at < ?', cutoff);
    const feeLinesOfUnsettledVisits = run(
      `DELETE FROM fee_lines WHERE ipt_no IN (
         SELECT a.ipt_no FROM admissions a
          WHERE a.status = 'cancelled' AND a.updated_at < ?
            AND NOT EXISTS (SELECT 1 FROM settlements s WHERE s.ipt_no = a.ipt_no))`,
      cutoff,
    );

    let scrubbedSettlements = 0;
    const old = db
      .prepare<[number], { id: number; output_json: string }>('SELECT id, output_json FROM settlements WHERE updated_at < ? AND output_json IS NOT NULL')
      .all(cutoff);
    const update = db.prepare('UPDATE settlements SET output_json = ? WHERE id = ?');
    for (const row of old) {
      const scrubbed = JSON.stringify(scrub(JSON.parse(row.output_json) as unknown));
      if (scrubbed !== row.output_json) {
        update.run(scrubbed, row.id);
        scrubbedSettlements++;
      }
    }

    const report: RetentionReport = {
      cutoff,
      deleted: { cardsSeen, persons, eligibilitySnapshots, outboxItems, reversalJournal, signIns, feeLinesOfUnsettledVisits },
      scrubbedSettlements,
    };
    store.audit.append(tx, {
      actor: options.actor ?? 'retention',
      action: 'retention.purge',
      subject: 'store',
      detail: { retentionDays: options.retentionDays, cutoff, ...report.deleted, scrubbedSettlements },
    });
    return report;
  });
}

/** Masks names and ID numbers and drops other identifying fields, at any depth. Idempotent. */
export function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (DROPPED.includes(k)) continue;
    const mask = k in MASKED ? MASKED[k as keyof typeof MASKED] : null;
    out[k] = mask !== null && typeof v === 'string' && !v.includes('*') ? mask(v) : scrub(v);
  }
  return out;
}
