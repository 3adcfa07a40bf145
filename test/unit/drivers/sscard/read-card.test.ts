import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { CcidSlotError } from '../../../../drivers/ccid/ccid-errors.ts';
import { readSocialSecurityCard } from '../../../../drivers/sscard/read-card.ts';
import { SscardError } from '../../../../drivers/sscard/sscard-errors.ts';
import { encodeGbk } from '../../../../drivers/sscard/text.ts';
import { buildCardDefinition, type CardSpec } from '../../../../drivers/virtual/card-definition.ts';
import { VirtualSocialSecurityCard } from '../../../../drivers/virtual/virtual-card.ts';
import { VirtualPsam } from '../../../../drivers/virtual/virtual-psam.ts';
import { MemorySlots } from './memory-slots.ts';

const holder = { name: '王建国', ssn: '320200197503141014', sex: '1', nation: '01', birthplace: '320200', birthDate: '1975-03-14' } as const;
const issue = { cardNo: 'A00001371', cardSn: '320200D156000005E2637265338DA33E', issueDate: '2021-06-01', expiryDate: '2031-05-31' };
const card = (spec: Partial<CardSpec> = {}) => new VirtualSocialSecurityCard(buildCardDefinition({ id: 't', holder, card: issue, ...spec }));

const AID = '7378312E73682EC9E7BBE1B1A3D5CF';

