import { existsSync, readFileSync } from 'node:fs';
import type { CliCommand } from '../command.ts';
import { parseCliArgs, UsageError } from '../args.ts';
import type { Store } from '../../db/store.ts';
import { openEncryptedStore } from '../../db/store-key.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';
import { actorOf } from '../actor.ts';
import { scrub } from '../../db/retention.ts';
import { loadConfig } from '../../services/config/load.ts';
import { storePath } from '../store-path.ts';
import { cancelItem, editItem, retryItem } from '../../services/sync/operator-actions.ts';
import { createWriteBackTable } from '../../services/write-back-table.ts';
import { queueStatus, queueItemDto } from '../../services/sync/queue-view.ts';

const usage = `Usage:
  kiosk queue [--json] [--store <path>]                 depth, oldest age, dead letters, open items
  kiosk queue show <id> [--json] [--store <path>]       one item: state, attempts, audit trail (input masked)
  kiosk queue retry <id> [--operator <no>] [--note <text>] [--store <path>]
  kiosk queue cancel <id> --reason <text> [--operator <no>] [--store <path>]
  kiosk queue edit <id> --input <file.json> [--operator <no>] [--note <text>] [--store <path>]

The store defaults to the configured one: $KIOSK_DATA_DIR/kiosk.sqlite (./.kiosk-data/kiosk.sqlite when unset).
retry, cancel and edit act on dead letters (and cancel on items still waiting); each is written to the audit
log under cli:<user>. A running terminal picks the change up within its poll interval (2 s).
Exit codes: 0 ok, 1 error, 2 usage.`;

const STATE_LABEL: Record<string, string> = {
  pending: '等待发送',
  'in-flight': '发送中',
  'unknown-outcome': '结果未明/冲正中',
  reversing: '冲正中',
  dead: '死信(待处理)',
  done: '已完成',
  cancelled: '已取消',
};

function open(path: string, write: boolean): Store {
  if (!existsSync(path)) throw new Error(`本地数据库不存在：${path}（用 --store 指定，或设置 KIOSK_DATA_DIR）`);
  if (!write) return openEncryptedStore(path, cliKeyStore(path), { readonly: true });
  let code: string | undefined;
  try {
    code = loadConfig().config.hospital.code;
  } catch {
    code = undefined;
  }
  return openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: code ?? hospitalCodeFromStore(path) });
}

/** The fixmedins_code the store's msgid sequence already uses (when the configuration cannot be read). */
function hospitalCodeFromStore(path: string): string {
  const ro = openEncryptedStore(path, cliKeyStore(path), { readonly: true });
  try {
    const row = ro.db.prepare<[], { fixmedins_code: string }>('SELECT fixmedins_code FROM msgid_sequence LIMIT 1').get();
    if (!row) throw new Error('无法确定定点医药机构编号（配置文件不可读，且数据库中无报文序号）');
    return row.fixmedins_code;
  } finally {
    ro.close();
  }
}

function itemId(raw: string | undefined): number {
  if (!raw || !/^\d{1,15}$/.test(raw)) throw new UsageError(`an item id (a number) is required, got "${raw ?? ''}"`);
  return Number(raw);
}

function ago(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} 秒前`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} 分钟前`;
  return `${(seconds / 3600).toFixed(1)} 小时前`;
}

