import { afterEach, describe, expect, it } from 'vitest';
import { encodeHidReports } from '../../../../drivers/link/hid-frame.ts';
import { createReaderManager, type ReaderManager } from '../../../../drivers/reader-manager/reader-manager.ts';
import { startVirtualReader, type VirtualReader } from '../../../../drivers/virtual/start-virtual-reader.ts';

/**
 * How the manager turns NotifySlotChange and GetSlotStatus polls into card events. The reader is the virtual
 * HID reader in-process with the timing model off (behaviour only); reports are doctored to create races.
 */
let vr: VirtualReader;
let manager: ReaderManager;

async function setup() {
  vr = await startVirtualReader({ link: 'hid', controlPort: null, timeScale: 0 });
  manager = createReaderManager({ serial: false, hidOpener: vr.hidOpener!, pollIntervalMs: 50 });
  const names: string[] = [];
  for (const n of ['reader-attached', 'card-inserted', 'card-removed', 'card-read', 'card-error'] as const) manager.on(n, () => names.push(n));
  await manager.start();
  return names;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

afterEach(async () => {
  await manager?.stop();
  await vr?.stop();
});

describe('card presence from notifications and polls', () => {
  it('takes "present, changed" after a notified insertion as a swap: removed, inserted, read again', async () => {
    const names = await setup();
    vr.core.insert('local-employee/g2');
    await until(() => names.includes('card-read'));
    const device = vr.hidOpener!.currentDevice!;
    device.emit('data', Buffer.from(encodeHidReports(Uint8Array.of(0x50, 0x07))[0]!));
    await until(() => names.filter((n) => n === 'card-read').length === 2);
    expect(names).toEqual(['reader-attached', 'card-inserted', 'card-read', 'card-removed', 'card-inserted', 'card-read']);
  });

  it('does not invent a swap when the insertion notification comes after a poll already saw the card', async () => {
    const names = await setup();
    const device = vr.hidOpener!.currentDevice!;
    // Hold back the reader's insertion notification until the poll has found the card.
    const held: Buffer[] = [];
    const emit = device.emit.bind(device);
    device.emit = ((event: string, report: Buffer) => {
      if (event === 'data' && report[2] === 0x06 && held.length === 0) {
        held.push(report);
        return true;
      }
      return emit(event, report);
    }) as typeof device.emit;
    vr.core.insert('local-employee/g3');
    await until(() => names.includes('card-read'));
    emit('data', held[0]!);
    await new Promise((r) => setTimeout(r, 200));
    expect(names).toEqual(['reader-attached', 'card-inserted', 'card-read']);
  });

  it('ignores a notification without a change bit', async () => {
    const names = await setup();
    vr.core.insert('local-employee/g2');
    await until(() => names.includes('card-read'));
    vr.hidOpener!.currentDevice!.emit('data', Buffer.from(encodeHidReports(Uint8Array.of(0x50, 0x05))[0]!));
    await new Promise((r) => setTimeout(r, 200));
    expect(names).toEqual(['reader-attached', 'card-inserted', 'card-read']);
  });

  it('notices a removal by polling when the notification is lost', async () => {
    const names = await setup();
    vr.core.insert('local-employee/g2');
    await until(() => names.includes('card-read'));
    const device = vr.hidOpener!.currentDevice!;
    const emit = device.emit.bind(device);
    device.emit = ((event: string, report: Buffer) => (event === 'data' && report[2] === 0x06 ? true : emit(event, report))) as typeof device.emit;
    vr.core.remove();
    await until(() => names.includes('card-removed'));
    expect(names).toEqual(['reader-attached', 'card-inserted', 'card-read', 'card-removed']);
  });

  it('does not report a removal the slot does not confirm (a removal notification out of line noise)', async () => {
    const names = await setup();
    vr.core.insert('local-employee/g2');
    await until(() => names.includes('card-read'));
    // "slot 0: absent, changed" while the card is in the reader: what a noise burst that passed as a frame says.
    vr.hidOpener!.currentDevice!.emit('data', Buffer.from(encodeHidReports(Uint8Array.of(0x50, 0x02))[0]!));
    await new Promise((r) => setTimeout(r, 300));
    expect(names).toEqual(['reader-attached', 'card-inserted', 'card-read']);
    expect((await manager.readCard()).regionCode).toMatch(/^\d{6}$/); // the card is there and reads
    // A real removal is still reported, once.
    vr.core.remove();
    await until(() => names.includes('card-removed'));
    await new Promise((r) => setTimeout(r, 100));
    expect(names.filter((n) => n === 'card-removed')).toHaveLength(1);
  });
});
