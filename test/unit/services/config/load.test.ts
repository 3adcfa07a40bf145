import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../services/config/load.ts';
import { KioskError } from '../../../../contract/errors.ts';
import { chinaTime } from '../../../../base/china-time.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-config-'));

describe('configuration', () => {
  it('needs no file: the defaults are the demo', () => {
    const { config, source } = loadConfig({ env: {} });
    expect(config).toMatchObject({ mode: 'admission', demo: true, hospital: { code: 'H32020000001', admdvs: '320200', level: 3 }, host: { port: 5170 } });
    expect(source).toMatch(/defaults/);
  });
  it('reads a file and lets the environment override it', () => {
    const f = join(dir, 'c.json');
    writeFileSync(f, JSON.stringify({ mode: 'discharge', demo: false, platform: { url: 'http://10.72.3.0:8086/CSB' } }));
    const { config } = loadConfig({ env: { KIOSK_CONFIG: f, KIOSK_MODE: 'self-service', KIOSK_PORT: '6000', KIOSK_DATA_DIR: dir } });
    expect(config.mode).toBe('self-service');
    expect(config.demo).toBe(false);
    expect(config.platform.url).toBe('http://10.72.3.0:8086/CSB');
    expect(config.host.port).toBe(6000);
  });
  it('refuses a bad field with a Chinese message naming it', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ hospital: { level: 4 } }));
    const err = (() => { try { loadConfig({ env: { KIOSK_CONFIG: f } }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(KioskError);
    expect((err as KioskError).message).toContain('hospital.level');
  });
  it('refuses unknown keys (a typo must not be ignored silently)', () => {
    const f = join(dir, 'typo.json');
    writeFileSync(f, JSON.stringify({ mdoe: 'discharge' }));
    expect(() => loadConfig({ env: { KIOSK_CONFIG: f } })).toThrow(KioskError);
  });
  it('refuses unreadable JSON', () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '{ mode: ');
    expect(() => loadConfig({ env: { KIOSK_CONFIG: f } })).toThrow(/配置文件无法读取/);
  });
});

describe('China time', () => {
  it('is UTC+8 calendar days', () => {
    expect(chinaTime(new Date('2026-11-23T16:30:05Z'))).toEqual({ day: '2026-11-24', dateTime: '2026-11-24 00:30:05', compact: '20261124003005' });
  });
});

describe('msgid partition', () => {
  it('defaults to the whole counter and refuses an index outside its count', () => {
    expect(loadConfig({ env: {} }).config.terminal.msgidPartition).toEqual({ index: 0, count: 1 });
    const f = join(dir, 'partition.json');
    writeFileSync(f, JSON.stringify({ terminal: { msgidPartition: { index: 2, count: 2 } } }));
    expect(() => loadConfig({ env: { KIOSK_CONFIG: f } })).toThrow(/terminal\.msgidPartition/);
  });
});
