import type { Credential } from '../../contract/dto/eligibility.ts';
import { KioskError } from '../../contract/errors.ts';
import type { IdCard } from '../../drivers/idcard/id-card.ts';
import type { DecodedVoucher } from '../../insurance/client/ec-query.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { MDTRT_CERT_TYPE_ECTOKEN, MDTRT_CERT_TYPE_ID_CARD, MDTRT_CERT_TYPE_SSCARD } from '../../insurance/codes/mdtrt-cert-type.ts';

/**
 * A credential as the platform takes it (1101 data, later 2401's mdtrt_cert_type/no): the card in the reader,
 * a 医保电子凭证 QR code, or a number typed by staff. Checked here first, so a typo gets a clear Chinese
 * answer instead of a platform round trip.
 */
export interface ResolvedCredential {
  certType: '01' | '02' | '03';
  /** ecToken, ID number, or 社会保障卡卡号. */
  certNo: string;
  /** 卡识别码, with 03. */
  cardSn: string | null;
  /** The chip's data when the card was read here (有效期, name, ID number). */
  card: SocialSecurityCard | null;
  /** The ID card read on the ID card reader (credential 02 with the chip's name). */
  idCard: IdCard | null;
  /** What the e-voucher decode gave for a QR (its ecToken is certNo). */
  voucher?: DecodedVoucher;
}

/**
 * Where a credential's person comes from: the cards read in this session (each throws CARD_ABSENT when
 * none) and the e-voucher decode service for a scanned QR (ec.query, insurance/client/ec-query.ts).
 */
export interface SessionCards {
  card: () => SocialSecurityCard;
  idCard: () => IdCard;
  decodeQr: (qrCode: string) => Promise<DecodedVoucher>;
}

/** 医保电子凭证 payloads: printable ASCII without spaces. The 电子凭证 SDK's EcQuery yields the ecToken. */
const EC_TOKEN = /^[\x21-\x7e]{8,256}$/;
/** 社会保障卡卡号: 9 characters, digits and capitals (jiangsu-policy.md §4). */
const CARD_NO = /^[0-9A-Z]{9}$/;
/** 卡识别码: 32 hex. */
const CARD_SN = /^[0-9A-F]{32}$/;

/** Checks a scanned QR before it is sent to the decode service: clear Chinese for a code that is no voucher. */
export function checkQrCode(code: string): string {
  const c = code.trim();
  if (!EC_TOKEN.test(c)) throw new KioskError('QR_INVALID', '无法识别该二维码', ['请出示医保电子凭证的动态二维码', '二维码过期时请在手机上刷新后重新扫描']);
  return c;
}

/**
 * A credential as the platform takes it. A QR must have been decoded (`voucher`, ec.query) first: the
 * platform gets the decoded ecToken, never the QR text (issue 17).
 */
export function resolveCredential(credential: Credential, session: SessionCards, voucher?: DecodedVoucher): ResolvedCredential {
  switch (credential.kind) {
    case 'card': {
      const card = session.card();
      return { certType: MDTRT_CERT_TYPE_SSCARD, certNo: card.cardNo, cardSn: card.cardSn, card, idCard: null };
    }
    case 'idcard': {
      // The number as the SAM verified it: no checksum test (idcard-link.md §7.4), no typing.
      const idCard = session.idCard();
      return { certType: MDTRT_CERT_TYPE_ID_CARD, certNo: idCard.idNumber, cardSn: null, card: null, idCard };
    }
    case 'qr': {
      checkQrCode(credential.code);
      if (!voucher) throw new Error('an e-voucher QR is decoded (ec.query) before it names anyone');
      return { certType: MDTRT_CERT_TYPE_ECTOKEN, certNo: voucher.ecToken, cardSn: null, card: null, idCard: null, voucher };
    }
    case 'id': {
      const certNo = credential.certNo.trim().toUpperCase();
      if (credential.certType === MDTRT_CERT_TYPE_ID_CARD) {
        if (!isValidResidentId(certNo)) {
          throw new KioskError('INVALID_ARGUMENT', '身份证号码不正确（位数或校验位不符）', ['请核对后重新输入18位身份证号码']);
        }
        return { certType: '02', certNo, cardSn: null, card: null, idCard: null };
      }
      if (credential.certType === MDTRT_CERT_TYPE_SSCARD) {
        const cardSn = credential.cardSn?.trim().toUpperCase() ?? '';
        if (!CARD_NO.test(certNo)) throw new KioskError('INVALID_ARGUMENT', '社会保障卡卡号应为9位数字或大写字母', ['请核对卡面上的卡号后重新输入']);
        if (!CARD_SN.test(cardSn)) {
          throw new KioskError('INVALID_ARGUMENT', '社会保障卡需要32位卡识别码', ['请插卡读取，或改用身份证号、医保电子凭证']);
        }
        return { certType: '03', certNo, cardSn, card: null, idCard: null };
      }
      if (!EC_TOKEN.test(certNo)) throw new KioskError('QR_INVALID', '医保电子凭证令牌格式不正确', ['请重新扫描医保电子凭证']);
      return { certType: '01', certNo: credential.certNo.trim(), cardSn: null, card: null, idCard: null };
    }
  }
}

/** GB 11643-1999: 17 digits and a check character (0-9 or X). */
export function isValidResidentId(no: string): boolean {
  if (!/^\d{17}[\dX]$/.test(no)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(no[i]), 0);
  return '10X98765432'[sum % 11] === no[17];
}
