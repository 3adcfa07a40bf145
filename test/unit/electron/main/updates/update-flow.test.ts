import { describe, expect, it } from 'vitest';
import { isNewer, UpdateFlow, type ActivityPort, type UpdaterPort } from '../../../../../electron/main/updates/update-flow.ts';

/** The update flow with a fake update server and a fake terminal: check, download, verify, install on idle only. */
function fakes(o: { server?: { version: string; sha512: string } | null; fileHash?: string; downloadFails?: boolean } = {}) {
  const calls: string[] = [];
  const updater: UpdaterPort = {
    currentVersion: () => '1.2.0',
    check: async () => {
      calls.push('check');
      return o.server === undefined ? { version: '1.3.0', sha512: 'GOOD' } : o.server;
    },
    download: async () => {
      calls.push('download');
      if (o.downloadFails) throw new Error('ECONNRESET');
      return '/cache/kiosk-1.3.0.exe';
    },
    sha512Of: async () => o.fileHash ?? 'GOOD',
    install: () => void calls.push('install'),
  };
  const activity = { busy: false, idleMs: 0 };
  const port: ActivityPort = { transactionInProgress: () => activity.busy, idleForMs: () => activity.idleMs };
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const flow = new UpdateFlow({ updater, activity: port, idleBeforeInstallMs: 60_000, log });
  return { flow, calls, activity, logs };
}

describe('update flow', () => {
  it('checks, downloads and verifies a newer version, then installs only once idle and with no transaction', async () => {
    const { flow, calls, activity } = fakes();
    expect(await flow.check()).toEqual({ phase: 'ready', version: '1.3.0', file: '/cache/kiosk-1.3.0.exe' });
    expect(calls).toEqual(['check', 'download']);
    // A transaction in progress: never, however long idle.
    activity.busy = true;
    activity.idleMs = 3_600_000;
    expect(flow.maybeInstall()).toBe(false);
    // Not busy but used a moment ago: not yet.
    activity.busy = false;
    activity.idleMs = 59_999;
    expect(flow.maybeInstall()).toBe(false);
    expect(calls).not.toContain('install');
    activity.idleMs = 60_000;
    expect(flow.maybeInstall()).toBe(true);
    expect(calls).toEqual(['check', 'download', 'install']);
    expect(flow.state).toEqual({ phase: 'installing', version: '1.3.0' });
    expect(flow.maybeInstall()).toBe(false); // once
  });

  it('refuses a download whose SHA-512 does not match the published one', async () => {
    const { flow, calls, activity } = fakes({ fileHash: 'TAMPERED' });
    expect(await flow.check()).toMatchObject({ phase: 'failed', error: expect.stringContaining('SHA-512') });
    activity.idleMs = 3_600_000;
    expect(flow.maybeInstall()).toBe(false);
    expect(calls).not.toContain('install');
  });

  it('does nothing when the server has no newer version (same, older, or none)', async () => {
    for (const server of [null, { version: '1.2.0', sha512: 'x' }, { version: '1.1.9', sha512: 'x' }]) {
      const { flow, calls } = fakes({ server });
      expect(await flow.check()).toEqual({ phase: 'idle' });
      expect(calls).toEqual(['check']);
    }
  });

  it('a failed download leaves the running version and is retried at the next check', async () => {
    const f = fakes({ downloadFails: true });
    expect(await f.flow.check()).toEqual({ phase: 'failed', error: 'ECONNRESET' });
    expect(f.flow.maybeInstall()).toBe(false);
    expect(await f.flow.check()).toMatchObject({ phase: 'failed' });
    expect(f.calls.filter((c) => c === 'check')).toHaveLength(2);
  });

  it('a verified update is not downloaded again by later checks', async () => {
    const { flow, calls } = fakes();
    await flow.check();
    await flow.check();
    expect(calls).toEqual(['check', 'download']);
  });

  it('compares versions numerically, a pre-release below its release', () => {
    expect(isNewer('1.10.0', '1.9.9')).toBe(true);
    expect(isNewer('1.2.0', '1.2.0')).toBe(false);
    expect(isNewer('1.2.0', '1.2.0-beta.1')).toBe(true);
    expect(isNewer('1.2.0-beta.1', '1.2.0')).toBe(false);
    expect(isNewer('2.0.0', '10.0.0')).toBe(false);
  });
});
