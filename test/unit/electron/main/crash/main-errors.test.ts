import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installMainErrorGuard } from '../../../../../electron/main/crash/main-errors.ts';
import { testLogger } from '../../fakes.ts';

function setup(allowed: boolean) {
  const proc = new EventEmitter();
  const log = testLogger();
  const relaunches: string[] = [];
  const gaveUp: string[] = [];
  installMainErrorGuard({ process: proc as never, relauncher: { relaunch: (r) => (relaunches.push(r), allowed) }, giveUp: (r) => gaveUp.push(r), log });
  return { proc, log, relaunches, gaveUp };
}

describe('main-process error guard', () => {
  it('logs an uncaught exception (redacted) and relaunches', () => {
    const s = setup(true);
    s.proc.emit('uncaughtException', new Error('settle failed for 320200197503141014'));
    expect(s.relaunches).toEqual(['main uncaught-exception']);
    const text = s.log.lines.join('\n');
    expect(text).toContain('main-uncaught-exception');
    expect(text).not.toContain('320200197503141014');
    expect(text).toContain('3202**********1014');
  });

  it('handles an unhandled rejection the same way', () => {
    const s = setup(true);
    s.proc.emit('unhandledRejection', new Error('boom'));
    expect(s.relaunches).toEqual(['main unhandled-rejection']);
  });

  it('gives up (out of service) past the relaunch budget, and logs later errors without a second recovery', () => {
    const s = setup(false);
    s.proc.emit('uncaughtException', new Error('one'));
    s.proc.emit('uncaughtException', new Error('two'));
    expect(s.gaveUp).toEqual(['main-process uncaught-exception, relaunch budget spent']);
    expect(s.relaunches).toHaveLength(1);
    expect(s.log.lines.filter((l) => l.includes('main-uncaught-exception'))).toHaveLength(2);
  });
});
