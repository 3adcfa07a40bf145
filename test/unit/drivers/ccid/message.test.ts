import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { decodeHostCommand, decodeReaderMessage, decodeSlotChange, encodeMessage, encodeSlotState, encodeXfrBlock, statusByte } from '../../../../drivers/ccid/message.ts';

describe('CCID messages (reader-link.md §1)', () => {
  it('encodes XfrBlock with a little-endian dwLength, slot and seq', () => {
    expect(toHex(encodeXfrBlock(1, 0x2a, fromHex('0084000008')))).toBe('6F05000000012A000000' + '0084000008');
  });

  it('decodes a DataBlock: bStatus split into ICC and command status, data kept', () => {
    const r = decodeReaderMessage(fromHex('80020000000005400000' + '9000'));
    expect(r).toMatchObject({ ok: true, value: { kind: 'response', messageType: 0x80, slot: 0, seq: 5, iccStatus: 0, commandStatus: 1, error: 0 } });
    expect(r.ok && r.value.kind === 'response' && toHex(r.value.data)).toBe('9000');
  });

  it('reads a time extension: bmCommandStatus 2, bError the multiplier', () => {
    const r = decodeReaderMessage(encodeMessage(0x80, 0, 9, [statusByte(0, 2), 3, 0]));
    expect(r).toMatchObject({ ok: true, value: { commandStatus: 2, error: 3 } });
  });

  it('tests NotifySlotChange bits, never whole bytes', () => {
    expect(decodeSlotChange(0x03).slots.slice(0, 2)).toEqual([{ present: true, changed: true }, { present: false, changed: false }]);
    expect(decodeSlotChange(0x02).slots[0]).toEqual({ present: false, changed: true });
    expect(decodeSlotChange(0x07).slots.slice(0, 2)).toEqual([{ present: true, changed: true }, { present: true, changed: false }]);
    expect(decodeSlotChange(0x06).slots.slice(0, 2)).toEqual([{ present: false, changed: true }, { present: true, changed: false }]);
    expect(encodeSlotState([{ present: true, changed: true }, { present: true, changed: false }])).toBe(0x07);
  });

  it('rejects unknown reader messages and inconsistent lengths', () => {
    expect(decodeReaderMessage(fromHex('99000000000000000000')).ok).toBe(false);
    expect(decodeReaderMessage(fromHex('80050000000000000000' + '90')).ok).toBe(false);
    expect(decodeReaderMessage(fromHex('5003' + '00')).ok).toBe(false);
    expect(decodeReaderMessage(new Uint8Array(0)).ok).toBe(false);
  });

  it('decodes host commands for the reader side, unknown types as null', () => {
    expect(decodeHostCommand(fromHex('62000000000003000000'))).toMatchObject({ ok: true, value: { type: 'IccPowerOn', seq: 3 } });
    expect(decodeHostCommand(fromHex('61000000000003000000'))).toMatchObject({ ok: true, value: { type: null, messageType: 0x61 } });
  });

  it('never throws on random messages, either direction', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (m) => {
        decodeReaderMessage(m);
        decodeHostCommand(m);
      }),
      { numRuns: 1000 },
    );
  });
});
