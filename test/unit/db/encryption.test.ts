import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from '../../../db/connection.ts';
import { backupEncrypted, rekey, SQLITE_CLEAR_HEADER } from '../../../db/encryption.ts';
import { FileKeyStore, keyDir, newKey } from '../../../db/keystore.ts';
import { openStore, type Store } from '../../../db/store.ts';
import { prepareStoreKey, rotateStoreKey, storeFileState } from '../../../db/store-key.ts';
import { HOSPITAL, ManualClock, sampleAdmission } from './helpers.ts';

const SECRET_NAME = '王小明-加密测试';

describe('encrypted store', () => {
  let dir: string;
  const open: Store[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) if (s.db.open) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup() {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-enc-'));
    const dataDir = join(dir, 'data');
    return { dataDir, path: join(dataDir, 'kiosk.sqlite'), keys: new FileKeyStore(keyDir(dataDir)) };
  }

  function openKeyed(path: string, key: Buffer | null): Store {
    const s = openStore(path, { fixmedinsCode: HOSPITAL, clock: new ManualClock(), key });
    open.push(s);
    return s;
  }

  /** A stay with a deposit, an outbox row, an audit row and a person whose name must never be on disk in clear. */
  function fill(store: Store) {
    store.write((tx) => {
      const adm = store.admissions.create(tx, sampleAdmission);
      store.money.addDeposit(tx, { iptNo: adm.iptNo, kind: 'deposit', amountFen: 500_00, method: 'cash', receiptNo: 'R0001', opterNo: '1001' });
      store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2401', input: { mdtrtinfo: { psn_name: SECRET_NAME } }, msgid: store.msgids.next(tx.now), envelope: {} });
      store.audit.append(tx, { actor: 'opter:1001', action: 'admission.create', subject: `admission:${adm.iptNo}` });
    });
  }

  function fileHolds(path: string, text: string): boolean {
    const needle = Buffer.from(text, 'utf8');
    return [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(needle));
  }

  it('writes a file that is not SQLite format 3, with no personal data in clear in the file or its WAL', () => {
    const { path, keys } = setup();
    const store = openKeyed(path, prepareStoreKey(path, keys));
    fill(store);
    expect(fileHolds(path, SECRET_NAME)).toBe(false);
    store.close();
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe(SQLITE_CLEAR_HEADER);
    expect(fileHolds(path, SECRET_NAME)).toBe(false);
    expect(storeFileState(path)).toBe('encrypted');
    // Plain SQLite (no key) cannot read it.
    const plain = new Database(path);
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database/);
    plain.close();
  });

  it('refuses a wrong key and a missing key with a clear error', () => {
    const { path, keys } = setup();
    openKeyed(path, prepareStoreKey(path, keys)).close();
    expect(() => openDatabase(path, { key: newKey() })).toThrow(/无法用本机密钥解开/);
    expect(() => openDatabase(path)).toThrow(/已加密，未提供密钥/);
    rmSync(keyDir(join(dir, 'data')), { recursive: true });
    expect(() => prepareStoreKey(path, new FileKeyStore(keyDir(join(dir, 'data'))))).toThrow(/找不到它的密钥/);
  });

  it('tells a damaged (zeroed) encrypted file from a wrong key: STORE_CORRUPT with the recovery steps', () => {
    const { path, keys } = setup();
    const key = prepareStoreKey(path, keys);
    fill(openKeyed(path, key));
    open[0]!.close();
    writeFileSync(path, Buffer.alloc(statSync(path).size));
    expect(() => openStore(path, { key })).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });

  it('encrypts an existing clear store in place, keeping every row, the schema version and the counters', () => {
    const { path, keys } = setup();
    const clear = openKeyed(path, null);
    fill(clear);
    const version = clear.schemaVersion();
    const head = clear.audit.head();
    clear.close();
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).toBe(SQLITE_CLEAR_HEADER);
    expect(() => openDatabase(path, { key: newKey() })).toThrow(/尚未加密/);

    const key = prepareStoreKey(path, keys);
    expect(storeFileState(path)).toBe('encrypted');
    expect(fileHolds(path, SECRET_NAME)).toBe(false);
    expect(existsSync(`${path}.reencrypt`)).toBe(false);
    const store = openKeyed(path, key);
    expect(store.schemaVersion()).toBe(version);
    expect(store.money.deposits('ZY2026000001')).toHaveLength(1);
    expect(store.audit.verify()).toMatchObject({ ok: true, head });
    // AUTOINCREMENT marks and local counters continue.
    store.write((tx) => {
      expect(store.admissions.create(tx, sampleAdmission).iptNo).toBe('ZY2026000002');
      expect(store.audit.append(tx, { actor: 'opter:1001', action: 'x', subject: 'y' }).seq).toBe(head.seq + 1);
    });
  });

  it('makes backups that stay encrypted under the same key', () => {
    const { path, keys } = setup();
    const key = prepareStoreKey(path, keys)!;
    const store = openKeyed(path, key);
    fill(store);
    const backup = join(dir, 'backup.sqlite');
    backupEncrypted(store.db, backup);
    expect(readFileSync(backup).subarray(0, 16).toString('latin1')).not.toBe(SQLITE_CLEAR_HEADER);
    expect(fileHolds(backup, SECRET_NAME)).toBe(false);
    expect(() => openDatabase(backup)).toThrow(/已加密/);
    const copy = openDatabase(backup, { key });
    expect(copy.prepare('SELECT count(*) AS n FROM deposits').get()).toEqual({ n: 1 });
    copy.close();
  });

  it('rotates the key: the old key no longer opens the file, the new one does, rows kept', () => {
    const { path, keys } = setup();
    const old = prepareStoreKey(path, keys)!;
    fill(openKeyed(path, old));
    open[0]!.close();
    rotateStoreKey(path, keys);
    const now = keys.read('store')!;
    expect(now.equals(old)).toBe(false);
    expect(keys.readNext('store')).toBeNull();
    expect(() => openDatabase(path, { key: old })).toThrow(/无法用本机密钥解开/);
    expect(openKeyed(path, prepareStoreKey(path, keys)).money.deposits('ZY2026000001')).toHaveLength(1);
  });

  it('refuses to rotate while another connection has the store open', () => {
    const { path, keys } = setup();
    const live = openKeyed(path, prepareStoreKey(path, keys));
    fill(live);
    expect(() => rotateStoreKey(path, keys)).toThrow(/正被其他程序使用/);
    expect(keys.readNext('store')).toBeNull();
    expect(live.money.deposits('ZY2026000001')).toHaveLength(1);
  });

  it('finishes a rotation that crashed after re-encrypting but before promoting the new key', () => {
    const { path, keys } = setup();
    const old = prepareStoreKey(path, keys)!;
    fill(openKeyed(path, old));
    open[0]!.close();
    // What rotateStoreKey leaves if the process dies between the rename and promoteNext.
    const next = newKey();
    keys.writeNext('store', next);
    const db = openDatabase(path, { key: old });
    db.pragma('journal_mode = DELETE');
    rekey(db, next);
    db.close();
    expect(prepareStoreKey(path, keys)!.equals(next)).toBe(true);
    expect(keys.read('store')!.equals(next)).toBe(true);
    expect(keys.readNext('store')).toBeNull();
  });

  it('keeps the data folder 0700 and the store, its WAL and the keys 0600 (an old 0755 folder is tightened)', () => {
    const { dataDir, path, keys } = setup();
    mkdirSync(dataDir, { mode: 0o755 });
    writeFileSync(join(dataDir, 'placeholder'), '');
    const store = openKeyed(path, prepareStoreKey(path, keys));
    fill(store);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(keyDir(dataDir))).toBe(0o700);
    expect(mode(join(keyDir(dataDir), 'store.key'))).toBe(0o600);
  });
});
