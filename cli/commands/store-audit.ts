import { existsSync } from 'node:fs';
import { UsageError } from '../args.ts';
import type { AuditProblem, AuditVerification } from '../../db/audit/audit-log.ts';
import { acceptAuditState } from '../../db/audit/accept.ts';
import { withAccepted } from '../../db/audit/accepted.ts';
import { KEPT_HEAD_FILE, verifyAgainstKeptHead, type KeptHeadRead } from '../../db/audit/kept-head.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import { loadConfig } from '../../services/config/load.ts';
import { sendAuditAccepted } from '../../services/security/audit-accepted-syslog.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';
import { refuseWhileInUse } from '../store-in-use.ts';

/**
 * `kiosk store audit [--head <seq>:<hash>]`: the audit chain verified on demand, for IT and auditors, against a head
 * kept off the terminal. A tail deleted together with SQLite's AUTOINCREMENT mark leaves a chain that verifies on
 * its own; the head the terminal kept beside its keys (db/audit/kept-head.ts, compared without --head), the head
 * printed on an earlier day-end report or received by the hospital's syslog (`AUDIT_HEAD … seq="…" hash="…"`,
 * given with --head) shows it.
 */
export function auditCheck(path: string, options: { head?: string; json: boolean }): number {
  if (!existsSync(path)) throw new Error(`本地数据库不存在：${path}（用 --store 指定，或设置 KIOSK_DATA_DIR）`);
  const expectedHead = options.head === undefined ? undefined : parseHead(options.head);
  const store = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
  let v: AuditVerification;
  let kept: KeptHeadRead | null = null;
  try {
    if (expectedHead) v = withAccepted(store.audit, store.audit.verify({ expectedHead }));
    else ({ verification: v, kept } = verifyAgainstKeptHead(store.audit, path));
  } finally {
    store.close();
  }
  if (options.json) {
    const keptHead = kept?.state === 'kept' ? kept.head : (kept?.state ?? null);
    console.log(JSON.stringify({ store: path, ok: v.ok, checked: v.checked, head: v.head, expectedHead: expectedHead ?? null, keptHead, problems: v.problems, accepted: v.accepted ?? [] }));
  } else {
    const lines = [`审计记录：${v.checked} 条，链头：第 ${v.head.seq} 条 ${v.head.hash}`];
    if (expectedHead) lines.push(`对照链头：第 ${expectedHead.seq} 条 ${expectedHead.hash}（日结报表或 syslog 上的记录）`);
    if (kept?.state === 'kept') lines.push(`本机保存的链头：第 ${kept.head.seq} 条 ${kept.head.hash}（${kept.head.at}，${MOMENT[kept.head.moment] ?? kept.head.moment}）`);
    if (v.accepted?.length) lines.push(`信息科此前已确认的异常：${v.accepted.length} 处（审计记录 audit.accepted；--json 列出），不再报告。`);
    if (v.ok) lines.push(expectedHead || kept?.state === 'kept' ? '完好，且包含对照链头。' : '完好。（本机尚未保存链头：末尾被删除且自增标记被改回时，须用 --head 对照此前日结报表或 syslog 上的链头才能发现。）');
    else {
      lines.push(`校验失败：${v.problems.length} 处异常。请保留本机数据目录原样（勿恢复备份、勿删除），并通知信息科。`);
      for (const p of v.problems) lines.push(`  ${problemText(p)}（${p.kind}: ${p.message}）`);
      if (v.problems.some((p) => p.kind === 'kept-head' || p.kind === 'kept-head-missing')) lines.push(KEPT_HEAD_ADVICE);
    }
    console.log(lines.join('\n'));
  }
  return v.ok ? 0 : 1;
}

/**
 * `kiosk store audit --accept --reason <text>`: an IT administrator who investigated the findings accepts the
 * store's present state (db/audit/accept.ts): audited with who and why, the kept head moved to it. Refused while a
 * terminal has the store open (the acceptance row and the kept head must describe one state), without a reason,
 * and with --head (the acceptance is of what the terminal itself compares with: check --head first).
 */