describe('readSocialSecurityCard', () => {
  it('reads a 2nd-generation card with the minimal exchanges: SELECT, one READ RECORD per record by SFI with exact Le', async () => {
    const slots = new MemorySlots([card(), new VirtualPsam()]);
    const { card: c, records } = await readSocialSecurityCard(slots);
    expect(c).toMatchObject({ generation: 2, regionCode: '320200', ssn: holder.ssn, cardNo: 'A00001371', cardSn: issue.cardSn, name: '王建国', nameExt: null, sex: '1', nation: '01', specVersion: '2.00', issueDate: '2021-06-01', expiryDate: '2031-05-31' });
    expect(records).toMatchObject({ cardType: '1', initOrgCode: '320200000000000000000000' });
    expect(slots.log).toEqual([
      '0:PowerOn',
      `0:00A404000F${AID}`,
      '0:00B2012C12',
      '0:00B2022C03',
      '0:00B2032C06',
      '0:00B2042C0E',
      '0:00B2052C06',
      '0:00B2062C06',
      '0:00B2072C0B',
      '0:00B2013414',
      '0:00B2023420',
      // 姓名扩展 is read on every 2.0 and 3.0 card; this one has none (6A83).
      '0:00B2033400',
      '0:00B2043403',
      '0:00B2053403',
      '0:00B2063405',
      '0:00B2073406',
      '0:PowerOff',
    ]);
  });

  it('authenticates a 3rd-generation card through the PSAM in slot 1 before the protected records', async () => {
    const slots = new MemorySlots([card({ generation: 3 }), new VirtualPsam()]);
    const { card: c } = await readSocialSecurityCard(slots);
    expect(c).toMatchObject({ generation: 3, specVersion: '3.00', cardNo: 'A00001371', ssn: holder.ssn, name: '王建国' });
    const i = slots.log.indexOf('0:00B2032C06');
    expect(slots.log.slice(i + 1, i + 6).map((l) => l.slice(0, 12))).toEqual(['0:0084000008', '1:PowerOn', '1:80FA000018', '1:00C0000010', '0:0082000A10']);
    // SELECT answered 61xx (FCI) on this card: the FCI is not fetched.
    expect(slots.log.filter((l) => l.startsWith('0:00C0'))).toEqual([]);
  });

  it('joins 姓名 and 姓名扩展 into the full name, finding the extension\'s length through 6Cxx (issue 17)', async () => {
    const long = '阿卜杜热合曼·艾合买提·吐尔逊买提明';
    // As the card stores it: 姓名 holds the first 30 bytes, 姓名扩展 (tag 4E) the rest.
    const slots = new MemorySlots([card({ holder: { ...holder, name: long }, records: { 'EF06/3': `4E06${toHex(encodeGbk('买提明'))}` } }), null]);
    const { card: c, records } = await readSocialSecurityCard(slots);
    expect(c.name).toBe(long);
    expect(c.nameExt).toBe('买提明');
    expect(records.name).toBe('阿卜杜热合曼·艾合买提·吐尔逊');
    expect(slots.log).toContain('0:00B2033400');
    expect(slots.log).toContain('0:00B2033408');
    expect(c.iReadCardBas.split('|')[4]).toBe(long);
  });

  it('reads 姓名扩展 on a 3rd-generation card too, and on a card whose 姓名 is short', async () => {
    const g3 = new MemorySlots([card({ generation: 3, records: { 'EF06/3': `4E04${toHex(encodeGbk('江南'))}` } }), new VirtualPsam()]);
    expect((await readSocialSecurityCard(g3)).card).toMatchObject({ name: '王建国江南', nameExt: '江南' });
  });

  it('takes a blank 姓名扩展 as none, and does not ask a 1.00 card for it', async () => {
    const blank = new MemorySlots([card({ records: { 'EF06/3': `4E04${'00'.repeat(4)}` } }), null]);
    expect((await readSocialSecurityCard(blank)).card).toMatchObject({ name: '王建国', nameExt: null });
    const v1 = new MemorySlots([card({ records: { 'EF05/3': `0304${toHex(new TextEncoder().encode('1.00'))}` } }), null]);
    expect((await readSocialSecurityCard(v1)).card).toMatchObject({ name: '王建国', specVersion: '1.00' });
    expect(v1.log.filter((l) => l.startsWith('0:00B20334'))).toEqual([]);
  });

  it('refuses a 姓名扩展 that is not GBK', async () => {
    const slots = new MemorySlots([card({ records: { 'EF06/3': '4E02FF80' } }), null]);
    await expect(readSocialSecurityCard(slots)).rejects.toMatchObject({ kind: 'bad-record', detail: { record: 'EF06/3' } });
  });

  it('says not-sscard for a card without SSSE (old 市民卡)', async () => {
    const slots = new MemorySlots([card({ ssse: false }), null]);
    await expect(readSocialSecurityCard(slots)).rejects.toMatchObject({ name: 'SscardError', kind: 'not-sscard' });
    expect(slots.log.at(-1)).toBe('0:PowerOff');
  });

  it('says card-absent when there is no card, card-removed when the card goes during the read', async () => {
    await expect(readSocialSecurityCard(new MemorySlots([null, null]))).rejects.toMatchObject({ kind: 'card-absent' });
    const slots = new MemorySlots([card(), null]);
    slots.failAt = { n: 5, error: new CcidSlotError('XfrBlock', 0, 0xfe, 2) };
    await expect(readSocialSecurityCard(slots)).rejects.toMatchObject({ kind: 'card-removed' });
    slots.failAt = { n: 99, error: new Error('never') };
  });

  it('says card-mute for ICC_MUTE with the card present, bad-atr for BAD_ATR_TS and for an ATR the host cannot parse', async () => {
    const mute = new MemorySlots([card(), null]);
    mute.failAt = { n: 1, error: new CcidSlotError('XfrBlock', 0, 0xfe, 0) };
    await expect(readSocialSecurityCard(mute)).rejects.toMatchObject({ kind: 'card-mute' });
    const badTs = new MemorySlots([card(), null]);
    badTs.powerOn = async () => {
      throw new CcidSlotError('IccPowerOn', 0, 0xf8, 1);
    };
    await expect(readSocialSecurityCard(badTs)).rejects.toMatchObject({ kind: 'bad-atr' });
    await expect(readSocialSecurityCard(new MemorySlots([card({ atr: '3B6D0000008154' }), null]))).rejects.toMatchObject({ kind: 'bad-atr' });
  });

  it('says no-psam for a 3rd-generation card in a reader without PSAM', async () => {
    await expect(readSocialSecurityCard(new MemorySlots([card({ generation: 3 }), null]))).rejects.toMatchObject({ kind: 'no-psam' });
  });

  it('says auth-failed when the PSAM holds another master key (63Cx from EXTERNAL AUTHENTICATE)', async () => {
    const slots = new MemorySlots([card({ generation: 3 }), new VirtualPsam(fromHex('FFEEDDCCBBAA99887766554433221100'))]);
    const err = await readSocialSecurityCard(slots).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SscardError);
    expect(err).toMatchObject({ kind: 'auth-failed', detail: { sw: 0x63ce, triesLeft: 14 } });
  });

  it('says bad-record for a record that does not decode', async () => {
    const slots = new MemorySlots([card({ records: { 'EF06/2': `091E${'FF80FE81'}${'00'.repeat(26)}` } }), null]);
    await expect(readSocialSecurityCard(slots)).rejects.toMatchObject({ kind: 'bad-record', detail: { record: 'EF06/2' } });
  });

  it('takes SELECT answered 9000 and 61xx alike', async () => {
    for (const selectFci of [true, false]) {
      const slots = new MemorySlots([card({ selectFci }), null]);
      await expect(readSocialSecurityCard(slots)).resolves.toBeTruthy();
    }
  });

  it('copies the ATR historical bytes', async () => {
    const { card: c } = await readSocialSecurityCard(new MemorySlots([card({ atr: '3B6D000000814E43238697159900BF7C7A' }), null]));
    expect(c.atrHistorical).toBe('00814E43238697159900BF7C7A');
    expect(toHex(fromHex(c.atrHistorical))).toBe(c.atrHistorical);
  });
});
