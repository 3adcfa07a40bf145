import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { CcidClient, parseIdentity } from '../../../../drivers/ccid/ccid-client.ts';
import { CcidSlotError } from '../../../../drivers/ccid/ccid-errors.ts';
import { CCID_ERROR, encodeMessage, encodeNotifySlotChange, statusByte, type SlotChange } from '../../../../drivers/ccid/message.ts';
import { LinkError } from '../../../../drivers/link/message-link.ts';
import { FakeLink } from './fake-link.ts';

const seqOf = (m: Uint8Array) => m[6] as number;
const slotOf = (m: Uint8Array) => m[5] as number;
const dataBlock = (cmd: Uint8Array, data: string, status = 0, error = 0) => encodeMessage(0x80, slotOf(cmd), seqOf(cmd), [status, error, 0], fromHex(data));

describe('CcidClient', () => {
  it('increments bSeq per command, modulo 256, and matches answers by it', async () => {
    const link = new FakeLink();
    link.onSend = (m) => link.reply(encodeMessage(0x81, slotOf(m), seqOf(m), [0, 0, 0]));
    const client = new CcidClient(link);
    for (let i = 0; i < 258; i++) await client.getSlotStatus(0);
    expect(link.sent.map(seqOf).slice(0, 3)).toEqual([0, 1, 2]);
    expect(link.sent.map(seqOf).slice(254)).toEqual([254, 255, 0, 1]);
  });

  it('discards answers whose bSeq, type or slot does not match, and takes the right one', async () => {
    const link = new FakeLink();
    link.onSend = (m) => {
      link.reply(encodeMessage(0x80, 0, (seqOf(m) + 1) & 0xff, [0, 0, 0], fromHex('6A82'))); // stale resend
      link.reply(encodeMessage(0x81, 0, seqOf(m), [0, 0, 0])); // wrong type
      link.reply(encodeMessage(0x80, 1, seqOf(m), [0, 0, 0], fromHex('6A83'))); // wrong slot
      link.reply(dataBlock(m, '9000'));
    };
    const client = new CcidClient(link);
    expect(toHex(await client.transmit(0, fromHex('00A4040000')))).toBe('9000');
    expect(client.stats.discarded).toBe(3);
  });

  it('waits past the timeout while time extensions keep coming', async () => {
    const link = new FakeLink();
    const client = new CcidClient(link, 100);
    link.onSend = (m) => {
      const ext = encodeMessage(0x80, 0, seqOf(m), [statusByte(0, 2), 1, 0]);
      setTimeout(() => link.reply(ext), 60);
      setTimeout(() => link.reply(ext), 120);
      setTimeout(() => link.reply(ext), 180);
      setTimeout(() => link.reply(dataBlock(m, '9000')), 240);
    };
    expect(toHex(await client.transmit(0, fromHex('00B2012C12')))).toBe('9000');
    expect(client.stats.timeExtensions).toBe(3);
  });

  it('accepts NotifySlotChange between a command and its answer', async () => {
    const link = new FakeLink();
    const changes: SlotChange[] = [];
    const client = new CcidClient(link);
    client.onSlotChange((c) => changes.push(c));
    link.onSend = (m) => {
      link.reply(encodeNotifySlotChange(0x07));
      link.reply(dataBlock(m, '9000'));
    };
    await client.transmit(0, fromHex('00B2012C12'));
    expect(changes.map((c) => c.slots[1])).toEqual([{ present: true, changed: false }]);
  });

  it('turns a failed answer into CcidSlotError with bError and the card status', async () => {
    const link = new FakeLink();
    link.onSend = (m) => link.reply(encodeMessage(0x80, 0, seqOf(m), [statusByte(2, 1), CCID_ERROR.ICC_MUTE, 0]));
    const err = await new CcidClient(link).transmit(0, fromHex('00B2012C12')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcidSlotError);
    expect(err).toMatchObject({ errorName: 'ICC_MUTE', cardAbsent: true, slot: 0 });
  });

  it('times out with a LinkError, and a late answer to that command is discarded', async () => {
    const link = new FakeLink();
    const client = new CcidClient(link, 50);
    let first: Uint8Array | null = null;
    link.onSend = (m) => {
      if (!first) first = m;
      else {
        link.reply(encodeMessage(0x81, 0, seqOf(first), [0, 0, 0])); // the late answer
        link.reply(encodeMessage(0x81, 0, seqOf(m), [statusByte(2, 0), 0, 0]));
      }
    };
    await expect(client.getSlotStatus(0)).rejects.toMatchObject({ name: 'LinkError', kind: 'timeout' });
    expect(await client.getSlotStatus(0)).toBe(2);
    expect(client.stats.discarded).toBe(1);
  });

  it('fails the pending command when the link reports an error or closes, and every later one', async () => {
    const link = new FakeLink();
    const client = new CcidClient(link);
    link.onSend = () => link.fail(new LinkError('nak-limit', 'rejected'));
    await expect(client.getSlotStatus(0)).rejects.toMatchObject({ kind: 'nak-limit' });
    link.onSend = () => link.hangUp(new Error('unplugged'));
    await expect(client.getSlotStatus(0)).rejects.toMatchObject({ kind: 'closed' });
    await expect(client.getSlotStatus(0)).rejects.toMatchObject({ kind: 'closed' });
    expect(client.isOpen).toBe(false);
  });

  it('runs commands one at a time even when called concurrently', async () => {
    const link = new FakeLink();
    let outstanding = 0;
    let max = 0;
    link.onSend = (m) => {
      outstanding++;
      max = Math.max(max, outstanding);
      setTimeout(() => {
        outstanding--;
        link.reply(encodeMessage(0x81, 0, seqOf(m), [0, 0, 0]));
      }, 5);
    };
    const client = new CcidClient(link);
    await Promise.all([client.getSlotStatus(0), client.getSlotStatus(0), client.getSlotStatus(0)]);
    expect(max).toBe(1);
  });

  it('parses any Escape 02 answer without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(typeof parseIdentity(b).raw).toBe('string');
      }),
    );
  });

  it('parses the Escape 02 identity, tolerating missing fields', () => {
    expect(parseIdentity(new TextEncoder().encode('ACME|R1|2.3|SN9'))).toMatchObject({ vendor: 'ACME', model: 'R1', firmware: '2.3', serial: 'SN9' });
    expect(parseIdentity(new TextEncoder().encode('ACME'))).toMatchObject({ vendor: 'ACME', model: '', serial: '' });
  });
});
