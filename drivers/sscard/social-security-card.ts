import { toHex } from '../../base/bytes.ts';
import type { CardRecords } from './card-records.ts';

/**
 * A 社保卡 as the rest of the terminal sees it (issue 3). Dates are `YYYY-MM-DD`; `sex` is '1'/'2' as on the
 * card; `name` is the full name: 姓名 followed by 姓名扩展 when the card has one.
 */
export interface SocialSecurityCard {
  generation: 2 | 3;
  /** 发卡地区行政区划代码: the first 6 characters of 卡识别码. */
  regionCode: string;
  /** 社会保障号码 (= 公民身份号码). */
  ssn: string;
  /** 卡号 */
  cardNo: string;
  /** 卡识别码, 32 upper-case hex characters (the platform's card_sn). */
  cardSn: string;
  name: string;
  /** 姓名扩展 as stored (the part of a long name after the 30 bytes of 姓名), when present. */
  nameExt: string | null;
  sex: '1' | '2';
  /** 民族, GB/T 3304 two digits ("01" = 汉族). */
  nation: string;
  /** 出生地, 6-digit 行政区划代码. */
  birthplace: string;
  birthDate: string;
  /** 规范版本, "2.00" / "3.00". */
  specVersion: string;
  issueDate: string;
  expiryDate: string;
  /** The 13 ATR historical bytes in hex (卡复位信息). */
  atrHistorical: string;
  /** The 人社 iReadCardBas output (sscard.md §2.1), 11 fields each followed by '|'. */
  iReadCardBas: string;
}

/** Generation from 规范版本: 3.xx is third generation (PSAM authentication); 1.00 and 2.00 read the same way. */
export function generationOf(specVersion: string): 2 | 3 {
  return specVersion.startsWith('3') ? 3 : 2;
}

/**
 * `发卡地区行政区划代码|社会保障号码|卡号|卡识别码|姓名|卡复位信息|规范版本|发卡日期|卡有效期|终端机编号|终端设备号|`.
 * Dates as on the card (YYYYMMDD). 终端机编号 comes from a PSAM file this project's readers do not define and
 * 终端设备号 from the terminal's own configuration: both are left empty, as SSCardDriver does without a PSAM.
 */
export function formatIReadCardBas(card: Omit<SocialSecurityCard, 'iReadCardBas'>, terminal: { psamTerminalNo?: string; deviceNo?: string } = {}): string {
  const ymd = (d: string) => d.replaceAll('-', '');
  return [
    card.regionCode,
    card.ssn,
    card.cardNo,
    card.cardSn,
    card.name,
    card.atrHistorical,
    card.specVersion,
    ymd(card.issueDate),
    ymd(card.expiryDate),
    terminal.psamTerminalNo ?? '',
    terminal.deviceNo ?? '',
  ]
    .map((f) => `${f}|`)
    .join('');
}

export function buildSocialSecurityCard(records: CardRecords, atrHistorical: Uint8Array): SocialSecurityCard {
  const base = {
    generation: generationOf(records.specVersion),
    regionCode: records.cardSn.slice(0, 6),
    ssn: records.ssn,
    cardNo: records.cardNo,
    cardSn: records.cardSn,
    name: records.name + (records.nameExt ?? ''),
    nameExt: records.nameExt,
    sex: records.sex as '1' | '2',
    nation: records.nation,
    birthplace: records.birthplace,
    birthDate: records.birthDate,
    specVersion: records.specVersion,
    issueDate: records.issueDate,
    expiryDate: records.expiryDate,
    atrHistorical: toHex(atrHistorical),
  };
  return { ...base, iReadCardBas: formatIReadCardBas(base) };
}
