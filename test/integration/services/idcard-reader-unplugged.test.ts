import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdCardReaderStatus } from '../../../contract/dto/status.ts';
import { checkIdCardReaderOnPort } from '../../../drivers/idcard/open-idcard-reader.ts';
import { VirtualIdCardReader } from '../../../drivers/virtual/idcard/virtual-idcard-reader.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { HEALTH_INTERVAL_MS } from '../../../services/idcard/idcard-reader-health.ts';
import { IdCardService } from '../../../services/idcard/idcard-service.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { systemClock } from '../../../base/clock.ts';
import { eventually } from './harness.ts';

/**
 * The staff status bar's ID card reader after it is unplugged (issue 13: it showed 就绪 for up to 60 s). The
 * service's own health probes run through the real driver on a real pseudo-terminal against the virtual ID
 * card reader. Two ways a reader goes: it stops answering (powered off, RS-232 cable pulled: the `mute` quirk
 * of idcard-link.md §10.2), or its USB-serial bridge is pulled (the pty closes, the port is gone). The state
 * must change within one or two probes of the unplug, with the reason and what to do in Chinese.
 */
let vr: VirtualIdCardReader;
let service: IdCardService;
let probes = 0;
const changes: IdCardReaderStatus[] = [];

beforeAll(async () => {
  vr = await VirtualIdCardReader.start();
  const ctx = { config: loadConfig({ env: { KIOSK_MODE: 'admission' } }).config, clock: systemClock, log: memoryLogger(), emit: () => undefined };
  const countedCheck: typeof checkIdCardReaderOnPort = (path) => {
    probes++;
    return checkIdCardReaderOnPort(path);
  };
  service = new IdCardService(ctx, vr.path, () => undefined, undefined, () => changes.push(service.readerStatus()!), countedCheck);
  service.startHealthChecks();
}, 30_000);
afterAll(async () => {
  service?.close();
  await vr?.stop();
});

/** Waits until the reader shows `state`; returns how many probes started after `from` it took. */
async function probesUntil(state: IdCardReaderStatus['state'], from: number): Promise<number> {
  // Bounded by five probe intervals plus the §2 rate probe's give-up time: more means the state is stale.
  await eventually(async () => (service.readerStatus()?.state === state ? true : null), 5 * HEALTH_INTERVAL_MS.ready + 5_000, `the reader ${state}`);
  return probes - from;
}

describe('the ID card reader unplugged (status bar, staff desks)', () => {
  it('shows the reader ready after the first probe', async () => {
    expect(await probesUntil('ready', 0)).toBeGreaterThanOrEqual(1);
    expect(service.readerStatus()).toEqual({ state: 'ready', message: null });
  });

  it('a reader that stops answering is shown unusable within two probes, with what to check; ready again once it answers', async () => {
    const before = probes;
    vr.setQuirks(['mute']);
    expect(await probesUntil('error', before)).toBeLessThanOrEqual(2);
    expect(service.readerStatus()).toEqual({ state: 'error', message: '身份证阅读器没有应答', guidance: '请检查身份证阅读器的连接线和电源' });
    const back = probes;
    vr.setQuirks([]);
    expect(await probesUntil('ready', back)).toBeLessThanOrEqual(2);
  }, 60_000);

  it('a USB-serial reader pulled out (the port is gone) is shown as not found within two probes', async () => {
    const before = probes;
    await vr.stop();
    expect(await probesUntil('error', before)).toBeLessThanOrEqual(2);
    expect(service.readerStatus()).toEqual({ state: 'error', message: '未找到身份证阅读器', guidance: '请检查身份证阅读器的连接线和电源' });
    // Every change was pushed to the status bar, in order, none of them a stale 就绪 after the pull.
    expect(changes.map((c) => c.state)).toEqual(['ready', 'error', 'ready', 'error']);
  }, 60_000);
});
