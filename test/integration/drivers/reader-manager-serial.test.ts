import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskError } from '../../../contract/errors.ts';
import { createReaderManager, type ReaderInfo, type ReaderManager } from '../../../drivers/reader-manager/reader-manager.ts';
import type { SocialSecurityCard } from '../../../drivers/sscard/social-security-card.ts';
import { nextEvent, recordEvents, spawnVirtualReader, type VirtualReaderProcess } from './helpers.ts';

/**
 * The reader manager against the virtual reader process: the reader is found on its (stable) serial path,
 * a card is read as soon as it is inserted, and unplugging the reader (the pty closed) detaches it.
 */
let dir: string;
let vr: VirtualReaderProcess;
let manager: ReaderManager;
let events: { name: string; payload: unknown }[];
let readerId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-vr-'));
  vr = await spawnVirtualReader(['--stable-path', join(dir, 'ttyVR0')]);
  manager = createReaderManager({ serial: [join(dir, 'ttyVR0')], hid: false, pollIntervalMs: 200 });
  events = recordEvents(manager, ['reader-attached', 'reader-detached', 'card-inserted', 'card-removed', 'card-read', 'card-error']);
  const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
  await manager.start();
  readerId = (await attached).readerId;
}, 60_000);

afterAll(async () => {
  await manager?.stop();
  await vr?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reader manager over a serial link', () => {
  it('attaches the reader found on the configured port', () => {
    expect(vr.stablePath).toBe(join(dir, 'ttyVR0'));
    expect(manager.readers()).toEqual([{ readerId: `serial:${join(dir, 'ttyVR0')}`, name: 'KIOSK VR-CCID-SERIAL (VR0001)', link: 'serial' }]);
  });

  it('reads a card as soon as it is inserted, and tells when it is removed', async () => {
    const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    const inserted = nextEvent(manager, 'card-inserted');
    await vr.control.insert('local-employee/g3');
    await inserted;
    const { card } = await read;
    expect(card).toMatchObject({ generation: 3, name: '王建国', cardNo: 'A00001371' });
    const removed = nextEvent(manager, 'card-removed');
    await vr.control.remove();
    expect(await removed).toEqual({ readerId });
  });

  it('reads on demand (readCard) the card in the reader', async () => {
    const read = nextEvent(manager, 'card-read');
    await vr.control.insert('long-name/g2');
    await read;
    const card = await manager.readCard();
    expect(card.name).toBe('阿卜杜热合曼·艾合买提·吐尔逊买提明');
    expect(card.nameExt).toBe('买提明');
    await vr.control.remove();
    await nextEvent(manager, 'card-removed');
    await expect(manager.readCard()).rejects.toMatchObject({ code: 'CARD_ABSENT' });
    await expect(manager.readCard('serial:/dev/nowhere')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
  });

  it('gives CARD_REMOVED when the card is pulled mid-read, then reads the next insertion', async () => {
    // Armed first, so the pull happens during the automatic read that the insertion starts.
    await vr.control.pullMidApdu();
    await vr.control.insert('jy-dsyk-reissued/g2');
    const err = await nextEvent<{ readerId: string; error: KioskError }>(manager, 'card-error');
    expect(err.error.code).toBe('CARD_REMOVED');
    expect(err.error.message).toBe('读卡过程中卡被拔出');
    const read = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    await vr.control.insert('jy-dsyk-reissued/g2');
    expect((await read).card.cardNo).toBe('B00008226');
    await vr.control.remove();
    await nextEvent(manager, 'card-removed');
  });

  it('reports a card that cannot be read with card-error', async () => {
    const err = nextEvent<{ readerId: string; error: KioskError }>(manager, 'card-error');
    await vr.control.insert('citizen-card-no-ssse');
    expect((await err).error.code).toBe('CARD_NOT_SSCARD');
    await vr.control.remove();
    await nextEvent(manager, 'card-removed');
  });

  it('detaches the reader when it is unplugged (card-removed first if a card was in it) and attaches it again', async () => {
    const read = nextEvent(manager, 'card-read');
    await vr.control.insert('local-resident/g2');
    await read;
    const from = events.length;
    const detached = nextEvent(manager, 'reader-detached');
    await vr.control.unplug();
    expect(await detached).toEqual({ readerId });
    expect(events.slice(from).map((e) => e.name)).toEqual(['card-removed', 'reader-detached']);
    expect(manager.readers()).toEqual([]);

    const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
    const again = nextEvent<{ readerId: string; card: SocialSecurityCard }>(manager, 'card-read');
    await vr.control.replug();
    expect((await attached).readerId).toBe(readerId);
    // The card stayed in the reader while it was unplugged: it is read again once the reader is back.
    expect((await again).card.name).toBe('李秀英');
  });

  it('emitted events in a sensible order throughout', () => {
    const names = events.map((e) => e.name);
    expect(names.slice(0, 3)).toEqual(['reader-attached', 'card-inserted', 'card-read']);
    expect(names.filter((n) => n === 'card-read').length).toBeGreaterThanOrEqual(5);
  });
});
