import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRelauncher, relaunchOptions } from '../../../../../electron/main/crash/relaunch.ts';
import { fileRelaunchLedger } from '../../../../../electron/main/crash/relaunch-ledger.ts';
import { manualTime, records, testLogger } from '../../fakes.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kiosk-relaunch-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fakeApp() {
  return { relaunched: [] as unknown[], exited: [] as number[], relaunch(o: unknown) { this.relaunched.push(o); }, exit(c: number) { this.exited.push(c); } };
}

describe('relaunch budget (persisted across relaunches)', () => {
  it('relaunches and exits while within budget, then refuses; a new process sees the same history', () => {
    const path = join(dir, 'relaunches.json');
    const time = manualTime();
    const budget = { limit: 2, windowMs: 30 * 60_000 };
    const make = () => {
      const app = fakeApp();
      const log = testLogger();
      const r = createRelauncher({ app, ledger: fileRelaunchLedger(path), log, now: time.now, env: {}, argv: ['/opt/kiosk/kiosk', '--flag'], budget });
      return { app, log, r };
    };
    const first = make();
    expect(first.r.relaunch('renderer crashed ×3')).toBe(true);
    expect(first.app.relaunched).toEqual([{ args: ['--flag'] }]);
    expect(first.app.exited).toEqual([0]);
    time.advance(60_000);
    const second = make(); // the relaunched process: memory is fresh, the ledger file is not
    expect(second.r.relaunch('renderer crashed ×3')).toBe(true);
    time.advance(60_000);
    const third = make();
    expect(third.r.relaunch('renderer crashed ×3')).toBe(false);
    expect(third.app.relaunched).toEqual([]);
    expect(records(third.log).find((r) => r.msg === 'relaunch-budget-exhausted')).toMatchObject({ recent: 2, limit: 2 });
    time.advance(30 * 60_000);
    expect(make().r.relaunch('later')).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).relaunches).toHaveLength(3);
  });

  it('treats a corrupt ledger as empty instead of refusing to recover', () => {
    const path = join(dir, 'relaunches.json');
    writeFileSync(path, '{not json');
    const ledger = fileRelaunchLedger(path);
    expect(ledger.recent(Date.now(), 60_000)).toBe(0);
    ledger.record(Date.now());
    expect(ledger.recent(Date.now(), 60_000)).toBe(1);
  });

  it('relaunches only once per process even if asked twice', () => {
    const app = fakeApp();
    const r = createRelauncher({ app, ledger: fileRelaunchLedger(join(dir, 'l.json')), log: testLogger(), now: Date.now, env: {}, argv: ['x'] });
    expect(r.relaunch('a')).toBe(true);
    expect(r.relaunch('b')).toBe(true);
    expect(app.relaunched).toHaveLength(1);
  });

  it('relaunches an AppImage through $APPIMAGE (its mount point vanishes on exit)', () => {
    expect(relaunchOptions({ APPIMAGE: '/home/kiosk/Kiosk.AppImage' }, ['/tmp/.mount_Kiosk/kiosk', '--x'])).toEqual({ execPath: '/home/kiosk/Kiosk.AppImage', args: ['--x'] });
    expect(relaunchOptions({}, ['C:\\Program Files\\Kiosk\\kiosk.exe'])).toEqual({ args: [] });
  });
});
