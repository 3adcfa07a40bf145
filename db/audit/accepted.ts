import { KEYED_ANCHOR_ACTION, type AuditLog, type AuditProblem, type AuditVerification } from './audit-log.ts';

/**
 * Findings an IT administrator accepted (`kiosk store audit --accept`, db/audit/accept.ts): each acceptance is an
 * audit row listing the findings it accepts by key, and later checks leave those out (they are the accepted state)
 * while every new finding is reported as before. Only the findings that stay in the file are accepted this way: a
 * row changed or deleted in the middle, a gap, a row that does not parse, a sealed record deleted. The others are
 * resolved by the acceptance itself (the kept head moved, changed records sealed again) and never listed.
 */
export const AUDIT_ACCEPTED_ACTION = 'audit.accepted';

/** The kinds an acceptance row lists; the rest are resolved by the acceptance (accept.ts). */
const LISTED_KINDS: ReadonlySet<AuditProblem['kind']> = new Set(['edited', 'broken-link', 'missing', 'truncated', 'unreadable', 'record-deleted']);

/** Findings about a row that is there: their key carries the row's stored digest. */
const ABOUT_A_ROW: ReadonlySet<AuditProblem['kind']> = new Set(['edited', 'broken-link', 'unreadable']);

/** `edited@12`, `record-deleted@40/deposits:7`: names a finding in words (the acceptance row's list). */
export function problemKey(p: AuditProblem): string {
  return `${p.kind}@${p.seq}${'subject' in p ? `/${p.subject}` : ''}`;
}

/**
 * The key an acceptance lists a finding by: `problemKey`, and for a finding about a row that is there
 * (`edited@12#<digest>`) the digest of the row as stored, so the same row changed again after the acceptance is a
 * new finding, not an accepted one.
 */
function acceptanceKey(audit: AuditLog, p: AuditProblem): string {
  const digest = ABOUT_A_ROW.has(p.kind) ? audit.storedDigest(p.seq) : null;
  return digest ? `${problemKey(p)}#${digest}` : problemKey(p);
}

/**
 * The keys an acceptance of `problems` lists. A tail removed below SQLite's AUTOINCREMENT mark (`truncated @n`)
 * becomes a gap (`missing @n`) once the acceptance row is written after it: both are listed.
 */
export function acceptedKeysOf(audit: AuditLog, problems: readonly AuditProblem[]): string[] {
  const keys = problems.filter((p) => LISTED_KINDS.has(p.kind)).map((p) => acceptanceKey(audit, p));
  for (const p of problems) if (p.kind === 'truncated') keys.push(`missing@${p.seq}`);
  return [...new Set(keys)];
}

/** `v` with the findings accepted earlier moved out of `problems` into `accepted`; `ok` is then about the rest. */
export function withAccepted(audit: AuditLog, v: AuditVerification): AuditVerification {
  if (v.problems.length === 0) return v;
  const keys = trustedAcceptances(audit, v.problems);
  if (keys.size === 0) return v;
  // One pass: a finding about a row reads that row's digest to make its key.
  const open: AuditProblem[] = [];
  const accepted: AuditProblem[] = [];
  for (const p of v.problems) (keys.has(acceptanceKey(audit, p)) ? accepted : open).push(p);
  return { ...v, ok: open.length === 0, problems: open, accepted };
}

/**
 * The keys listed by acceptance rows that are themselves sound: keyed (after the anchor: nobody without the audit
 * key can write one) and not edited or unreadable. A forged or altered acceptance accepts nothing.
 */
function trustedAcceptances(audit: AuditLog, problems: readonly AuditProblem[]): Set<string> {
  const keys = new Set<string>();
  if (!audit.keyed) return keys;
  const unsound = new Set(problems.filter((p) => p.kind === 'edited' || p.kind === 'unreadable').map((p) => p.seq));
  let rows;
  try {
    rows = audit.list({ subject: 'audit_log' });
  } catch {
    return keys; // a row of the log's own subject does not parse: trust no acceptance (its finding is reported)
  }
  const anchor = rows.find((e) => e.action === KEYED_ANCHOR_ACTION)?.seq;
  if (anchor === undefined) return keys;
  for (const e of rows) {
    if (e.action !== AUDIT_ACCEPTED_ACTION || e.seq <= anchor || unsound.has(e.seq)) continue;
    const listed = (e.detail as { accepted?: unknown }).accepted;
    if (Array.isArray(listed)) for (const k of listed) if (typeof k === 'string') keys.add(k);
  }
  return keys;
}
