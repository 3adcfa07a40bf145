import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAuditState } from '../../../../db/audit/accept.ts';
import { keptHeadPath, readKeptHead } from '../../../../db/audit/kept-head.ts';
import { auditChainText } from '../../../../contract/day-end-text.ts';
import { openDatabase } from '../../../../db/connection.ts';
import { newKey } from '../../../../db/keystore.ts';
import { openStore } from '../../../../db/store.ts';
import { TerminalConfig } from '../../../../services/config/schema.ts';
import { createLogger } from '../../../../services/logging/logger.ts';
import { checkAuditChain } from '../../../../services/security/audit-head.ts';
import { HOSPITAL, sampleAdmission, tempStore } from '../../../unit/db/helpers.ts';

/**
 * The head the terminal last published, kept beside its keys and compared at every start and day-end: the attacker
 * here has the data folder and the store key (SQLite, the triggers dropped), not the audit key.
 */
describe('the kept audit head', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const log = createLogger({ level: 'error', write: () => undefined });
  const config = TerminalConfig.parse({});

  function keyedStore() {
    const storeKey = newKey();
    const auditKey = newKey();
    const ctx = tempStore({ key: storeKey, auditKey });
    cleanups.push(() => ctx.cleanup());
    ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    const print = (n: number) => {
      for (let i = 0; i < n; i++) ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'opter:SF001', action: 'documents.print', subject: `settlement:${i}` }));
    };
    const check = (moment: 'start' | 'day-end') => checkAuditChain({ store: ctx.store, config, log, now: new Date('2026-12-07T10:00:00Z') }, moment);
    /** Stops the terminal, edits the file as the attacker, starts it again. */
    const tamper = (sql: string) => {
      ctx.store.close();
      const db = openDatabase(ctx.path, { key: storeKey });
      db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`);
      db.close();
      ctx.store = openStore(ctx.path, { fixmedinsCode: HOSPITAL, key: storeKey, auditKey });
    };
    /** The tail above `cut` deleted together with its AUTOINCREMENT mark: a chain that verifies on its own. */
    const cutTail = (cut: number) => tamper(`DELETE FROM audit_log WHERE seq > ${cut}; UPDATE sqlite_sequence SET seq = ${cut} WHERE name = 'audit_log';`);
    return { ctx, print, check, tamper, cutTail, auditKey };
  }

  it('a new store keeps its head from its first row; its first start is no alarm and moves the head (0600, MAC’d)', async () => {
    const { ctx, check } = keyedStore();
    expect(readKeptHead(ctx.store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { seq: 1, moment: 'keyed' } });
    const status = await check('start');
    expect(status.ok).toBe(true);
    expect(statSync(keptHeadPath(ctx.path)).mode & 0o777).toBe(0o600);
    expect(readKeptHead(ctx.store.audit, ctx.path)).toEqual({ state: 'kept', head: { seq: status.headSeq, hash: status.headHash, moment: 'start', at: '2026-12-07T10:00:00.000Z' } });
  });

  it('day-end moves the kept head forward to the head it prints', async () => {
    const { ctx, check, print } = keyedStore();
    await check('start');
    print(3);
    const status = await check('day-end');
    expect(status.ok).toBe(true);
    expect(readKeptHead(ctx.store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { seq: status.headSeq, hash: status.headHash, moment: 'day-end' } });
  });

  it('a tail deleted together with its AUTOINCREMENT mark is found at the next start, and the kept head stays', async () => {
    const { ctx, check, print, cutTail } = keyedStore();
    print(4);
    const published = await check('day-end');
    const cut = published.headSeq - 3;
    cutTail(cut);
    expect(ctx.store.audit.verify().ok).toBe(true); // the file alone shows nothing: what the kept head is for
    const status = await check('start');
    expect(status.ok).toBe(false);
    expect(status.problems).toEqual([`truncated @${cut + 1}: the log ends at ${cut}, the kept head is ${published.headSeq}`]);
    // A second start still reports it: a broken chain never moves the kept head.
    expect((await check('start')).ok).toBe(false);
    expect(readKeptHead(ctx.store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { seq: published.headSeq } });
  });

  it('a kept head edited by hand (moved back below a deleted tail) is reported, not trusted', async () => {
    const { ctx, check, print, cutTail } = keyedStore();
    print(4);
    const published = await check('day-end');
    const cut = published.headSeq - 3;
    cutTail(cut);
    const file = keptHeadPath(ctx.path);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const row = ctx.store.audit.list({ sinceSeq: cut - 1, limit: 1 })[0]!;
    writeFileSync(file, JSON.stringify({ ...kept, seq: row.seq, hash: row.hash }));
    const status = await check('start');
    expect(status.ok).toBe(false);
    expect(status.problems).toEqual([expect.stringMatching(/^kept-head @0: the kept audit head is not trustworthy: .*does not carry the audit key's MAC/)]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ seq: row.seq }); // left as found, for IT
  });

  it('a kept head deleted from a used store is reported at every start, never read as a first start, and not kept again', async () => {
    const { ctx, check, print } = keyedStore();
    await check('start');
    print(2);
    await check('day-end');
    rmSync(keptHeadPath(ctx.path));
    const status = await check('start');
    expect(status.ok).toBe(false);
    expect(status.problemCount).toBe(1);
    expect(status.problems).toEqual([expect.stringMatching(/^kept-head-missing @0: .*audit-head\.json is missing although the chain has \d+ rows/)]);
    expect(existsSync(keptHeadPath(ctx.path))).toBe(false); // re-kept only by an audited decision (kiosk store audit --accept)
    expect((await check('day-end')).ok).toBe(false);
  });

  it('an older store keyed now (its audit key just made) keeps its head with the anchor: its first start is no alarm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-upgrade-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'kiosk.db');
    const storeKey = newKey();
    const older = openStore(path, { fixmedinsCode: HOSPITAL, key: storeKey }); // an earlier build: unkeyed chain
    older.write((tx) => older.admissions.create(tx, sampleAdmission));
    older.close();
    const store = openStore(path, { fixmedinsCode: HOSPITAL, key: storeKey, auditKey: newKey(), keyAuditChain: true });
    cleanups.push(() => store.close());
    expect(readKeptHead(store.audit, path)).toMatchObject({ state: 'kept', head: { seq: store.audit.head().seq, moment: 'keyed' } });
    const status = await checkAuditChain({ store, config, log, now: new Date('2026-12-07T10:00:00Z') }, 'start');
    expect(status).toMatchObject({ ok: true, problemCount: 0 });
  });

  it('findings IT accepted are set apart and still said: acceptedCount, the report line, the log', async () => {
    const { ctx, check, print, tamper } = keyedStore();
    print(4);
    await check('day-end');
    tamper('DELETE FROM audit_log WHERE seq = (SELECT max(seq) - 1 FROM audit_log)');
    const broken = await check('start');
    expect(broken).toMatchObject({ ok: false, problemCount: 2 });
    expect(broken.acceptedCount).toBeUndefined();
    expect(acceptAuditState(ctx.store, { actor: 'cli:it', reason: '核对后确认' }).state).toBe('accepted');
    const status = await check('start');
    expect(status).toMatchObject({ ok: true, problemCount: 0, acceptedCount: 2 });
    expect(auditChainText(status)).toMatch(/^审计记录完好（\d+ 条，另有 2 处异常已由信息科确认）。链头：/);
    print(1);
    tamper("UPDATE audit_log SET actor = 'opter:X' WHERE seq = (SELECT max(seq) FROM audit_log)");
    const again = await check('day-end');
    expect(again).toMatchObject({ ok: false, problemCount: 1, acceptedCount: 2 });
    expect(auditChainText(again)).toContain('审计记录校验失败（1 处异常，另有 2 处异常已由信息科确认）');
  });

  it('a kept head that is not JSON is reported; one written under another audit key is too', async () => {
    const { ctx, check } = keyedStore();
    await check('start');
    const file = keptHeadPath(ctx.path);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, 20));
    expect((await check('start')).problems).toEqual([expect.stringMatching(/^kept-head @0: .*cannot be read as JSON/)]);

    const other = keyedStore();
    await other.check('start');
    writeFileSync(file, readFileSync(keptHeadPath(other.ctx.path)));
    expect((await check('start')).problems).toEqual([expect.stringMatching(/^kept-head @0: .*does not carry the audit key's MAC/)]);
  });
});