export const queueCommand: CliCommand = {
  name: 'queue',
  summary: 'Offline queue (outbox): status, and retry / cancel / edit of dead letters',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      json: { type: 'boolean', default: false },
      store: { type: 'string' },
      operator: { type: 'string' },
      reason: { type: 'string' },
      note: { type: 'string' },
      input: { type: 'string' },
    });
    const [action, rawId, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const path = storePath(values.store);

    if (action === undefined) {
      const store = open(path, false);
      try {
        const status = queueStatus(store, new Date(), 200);
        if (values.json) {
          const { summary, ...dto } = status;
          console.log(JSON.stringify({ store: path, ...dto, unknownOutcomes: summary.unknownOutcomes, byState: summary.byState }, null, 2));
          return 0;
        }
        console.log(`队列 ${path}`);
        console.log(`待发送 ${status.depth} 笔 · 最早一笔 ${ago(status.oldestAgeSeconds)} · 死信 ${status.deadLetters} 笔 · 结果未明 ${status.summary.unknownOutcomes} 笔`);
        if (status.items.length === 0) return 0;
        console.log('');
        console.log(['编号'.padEnd(6), '交易'.padEnd(5), '住院号'.padEnd(14), '状态'.padEnd(12), '尝试', '说明'].join(' '));
        for (const i of status.items) {
          console.log([i.id.padEnd(8), i.infno.padEnd(7), (i.visit ?? '').padEnd(17), (STATE_LABEL[i.state] ?? i.state).padEnd(10), String(i.attempts).padStart(4), i.lastError ?? ''].join(' '));
        }
        return 0;
      } finally {
        store.close();
      }
    }

    if (action === 'show') {
      const id = itemId(rawId);
      const store = open(path, false);
      try {
        const item = store.outbox.get(id);
        if (!item) throw new Error(`队列中没有编号为 ${id} 的交易`);
        const detail = {
          ...queueItemDto(item),
          state: item.state,
          msgid: item.msgid,
          deadReason: item.deadReason,
          reversalMsgid: item.reversalMsgid,
          input: scrub(item.input),
          attempts: store.outbox.attempts(id),
          audit: store.audit.list({ subject: `outbox:${id}` }).map((a) => ({ seq: a.seq, at: new Date(a.at).toISOString(), actor: a.actor, action: a.action, detail: a.detail })),
        };
        console.log(values.json ? JSON.stringify(detail, null, 2) : formatShow(detail));
        return 0;
      } finally {
        store.close();
      }
    }

    if (action === 'retry' || action === 'cancel' || action === 'edit') {
      const id = itemId(rawId);
      if (action === 'cancel' && !values.reason) throw new UsageError('cancel needs --reason <text> (it goes into the audit log)');
      if (action === 'edit' && !values.input) throw new UsageError('edit needs --input <file.json> (the corrected `input` node)');
      const input = action === 'edit' ? parseInputFile(values.input!) : undefined;
      const store = open(path, true);
      try {
        const by = { actor: actorOf(values.operator) };
        if (action === 'retry') {
          const item = retryItem(store, id, by, values.note ?? '');
          console.log(values.json ? JSON.stringify(queueItemDto(item)) : `#${id} 已重新排队（${STATE_LABEL[item.state]}），新报文ID ${item.msgid}`);
        } else if (action === 'cancel') {
          // The terminal's own write-back table: a cancelled queued 2401 refunds its deposits here too.
          const items = cancelItem(store, createWriteBackTable(), id, values.reason!, by);
          console.log(values.json ? JSON.stringify(items.map(queueItemDto)) : `已取消：${items.map((i) => `#${i.id}（${i.infno}）`).join('、')}`);
        } else {
          const item = editItem(store, id, input, by, values.note ?? '');
          console.log(values.json ? JSON.stringify(queueItemDto(item)) : `#${id} 已修改并重新排队，新报文ID ${item.msgid}`);
        }
        return 0;
      } finally {
        store.close();
      }
    }

    throw new UsageError(`unknown action "${action}"`);
  },
};

function parseInputFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`无法读取 ${file}：${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file} 不是有效的 JSON：${(err as Error).message}`);
  }
}

function formatShow(d: { id: string; infno: string; visit: string | null; state: string; msgid: string; attempts: Array<{ infno: string; msgid: string; outcome: string | null; detail: string | null; startedAt: number }>; audit: Array<{ at: string; actor: string; action: string }>; lastError: string | null; deadReason: string | null }): string {
  const lines = [
    `#${d.id} ${d.infno} 住院号 ${d.visit ?? '—'} 状态 ${STATE_LABEL[d.state] ?? d.state}${d.deadReason ? `（${d.deadReason}）` : ''}`,
    `报文ID ${d.msgid}`,
    `说明 ${d.lastError ?? '—'}`,
    '尝试：',
    ...d.attempts.map((a) => `  ${new Date(a.startedAt).toISOString()} ${a.infno} ${a.msgid} ${a.outcome ?? '进行中'} ${a.detail ?? ''}`),
    '审计：',
    ...d.audit.map((a) => `  ${a.at} ${a.actor} ${a.action}`),
  ];
  return lines.join('\n');
}
