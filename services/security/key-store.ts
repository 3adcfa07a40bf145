import { dirname } from 'node:path';
import { FileKeyStore, keyDir, SafeStorageKeyStore, type KeyStore, type SafeStorageLike } from '../../db/keystore.ts';
import type { TerminalConfig } from '../config/schema.ts';

/**
 * The terminal's key store: Electron's safeStorage (the OS keystore) when the terminal runs inside Electron and
 * the configuration leaves `store.keyStore` at `os`; otherwise (browser host, CLI, `file`) key files readable by
 * the service account only. Either way the files live in the `keys` folder beside the store file.
 */
export function terminalKeyStore(storePath: string, config: Pick<TerminalConfig, 'store'>, safeStorage?: SafeStorageLike | null): KeyStore {
  const dir = keyDir(dirname(storePath));
  if (safeStorage && config.store.keyStore === 'os') return new SafeStorageKeyStore(dir, safeStorage);
  return new FileKeyStore(dir);
}

/** The key files beside a store, for the `kiosk` commands (plain Node: no OS keystore). */
export function cliKeyStore(storePath: string): KeyStore {
  return new FileKeyStore(keyDir(dirname(storePath)));
}
