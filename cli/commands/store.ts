import { existsSync, statSync } from 'node:fs';
import type { CliCommand } from '../command.ts';
import { parseCliArgs, UsageError } from '../args.ts';
import { storePath } from '../store-path.ts';
import { auditAccept, auditCheck } from './store-audit.ts';
import { dataFolderModes } from './data-folder-modes.ts';
import { actorOf } from '../actor.ts';
import { refuseWhileInUse } from '../store-in-use.ts';
import { KioskError } from '../../contract/errors.ts';
import { backupStore, listBackups, restoreStore } from '../../db/backup.ts';
import { openDatabase, type SqliteDatabase } from '../../db/connection.ts';
import { cipherFormatOf, STORE_CIPHER } from '../../db/encryption.ts';
import { asCorruption, assertStorePresent, markerPathOf, quickCheck, storeCorrupt } from '../../db/integrity.ts';
import { keyDir } from '../../db/keystore.ts';
import { tightenDataFolder } from '../../db/private-files.ts';
import { openEncryptedStore, prepareStoreKey, rotateStoreKey, storeFileState } from '../../db/store-key.ts';
import { resetKeptHead } from '../../db/audit/head-reset.ts';
import { cliKeyStore } from '../../services/security/key-store.ts';
import { basename, dirname } from 'node:path';

const usage = `Usage:
  kiosk store check [--store <path>] [--json]     is the store there and intact (PRAGMA quick_check, timed)
  kiosk store backup [--store <path>]             an online backup now (SQLite backup API), into backups/
  kiosk store backups [--store <path>] [--json]   the backups, newest first
  kiosk store restore [--from <backup>] [--store <path>]
                                                  put a backup (default: the newest) in place of the store
  kiosk store audit [--head <seq>:<hash>] [--store <path>] [--json]
                                                  verify the audit chain, against the head kept in keys/ or --head
  kiosk store audit --accept --reason <text> [--operator <no>] [--store <path>] [--json]
                                                  IT accepts the findings it investigated (terminal stopped; audited)
  kiosk store status [--store <path>] [--json]    encrypted or clear, where the key is, file modes
  kiosk store encrypt [--store <path>]            encrypt a clear store in place (the terminal also does it at start)
  kiosk store rotate-key [--store <path>] [--operator <no>]
                                                  re-encrypt the store under a new key (terminal stopped)

The terminal takes a backup every 6 hours and keeps the last 6 (backups/ beside the store). restore needs the
terminal stopped; whatever is at the store's path (a damaged or empty file, its -wal and -shm) is moved aside
as <store>.replaced-<time>, never deleted; the restore is written to the audit log and the audit head kept in
keys/audit-head.json moves back to the restored chain. The store and its backups are encrypted (SQLCipher 4); the key is in
keys/ beside the store (docs/security.md). rotate-key refuses while a terminal has the store open and is
written to the audit log; it re-encrypts the backups in backups/ under the new key too, so they still restore
(copies taken off the terminal before the rotation need the old key).
audit verifies the keyed audit chain and the money rows sealed in it, against the head the terminal last published
(kept in keys/audit-head.json, MAC'd with the audit key); --head compares it instead with the head printed on an
earlier day-end report or sent to the hospital's syslog (AUDIT_HEAD seq, hash). Either shows a tail deleted
together with SQLite's AUTOINCREMENT mark (exit 1 on any finding). audit --accept, after IT has investigated the
findings, records them as accepted in an audit.accepted row (who, why, each finding), seals changed money rows
again and keeps the acceptance as the head: later checks report only what is new (docs/security.md).
Exit codes: 0 ok, 1 error, a damaged store or a broken audit chain, 2 usage.`;

function openForReading(path: string): SqliteDatabase {
  assertStorePresent(path);
  if (!existsSync(path)) throw new Error(`本地数据库不存在：${path}（用 --store 指定，或设置 KIOSK_DATA_DIR）`);
  return openDatabase(path, { readonly: true, key: prepareStoreKey(path, cliKeyStore(path), { readonly: true }) });
}

