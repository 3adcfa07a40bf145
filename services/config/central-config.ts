import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../logging/logger.ts';
import { integrityProblem } from './config-integrity.ts';
import type { LoadedConfig } from './load.ts';
import { TerminalConfig } from './schema.ts';

/**
 * The configuration a terminal runs with when `central.url` is set: the hospital's copy if it arrives, passes
 * its integrity check and is a valid configuration; else the last such copy (kept in the data directory and
 * checked again when read, so a tampered file is not trusted either); else the local file. A bad remote
 * configuration therefore never replaces a good one. The remote fields replace the local file's; `central`
 * itself always comes from the local file.
 */
export interface CentralOutcome {
  source: 'remote' | 'last-good' | 'local';
  /** Why the remote copy was not used (absent when it was). */
  problem?: string;
}

const LAST_GOOD = 'central-config.last-good.json';

interface Saved {
  body: string; // base64 of the exact bytes
  signature: string | null;
  fetchedAt: string;
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? merge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** The configuration from a verified body, or why it is unusable. */
function configFrom(loaded: LoadedConfig, body: Buffer, signature: string | null): { config: TerminalConfig } | { problem: string } {
  const problem = integrityProblem(body, signature, loaded.config.central);
  if (problem) return { problem };
  let remote: unknown;
  try {
    remote = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'not JSON' };
  }
  if (!remote || typeof remote !== 'object' || Array.isArray(remote)) return { problem: 'not a JSON object' };
  const { central: _ignored, ...rest } = remote as Record<string, unknown>;
  const parsed = TerminalConfig.safeParse({ ...merge(loaded.config as unknown as Record<string, unknown>, rest), central: loaded.config.central });
  if (!parsed.success) return { problem: `invalid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` };
  return { config: parsed.data };
}

/** The loaded configuration with `config` replaced (the store path follows store.path). */
function withConfig(loaded: LoadedConfig, config: TerminalConfig): LoadedConfig {
  const storePath = isAbsolute(config.store.path) ? config.store.path : join(loaded.dataDir, config.store.path);
  return { ...loaded, config, storePath };
}

async function fetchBody(url: string, timeoutMs: number, doFetch: typeof fetch): Promise<{ body: Buffer; signature: string | null }> {
  const res = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  if (body.length > 1_000_000) throw new Error('larger than 1 MB');
  return { body, signature: res.headers.get('x-kiosk-signature') };
}

export async function applyCentralConfig(loaded: LoadedConfig, log: Logger, doFetch: typeof fetch = fetch): Promise<LoadedConfig & { central: CentralOutcome }> {
  const c = loaded.config.central;
  if (!c.url) return { ...loaded, central: { source: 'local' } };
  const savedPath = join(loaded.dataDir, LAST_GOOD);
  let problem: string;
  try {
    const { body, signature } = await fetchBody(c.url, c.timeoutMs, doFetch);
    const r = configFrom(loaded, body, signature);
    if ('config' in r) {
      const saved: Saved = { body: body.toString('base64'), signature, fetchedAt: new Date().toISOString() };
      mkdirSync(loaded.dataDir, { recursive: true });
      writeFileSync(`${savedPath}.tmp`, JSON.stringify(saved));
      renameSync(`${savedPath}.tmp`, savedPath);
      log.info('config: using the central configuration', { url: c.url });
      return { ...withConfig(loaded, r.config), source: c.url, central: { source: 'remote' } };
    }
    problem = r.problem;
  } catch (err) {
    problem = `unreachable: ${err instanceof Error ? err.message : String(err)}`;
  }
  log.warn('config: central configuration not used', { url: c.url, problem });
  try {
    const saved = JSON.parse(readFileSync(savedPath, 'utf8')) as Saved;
    const r = configFrom(loaded, Buffer.from(saved.body, 'base64'), saved.signature);
    if ('config' in r) {
      log.info('config: using the last good central configuration', { fetchedAt: saved.fetchedAt });
      return { ...withConfig(loaded, r.config), source: `${savedPath} (last good, ${saved.fetchedAt})`, central: { source: 'last-good', problem } };
    }
    log.error('config: the saved central configuration fails its check; using the local file', { problem: r.problem });
  } catch {
    /* no saved copy */
  }
  return { ...loaded, central: { source: 'local', problem } };
}
