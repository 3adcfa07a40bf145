import { KioskError } from '../contract/errors.ts';
import { maskCertNo } from '../contract/mask.ts';
import { scrub } from './retention.ts';
import type { Store } from './store.ts';
import { OUTBOX_ITEM_SELECT } from './outbox/outbox.ts';
import { unpackPayload, type StoredPayload } from './outbox/payload.ts';

/**
 * A person's rights over their data (PIPL Art. 45 access and copy, Art. 47 deletion): everything this terminal
 * holds about one person, found by psn_no or ID number (certno), exported as JSON, or purged.
 *
 * Purge deletes what is personal and not a record: cached 1101 answers, cards read, eligibility snapshots, sent
 * (done or cancelled) queue items with their inputs, and masks the names and numbers in the stored 2304 outputs.
 * It keeps the accounting records the law requires (会计档案管理办法: 30 years) — admissions, fee lines,
 * deposits, refunds, settlement amounts, payments — which hold the platform's keys (psn_no, mdtrt_id) and no name.
 * It refuses while the person has an open stay or an open queue item. Both are audited (the ID number masked).
 */
export interface PersonKeys {
  psnNos: string[];
  certnos: string[];
  iptNos: string[];
}

export function findPerson(store: Store, id: string): PersonKeys {
  const db = store.db;
  const psn = new Set<string>();
  const cert = new Set<string>();
  for (const r of db.prepare<[string, string], { psn_no: string; certno: string | null }>('SELECT psn_no, certno FROM persons WHERE psn_no = ? OR certno = ?').all(id, id)) {
    psn.add(r.psn_no);
    if (r.certno) cert.add(r.certno);
  }
  for (const r of db.prepare<[string, string], { psn_no: string | null; certno: string }>('SELECT psn_no, certno FROM cards_seen WHERE psn_no = ? OR certno = ?').all(id, id)) {
    if (r.psn_no) psn.add(r.psn_no);
    cert.add(r.certno);
  }
  if (db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM admissions WHERE psn_no = ?').get(id)!.n > 0) psn.add(id);
  if (db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE psn_no = ?').get(id)!.n > 0) psn.add(id);
  const psnNos = [...psn];
  const iptNos = psnNos.flatMap((p) => db.prepare<[string], { ipt_no: string }>('SELECT ipt_no FROM admissions WHERE psn_no = ?').all(p).map((r) => r.ipt_no));
  return { psnNos, certnos: [...cert], iptNos };
}

const list = (xs: readonly string[]) => `(${xs.map(() => '?').join(', ') || 'NULL'})`;

/** Everything held about the person, table by table (the export a patient or their proxy receives). */
export function exportPerson(store: Store, id: string, options: { actor: string }): Record<string, unknown[]> {
  const keys = requirePerson(store, id);
  const { psnNos: p, certnos: c, iptNos: i } = keys;
  const db = store.db;
  const all = (sql: string, params: string[]) => db.prepare(sql).all(...params) as unknown[];
  const data: Record<string, unknown[]> = {
    persons: all(`SELECT * FROM persons WHERE psn_no IN ${list(p)}`, p),
    cardsSeen: all(`SELECT * FROM cards_seen WHERE certno IN ${list(c)} OR psn_no IN ${list(p)}`, [...c, ...p]),
    eligibilitySnapshots: all(`SELECT * FROM eligibility_snapshots WHERE psn_no IN ${list(p)}`, p),
    admissions: all(`SELECT * FROM admissions WHERE ipt_no IN ${list(i)}`, i),
    feeLines: all(`SELECT * FROM fee_lines WHERE ipt_no IN ${list(i)}`, i),
    deposits: all(`SELECT * FROM deposits WHERE ipt_no IN ${list(i)}`, i),
    depositVoids: all(`SELECT * FROM deposit_voids WHERE ipt_no IN ${list(i)}`, i),
    refunds: all(`SELECT * FROM refunds WHERE ipt_no IN ${list(i)}`, i),
    settlements: all(`SELECT * FROM settlements WHERE ipt_no IN ${list(i)}`, i),
    // Money through the payment gateway and at the counter (补缴): the payer's account as the gateway gave it.
    paymentOrders: all(`SELECT * FROM payment_orders WHERE ipt_no IN ${list(i)}`, i),
    paymentRefunds: all(`SELECT * FROM payment_refunds WHERE ipt_no IN ${list(i)}`, i),
    // 2601 reversals of the person's transactions (the journal of the platform client).
    reversals: all(`SELECT * FROM reversal_journal WHERE psn_no IN ${list(p)}`, p),
    // With each item's payloads (outbox_inputs, outbox_outputs): the input and answer carry the person's data.
    // The payloads as the JSON they hold (a big one is kept deflated: db/outbox/payload.ts).
    queueItems: all(`${OUTBOX_ITEM_SELECT} WHERE o.psn_no IN ${list(p)} ORDER BY o.id`, p).map((row) => {
      const r = row as { input_json: StoredPayload | null; output_json: StoredPayload | null };
      return { ...r, input_json: r.input_json === null ? null : unpackPayload(r.input_json), output_json: r.output_json === null ? null : unpackPayload(r.output_json) };
    }),
  };
  store.write((tx) =>
    store.audit.append(tx, { actor: options.actor, action: 'person.export', subject: `person:${maskCertNo(id)}`, detail: { rows: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length])) } }),
  );
  return data;
}

