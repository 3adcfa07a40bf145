import { describe, expect, it } from 'vitest';
import { formatIReadCardBas } from '../../../../drivers/sscard/social-security-card.ts';

describe('iReadCardBas', () => {
  it('formats the 11 fields of sscard.md §2.1, each followed by "|" (the spec example)', () => {
    const s = formatIReadCardBas(
      {
        generation: 2,
        regionCode: '639900',
        ssn: '111111198101011110',
        cardNo: 'X00000019',
        cardSn: '639900D15600000500BF7C7A48FB4966',
        name: '张三',
        nameExt: null,
        sex: '1',
        nation: '01',
        birthplace: '639900',
        birthDate: '1981-01-01',
        specVersion: '1.00',
        issueDate: '2010-10-01',
        expiryDate: '2020-10-01',
        atrHistorical: '00814E43238697159900BF7C7A',
      },
      { psamTerminalNo: '410100813475', deviceNo: '终端设备号' },
    );
    expect(s).toBe('639900|111111198101011110|X00000019|639900D15600000500BF7C7A48FB4966|张三|00814E43238697159900BF7C7A|1.00|20101001|20201001|410100813475|终端设备号|');
    expect(s.split('|').length).toBe(12);
  });
});
