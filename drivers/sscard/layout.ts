import { fromHex } from '../../base/bytes.ts';

/**
 * The 社保卡 SSSE application as sscard.md §1 and reader-link.md §5 describe it: AID, the two elementary files
 * read for basic information, and one entry per record (tag, value length, exact Le = length + 2).
 */
export const SSSE_AID = fromHex('7378312E73682EC9E7BBE1B1A3D5CF');
export const SFI_EF05 = 5;
export const SFI_EF06 = 6;

export type CardField =
  | 'cardSn'
  | 'cardType'
  | 'specVersion'
  | 'initOrgCode'
  | 'issueDate'
  | 'expiryDate'
  | 'cardNo'
  | 'ssn'
  | 'name'
  | 'nameExt'
  | 'sex'
  | 'nation'
  | 'birthplace'
  | 'birthDate';

export type FieldEncoding = 'binary' | 'ascii' | 'bcd' | 'bcd-date' | 'gbk';

export interface RecordSpec {
  file: 'EF05' | 'EF06';
  sfi: number;
  record: number;
  tag: number;
  /** Value length in bytes; null when the card decides (姓名扩展). */
  length: number | null;
  field: CardField;
  encoding: FieldEncoding;
  /** Third-generation cards (规范版本 3.00) answer 6982 until EXTERNAL AUTHENTICATE succeeded (§5). */
  protectedOnGen3: boolean;
  label: string;
}

const ef05 = (record: number, tag: number, length: number, field: CardField, encoding: FieldEncoding, label: string, protectedOnGen3 = false): RecordSpec => ({
  file: 'EF05',
  sfi: SFI_EF05,
  record,
  tag,
  length,
  field,
  encoding,
  protectedOnGen3,
  label,
});
const ef06 = (record: number, tag: number, length: number | null, field: CardField, encoding: FieldEncoding, label: string, protectedOnGen3 = false): RecordSpec => ({
  file: 'EF06',
  sfi: SFI_EF06,
  record,
  tag,
  length,
  field,
  encoding,
  protectedOnGen3,
  label,
});

export const RECORDS = {
  cardSn: ef05(1, 0x01, 16, 'cardSn', 'binary', '卡识别码'),
  cardType: ef05(2, 0x02, 1, 'cardType', 'ascii', '卡的类别'),
  specVersion: ef05(3, 0x03, 4, 'specVersion', 'ascii', '规范版本'),
  initOrgCode: ef05(4, 0x04, 12, 'initOrgCode', 'bcd', '初始化机构编号'),
  issueDate: ef05(5, 0x05, 4, 'issueDate', 'bcd-date', '发卡日期'),
  expiryDate: ef05(6, 0x06, 4, 'expiryDate', 'bcd-date', '卡有效期'),
  cardNo: ef05(7, 0x07, 9, 'cardNo', 'ascii', '卡号', true),
  ssn: ef06(1, 0x08, 18, 'ssn', 'ascii', '社会保障号码', true),
  name: ef06(2, 0x09, 30, 'name', 'gbk', '姓名', true),
  nameExt: ef06(3, 0x4e, null, 'nameExt', 'gbk', '姓名扩展'),
  sex: ef06(4, 0x0a, 1, 'sex', 'ascii', '性别'),
  nation: ef06(5, 0x0b, 1, 'nation', 'bcd', '民族'),
  birthplace: ef06(6, 0x0c, 3, 'birthplace', 'bcd', '出生地'),
  birthDate: ef06(7, 0x0d, 4, 'birthDate', 'bcd-date', '出生日期'),
} as const satisfies Record<CardField, RecordSpec>;

/** Exact Le of a fixed-length record: tag + length byte + value. */
export function exactLe(spec: RecordSpec): number | undefined {
  return spec.length === null ? undefined : spec.length + 2;
}

/** READ RECORD P2 addressing the record by SFI: `SFI << 3 | 4` (0x2C for EF05, 0x34 for EF06). */
export function p2ForSfi(sfi: number): number {
  return (sfi << 3) | 0x04;
}