export interface PersonPurgeReport {
  deleted: Record<string, number>;
  scrubbedSettlements: number;
  keptForAccounting: Record<string, number>;
  /**
   * The WAL was emptied after the purge, so no earlier version of a page holding the person's rows is left in it.
   * False when another process (the running terminal) kept the WAL busy past the busy timeout: those frames are then
   * overwritten as the WAL is reused, and gone when the terminal closes its store (the last connection to close
   * checkpoints the WAL and deletes it) or at the next purge made while it is idle.
   */
  walEmptied: boolean;
}

/**
 * Purges the person's personal data in one transaction, keeping the accounting records (see above), then empties
 * the WAL. The deletion itself overwrites the rows in the file (secure_delete is ON on the encrypted store:
 * db/connection.ts); until then every earlier version of the pages that held them was still in the WAL, readable
 * with the store key (test/unit/db/person-data.test.ts decrypts every page of the file and its WAL).
 */
/** Removes the spooled documents (PDFs with the full name) about these visits and settlements; returns how many. */
export type SpooledDocumentsRemover = (about: { iptNos: string[]; settlementIds: string[] }) => number;

export function purgePerson(store: Store, id: string, options: { actor: string; reason: string; spooledDocuments?: SpooledDocumentsRemover }): PersonPurgeReport {
  if (!options.reason.trim()) throw new KioskError('INVALID_ARGUMENT', '删除个人信息须写明原因（如：本人申请）。');
  const keys = requirePerson(store, id);
  const purged = deletePersonalRows(store, id, keys, options);
  return { ...purged, walEmptied: emptyWal(store) };
}

/** Copies the WAL into the file and truncates it (waits for readers up to the connection's busy timeout). */
function emptyWal(store: Store): boolean {
  const [result] = store.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number }>;
  return !!result && result.busy === 0 && result.log <= 0;
}

function deletePersonalRows(
  store: Store,
  id: string,
  { psnNos: p, certnos: c, iptNos: i }: PersonKeys,
  options: { actor: string; reason: string; spooledDocuments?: SpooledDocumentsRemover },
): Omit<PersonPurgeReport, 'walEmptied'> {
  return store.write((tx) => {
    const db = tx.db;
    const open = db.prepare(`SELECT count(*) AS n FROM admissions WHERE ipt_no IN ${list(i)} AND status IN ('queued', 'admitted', 'discharged', 'dead-letter')`).get(...i) as { n: number };
    const openItems = db.prepare(`SELECT count(*) AS n FROM outbox WHERE psn_no IN ${list(p)} AND state NOT IN ('done', 'cancelled')`).get(...p) as { n: number };
    if (open.n > 0 || openItems.n > 0) {
      throw new KioskError('ADMISSION_STATE', '该患者有未结束的住院或待上传业务，暂不能删除其个人信息。', ['请在出院结算并上传完成后再办理。']);
    }
    const run = (sql: string, params: string[]) => db.prepare(sql).run(...params).changes;
    const settlementIds = (db.prepare(`SELECT id FROM settlements WHERE ipt_no IN ${list(i)}`).all(...i) as Array<{ id: number }>).map((r) => String(r.id));
    const deleted = {
      // Print jobs, not records: the 结算单 and 费用清单 spooled as PDFs carry the full name and ID number in clear.
      spooledDocuments: options.spooledDocuments?.({ iptNos: i, settlementIds }) ?? 0,
      persons: run(`DELETE FROM persons WHERE psn_no IN ${list(p)}`, p),
      cardsSeen: run(`DELETE FROM cards_seen WHERE certno IN ${list(c)} OR psn_no IN ${list(p)}`, [...c, ...p]),
      eligibilitySnapshots: run(`DELETE FROM eligibility_snapshots WHERE psn_no IN ${list(p)}`, p),
      // Their payloads (outbox_inputs, outbox_outputs) and attempts go with them: ON DELETE CASCADE.
      queueItems: run(`DELETE FROM outbox WHERE psn_no IN ${list(p)} AND state IN ('done', 'cancelled')`, p),
    };
    let scrubbedSettlements = 0;
    const update = db.prepare('UPDATE settlements SET output_json = ? WHERE id = ?');
    for (const row of db.prepare(`SELECT id, output_json FROM settlements WHERE ipt_no IN ${list(i)} AND output_json IS NOT NULL`).all(...i) as Array<{ id: number; output_json: string }>) {
      const scrubbed = JSON.stringify(scrub(JSON.parse(row.output_json) as unknown));
      if (scrubbed !== row.output_json) {
        update.run(scrubbed, row.id);
        scrubbedSettlements++;
      }
    }
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ipt_no IN ${list(i)}`).get(...i) as { n: number }).n;
    const keptForAccounting = { admissions: i.length, feeLines: count('fee_lines'), deposits: count('deposits'), refunds: count('refunds'), settlements: count('settlements') };
    store.audit.append(tx, { actor: options.actor, action: 'person.purge', subject: `person:${maskCertNo(id)}`, detail: { reason: options.reason, deleted, scrubbedSettlements, keptForAccounting } });
    return { deleted, scrubbedSettlements, keptForAccounting };
  });
}

function requirePerson(store: Store, id: string): PersonKeys {
  const keys = findPerson(store, id);
  if (keys.psnNos.length === 0 && keys.certnos.length === 0) throw new KioskError('PERSON_NOT_FOUND', `本终端没有该人员的数据（${maskCertNo(id)}）。`);
  return keys;
}
