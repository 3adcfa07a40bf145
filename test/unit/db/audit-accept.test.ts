import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptAuditState } from '../../../db/audit/accept.ts';
import { AUDIT_ACCEPTED_ACTION } from '../../../db/audit/accepted.ts';
import { keptHeadPath, readKeptHead, verifyAgainstKeptHead, writeKeptHead } from '../../../db/audit/kept-head.ts';
import { openDatabase, type SqliteDatabase } from '../../../db/connection.ts';
import { newKey } from '../../../db/keystore.ts';
import { openStore, type Store } from '../../../db/store.ts';
import { HOSPITAL, sampleAdmission, tempStore } from './helpers.ts';

/**
 * `kiosk store audit --accept`: IT accepts what it investigated; later checks compare with the accepted state and
 * report only what is new. The attacker has the file and the store key (triggers dropped), not the audit key.
 */
describe('accepting the audit chain as it is', () => {
  const storeKey = newKey();
  const auditKey = newKey();
  let ctx: ReturnType<typeof tempStore>;
  afterEach(() => ctx?.cleanup());
  const IT = { actor: 'cli:it/opter:9001', reason: '核对 12月6日 日结报表后确认' };

  function used(): Store {
    ctx = tempStore({ key: storeKey, auditKey });
    ctx.store.write((tx) => ctx.store.admissions.create(tx, sampleAdmission));
    for (let i = 0; i < 5; i++) ctx.store.write((tx) => ctx.store.audit.append(tx, { actor: 'opter:SF001', action: 'documents.print', subject: `settlement:${i}` }));
    return ctx.store;
  }
  function tamper(sql: string): Store {
    ctx.store.close();
    const db: SqliteDatabase = openDatabase(ctx.path, { key: storeKey });
    db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`);
    db.close();
    ctx.store = openStore(ctx.path, { clock: ctx.clock, fixmedinsCode: HOSPITAL, key: storeKey, auditKey });
    return ctx.store;
  }
  const check = () => verifyAgainstKeptHead(ctx.store.audit, ctx.path).verification;
  const acceptances = () => ctx.store.audit.list({ subject: 'audit_log' }).filter((e) => e.action === AUDIT_ACCEPTED_ACTION);

  it('an intact chain: nothing to accept, nothing written', () => {
    const store = used();
    const head = store.audit.head();
    expect(acceptAuditState(store, IT)).toEqual({ state: 'nothing-to-accept', head });
    expect(store.audit.head()).toEqual(head);
    expect(readKeptHead(store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { moment: 'keyed' } });
  });

  it('a kept head deleted: the acceptance is audited (who, why, what) and keeps the head again', () => {
    const store = used();
    rmSync(keptHeadPath(ctx.path));
    expect(check().problems.map((p) => p.kind)).toEqual(['kept-head-missing']);
    const outcome = acceptAuditState(store, IT);
    expect(outcome).toMatchObject({ state: 'accepted', problems: [{ kind: 'kept-head-missing' }] });
    const [row] = acceptances();
    expect(row).toMatchObject({ actor: IT.actor, detail: { reason: IT.reason, problemCount: 1, problems: [expect.stringMatching(/^kept-head-missing@0: /)], keptBefore: 'missing' } });
    expect(readKeptHead(store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { seq: row!.seq, hash: row!.hash, moment: 'accept' } });
    expect(check()).toMatchObject({ ok: true, problems: [] });
    // Deleted again later: reported again (a kept-head finding is resolved by the acceptance, never listed as accepted).
    rmSync(keptHeadPath(ctx.path));
    expect(check().problems.map((p) => p.kind)).toEqual(['kept-head-missing']);
  });

  it('a row deleted in the middle: accepted, later checks pass, and a new edit is still reported', () => {
    used();
    tamper('DELETE FROM audit_log WHERE seq = (SELECT max(seq) - 2 FROM audit_log)');
    expect(check().problems.map((p) => p.kind).sort()).toEqual(['broken-link', 'missing']);
    expect(acceptAuditState(ctx.store, IT).state).toBe('accepted');
    const after = check();
    expect(after).toMatchObject({ ok: true, problems: [] });
    expect(after.accepted?.map((p) => p.kind).sort()).toEqual(['broken-link', 'missing']);

    tamper("UPDATE audit_log SET subject = 'settlement:99' WHERE seq = (SELECT max(seq) - 1 FROM audit_log)");
    expect(check().problems.map((p) => p.kind)).toEqual(['edited']);
  });

  it('a row changed in the middle: accepted as it is; the same row changed again is a new finding', () => {
    used();
    tamper("UPDATE audit_log SET subject = 'settlement:98' WHERE seq = (SELECT max(seq) - 2 FROM audit_log)");
    expect(check().problems.map((p) => p.kind)).toEqual(['edited']);
    expect(acceptAuditState(ctx.store, IT).state).toBe('accepted');
    expect(acceptances()[0]!.detail).toMatchObject({ accepted: [expect.stringMatching(/^edited@\d+#[0-9a-f]{64}$/)] });
    expect(check()).toMatchObject({ ok: true, accepted: [{ kind: 'edited' }] });
    tamper("UPDATE audit_log SET subject = 'settlement:97' WHERE seq = (SELECT max(seq) - 3 FROM audit_log)");
    expect(check().problems.map((p) => p.kind)).toEqual(['edited']);
  });

  it('a tail deleted below the AUTOINCREMENT mark: accepted (the gap the acceptance row leaves too)', () => {
    used();
    tamper('DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log)');
    expect(check().problems.map((p) => p.kind)).toContain('truncated');
    expect(acceptAuditState(ctx.store, IT).state).toBe('accepted');
    expect(check()).toMatchObject({ ok: true, problems: [] });
  });

  it('a tail deleted with its AUTOINCREMENT mark, below the kept head: accepted, the head moves to the acceptance', () => {
    const store = used();
    writeKeptHead(store.audit, ctx.path, store.audit.head(), 'day-end', ctx.clock.now());
    tamper("DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log); UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM audit_log) WHERE name = 'audit_log'");
    expect(ctx.store.audit.verify().ok).toBe(true); // the file alone shows nothing
    expect(check().problems.map((p) => p.kind)).toEqual(['truncated']);
    const outcome = acceptAuditState(ctx.store, IT);
    expect(outcome.state).toBe('accepted');
    expect(acceptances()[0]!.detail).toMatchObject({ keptBefore: { seq: expect.any(Number) as number }, accepted: [expect.stringMatching(/^truncated@/), expect.stringMatching(/^missing@/)] });
    expect(check()).toMatchObject({ ok: true, problems: [] });
    expect(readKeptHead(ctx.store.audit, ctx.path)).toMatchObject({ state: 'kept', head: { moment: 'accept' } });
  });

  it('a kept head edited by hand: accepted, a sound head written over it', () => {
    const store = used();
    writeFileSync(keptHeadPath(ctx.path), '{"seq":1}');
    expect(check().problems.map((p) => p.kind)).toEqual(['kept-head']);
    expect(acceptAuditState(store, IT).state).toBe('accepted');
    const detail = acceptances()[0]!.detail as { keptBeforeMovedTo: string };
    expect(detail).toMatchObject({ keptBefore: 'damaged', accepted: [], keptBeforeMovedTo: expect.stringMatching(/^audit-head\.json\.replaced-/) });
    expect(readFileSync(join(dirname(keptHeadPath(ctx.path)), detail.keptBeforeMovedTo), 'utf8')).toBe('{"seq":1}'); // the evidence, kept
    expect(check()).toMatchObject({ ok: true, problems: [] });
  });

  it('a money or visit row changed: sealed again as it is, and a later change is reported', () => {
    used();
    tamper("UPDATE admissions SET dept_code = 'X99'");
    expect(check().problems.map((p) => p.kind)).toEqual(['record-changed']);
    expect(acceptAuditState(ctx.store, IT)).toMatchObject({ state: 'accepted' });
    expect(acceptances()[0]!.detail).toMatchObject({ resealed: [expect.stringMatching(/^admissions:/)], accepted: [] });
    expect(check().ok).toBe(true);
    tamper("UPDATE admissions SET dept_code = 'X98'");
    expect(check().problems.map((p) => p.kind)).toEqual(['record-changed']);
  });

  it('an acceptance row forged without the audit key accepts nothing', () => {
    used();
    tamper('DELETE FROM audit_log WHERE seq = (SELECT max(seq) - 2 FROM audit_log)');
    const found = check().problems;
    const keys = JSON.stringify(found.map((p) => `${p.kind}@${p.seq}`));
    tamper(
      `INSERT INTO audit_log (seq, at, actor, action, subject, detail_json, prev_hash, hash)
       SELECT max(seq) + 1, 0, 'cli:it', '${AUDIT_ACCEPTED_ACTION}', 'audit_log', '{"accepted":${keys}}', (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}' FROM audit_log`,
    );
    const v = check();
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['broken-link', 'missing', 'edited']));
    expect(v.accepted).toBeUndefined();
  });

  it('a chain rewritten without the audit key is refused: nothing written', () => {
    used();
    tamper("DELETE FROM audit_log WHERE action = 'audit.keyed'");
    const head = ctx.store.audit.head();
    expect(acceptAuditState(ctx.store, IT)).toMatchObject({ state: 'refused-unkeyed' });
    expect(ctx.store.audit.head()).toEqual(head);
    expect(existsSync(keptHeadPath(ctx.path))).toBe(true);
  });
});