export const storeCommand: CliCommand = {
  name: 'store',
  summary: 'Local store: integrity check, audit chain check, online backups, restore, encryption status, key rotation',
  usage,
  async run(argv) {
    const { values, positionals } = parseCliArgs(argv, {
      store: { type: 'string' },
      from: { type: 'string' },
      operator: { type: 'string' },
      head: { type: 'string' },
      accept: { type: 'boolean', default: false },
      reason: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const path = storePath(values.store);

    if (action === 'check') {
      let db: SqliteDatabase;
      try {
        db = openForReading(path);
      } catch (err) {
        // Damage where the open itself reads (the schema, page 1): as damaged as a bad data page.
        const corrupt = asCorruption(path, err);
        if (corrupt instanceof KioskError && corrupt.code === 'STORE_CORRUPT') console.log(`${path}：已损坏（无法读取数据库结构）`);
        throw corrupt;
      }
      try {
        const report = quickCheck(db);
        if (values.json) console.log(JSON.stringify({ store: path, marker: existsSync(markerPathOf(path)), ...report, quickCheckMs: Math.round(report.quickCheckMs) }));
        else console.log(`${path}：${report.ok ? '完好' : '已损坏'}（quick_check ${Math.round(report.quickCheckMs)} ms，${(report.bytes / 1e6).toFixed(1)} MB）${report.ok ? '' : `\n${report.problems.join('\n')}`}`);
        if (!report.ok) throw storeCorrupt(path, new Error(report.problems.join('; ')));
        return 0;
      } finally {
        db.close();
      }
    }
    if (action === 'backup') {
      const db = openForReading(path);
      try {
        const b = await backupStore(db, path, { now: new Date() });
        console.log(`已备份：${b.path}（${(b.bytes / 1e6).toFixed(1)} MB）`);
        return 0;
      } finally {
        db.close();
      }
    }
    if (action === 'backups') {
      const list = listBackups(path);
      if (values.json) console.log(JSON.stringify(list.map((b) => ({ ...b, at: b.at.toISOString() }))));
      else if (list.length === 0) console.log('没有备份。');
      else for (const b of list) console.log(`${b.at.toISOString()}  ${(b.bytes / 1e6).toFixed(1).padStart(7)} MB  ${b.path}`);
      return 0;
    }
    if (action === 'restore') {
      refuseWhileInUse(path, '恢复', 'kiosk store restore');
      const from = values.from ?? listBackups(path)[0]?.path;
      if (!from) throw new Error(`没有可用的备份（${path} 旁的 backups/ 为空）；用 --from 指定备份文件`);
      const { movedAside } = restoreStore(path, from, new Date(), cliKeyStore(path).read('store'));
      console.log(`已从 ${from} 恢复 ${path}`);
      for (const f of movedAside) console.log(`原文件已移至 ${f}（未删除）`);
      const head = keepRestoredHead(path, from, actorOf(values.operator));
      console.log(`审计链回到恢复点：链头第 ${head.seq} 条 ${head.hash}（已记入审计记录，本机保存的链头随之更新）`);
      console.log('请启动终端；恢复点之后办理的业务需按纸质记录补录，并核对医保平台上的登记与结算。');
      return 0;
    }
    if (action === 'status') return encryptionStatus(path, values.json);
    if (values.reason !== undefined && !(action === 'audit' && values.accept)) throw new UsageError('--reason goes with audit --accept');
    if (action === 'audit' && values.accept) return auditAccept(path, { head: values.head, reason: values.reason, actor: actorOf(values.operator), json: values.json });
    if (action === 'audit') return auditCheck(path, { head: values.head, json: values.json });
    if (action === 'encrypt' || action === 'rotate-key') {
      if (!existsSync(path)) throw new UsageError(`本地数据库不存在：${path}`);
      const keys = cliKeyStore(path);
      const before = storeFileState(path);
      const formatBefore = cipherFormatNow(path, keys);
      const rotated = action === 'rotate-key' ? rotateStoreKey(path, keys).backups : null;
      const store = openEncryptedStore(path, keys); // encrypts a clear store, migrates an earlier format
      tightenDataFolder(dirname(path)); // an earlier build's spool/ (0755, PDFs 0644)
      try {
        const backups = rotated ? { backupsRekeyed: rotated.rekeyed, backupsNotRekeyed: rotated.notRekeyed.length } : {};
        store.write((tx) => store.audit.append(tx, { actor: actorOf(values.operator), action: `store.${action}`, subject: 'store', detail: { was: before, format: formatBefore, ...backups } }));
      } finally {
        store.close();
      }
      const migrated = formatBefore !== null && formatBefore !== STORE_CIPHER.name;
      console.log(
        action === 'rotate-key' ? `已更换数据库密钥：${path}` : before === 'clear' ? `已就地加密：${path}` : migrated ? `已迁移到当前加密格式（${STORE_CIPHER.name}）：${path}` : `已是加密数据库：${path}`,
      );
      if (rotated) {
        console.log(`本机备份（backups/）：${rotated.rekeyed} 个已改用新密钥，可照常恢复。此前拷出本机的备份仍需旧密钥。`);
        for (const f of rotated.notRekeyed) console.log(`未能改用新密钥（两把密钥都打不开或已损坏），无法用于恢复：${f}`);
      }
      return 0;
    }
    throw new UsageError(action ? `unknown action "${action}"` : 'an action is required: check, backup, backups, restore, audit, status, encrypt or rotate-key');
  },
};

function encryptionStatus(path: string, json: boolean): number {
  const keys = cliKeyStore(path);
  const modes = dataFolderModes(path);
  const status = {
    store: path,
    state: storeFileState(path),
    keyFolder: keyDir(dirname(path)),
    keyPresent: keys.read('store') !== null,
    cipher: cipherFormatNow(path, keys),
    modes: Object.fromEntries(modes.map((m) => [m.path, m.mode])),
    tooOpen: modes.filter((m) => m.tooOpen).map((m) => m.path),
  };
  if (json) {
    console.log(JSON.stringify(status));
    return 0;
  }
  const format = status.cipher === STORE_CIPHER.name ? 'SQLCipher 4，1 KiB 页' : status.cipher ? `SQLCipher 4 默认 4 KiB 页：下次启动终端或 kiosk store encrypt 时迁移` : '密钥无法解开';
  const state = status.state === 'encrypted' ? `已加密（${format}）` : status.state === 'clear' ? '未加密（启动终端或 kiosk store encrypt 即加密）' : '不存在';
  const modeLines = modes.map((m) => `权限 ${m.mode}  ${m.path}${m.tooOpen ? `  ← 过宽：应为 ${statSync(m.path).isDirectory() ? '0700' : '0600'}` : ''}`);
  const verdict = status.tooOpen.length === 0 ? '权限：均仅服务账户可读写。' : `权限：${status.tooOpen.length} 处过宽（启动终端或 kiosk store encrypt 时收紧）。`;
  console.log([`数据库：${path}`, `状态：${state}`, `密钥目录：${status.keyFolder}（${status.keyPresent ? '有密钥' : '无密钥'}）`, ...modeLines, verdict].join('\n'));
  return 0;
}

/** The cipher format the store key opens the file with (db/encryption.ts), or null (clear, missing, no key). */
function cipherFormatNow(path: string, keys: ReturnType<typeof cliKeyStore>): string | null {
  const key = keys.read('store');
  return key && storeFileState(path) === 'encrypted' ? (cipherFormatOf(path, key)?.name ?? null) : null;
}

/**
 * A restore takes the chain back below the head the terminal kept: the move is recorded in the chain and becomes the
 * kept head, or every later start would report the restored store as shortened.
 */
function keepRestoredHead(path: string, from: string, actor: string): { seq: number; hash: string } {
  const store = openEncryptedStore(path, cliKeyStore(path));
  try {
    return resetKeptHead(store, { actor, reason: 'store.restore', detail: { from: basename(from) } });
  } finally {
    store.close();
  }
}
