import type { TerminalConfig } from '../config/schema.ts';
import { formatSyslog, sendSyslog } from './syslog.ts';

/**
 * Tells the hospital's syslog collector that IT accepted the audit chain's state (`kiosk store audit --accept`):
 * the collector saw `AUDIT_BROKEN`, and will next see `AUDIT_HEAD` from the new head; this says why, and by whom.
 * A warning, not a notice: accepting findings is rare and someone should read it. The reason stays in the chain
 * (free text typed by IT); the collector gets the acceptance row's seq and hash to find it.
 */
export async function sendAuditAccepted(
  config: Pick<TerminalConfig, 'audit' | 'terminal' | 'hospital'>,
  accepted: { seq: number; hash: string; actor: string; problemCount: number; at: Date },
): Promise<'sent' | 'not-configured'> {
  const target = config.audit.syslog;
  if (!target) return 'not-configured';
  const line = formatSyslog({
    severity: 'warning',
    msgid: 'AUDIT_ACCEPTED',
    fields: { terminal: config.terminal.name, hospital: config.hospital.code, seq: accepted.seq, hash: accepted.hash, actor: accepted.actor, problems: accepted.problemCount },
    text: `audit chain state accepted by IT (${accepted.problemCount} findings): audit row ${accepted.seq}`,
    at: accepted.at,
  });
  await sendSyslog(target, line);
  return 'sent';
}
