import { join, win32, posix } from 'node:path';

export interface KioskPaths {
  /** The configuration file to load, or null for the built-in demo defaults. */
  configPath: string | null;
  /** KIOSK_DATA_DIR: the SQLite store and everything else the terminal keeps. */
  dataDir: string;
  logDir: string;
  /** Private directory for PDFs on their way to the OS spooler. */
  spoolDir: string;
  relaunchLedger: string;
}

export interface PathInputs {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** <appData>/jiangsu-kiosk: %APPDATA%\jiangsu-kiosk on Windows, ~/.config/jiangsu-kiosk on Linux. */
  userData: string;
  exists: (path: string) => boolean;
}

export const APP_DIR_NAME = 'jiangsu-kiosk';
export const CONFIG_FILE_NAME = 'kiosk.config.json';

/** The machine-wide configuration file IT deploys (one terminal per machine). */
export function systemConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') return win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', APP_DIR_NAME, CONFIG_FILE_NAME);
  return posix.join('/etc', APP_DIR_NAME, CONFIG_FILE_NAME);
}

/**
 * Where the Electron build finds its configuration and keeps its data, per OS (documented in
 * docs/electron.md). The configuration is looked up in order: KIOSK_CONFIG; the machine-wide file
 * (C:\ProgramData\jiangsu-kiosk\kiosk.config.json, /etc/jiangsu-kiosk/kiosk.config.json); the per-user file
 * in userData; else none (demo defaults). Data lives in KIOSK_DATA_DIR, else <userData>/data — never the
 * working directory, which for an app started by the OS is anything (C:\Windows\System32, /).
 */
export function resolveKioskPaths(input: PathInputs): KioskPaths {
  const { env } = input;
  const join_ = input.platform === 'win32' ? win32.join : join;
  const system = systemConfigPath(input.platform, env);
  const user = join_(input.userData, CONFIG_FILE_NAME);
  const configPath = env.KIOSK_CONFIG ? env.KIOSK_CONFIG : input.exists(system) ? system : input.exists(user) ? user : null;
  const dataDir = env.KIOSK_DATA_DIR ? env.KIOSK_DATA_DIR : join_(input.userData, 'data');
  return {
    configPath,
    dataDir,
    logDir: join_(input.userData, 'logs'),
    spoolDir: join_(input.userData, 'spool'),
    relaunchLedger: join_(input.userData, 'relaunches.json'),
  };
}
