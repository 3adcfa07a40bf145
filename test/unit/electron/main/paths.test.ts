import { describe, expect, it } from 'vitest';
import { resolveKioskPaths, systemConfigPath } from '../../../../electron/main/paths.ts';

describe('per-OS configuration and data paths', () => {
  it('Windows: machine-wide config in ProgramData, data under %APPDATA%', () => {
    const userData = 'C:\\Users\\kiosk\\AppData\\Roaming\\jiangsu-kiosk';
    const system = 'C:\\ProgramData\\jiangsu-kiosk\\kiosk.config.json';
    expect(systemConfigPath('win32', { ProgramData: 'C:\\ProgramData' })).toBe(system);
    const p = resolveKioskPaths({ platform: 'win32', env: { ProgramData: 'C:\\ProgramData' }, userData, exists: (f) => f === system });
    expect(p).toEqual({
      configPath: system,
      dataDir: `${userData}\\data`,
      logDir: `${userData}\\logs`,
      spoolDir: `${userData}\\spool`,
      relaunchLedger: `${userData}\\relaunches.json`,
    });
  });

  it('Linux (UOS, Kylin): /etc config, data under ~/.config', () => {
    const userData = '/home/kiosk/.config/jiangsu-kiosk';
    const p = resolveKioskPaths({ platform: 'linux', env: {}, userData, exists: (f) => f === '/etc/jiangsu-kiosk/kiosk.config.json' });
    expect(p.configPath).toBe('/etc/jiangsu-kiosk/kiosk.config.json');
    expect(p.dataDir).toBe(`${userData}/data`);
  });

  it('falls back to the per-user config file, then to the demo defaults', () => {
    const userData = '/home/kiosk/.config/jiangsu-kiosk';
    const base = { platform: 'linux' as const, env: {}, userData };
    expect(resolveKioskPaths({ ...base, exists: (f) => f === `${userData}/kiosk.config.json` }).configPath).toBe(`${userData}/kiosk.config.json`);
    expect(resolveKioskPaths({ ...base, exists: () => false }).configPath).toBeNull();
  });

  it('lets KIOSK_CONFIG and KIOSK_DATA_DIR override everything', () => {
    const p = resolveKioskPaths({ platform: 'linux', env: { KIOSK_CONFIG: '/srv/k.json', KIOSK_DATA_DIR: '/var/lib/kiosk' }, userData: '/u', exists: () => true });
    expect(p.configPath).toBe('/srv/k.json');
    expect(p.dataDir).toBe('/var/lib/kiosk');
  });
});
