import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { openDatabase } from '../../../db/connection.ts';
import { keptHeadPath, readKeptHead } from '../../../db/audit/kept-head.ts';
import { TerminalConfig } from '../../../services/config/schema.ts';
import { createLogger } from '../../../services/logging/logger.ts';
import { checkAuditChain } from '../../../services/security/audit-head.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { queueStay, realStore, tempDir } from '../sync/helpers.ts';

// `kiosk store audit` as an auditor runs it on a stopped terminal's data folder, with the head of the chain printed
// on yesterday's day-end report (or received by the hospital's syslog), after someone holding the store key (not
// the audit key) edited the file with SQLite.
const KIOSK = resolve(import.meta.dirname, '../../../bin/kiosk.mjs');

function kiosk(args: string[], action = 'audit', config = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [KIOSK, 'store', action, ...args], { env: { ...process.env, KIOSK_CONFIG: config }, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

/** A store with three stays; the head of its chain as the day-end report printed it. */
function storeWithHead(): { path: string; head: string } {
  dir = tempDir('kiosk-audit-cli-');
  const store = realStore(dir.dir);
  for (let i = 0; i < 3; i++) queueStay(store, { psnNo: `P${i}` });
  // The last rows of the day seal no record (prints, a refused approval): deleting them leaves every record sealed.
  for (const action of ['documents.print', 'operator.approval-refused', 'documents.print']) {
    store.write((tx) => store.audit.append(tx, { actor: 'opter:SF001', action, subject: 'settlement:1' }));
  }
  const { seq, hash } = store.audit.head();
  store.close();
  return { path: join(dir.dir, 'kiosk.sqlite'), head: `${seq}:${hash}` };
}

/** What the terminal does at start and day-end: verifies the chain and keeps the head it publishes beside its keys. */
async function terminalCheck(path: string, moment: 'start' | 'day-end' = 'day-end'): Promise<{ ok: boolean; headSeq: number; problems: string[] }> {
  const store = realStore(dir.dir);
  try {
    return await checkAuditChain({ store, config: TerminalConfig.parse({}), log: createLogger({ level: 'error', write: () => undefined }), now: new Date() }, moment);
  } finally {
    store.close();
  }
}

/** The tamperer: the store key and a SQLite editor; the triggers that refuse edits dropped first. */
function tamper(path: string, sql: string): void {
  const db = openDatabase(path, { key: cliKeyStore(path).read('store')! });
  db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ${sql}`);
  db.close();
}

describe('kiosk store audit', () => {
  it('a tail deleted with its AUTOINCREMENT mark verifies alone, and is found against the head of the day-end report', async () => {
    const { path, head } = storeWithHead();
    expect(await kiosk(['--store', path, '--head', head])).toMatchObject({ code: 0, stdout: expect.stringContaining('完好，且包含对照链头') });

    const last = Number(head.split(':')[0]);
    tamper(path, `DELETE FROM audit_log WHERE seq > ${last - 3}; UPDATE sqlite_sequence SET seq = ${last - 3} WHERE name = 'audit_log';`);
    const alone = await kiosk(['--store', path]);
    // Nothing in the file shows it, and the head kept at the store's birth is below the cut: what --head is for.
    expect(alone.code).toBe(0);
    expect(alone.stdout).toMatch(/本机保存的链头：第 \d+ 条 [0-9a-f]{64}（[^，]+，建库时）/);

    const against = await kiosk(['--store', path, '--head', head]);
    expect(against.code).toBe(1);
    expect(against.stdout).toContain(`第 ${last - 2} 条起：末尾的审计记录被删除`);
    expect(against.stdout).toContain('请保留本机数据目录原样');
    const json = await kiosk(['--store', path, '--head', head, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, head: { seq: last - 3 }, problems: [{ kind: 'truncated' }] });
  }, 60_000);

  it('a sealed row changed (a stay moved to another department) is named in words, with the finding for IT', async () => {
    const { path } = storeWithHead();
    tamper(path, "UPDATE admissions SET dept_code = 'X99' WHERE ipt_no = (SELECT min(ipt_no) FROM admissions);");
    const r = await kiosk(['--store', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/业务记录 admissions:\S+ 被改动，与审计时的值不符（record-changed: admissions:\S+ differs from its audited value/);
  }, 60_000);

  it('a head that is not <seq>:<hash> is a usage error', async () => {
    const { path } = storeWithHead();
    const r = await kiosk(['--store', path, '--head', '57']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--head takes <seq>:<hash>');
  }, 60_000);

  it('without --head the head the terminal kept is the one compared with: a tail deleted with its mark is found', async () => {
    const { path, head } = storeWithHead();
    const published = await terminalCheck(path);
    expect(`${published.headSeq}`).toBe(head.split(':')[0]);
    const last = published.headSeq;
    tamper(path, `DELETE FROM audit_log WHERE seq > ${last - 3}; UPDATE sqlite_sequence SET seq = ${last - 3} WHERE name = 'audit_log';`);
    const r = await kiosk(['--store', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`本机保存的链头：第 ${last} 条`);
    expect(r.stdout).toContain(`第 ${last - 2} 条起：末尾的审计记录被删除`);
    expect((await terminalCheck(path, 'start')).problems).toEqual([`truncated @${last - 2}: the log ends at ${last - 3}, the kept head is ${last}`]);
  }, 60_000);

  it('a kept head edited by hand is named, with what IT does about it', async () => {
    const { path } = storeWithHead();
    await terminalCheck(path);
    const kept = JSON.parse(readFileSync(keptHeadPath(path), 'utf8')) as { seq: number };
    writeFileSync(keptHeadPath(path), JSON.stringify({ ...kept, seq: kept.seq - 1 }));
    const r = await kiosk(['--store', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('本机保存的链头（keys/audit-head.json）已损坏，或被不持有审计密钥的人改动');
    expect(r.stdout).toContain('处理：用 kiosk store audit --head');
  }, 60_000);

  it('a kept head deleted from a used store is a finding in words, not a first start', async () => {
    const { path } = storeWithHead();
    await terminalCheck(path);
    rmSync(keptHeadPath(path));
    const r = await kiosk(['--store', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('本机保存的链头（keys/audit-head.json）不见了');
    expect(r.stdout).toContain('kiosk store audit --accept --reason');
    expect(JSON.parse((await kiosk(['--store', path, '--json'])).stdout)).toMatchObject({ ok: false, keptHead: 'missing', problems: [{ kind: 'kept-head-missing' }] });
    expect(existsSync(keptHeadPath(path))).toBe(false); // the check reads only
  }, 60_000);

  it('store audit --accept: IT accepts a deleted kept head with a reason, audited; the next start is clean', async () => {
    const { path } = storeWithHead();
    await terminalCheck(path);
    rmSync(keptHeadPath(path));

    const noReason = await kiosk(['--store', path, '--accept']);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--accept needs --reason');
    expect(await kiosk(['--store', path, '--accept', '--reason', '  '])).toMatchObject({ code: 2 });
    expect(await kiosk(['--store', path, '--reason', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason goes with audit --accept') });
    expect(existsSync(keptHeadPath(path))).toBe(false); // refused: nothing changed

    const r = await kiosk(['--store', path, '--accept', '--reason', '核对日结报表后确认：升级时链头文件未迁移', '--operator', '9001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/已确认现状：1 处异常记入审计记录第 (\d+) 条（audit\.accepted，操作人 cli:\S+\/opter:9001，原因：核对日结报表后确认：升级时链头文件未迁移）/);
    expect(r.stdout).toContain('本机保存的链头（keys/audit-head.json）不见了');
    const store = realStore(dir.dir);
    try {
      const row = store.audit.latest('audit_log', 'audit.accepted');
      expect(row).toMatchObject({ actor: expect.stringMatching(/^cli:.+\/opter:9001$/), detail: { reason: '核对日结报表后确认：升级时链头文件未迁移', keptBefore: 'missing' } });
      expect(readKeptHead(store.audit, path)).toMatchObject({ state: 'kept', head: { seq: row!.seq, hash: row!.hash, moment: 'accept' } });
    } finally {
      store.close();
    }
    expect(await terminalCheck(path, 'start')).toMatchObject({ ok: true });
    expect((await kiosk(['--store', path])).code).toBe(0);

    const again = await kiosk(['--store', path, '--accept', '--reason', 'again', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ state: 'nothing-to-accept' });
    const nothing = await kiosk(['--store', path, '--accept', '--reason', 'again']);
    expect(nothing.stdout).toContain('没有需要确认的异常；未做任何改动');
    const store2 = realStore(dir.dir);
    try {
      expect(store2.audit.list({ subject: 'audit_log' }).filter((e) => e.action === 'audit.accepted')).toHaveLength(1);
    } finally {
      store2.close();
    }
  }, 90_000);

  it('store audit --accept tells the configured syslog collector (AUDIT_ACCEPTED); an unreachable one is a warning', async () => {
    const { path } = storeWithHead();
    rmSync(keptHeadPath(path));
    const socket = createSocket('udp4');
    const received = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      const config = join(dir.dir, 'config.json');
      writeFileSync(config, JSON.stringify({ audit: { syslog: { host: '127.0.0.1', port: (socket.address() as AddressInfo).port, protocol: 'udp' } } }));
      const r = await kiosk(['--store', path, '--accept', '--reason', '核对后确认', '--operator', '9001', '--json'], 'audit', config);
      expect(r.code).toBe(0);
      const { entry } = JSON.parse(r.stdout) as { entry: { seq: number; hash: string } };
      const line = await received;
      expect(line).toMatch(/^<108>1 \S+ \S+ kiosk \d+ AUDIT_ACCEPTED \[kiosk@32473 /);
      expect(line).toContain(`seq="${entry.seq}" hash="${entry.hash}"`);
      expect(line).toMatch(/actor="cli:\S+\/opter:9001" problems="1"/);
      expect(r.stderr).toContain('已将确认记录发送到医院 syslog');
    } finally {
      socket.close();
    }

    // A collector that refuses the connection: the acceptance stands, the warning says so.
    rmSync(keptHeadPath(path));
    const closed = join(dir.dir, 'closed.json');
    writeFileSync(closed, JSON.stringify({ audit: { syslog: { host: '127.0.0.1', port: 1, protocol: 'tcp' } } }));
    const r = await kiosk(['--store', path, '--accept', '--reason', '再次核对'], 'audit', closed);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已确认现状');
    expect(r.stderr).toContain('未能发送到医院 syslog');
    expect(existsSync(keptHeadPath(path))).toBe(true);
  }, 90_000);

  it('store audit --accept is refused while a terminal has the store open', async () => {
    const { path } = storeWithHead();
    rmSync(keptHeadPath(path));
    const running = realStore(dir.dir); // the terminal: its connection holds the -wal
    try {
      const r = await kiosk(['--store', path, '--accept', '--reason', 'checked']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('终端正在使用该数据库');
      expect(r.stderr).toContain('不能确认审计链现状');
      expect(running.audit.latest('audit_log', 'audit.accepted')).toBeNull();
    } finally {
      running.close();
    }
    expect(existsSync(keptHeadPath(path))).toBe(false);
  }, 60_000);

  it('store restore takes the kept head back to the restored chain and says so in the chain: the next start is clean', async () => {
    const { path } = storeWithHead();
    await terminalCheck(path, 'start');
    expect(existsSync(keptHeadPath(path))).toBe(true);
    expect((await kiosk(['--store', path], 'backup')).code).toBe(0);
    const store = realStore(dir.dir);
    for (let i = 0; i < 3; i++) store.write((tx) => store.audit.append(tx, { actor: 'opter:SF001', action: 'documents.print', subject: `settlement:${i}` }));
    store.close();
    const dayEnd = await terminalCheck(path, 'day-end');

    const restored = await kiosk(['--store', path], 'restore');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/审计链回到恢复点：链头第 \d+ 条 [0-9a-f]{64}（已记入审计记录/);
    const after = realStore(dir.dir);
    try {
      const reset = after.audit.latest('audit_log', 'audit.head-reset');
      expect(reset?.detail).toMatchObject({ reason: 'store.restore', keptBefore: { seq: dayEnd.headSeq }, restoredChainOk: true });
      expect(reset!.seq).toBeLessThan(dayEnd.headSeq); // the chain went back: without the reset every start would alarm
      expect(readKeptHead(after.audit, path)).toMatchObject({ state: 'kept', head: { seq: reset!.seq, hash: reset!.hash, moment: 'restore' } });
    } finally {
      after.close();
    }
    expect(await terminalCheck(path, 'start')).toMatchObject({ ok: true });
  }, 90_000);
});
