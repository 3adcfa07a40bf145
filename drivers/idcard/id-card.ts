import type { CodeWord } from './code-tables.ts';

/**
 * One card read from an ID card reader (idcard-link.md §11): the 居民身份证, the 2017 外国人永久居留身份证 (type
 * flag I) or the 港澳台居民居住证 (J). Strings are trimmed, dates are `YYYY-MM-DD`, nothing else is changed:
 * no masking here (screens and logs mask), no conversion. The photo is the 1024 WLT bytes as base64: only a
 * licensed decoder makes a picture of it, so nothing here claims to be an image.
 */
export type IdCard = ResidentIdCard | ForeignerIdCard | HmtIdCard;

interface IdCardCommon {
  /** 姓名; for a foreigner the 中文姓名 when the card has one, else the 英文姓名. */
  name: string;
  sex: CodeWord;
  birthDate: string;
  /** 公民身份号码 (18 characters, a lower-case x upper-cased) or 永久居留证号码 (15). */
  idNumber: string;
  validFrom: string;
  /** null for 长期. */
  validTo: string | null;
  /** validTo is before today's local date (valid on its end date). */
  expired: boolean;
  /** base64 (RFC 4648, padded) of the 1024 WLT bytes, exactly as read. */
  photoWlt: string;
  /** 追加住址 (`30 03`), only when asked: null when the card has none. */
  newAddress?: string | null;
}

export interface ResidentIdCard extends IdCardCommon {
  cardType: 'resident';
  nation: CodeWord;
  address: string;
  issuer: string;
}

export interface ForeignerIdCard extends IdCardCommon {
  cardType: 'foreigner';
  nation: null;
  address: null;
  issuer: null;
  englishName: string;
  /** 国籍或所在地区代码, 3 letters (ISO 3166-1 alpha-3). */
  nationality: string;
  /** 当次申请受理机关代码. */
  issuerCode: string;
  cardVersion: string;
}

export interface HmtIdCard extends IdCardCommon {
  cardType: 'hmt';
  nation: null;
  address: string;
  issuer: string;
  /** 通行证号码. */
  passNumber: string;
  /** 签发次数. */
  issueCount: string;
}

/** The wire's sizes (§5, §7): a successful `30 01` carries 256 text bytes and 1024 photo bytes. */
export const TEXT_BYTES = 256;
export const PHOTO_BYTES = 1024;
