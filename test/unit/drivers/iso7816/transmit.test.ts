import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { MalformedResponseError } from '../../../../drivers/iso7816/status-words.ts';
import { MAX_T0_ROUNDS, transmitApdu } from '../../../../drivers/iso7816/transmit.ts';

/** A sender answering from a script keyed by the command's hex. */
function scripted(script: Record<string, string | string[]>) {
  const sent: string[] = [];
  const queues = new Map(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  const send = async (apdu: Uint8Array) => {
    const key = toHex(apdu);
    sent.push(key);
    const q = queues.get(key);
    const answer = q && q.length > 1 ? q.shift() : q?.[0];
    if (answer === undefined) throw new Error(`unexpected ${key}`);
    return fromHex(answer);
  };
  return { send, sent };
}

describe('T=0 at APDU level: 61xx and 6Cxx', () => {
  it('follows 61xx with GET RESPONSE and concatenates', async () => {
    const { send, sent } = scripted({ '80FA00000401020304': '6104', '00C0000004': 'AABB6102', '00C0000002': 'CCDD9000' });
    const r = await transmitApdu(send, { cla: 0x80, ins: 0xfa, p1: 0, p2: 0, data: fromHex('01020304') });
    expect(toHex(r.data)).toBe('AABBCCDD');
    expect(r.sw).toBe(0x9000);
    expect(sent).toEqual(['80FA00000401020304', '00C0000004', '00C0000002']);
  });

  it('resends with the corrected Le on 6Cxx', async () => {
    const { send, sent } = scripted({ '00B2033400': '6C24', '00B2033424': `4E22${'00'.repeat(34)}9000` });
    const r = await transmitApdu(send, { cla: 0, ins: 0xb2, p1: 3, p2: 0x34, le: 256 });
    expect(r.data.length).toBe(36);
    expect(sent).toEqual(['00B2033400', '00B2033424']);
  });

  it('leaves a 61xx after SELECT alone when asked (FCI not needed)', async () => {
    const { send, sent } = scripted({ '00A404000F7378312E73682EC9E7BBE1B1A3D5CF': '6113' });
    const r = await transmitApdu(send, { cla: 0, ins: 0xa4, p1: 4, p2: 0, data: fromHex('7378312E73682EC9E7BBE1B1A3D5CF') }, { fetchResponse: false });
    expect(r.sw1).toBe(0x61);
    expect(sent.length).toBe(1);
  });

  it('returns other status words to the caller unchanged', async () => {
    const { send } = scripted({ '00B2072C0B': '6982' });
    expect((await transmitApdu(send, { cla: 0, ins: 0xb2, p1: 7, p2: 0x2c, le: 11 })).sw).toBe(0x6982);
  });

  it(`gives up after ${MAX_T0_ROUNDS} rounds of a card that keeps asking`, async () => {
    const { send, sent } = scripted({ '00B2012C12': '6C12' });
    await expect(transmitApdu(send, { cla: 0, ins: 0xb2, p1: 1, p2: 0x2c, le: 0x12 })).rejects.toBeInstanceOf(MalformedResponseError);
    expect(sent.length).toBe(MAX_T0_ROUNDS);
  });

  it('rejects a response without a status word', async () => {
    const { send } = scripted({ '00B2012C12': '90' });
    await expect(transmitApdu(send, { cla: 0, ins: 0xb2, p1: 1, p2: 0x2c, le: 0x12 })).rejects.toBeInstanceOf(MalformedResponseError);
  });
});
