import { renameSync } from 'node:fs';
import { basename } from 'node:path';
import type { Store } from '../store.ts';
import { acceptedKeysOf, AUDIT_ACCEPTED_ACTION, problemKey } from './accepted.ts';
import type { AuditProblem } from './audit-log.ts';
import { keptHeadPath, keptHeadRecord, verifyAgainstKeptHead, writeKeptHead } from './kept-head.ts';
import { RowSeals, SEALED_TABLES, type SealedTable } from './row-seals.ts';

/**
 * An IT administrator's decision, after investigating what the chain check reported (a broken or shortened chain,
 * a kept head missing, edited or reset), that the store's present state is the one later checks compare with
 * (`kiosk store audit --accept --reason …`). It is itself an audit row (`audit.accepted`: who, why, every finding),
 * and then:
 * - the findings that stay in the file (a changed or deleted row, a gap…) are listed in that row, and later checks
 *   set them apart as accepted (db/audit/accepted.ts);
 * - a money or visit row changed or written behind the terminal is sealed again as it is now;
 * - the kept head moves to the acceptance row, so a chain shortened below the old head, and a kept head missing or
 *   damaged, are resolved.
 * Anything found later is reported as before. A chain rewritten without the audit key (`unkeyed`) is not accepted:
 * nothing in it can be vouched for; restore a backup instead.
 */
export type AcceptOutcome =
  | { state: 'nothing-to-accept'; head: { seq: number; hash: string } }
  | { state: 'refused-unkeyed'; problems: AuditProblem[] }
  | { state: 'accepted'; problems: AuditProblem[]; entry: { seq: number; hash: string } };

/** Findings listed in words on the acceptance row (all are keyed in `accepted`; a flood is counted, not copied). */
const DESCRIBED = 50;

export function acceptAuditState(store: Store, options: { actor: string; reason: string }): AcceptOutcome {
  const { verification: v, kept } = verifyAgainstKeptHead(store.audit, store.path);
  if (v.ok) return { state: 'nothing-to-accept', head: v.head };
  if (v.problems.some((p) => p.kind === 'unkeyed')) return { state: 'refused-unkeyed', problems: v.problems };
  // A damaged kept head is evidence (an edit to hide a deleted tail?): kept beside the keys, not written over.
  const movedAside = kept.state === 'damaged' ? moveAside(keptHeadPath(store.path), store.clock.now()) : null;
  const resealed = v.problems.filter((p) => p.kind === 'record-changed' || p.kind === 'record-unsealed').map((p) => (p as { subject: string }).subject);
  const entry = store.write((tx) => {
    for (const subject of resealed) {
      const [table, key] = splitSubject(subject);
      sealsOf(store).seal(tx, table, key);
    }
    return store.audit.append(tx, {
      actor: options.actor,
      action: AUDIT_ACCEPTED_ACTION,
      subject: 'audit_log',
      detail: {
        reason: options.reason,
        problemCount: v.problems.length,
        problems: v.problems.slice(0, DESCRIBED).map((p) => `${problemKey(p)}: ${p.message}`),
        accepted: acceptedKeysOf(store.audit, v.problems),
        resealed,
        keptBefore: keptHeadRecord(kept),
        ...(movedAside ? { keptBeforeMovedTo: basename(movedAside) } : {}),
        headBefore: v.head,
      },
    });
  });
  writeKeptHead(store.audit, store.path, { seq: entry.seq, hash: entry.hash }, 'accept', store.clock.now());
  return { state: 'accepted', problems: v.problems, entry: { seq: entry.seq, hash: entry.hash } };
}

/** `audit-head.json` → `audit-head.json.replaced-<time>` in the same private folder; the new name. */
function moveAside(file: string, now: Date): string {
  const to = `${file}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, to);
  return to;
}

function sealsOf(store: Store): RowSeals {
  const seals = store.audit.seals;
  if (!(seals instanceof RowSeals)) throw new Error('this store seals no records (opened without the audit key)');
  return seals;
}

/** `deposits:17` → the sealed table and its key, as RowSeals names its subjects. */
function splitSubject(subject: string): [SealedTable, string] {
  const at = subject.indexOf(':');
  const table = subject.slice(0, at);
  if (at < 0 || !(table in SEALED_TABLES)) throw new Error(`not a sealed record: ${subject}`);
  return [table as SealedTable, subject.slice(at + 1)];
}
