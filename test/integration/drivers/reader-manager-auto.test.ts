import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderManager, type ReaderInfo, type ReaderManager } from '../../../drivers/reader-manager/reader-manager.ts';
import { PtyRelay } from '../../../drivers/virtual/pty.ts';
import { nextEvent, spawnVirtualReader, type VirtualReaderProcess } from './helpers.ts';

/**
 * 'auto' discovery: every listed port is probed with Escape 02; a port where nothing answers within 2 s is
 * left alone, the one with a reader is attached. (Pseudo-terminals are not in SerialPort.list(), so the list
 * is injected; everything else is real.)
 */
let vr: VirtualReaderProcess;
let silent: PtyRelay;
let manager: ReaderManager;
const logs: string[] = [];

beforeAll(async () => {
  vr = await spawnVirtualReader(['--insert', 'yx-unfiled/g2']);
  silent = await PtyRelay.open();
}, 60_000);

afterAll(async () => {
  await manager?.stop();
  await silent?.close();
  await vr?.stop();
});

describe("reader manager with serial: 'auto'", () => {
  it('attaches the port that answers the probe, ignores the silent one, and reads the card already inserted', async () => {
    manager = createReaderManager({ serial: 'auto', hid: false, listSerialPorts: async () => [silent.path, vr.path], pollIntervalMs: 300, log: (_l, m) => logs.push(m) });
    const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
    const read = nextEvent<{ card: { name: string } }>(manager, 'card-read');
    await manager.start();
    expect((await attached).readerId).toBe(`serial:${vr.path}`);
    expect((await read).card.name).toBe('卫红梅');
    expect(manager.readers().map((r) => r.readerId)).toEqual([`serial:${vr.path}`]);
    expect(logs.some((m) => m.startsWith(`no reader on serial:${silent.path}`))).toBe(true);
  });
});
