import { afterEach, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import { openDatabase } from '../../../db/connection.ts';
import { ScriptProcess, seeded, sleep } from '../sync/processes.ts';
import { tempDir } from '../sync/helpers.ts';

/**
 * The store under real crashes: two writer processes (two "desks" sharing one file, as the terminal and the
 * `kiosk queue` CLI do) write admissions with their deposit, outbox row and audit row in one transaction each,
 * while the test kills them with SIGKILL at random moments (30 kills, bounded in time). Afterwards the file is
 * intact and every transaction is all-or-nothing: no admission without its 2401 and deposit, no orphan, no
 * repeated msgid or ipt_no, an audit chain that verifies, counters that continue.
 */
const WRITER = resolve(import.meta.dirname, 'writer-process.ts');

describe('store under SIGKILL (real processes, one file)', () => {
  let dir: ReturnType<typeof tempDir> | null = null;
  const children: ScriptProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill9();
    dir?.cleanup();
    dir = null;
  });

  it('every transaction is all or nothing, msgids and ipt_no never repeat, the audit chain holds', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    console.log(`[db-crash] seed ${seed}`);
    const random = seeded(seed);
    dir = tempDir('kiosk-db-crash-');
    const path = join(dir.dir, 'kiosk.sqlite');
    openEncryptedStore(path, cliKeyStore(path)).close(); // migrated once, so the writers race on data, not on the schema
    const started = Date.now();
    let kills = 0;
    while (kills < 30) {
      if (Date.now() - started > 150_000) throw new Error(`only ${kills} kills in 150 s`);
      const a = new ScriptProcess(WRITER, ['--store', path, '--prefix', 'ZA', '--partition', '0/2']);
      const b = new ScriptProcess(WRITER, ['--store', path, '--prefix', 'ZB', '--partition', '1/2']);
      children.push(a, b);
      await Promise.all([a.waitFor((l) => l.event === 'started', 'writer a', 30_000), b.waitFor((l) => l.event === 'started', 'writer b', 30_000)]);
      await sleep(30 + random() * 300);
      // Kill one mid-write, then the other a little later (its lock holder may have just died).
      const [first, second] = random() < 0.5 ? [a, b] : [b, a];
      await first.kill9();
      await sleep(random() * 50);
      await second.kill9();
      children.splice(0);
      kills += 2;
      expect([...a.stderr, ...b.stderr].join('')).not.toMatch(/SQLITE_BUSY|database is locked/);
    }

    const raw = openDatabase(path, { readonly: true, key: cliKeyStore(path).read('store') });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    raw.close();
    const store = openEncryptedStore(path, cliKeyStore(path), { fixmedinsCode: 'H32020000001' });
    try {
      const db = store.db;
      const admissions = db.prepare('SELECT count(*) FROM admissions').pluck().get() as number;
      console.log(`[db-crash] ${kills} kills, ${admissions} admissions written`);
      expect(admissions).toBeGreaterThan(100);
      // All or nothing: each admission has exactly its deposit, its 2401 and its audit row; nothing else exists.
      expect(db.prepare('SELECT count(*) FROM admissions a WHERE (SELECT count(*) FROM outbox o WHERE o.visit_key = a.ipt_no) <> 1').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM admissions a WHERE (SELECT count(*) FROM deposits d WHERE d.ipt_no = a.ipt_no) <> 1').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(admissions);
      expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'admission.register'").pluck().get()).toBe(admissions);
      // No repeats across the crashes and the two processes (gaps are allowed: a rolled-back number is reused,
      // a committed one never).
      expect(db.prepare('SELECT count(DISTINCT msgid) FROM outbox').pluck().get()).toBe(admissions);
      // Whether the row of the sequence or only the outbox row recorded a msgid, the next one comes after all.
      const newest = db.prepare('SELECT max(msgid) FROM outbox').pluck().get() as string;
      expect(store.msgids.next(new Date(Date.parse('2026-01-01T00:00:00Z'))) > newest).toBe(true);
      for (const prefix of ['ZA', 'ZB']) {
        const nos = db.prepare('SELECT ipt_no FROM admissions WHERE ipt_no LIKE ? ORDER BY created_at, ipt_no').pluck().all(`${prefix}%`) as string[];
        expect(new Set(nos).size).toBe(nos.length);
        expect(nos.length).toBeGreaterThan(0);
      }
      expect(store.audit.verify().ok).toBe(true);
      // The counters continue after the last crash.
      const next = store.write((tx) => store.admissions.nextIptNo(tx));
      expect(db.prepare('SELECT count(*) FROM admissions WHERE ipt_no = ?').pluck().get(next)).toBe(0);
    } finally {
      store.close();
    }
  }, 200_000);
});
