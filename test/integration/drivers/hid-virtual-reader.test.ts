import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskError } from '../../../contract/errors.ts';
import { createReaderManager, type ReaderInfo, type ReaderManager } from '../../../drivers/reader-manager/reader-manager.ts';
import type { SocialSecurityCard } from '../../../drivers/sscard/social-security-card.ts';
import { readFloor } from '../../../drivers/virtual/floor.ts';
import { startVirtualReader, type VirtualReader } from '../../../drivers/virtual/start-virtual-reader.ts';
import { nextEvent, recordEvents } from './helpers.ts';

/**
 * The HID path: no HID device can be created here (no /dev/uhid), so the device object is injected behind the
 * transport interface. Everything above it is real: HID framing, CCID, ISO 7816, the 社保卡 application and
 * the reader manager, against the same virtual-reader core (and timing model) the serial process runs.
 */
let vr: VirtualReader;
let manager: ReaderManager;
let events: { name: string; payload: unknown }[];
let readerId: string;

beforeAll(async () => {
  vr = await startVirtualReader({ link: 'hid', controlPort: null });
  manager = createReaderManager({ serial: false, hid: { vid: 0x1209, pid: 0x0001 }, hidOpener: vr.hidOpener!, pollIntervalMs: 100 });
  events = recordEvents(manager, ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed', 'card-read', 'card-error']);
  const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
  await manager.start();
  readerId = (await attached).readerId;
}, 30_000);

afterAll(async () => {
  await manager?.stop();
  await vr?.stop();
});

describe('HID reader with an injected device', () => {
  it('is found by vendor and product id', () => {
    expect(manager.readers()).toEqual([{ readerId: 'hid:virtual-hid:1', name: 'KIOSK VR-CCID-HID (VR0001)', link: 'hid' }]);
  });

  for (const generation of [2, 3] as const) {
    it(`reads a ${generation === 3 ? '3rd' : '2nd'}-generation card on insertion, not faster than the HID floor`, async () => {
      const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
      const started = performance.now();
      vr.core.insert(`cz-filed-referral/g${generation}`);
      const { card } = await read;
      const elapsed = performance.now() - started;
      expect(card).toMatchObject({ generation, name: '钱文斌', ssn: '320400197012121810', cardNo: 'A00012339', regionCode: '320400' });
      expect(elapsed).toBeGreaterThanOrEqual(readFloor(vr.catalog.get(`cz-filed-referral/g${generation}`)!, 'hid').totalMs);
      const removed = nextEvent(manager, 'card-removed');
      vr.core.remove();
      await removed;
    });
  }

  it('gives CARD_REMOVED for a card pulled mid-read, then reads the next insertion', async () => {
    vr.core.faults.pullMidApdu = true;
    const err = nextEvent<{ readerId: string; error: KioskError }>(manager, 'card-error');
    vr.core.insert('hf-filed/g3');
    expect((await err).error.code).toBe('CARD_REMOVED');
    const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    vr.core.insert('hf-filed/g3');
    expect((await read).card.name).toBe('蒋立新');
    vr.core.remove();
    await nextEvent(manager, 'card-removed');
  });

  it('reads through interleaved notifications and time extensions', async () => {
    vr.core.faults.interleaveNotifications = true;
    vr.core.faults.slowCardMs = 1500;
    vr.core.faults.slowCardApdus = 1;
    const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    vr.core.insert('local-employee/g3');
    expect((await read).card.cardNo).toBe('A00001371');
    vr.core.faults.interleaveNotifications = false;
    expect(vr.core.stats.timeExtensionsSent).toBeGreaterThanOrEqual(1);
    vr.core.remove();
    await nextEvent(manager, 'card-removed');
  });

  it('detaches the reader when the device errors (unplugged), and attaches the new device on replug', async () => {
    const detached = nextEvent(manager, 'reader-detached');
    await vr.unplug();
    expect(await detached).toEqual({ readerId });
    expect(manager.readers()).toEqual([]);
    const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
    await vr.replug();
    expect((await attached).readerId).toBe('hid:virtual-hid:2');
    const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    vr.core.insert('sh-filed-temporary/g2');
    expect((await read).card.name).toBe('韩磊');
  });

  it('never emitted a card event for a reader it did not know', () => {
    const known = new Set(events.filter((e) => e.name === 'reader-attached').map((e) => (e.payload as ReaderInfo).readerId));
    for (const e of events) expect(known.has((e.payload as { readerId: string }).readerId)).toBe(true);
  });
});
