/**
 * A store as the terminal makes it (openStore with a key: db/encryption.ts STORE_CIPHER) with one audit row, and
 * a file in the earlier format (SQLCipher 4 defaults) with one row; prints the key as hex. Used by verify.sh.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { applyKey, SQLCIPHER4_DEFAULTS } from '../../db/encryption.ts';
import { newKey } from '../../db/keystore.ts';
import { openStore } from '../../db/store.ts';

const [store, earlier] = process.argv.slice(2);
if (!store || !earlier) throw new Error('usage: make-store.ts <store> <earlier-format file>');
const key = newKey();
const s = openStore(store, { key, fixmedinsCode: 'H32020000001' });
s.write((tx) => s.audit.append(tx, { actor: 'opter:1001', action: 'sqlcipher.check', subject: 'verify.sh' }));
s.close();
const old = new Database(earlier);
applyKey(old, key, SQLCIPHER4_DEFAULTS);
old.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42)');
old.close();
console.log(key.toString('hex'));
