import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { openDatabase } from '../../../db/connection.ts';
import { applyKey, backupEncrypted, cipherFormatOf, rawKey, SQLCIPHER4_DEFAULTS, SQLITE_CLEAR_HEADER, STORE_CIPHER } from '../../../db/encryption.ts';
import { reencryptFile } from '../../../db/reencrypt.ts';
import { backupStore, listBackups, restoreStore } from '../../../db/backup.ts';
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
    expect(cipherFormatOf(path, key!)).toBe(STORE_CIPHER);
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

  it('rotates the backups with the store: one taken before the rotation still restores after it', async () => {
    const { path, keys } = setup();
    const old = prepareStoreKey(path, keys)!;
    const store = openKeyed(path, old);
    fill(store);
    const before = await backupStore(store.db, path, { now: new Date('2026-12-07T08:00:00Z') });
    store.close();

    const { backups } = rotateStoreKey(path, keys);
    expect(backups).toEqual({ rekeyed: 1, notRekeyed: [] });
    const now = keys.read('store')!;
    expect(cipherFormatOf(before.path, old)).toBeNull(); // the old key (now gone) is not needed for it any more
    expect(cipherFormatOf(before.path, now)).toBe(STORE_CIPHER);

    restoreStore(path, before.path, new Date('2026-12-07T09:00:00Z'), now);
    expect(openKeyed(path, prepareStoreKey(path, keys)).money.deposits('ZY2026000001')).toHaveLength(1);
  });

  it('a crash after the store was re-encrypted: the next open re-encrypts the backups before the old key goes', async () => {
    const { path, keys } = setup();
    const old = prepareStoreKey(path, keys)!;
    const store = openKeyed(path, old);
    fill(store);
    await backupStore(store.db, path, { now: new Date('2026-12-07T08:00:00Z') });
    await backupStore(store.db, path, { now: new Date('2026-12-07T14:00:00Z') });
    store.close();
    const [newer, older] = listBackups(path);
    // The rotation died after the store's rename and after the first backup: one backup under each key.
    const next = newKey();
    keys.writeNext('store', next);
    reencryptFile(path, old, next);
    reencryptFile(newer!.path, old, next);

    expect(prepareStoreKey(path, keys)!.equals(next)).toBe(true);
    expect(keys.readNext('store')).toBeNull();
    for (const b of [newer!, older!]) expect(cipherFormatOf(b.path, next)).toBe(STORE_CIPHER);
  });

  it('a backup under a key the terminal does not have is refused as such, not as damaged', () => {
    const { path, keys } = setup();
    fill(openKeyed(path, prepareStoreKey(path, keys)));
    open[0]!.close();
    const foreign = join(dir, 'foreign.sqlite');
    const other = openStore(foreign, { fixmedinsCode: HOSPITAL, clock: new ManualClock(), key: newKey() });
    other.close();
    expect(() => restoreStore(path, foreign, new Date(), keys.read('store'))).toThrow(/备份文件无法用本机密钥解开/);
    expect(existsSync(path)).toBe(true); // nothing moved aside
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
    reencryptFile(path, old, next);
    expect(prepareStoreKey(path, keys)!.equals(next)).toBe(true);
    expect(keys.read('store')!.equals(next)).toBe(true);
    expect(keys.readNext('store')).toBeNull();
  });

  it('is SQLCipher 4 with 1 KiB pages: the sqlcipher settings alone open it, SQLCipher 4 defaults and plain SQLite do not', () => {
    const { path, keys } = setup();
    const key = prepareStoreKey(path, keys)!;
    fill(openKeyed(path, key));
    open[0]!.close();
    // What `sqlcipher` 4 is told (docs/security.md): the raw key and cipher_page_size = 1024, everything else its
    // defaults. SQLite3MC's sqlcipher cipher with legacy = 4 is SQLCipher 4's defaults; legacy_page_size is its
    // cipher_page_size.
    const withSqlcipherPragmas = (pageSize: number) => {
      const db = new Database(path, { readonly: true });
      db.pragma("cipher = 'sqlcipher'");
      db.pragma('legacy = 4');
      if (pageSize !== 4096) db.pragma(`legacy_page_size = ${pageSize}`);
      db.pragma(`key = "${rawKey(key)}"`);
      return db;
    };
    const db = withSqlcipherPragmas(1024);
    expect(db.pragma('page_size', { simple: true })).toBe(1024);
    expect(db.prepare('SELECT count(*) AS n FROM deposits').get()).toEqual({ n: 1 });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
    const defaults = withSqlcipherPragmas(4096);
    expect(() => defaults.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database/);
    defaults.close();
    const plain = new Database(path, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database/);
    plain.close();
  });

  /** A store as the builds before 2026-12 wrote it: SQLCipher 4 defaults (4 KiB pages), with data. */
  function storeInSqlcipher4Defaults(path: string, keys: FileKeyStore): Buffer {
    const key = prepareStoreKey(path, keys)!;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const raw = new Database(path);
    applyKey(raw, key, SQLCIPHER4_DEFAULTS);
    raw.pragma('journal_mode = WAL');
    raw.close();
    expect(cipherFormatOf(path, key)).toBe(SQLCIPHER4_DEFAULTS);
    const store = openKeyed(path, key); // opens in its recorded format, migrates the schema
    fill(store);
    store.close();
    return key;
  }

  it('opens a store in the earlier format (SQLCipher 4 defaults) as it is: read-only and writable', () => {
    const { path, keys } = setup();
    const key = storeInSqlcipher4Defaults(path, keys);
    const reader = openStore(path, { readonly: true, key: prepareStoreKey(path, keys, { readonly: true }) });
    open.push(reader);
    expect(reader.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(reader.money.deposits('ZY2026000001')).toHaveLength(1);
    reader.close();
    expect(cipherFormatOf(path, key)).toBe(SQLCIPHER4_DEFAULTS); // a read-only open changes nothing
    const writer = openKeyed(path, key);
    writer.write((tx) => writer.audit.append(tx, { actor: 'opter:1001', action: 'x', subject: 'y' }));
    expect(writer.audit.verify().ok).toBe(true);
  });

  it('re-encrypts a store in the earlier format into the current one in place, keeping rows, schema and counters', () => {
    const { path, keys } = setup();
    const key = storeInSqlcipher4Defaults(path, keys);
    const before = openKeyed(path, key);
    const head = before.audit.head();
    const version = before.schemaVersion();
    before.close();

    expect(prepareStoreKey(path, keys)!.equals(key)).toBe(true);
    expect(cipherFormatOf(path, key)).toBe(STORE_CIPHER);
    expect(existsSync(`${path}.reencrypt`)).toBe(false);
    expect(fileHolds(path, SECRET_NAME)).toBe(false);
    const store = openKeyed(path, key);
    expect(store.db.pragma('page_size', { simple: true })).toBe(1024);
    expect(store.schemaVersion()).toBe(version);
    expect(store.money.deposits('ZY2026000001')).toHaveLength(1);
    expect(store.audit.verify()).toMatchObject({ ok: true, head });
    store.write((tx) => {
      expect(store.admissions.create(tx, sampleAdmission).iptNo).toBe('ZY2026000002');
      expect(store.audit.append(tx, { actor: 'opter:1001', action: 'x', subject: 'y' }).seq).toBe(head.seq + 1);
    });
  });

  it('leaves a store in the earlier format as it is while another connection has it open, and migrates it later', () => {
    const { path, keys } = setup();
    const key = storeInSqlcipher4Defaults(path, keys);
    const live = openKeyed(path, key);
    expect(prepareStoreKey(path, keys)!.equals(key)).toBe(true);
    expect(cipherFormatOf(path, key)).toBe(SQLCIPHER4_DEFAULTS);
    expect(live.money.deposits('ZY2026000001')).toHaveLength(1);
    live.close();
    prepareStoreKey(path, keys);
    expect(cipherFormatOf(path, key)).toBe(STORE_CIPHER);
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
