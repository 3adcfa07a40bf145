import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { CCID_ERROR, decodeReaderMessage, encodeMessage, encodeXfrBlock, type ReaderResponse } from '../../../../drivers/ccid/message.ts';
import { loadCardCatalog } from '../../../../drivers/virtual/fixtures.ts';
import { VirtualReaderCore } from '../../../../drivers/virtual/reader-core.ts';

const catalog = loadCardCatalog();

function setup(timeScale = 0, psam = true) {
  const core = new VirtualReaderCore({ catalog, link: 'serial', timeScale, psam });
  const out: Uint8Array[] = [];
  core.connect((m) => out.push(m));
  let seq = 0;
  const send = (type: number, slot = 0, data = '') => core.handle(encodeMessage(type, slot, seq++, [0, 0, 0], fromHex(data)));
  const wait = async (count: number, ms = 2000) => {
    const deadline = Date.now() + ms;
    while (out.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    return out.splice(0, count).map((m) => toHex(m));
  };
  const response = (hex: string) => {
    const r = decodeReaderMessage(fromHex(hex));
    if (!r.ok || r.value.kind !== 'response') throw new Error(`not a response: ${hex}`);
    return r.value as ReaderResponse;
  };
  return { core, out, send, wait, response };
}

describe('virtual reader core (reader-link.md §1, §5)', () => {
  it('answers Escape 02 with its identity', async () => {
    const { send, wait, response } = setup();
    send(0x6b, 0, '02');
    const [r] = await wait(1);
    expect(new TextDecoder().decode(response(r as string).data)).toBe('KIOSK|VR-CCID-SERIAL|1.0.0|VR0001');
  });

  it('sends NotifySlotChange only after Escape 01 01, with bits for both slots', async () => {
    const { core, send, wait } = setup();
    core.insert('local-employee/g2');
    core.remove();
    await new Promise((r) => setTimeout(r, 10));
    send(0x6b, 0, '0101');
    await wait(1);
    core.insert('local-employee/g2');
    core.remove();
    expect(await wait(2)).toEqual(['5007', '5006']);
  });

  it('reports slot status: absent, present inactive, present active', async () => {
    const { core, send, wait, response } = setup();
    send(0x65);
    expect(response((await wait(1))[0] as string).iccStatus).toBe(2);
    core.insert('local-employee/g2');
    send(0x65);
    expect(response((await wait(1))[0] as string).iccStatus).toBe(1);
    send(0x62);
    const atr = response((await wait(1))[0] as string);
    expect(toHex(atr.data).slice(0, 8)).toBe('3B6D0000');
    send(0x65);
    expect(response((await wait(1))[0] as string).iccStatus).toBe(0);
  });

  it('fails power-on with no card (ICC_MUTE, absent), with a damaged ATR (BAD_ATR_TS), with a muted card (ICC_MUTE, present)', async () => {
    const { core, send, wait, response } = setup();
    send(0x62);
    expect(response((await wait(1))[0] as string)).toMatchObject({ commandStatus: 1, error: CCID_ERROR.ICC_MUTE, iccStatus: 2 });
    core.insert('damaged-atr');
    send(0x62);
    expect(response((await wait(1))[0] as string)).toMatchObject({ commandStatus: 1, error: CCID_ERROR.BAD_ATR_TS, iccStatus: 1 });
    core.remove();
    core.insert('local-employee/g2');
    core.mute(true);
    send(0x62);
    expect(response((await wait(1))[0] as string)).toMatchObject({ commandStatus: 1, error: CCID_ERROR.ICC_MUTE, iccStatus: 1 });
  });

  it('rejects a bad slot, an unknown command, and an APDU to an unpowered card', async () => {
    const { core, send, wait, response } = setup();
    core.insert('local-employee/g2');
    send(0x65, 5);
    expect(response((await wait(1))[0] as string)).toMatchObject({ commandStatus: 1, error: CCID_ERROR.BAD_SLOT });
    send(0x61);
    expect(response((await wait(1))[0] as string)).toMatchObject({ messageType: 0x81, commandStatus: 1, error: CCID_ERROR.CMD_NOT_SUPPORTED });
    send(0x6f, 0, '00A404000F7378312E73682EC9E7BBE1B1A3D5CF');
    expect(response((await wait(1))[0] as string)).toMatchObject({ messageType: 0x80, commandStatus: 1, error: CCID_ERROR.ICC_MUTE, iccStatus: 1 });
  });

  it('answers CMD_SLOT_BUSY to a command sent while another is in progress', async () => {
    const { core, send, wait, response } = setup(1);
    core.insert('local-employee/g2');
    send(0x62);
    send(0x65);
    const [first, second] = await wait(2);
    expect(response(first as string)).toMatchObject({ seq: 1, commandStatus: 1, error: CCID_ERROR.CMD_SLOT_BUSY });
    expect(response(second as string)).toMatchObject({ seq: 0, commandStatus: 0 });
  });

  it('fails the APDU during which the card is pulled: notification, then ICC_MUTE with the card absent', async () => {
    const { core, send, wait, response } = setup();
    core.insert('local-employee/g2');
    send(0x6b, 0, '0101');
    await wait(1);
    send(0x62);
    await wait(1);
    core.faults.pullMidApdu = true;
    core.handle(encodeXfrBlock(0, 9, fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF')));
    const [note, answer] = await wait(2);
    expect(note).toBe('5006');
    expect(response(answer as string)).toMatchObject({ seq: 9, commandStatus: 1, error: CCID_ERROR.ICC_MUTE, iccStatus: 2 });
    expect(core.state().card).toBeNull();
  });

  it('sends a time extension for every second a slow card takes, then the answer with the same bSeq', async () => {
    const { core, send, wait, response } = setup(0.01);
    core.insert('local-employee/g2');
    send(0x62);
    await wait(1);
    core.faults.slowCardMs = 2500;
    core.handle(encodeXfrBlock(0, 7, fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF')));
    const got = (await wait(3)).map(response);
    expect(got.map((r) => [r.seq, r.commandStatus])).toEqual([
      [7, 2],
      [7, 2],
      [7, 0],
    ]);
    expect(toHex(got[2]!.data)).toBe('9000');
  });

  it('puts a NotifySlotChange between command and answer when asked to', async () => {
    const { core, send, wait } = setup();
    core.insert('local-employee/g2');
    send(0x6b, 0, '0101');
    await wait(1);
    core.faults.interleaveNotifications = true;
    send(0x65);
    const [note, answer] = await wait(2);
    expect(note).toBe('5005');
    expect(answer?.slice(0, 2)).toBe('81');
  });

  it('drops everything on unplug and comes back with notifications disabled', async () => {
    const { core, send, wait, out } = setup(1);
    core.insert('local-employee/g2');
    send(0x6b, 0, '0101');
    await wait(1);
    send(0x62);
    core.unplug();
    await new Promise((r) => setTimeout(r, 80));
    expect(out).toEqual([]);
    core.replug();
    core.remove();
    core.insert('local-employee/g2');
    await new Promise((r) => setTimeout(r, 20));
    expect(out).toEqual([]);
    expect(core.state().notificationsEnabled).toBe(false);
  });

  it('refuses an unknown card and a second card', () => {
    const { core } = setup();
    expect(() => core.insert('nobody/g2')).toThrow(/no card/);
    core.insert('local-employee/g2');
    expect(() => core.insert('local-resident/g2')).toThrow(/already/);
  });
});
