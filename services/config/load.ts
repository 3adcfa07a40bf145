import { readFileSync } from 'node:fs';

import { isAbsolute, join, resolve } from 'node:path';
import { KioskError } from '../../contract/errors.ts';
import { TerminalConfig } from './schema.ts';

/**
 * Loads the configuration: the JSON file (KIOSK_CONFIG or --config), then environment overrides.
 * A bad file is a one-line Chinese+English error naming the field, never a stack trace.
 */
export interface LoadedConfig {
  config: TerminalConfig;
  dataDir: string;
  storePath: string;
  source: string; // where it came from, for the start-up line
}

export function loadConfig(options: { path?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? env.KIOSK_CONFIG;
  let raw: unknown = {};
  if (path) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new KioskError('INVALID_ARGUMENT', `配置文件无法读取（${path}）：${(err as Error).message}`, ['请检查配置文件路径与 JSON 格式。']);
    }
  }
  const merged = applyEnv(raw as Record<string, unknown>, env);
  const parsed = TerminalConfig.safeParse(merged);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new KioskError('INVALID_ARGUMENT', `配置项 ${first?.path.join('.') || '(根)'} 不正确：${first?.message ?? ''}`, ['请对照 README 的配置说明修改。']);
  }
  const dataDir = resolve(env.KIOSK_DATA_DIR ?? join(process.cwd(), '.kiosk-data'));
  const storePath = isAbsolute(parsed.data.store.path) ? parsed.data.store.path : join(dataDir, parsed.data.store.path);
  return { config: parsed.data, dataDir, storePath, source: path ?? 'defaults (demo)' };
}

/** KIOSK_QR_SCANNER: "vid:pid" in hex as lsusb prints them (e.g. 0c2e:0b61), or "off". Anything else is left for the schema to refuse. */
function usbIds(text: string): unknown {
  if (text === 'off') return false;
  const m = /^([0-9a-fA-F]{4}):([0-9a-fA-F]{4})$/.exec(text);
  return m ? { vid: parseInt(m[1]!, 16), pid: parseInt(m[2]!, 16) } : text;
}

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(raw);
  const set = (keys: string[], value: unknown) => {
    let node = out;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  };
  if (env.KIOSK_MODE) set(['mode'], env.KIOSK_MODE);
  if (env.KIOSK_DEMO) set(['demo'], env.KIOSK_DEMO === '1' || env.KIOSK_DEMO === 'true');
  if (env.KIOSK_PLATFORM_URL) set(['platform', 'url'], env.KIOSK_PLATFORM_URL);
  if (env.KIOSK_PORT) set(['host', 'port'], Number(env.KIOSK_PORT));
  if (env.KIOSK_SERIAL) set(['readers', 'serial'], env.KIOSK_SERIAL === 'auto' ? 'auto' : env.KIOSK_SERIAL.split(','));
  if (env.KIOSK_IDLE_TIMEOUT) set(['idleTimeoutSeconds'], Number(env.KIOSK_IDLE_TIMEOUT));
  if (env.KIOSK_QR_SCANNER) set(['readers', 'scanner'], usbIds(env.KIOSK_QR_SCANNER));
  if (env.KIOSK_METRICS_PORT) set(['metrics', 'port'], Number(env.KIOSK_METRICS_PORT));
  if (env.KIOSK_TERMINAL_ID) set(['terminal', 'id'], env.KIOSK_TERMINAL_ID);
  return out;
}

