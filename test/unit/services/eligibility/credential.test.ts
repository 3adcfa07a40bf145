import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KioskError } from '../../../../contract/errors.ts';
import { isValidResidentId, resolveCredential } from '../../../../services/eligibility/credential.ts';

const noCard = {
  card: () => {
    throw new KioskError('CARD_ABSENT', '尚未读取社保卡', []);
  },
  idCard: () => {
    throw new KioskError('CARD_ABSENT', '尚未读取身份证', []);
  },
  decodeQr: () => Promise.reject(new Error('not decoded here')),
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as KioskError).code;
  }
  return null;
};

describe('credentials', () => {
  it('checks the GB 11643 check character of an ID number', () => {
    expect(isValidResidentId('320200197503141014')).toBe(true);
    expect(isValidResidentId('32020019620802112X')).toBe(true);
    expect(isValidResidentId('320200197503141015')).toBe(false);
    expect(isValidResidentId('32020019750314101')).toBe(false);
  });

  it('a typed ID number: valid → 02; a typo → a Chinese INVALID_ARGUMENT before any platform call', () => {
    expect(resolveCredential({ kind: 'id', certType: '02', certNo: '32020019620802112x' }, noCard)).toMatchObject({ certType: '02', certNo: '32020019620802112X' });
    expect(codeOf(() => resolveCredential({ kind: 'id', certType: '02', certNo: '320200197503141015' }, noCard))).toBe('INVALID_ARGUMENT');
  });

  it('a typed card number needs its 32-hex 卡识别码', () => {
    expect(resolveCredential({ kind: 'id', certType: '03', certNo: 'a00001371', cardSn: '320200d156000005e2637265338da33e' }, noCard)).toMatchObject({
      certType: '03',
      certNo: 'A00001371',
      cardSn: '320200D156000005E2637265338DA33E',
    });
    expect(codeOf(() => resolveCredential({ kind: 'id', certType: '03', certNo: 'A00001371' }, noCard))).toBe('INVALID_ARGUMENT');
  });

  it('a QR e-voucher: the DECODED ecToken, never the QR text (issue 17); junk → QR_INVALID before any decode', () => {
    const voucher = { ecToken: '320200ec32ecbef721a4ba6837093000a9c9', idNo: '320200197503141014', userName: '王建国', insuOrg: '320200' };
    expect(resolveCredential({ kind: 'qr', code: ' JSYBECq1w2e3r4t5y6u7i8o9p0 ' }, noCard, voucher)).toMatchObject({ certType: '01', certNo: '320200ec32ecbef721a4ba6837093000a9c9', voucher });
    expect(() => resolveCredential({ kind: 'qr', code: 'JSYBECq1w2e3r4t5y6u7i8o9p0' }, noCard)).toThrow(/decoded/);
    expect(codeOf(() => resolveCredential({ kind: 'qr', code: 'a b' }, noCard))).toBe('QR_INVALID');
    expect(codeOf(() => resolveCredential({ kind: 'qr', code: '短' }, noCard))).toBe('QR_INVALID');
  });

  it('the card credential without a card read is the reader\'s answer', () => {
    expect(codeOf(() => resolveCredential({ kind: 'card' }, noCard))).toBe('CARD_ABSENT');
  });

  it('never throws anything but a KioskError on arbitrary typed input', () => {
    fc.assert(
      fc.property(fc.constantFrom('01', '02', '03') as fc.Arbitrary<'01' | '02' | '03'>, fc.string({ maxLength: 60 }), fc.option(fc.string({ maxLength: 40 })), (certType, certNo, cardSn) => {
        try {
          resolveCredential({ kind: 'id', certType, certNo: certNo || 'x', ...(cardSn !== null ? { cardSn } : {}) }, noCard);
        } catch (e) {
          expect(e).toBeInstanceOf(KioskError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
