import type { AuditChainCheck } from '../../contract/dto/common.ts';
import { verifyAgainstKeptHead, writeKeptHead, type KeptHeadRead } from '../../db/audit/kept-head.ts';
import type { Store } from '../../db/store.ts';
import type { TerminalConfig } from '../config/schema.ts';
import type { Logger } from '../logging/logger.ts';
import { formatSyslog, sendSyslog } from './syslog.ts';

export type AuditCheckMoment = 'start' | 'day-end';

/** What the day-end report and the start-up log say about the audit chain (`problems`: the first 20, for IT). */
export type AuditChainStatus = AuditChainCheck;
/** Findings listed on a report; `problemCount` counts them all, and `kiosk store audit` lists them all. */
const LISTED = 20;

/**
 * Verifies the audit chain (keyed chain, sealed money rows) and publishes its head: in the log, and to the
 * hospital's syslog when configured, where a later rewrite or truncation of the file cannot reach it. Runs at
 * start and at day-end. A broken chain does not stop the terminal (patients still need it); it is logged as an
 * error and sent as a critical syslog message for IT to act on.
 */
export async function checkAuditChain(
  deps: { store: Store; config: Pick<TerminalConfig, 'audit' | 'terminal' | 'hospital'>; log: Logger; now: Date },
  moment: AuditCheckMoment,
): Promise<AuditChainStatus> {
  // Against the head this terminal last published (keys/audit-head.json): a tail deleted with its AUTOINCREMENT mark shows.
  const { verification: v, kept } = verifyAgainstKeptHead(deps.store.audit, deps.store.path);
  const status: AuditChainStatus = {
    ok: v.ok,
    checked: v.checked,
    headSeq: v.head.seq,
    headHash: v.head.hash,
    problems: v.problems.slice(0, LISTED).map((p) => `${p.kind} @${p.seq}: ${p.message}`),
    problemCount: v.problems.length,
    ...(v.accepted?.length ? { acceptedCount: v.accepted.length } : {}),
  };
  if (v.ok) {
    deps.log.info('audit chain verified', { moment, checked: v.checked, head: v.head, keptHead: keptField(kept), accepted: v.accepted?.length ?? 0 });
    keepHead(deps, v.head, moment);
  } else deps.log.error('audit chain verification failed', { moment, problemCount: status.problemCount, problems: status.problems });
  const target = deps.config.audit.syslog;
  if (target) {
    const line = formatSyslog({
      severity: v.ok ? 'notice' : 'crit',
      msgid: v.ok ? 'AUDIT_HEAD' : 'AUDIT_BROKEN',
      fields: { moment, terminal: deps.config.terminal.name, hospital: deps.config.hospital.code, seq: v.head.seq, hash: v.head.hash, checked: v.checked, kept: keptField(kept), problems: v.problems.length, accepted: v.accepted?.length ?? 0 },
      text: v.ok ? `audit chain ok at ${moment}` : `audit chain BROKEN at ${moment}: ${status.problems[0] ?? ''}`,
      at: deps.now,
    });
    try {
      await sendSyslog(target, line);
    } catch (err) {
      deps.log.warn('audit head not sent to syslog', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  return status;
}

/**
 * What the check compared with, for the collector: the kept seq, or `missing` (keys/audit-head.json deleted: a
 * finding when the chain has rows, as the head is kept from the store's first row) or `damaged`.
 */
function keptField(kept: KeptHeadRead): string | number {
  return kept.state === 'kept' ? kept.head.seq : kept.state;
}

/**
 * The head just published becomes the one the next check compares with. Only an intact chain moves it: a broken one
 * keeps the earlier head, so the finding stays until IT has dealt with it (docs/security.md).
 */
function keepHead(deps: { store: Store; log: Logger; now: Date }, head: { seq: number; hash: string }, moment: AuditCheckMoment): void {
  try {
    writeKeptHead(deps.store.audit, deps.store.path, head, moment, deps.now);
  } catch (err) {
    deps.log.warn('audit head not kept beside the keys', { error: err instanceof Error ? err.message : String(err) });
  }
}
