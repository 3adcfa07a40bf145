import { describe, expect, it } from 'vitest';
import { installCrashGuard, type CrashPolicy } from '../../../../../electron/main/crash/crash-guard.ts';
import { FakeWebContents, manualTime, records, testLogger } from '../../fakes.ts';

function setup(opts: { relaunchAllowed?: boolean; policy?: Partial<CrashPolicy> } = {}) {
  const contents = new FakeWebContents();
  const time = manualTime();
  const log = testLogger();
  const relaunches: string[] = [];
  let outOfService = 0;
  let terminalShown = 0;
  let quitting = false;
  const guard = installCrashGuard({
    contents: contents as never,
    relauncher: {
      relaunch: (reason) => {
        relaunches.push(reason);
        return opts.relaunchAllowed ?? true;
      },
    },
    showOutOfService: () => outOfService++,
    showTerminal: () => terminalShown++,
    quitting: () => quitting,
    log,
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    policy: { reloadLimit: 2, windowMs: 60_000, hangTimeoutMs: 10_000, retryOutOfServiceAfterMs: 600_000, ...opts.policy },
  });
  const crash = (reason = 'crashed') => contents.emit('render-process-gone', {}, { reason, exitCode: 139 });
  return {
    contents,
    time,
    log,
    guard,
    relaunches,
    crash,
    counts: () => ({ reloads: contents.reloads, relaunches: relaunches.length, outOfService, terminalShown }),
    quit: () => (quitting = true),
  };
}

describe('crash guard', () => {
  it('reloads the renderer after a crash, and again for the second one in the window', () => {
    const s = setup();
    s.crash();
    expect(s.counts()).toMatchObject({ reloads: 1, relaunches: 0 });
    s.time.advance(10_000);
    s.crash('oom');
    expect(s.counts()).toMatchObject({ reloads: 2, relaunches: 0 });
  });

  it('relaunches the app when the renderer keeps dying within the window', () => {
    const s = setup();
    s.crash();
    s.crash();
    s.crash();
    expect(s.counts()).toMatchObject({ reloads: 2, relaunches: 1 });
    expect(s.relaunches[0]).toContain('crashed');
  });

  it('shows the out-of-service page when the relaunch budget is spent, and leaves it alone after', () => {
    const s = setup({ relaunchAllowed: false });
    s.crash();
    s.crash();
    s.crash('killed');
    expect(s.counts()).toMatchObject({ reloads: 2, relaunches: 1, outOfService: 1 });
    expect(s.guard.state()).toBe('out-of-service');
    const logged = records(s.log);
    expect(logged.filter((r) => r.msg === 'renderer-gone')).toHaveLength(3);
    expect(logged.find((r) => r.msg === 'out-of-service')).toMatchObject({ level: 'error' });
  });

  it('counts only crashes within the window: sparse crashes keep being reloaded', () => {
    const s = setup();
    for (let i = 0; i < 6; i++) {
      s.crash();
      s.time.advance(61_000);
    }
    expect(s.counts()).toMatchObject({ reloads: 6, relaunches: 0, outOfService: 0 });
  });

  it('tries the terminal again after the out-of-service cool-down, with crash counts reset', () => {
    const s = setup({ relaunchAllowed: false });
    s.crash();
    s.crash();
    s.crash();
    expect(s.guard.state()).toBe('out-of-service');
    s.time.advance(599_000);
    expect(s.counts().terminalShown).toBe(0);
    s.time.advance(1_000);
    expect(s.counts().terminalShown).toBe(1);
    expect(s.guard.state()).toBe('running');
    s.crash();
    expect(s.counts()).toMatchObject({ reloads: 3 });
  });

  it('kills a renderer that stays unresponsive, which then goes through the same escalation', () => {
    const s = setup();
    s.contents.emit('unresponsive');
    s.time.advance(9_999);
    expect(s.contents.crashedByGuard).toBe(0);
    s.time.advance(1);
    expect(s.contents.crashedByGuard).toBe(1);
    s.crash('killed');
    expect(s.counts().reloads).toBe(1);
  });

  it('leaves a renderer alone that becomes responsive again', () => {
    const s = setup();
    s.contents.emit('unresponsive');
    s.time.advance(5_000);
    s.contents.emit('responsive');
    s.time.advance(60_000);
    expect(s.contents.crashedByGuard).toBe(0);
  });

  it('does not treat a renderer exit during quit as a crash', () => {
    const s = setup();
    s.quit();
    s.crash('clean-exit');
    expect(s.counts()).toMatchObject({ reloads: 0, relaunches: 0, outOfService: 0 });
  });

  it('goes out of service when the terminal page cannot load (a broken installation)', () => {
    const s = setup();
    s.contents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'app://kiosk/index.html', true);
    s.contents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/sub.html', false);
    expect(s.guard.state()).toBe('running');
    s.contents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/index.html', true);
    expect(s.guard.state()).toBe('out-of-service');
    expect(s.counts().outOfService).toBe(1);
  });

  it('can be put out of service from outside (main-process errors past the budget)', () => {
    const s = setup();
    s.guard.outOfService('main uncaught-exception');
    expect(s.guard.state()).toBe('out-of-service');
    expect(records(s.log).find((r) => r.msg === 'out-of-service')).toMatchObject({ reason: 'main uncaught-exception' });
  });
});
