import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../base/bytes.ts';
import { buildCardDefinition } from '../../../../drivers/virtual/card-definition.ts';
import { TEST_MASTER_KEY, diversifiedCardKey, psamCryptogram } from '../../../../drivers/virtual/psam-crypto.ts';
import { VirtualSocialSecurityCard } from '../../../../drivers/virtual/virtual-card.ts';
import { VirtualPsam } from '../../../../drivers/virtual/virtual-psam.ts';

const holder = { name: '李秀英', ssn: '32020019620802112X', sex: '2', nation: '01', birthplace: '320200', birthDate: '1962-08-02' } as const;
const issue = { cardNo: 'A00002742', cardSn: '320200D156000005D38BB1F2ABB2D346', issueDate: '2021-06-01', expiryDate: '2031-05-31' };
const SELECT_SSSE = '00A404000F7378312E73682EC9E7BBE1B1A3D5CF';

function card(generation: 2 | 3, challenge = '0102030405060708') {
  const c = new VirtualSocialSecurityCard(buildCardDefinition({ id: 'x', generation, holder, card: issue }), TEST_MASTER_KEY, () => fromHex(challenge));
  c.reset();
  return (hex: string) => toHex(c.process(fromHex(hex)));
}

describe('the 社保卡 as the virtual reader presents it (reader-link.md §5)', () => {
  it('selects SSSE with 9000 (2nd gen) or 61xx and the FCI (3rd gen)', () => {
    expect(card(2)(SELECT_SSSE)).toBe('9000');
    const c3 = card(3);
    expect(c3(SELECT_SSSE)).toBe('6113');
    expect(c3('00C0000013').startsWith('6F11840F')).toBe(true);
  });

  it('reads records in the current EF (SELECT by FID, P1 02 or 00) and by SFI', () => {
    const c = card(2);
    c(SELECT_SSSE);
    expect(c('00A4020002EF05')).toBe('9000');
    expect(c('00B2030406')).toBe('0304322E30309000');
    expect(c('00A4000002EF06')).toBe('9000');
    expect(c('00B2040403')).toBe('0A01329000');
    expect(c('00B2012C12')).toBe('0110320200D156000005D38BB1F2ABB2D3469000');
  });

  it('answers a wrong Le with 6Cxx, an unknown record with 6A83, an unknown file or AID with 6A82', () => {
    const c = card(2);
    expect(c('00B2012C12')).toBe('6A82'); // SSSE not selected yet
    c(SELECT_SSSE);
    expect(c('00B2010412')).toBe('6986'); // no current EF yet
    expect(c('00B2012C00')).toBe('6C12');
    expect(c('00B2012C13')).toBe('6C12');
    expect(c('00B2033400')).toBe('6A83');
    expect(c('00A4020002EF09')).toBe('6A82');
    expect(c('00A404000F7378312E73682EC9E7BBE1B1A3D500')).toBe('6A82');
    expect(c('00B2010412')).toBe('6C14'); // reading by SFI made EF06 current
  });

  it('protects EF05 07 and EF06 01, 02 on 3rd-generation cards until EXTERNAL AUTHENTICATE', () => {
    const c = card(3, 'A1A2A3A4A5A6A7A8');
    c(SELECT_SSSE);
    expect(c('00B2072C0B')).toBe('6982');
    expect(c('00B2013414')).toBe('6982');
    expect(c('00B2023420')).toBe('6982');
    expect(c('00B2043403')).toBe('0A01329000'); // free
    expect(c('0084000008')).toBe('A1A2A3A4A5A6A7A89000');
    const cryptogram = psamCryptogram(TEST_MASTER_KEY, fromHex(issue.cardSn), fromHex('A1A2A3A4A5A6A7A8'));
    expect(c(`0082000A10${toHex(cryptogram)}`)).toBe('9000');
    expect(c('00B2072C0B')).toBe('0709413030303032373432' + '9000');
  });

  it('takes one attempt per challenge and counts down wrong cryptograms (63Cx)', () => {
    const c = card(3);
    c(SELECT_SSSE);
    expect(c(`0082000A10${'00'.repeat(16)}`)).toBe('6985'); // no challenge
    c('0084000008');
    expect(c(`0082000A10${'00'.repeat(16)}`)).toBe('63CE');
    const right = psamCryptogram(TEST_MASTER_KEY, fromHex(issue.cardSn), fromHex('0102030405060708'));
    expect(c(`0082000A10${toHex(right)}`)).toBe('6985'); // the challenge was used up
  });

  it('forgets authentication and selection at reset', () => {
    const def = buildCardDefinition({ id: 'x', generation: 3, holder, card: issue });
    const icc = new VirtualSocialSecurityCard(def, TEST_MASTER_KEY, () => fromHex('0102030405060708'));
    const send = (h: string) => toHex(icc.process(fromHex(h)));
    send(SELECT_SSSE);
    send('0084000008');
    send(`0082000A10${toHex(psamCryptogram(TEST_MASTER_KEY, fromHex(issue.cardSn), fromHex('0102030405060708')))}`);
    expect(send('00B2072C0B').endsWith('9000')).toBe(true);
    icc.reset();
    send(SELECT_SSSE);
    expect(send('00B2072C0B')).toBe('6982');
  });
});

describe('the virtual PSAM', () => {
  it('computes SM4-ECB(K_card, challenge ‖ 00×8) with K_card = SM4-ECB(K_master, 卡识别码), answering 61 10 then GET RESPONSE', () => {
    const psam = new VirtualPsam();
    psam.reset();
    const sn = fromHex(issue.cardSn);
    const ch = fromHex('0102030405060708');
    expect(toHex(psam.process(fromHex(`80FA000018${issue.cardSn}0102030405060708`)))).toBe('6110');
    expect(toHex(psam.process(fromHex('00C0000008')))).toBe('6C10');
    expect(toHex(psam.process(fromHex('00C0000010')))).toBe(`${toHex(psamCryptogram(TEST_MASTER_KEY, sn, ch))}9000`);
    expect(toHex(psam.process(fromHex('00C0000010')))).toBe('6985');
  });

  it('uses SM4 (the GB/T 32907 test vector through the key diversification)', () => {
    const k = fromHex('0123456789ABCDEFFEDCBA9876543210');
    expect(toHex(diversifiedCardKey(k, k))).toBe('681EDF34D206965E86B3E94F536E4246');
  });
});