export async function auditAccept(path: string, options: { head?: string; reason?: string; actor: string; json: boolean }): Promise<number> {
  const reason = options.reason?.trim() ?? '';
  if (!reason) throw new UsageError('--accept needs --reason "<what was investigated and why the state is accepted>" (it is written to the audit log)');
  if (options.head !== undefined) throw new UsageError('--accept takes no --head: check against the head with kiosk store audit --head first, then accept');
  if (!existsSync(path)) throw new Error(`本地数据库不存在：${path}（用 --store 指定，或设置 KIOSK_DATA_DIR）`);
  refuseWhileInUse(path, '确认审计链现状', 'kiosk store audit --accept');
  const store = openEncryptedStore(path, cliKeyStore(path));
  let outcome;
  try {
    outcome = acceptAuditState(store, { actor: options.actor, reason });
  } finally {
    store.close();
  }
  if (options.json) console.log(JSON.stringify({ store: path, actor: options.actor, ...outcome }));
  else if (outcome.state === 'nothing-to-accept') console.log(`审计链完好（链头：第 ${outcome.head.seq} 条），没有需要确认的异常；未做任何改动。`);
  else if (outcome.state === 'refused-unkeyed') {
    console.log('不能确认：审计链被不持有审计密钥的人整体重写，其中没有可以确认的记录。请保留本机数据目录原样，用 kiosk store restore 恢复备份。');
  } else {
    const lines = [`已确认现状：${outcome.problems.length} 处异常记入审计记录第 ${outcome.entry.seq} 条（audit.accepted，操作人 ${options.actor}，原因：${reason}）。`];
    for (const p of outcome.problems) lines.push(`  ${problemText(p)}（${p.kind}: ${p.message}）`);
    lines.push(`本机保存的链头改为第 ${outcome.entry.seq} 条 ${outcome.entry.hash}。此后的检查以此为准，新的异常照常报告。`);
    console.log(lines.join('\n'));
  }
  if (outcome.state === 'accepted') await tellCollector({ ...outcome.entry, actor: options.actor, problemCount: outcome.problems.length, at: new Date() });
  return outcome.state === 'refused-unkeyed' ? 1 : 0;
}

/**
 * The acceptance sent to the hospital's syslog collector when the configuration (KIOSK_CONFIG) names one. Done
 * after the acceptance: a collector that cannot be reached is said on stderr and changes nothing.
 */
async function tellCollector(accepted: Parameters<typeof sendAuditAccepted>[1]): Promise<void> {
  try {
    if ((await sendAuditAccepted(loadConfig().config, accepted)) === 'sent') console.error('已将确认记录发送到医院 syslog（AUDIT_ACCEPTED）。');
  } catch (err) {
    console.error(`未能发送到医院 syslog：${err instanceof Error ? err.message : String(err)}（确认已记入审计链，下次启动时链头照常发送）`);
  }
}

const MOMENT: Record<string, string> = { keyed: '建库时', start: '启动时', 'day-end': '日结时', restore: '恢复备份时', accept: '信息科确认时' };

/** What IT does about a kept head that cannot be trusted or is gone (docs/security.md, "The kept head"). */
const KEPT_HEAD_ADVICE =
  '  处理：用 kiosk store audit --head <序号>:<链头> 对照最近的日结报表或 syslog 上的链头；查明原因后，由信息科执行 kiosk store audit --accept --reason "<原因>" 确认现状并重新保存链头（此操作记入审计链）。';

/** `57:c294…` (seq and hash as the day-end report and the syslog message give them). */
function parseHead(text: string): { seq: number; hash: string } {
  const m = /^(\d+)[:：\s]+([0-9a-f]{64})$/i.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--head takes <seq>:<hash>, e.g. 57:c294e7a2…(64 hex digits), as printed on the day-end report or sent to syslog (not: ${text})`);
  return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

/** What each finding means, in the words of the people who act on it. */
function problemText(p: AuditProblem): string {
  const at = p.seq > 0 ? `第 ${p.seq} 条` : '';
  switch (p.kind) {
    case 'edited':
      return `${at}：审计记录被改动（或与对照链头不符）`;
    case 'broken-link':
      return `${at}：与前一条接不上（前面的记录被删除或替换）`;
    case 'missing':
      return `${at}起：审计记录缺失（被删除）`;
    case 'truncated':
      return `${at}起：末尾的审计记录被删除`;
    case 'unreadable':
      return `${at}：审计记录内容无法读取`;
    case 'unkeyed':
      return '审计链被不持有审计密钥的人整体重写';
    case 'record-changed':
      return `业务记录 ${p.subject} 被改动，与审计时的值不符`;
    case 'record-unsealed':
      return `业务记录 ${p.subject} 不是由终端写入的（没有审计记录）`;
    case 'record-deleted':
      return `业务记录 ${p.subject} 被删除`;
    case 'kept-head':
      return `本机保存的链头（keys/${KEPT_HEAD_FILE}）已损坏，或被不持有审计密钥的人改动，无法用来发现末尾被删除的记录`;
    case 'kept-head-missing':
      return `本机保存的链头（keys/${KEPT_HEAD_FILE}）不见了：审计链已有记录，链头文件被删除，无法用来发现末尾被删除的记录`;
  }
}
