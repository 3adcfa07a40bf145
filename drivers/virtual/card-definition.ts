import { concatBytes, fromHex } from '../../base/bytes.ts';
import { encodeBcd, encodeBcdDate } from '../sscard/bcd.ts';
import { RECORDS } from '../sscard/layout.ts';
import { encodeGbk } from '../sscard/text.ts';
import { encodeTlvRecord } from '../sscard/tlv.ts';

/**
 * A card the virtual reader can hold, built from a fixture (a person of fixtures/people.json or an entry of a
 * cards file). The chip content is encoded here exactly as reader-link.md §5 and sscard.md §1 lay it out.
 */
export interface CardHolder {
  name: string;
  /** 社会保障号码 (the 18-character 公民身份号码). */
  ssn: string;
  sex: '1' | '2';
  nation: string;
  birthplace: string;
  birthDate: string;
}

export interface CardIssue {
  cardNo: string;
  /** 卡识别码, 32 hex characters; its first 6 are the region code. */
  cardSn: string;
  issueDate: string;
  expiryDate: string;
  /** 卡的类别 (1 byte, an); "1" unless the fixture says otherwise. */
  cardType?: string;
  /** 初始化机构编号 (24 BCD digits); region code padded with zeros unless the fixture says otherwise. */
  initOrgCode?: string;
}

/** The JSON form of one card in a cards file (drivers/virtual/fixtures/*.json). */
export interface CardSpec {
  id: string;
  label?: string;
  generation?: 2 | 3;
  /** Whole ATR in hex; default `3B 6D 00 00` + 13 historical bytes derived from 卡识别码. */
  atr?: string;
  /** false: the card has no SSSE application (an old 市民卡). Default true. */
  ssse?: boolean;
  /** SELECT SSSE answers 61xx (FCI available) instead of 9000. Default: true on 3rd-generation cards. */
  selectFci?: boolean;
  holder?: CardHolder;
  card?: CardIssue;
  /** Raw records replacing or removing encoded ones, keyed "EF05/4" → TLV hex, or null to delete the record. */
  records?: Record<string, string | null>;
}

export interface CardDefinition {
  id: string;
  label: string;
  atr: Uint8Array;
  generation: 2 | 3;
  /** null: no SSSE application. */
  ssse: null | {
    /** FCI behind the 61xx after SELECT; null when SELECT answers 9000. */
    fci: Uint8Array | null;
    files: { EF05: Map<number, Uint8Array>; EF06: Map<number, Uint8Array> };
    /** "EF05/7" etc.: records answering 6982 before EXTERNAL AUTHENTICATE. */
    protectedRecords: Set<string>;
  };
  holder: CardHolder | null;
  issue: CardIssue | null;
}

export const NAME_FIELD_BYTES = RECORDS.name.length as number;

/** ATR historical bytes as this project's fixtures derive them: a fixed chip/COS prefix, region code, serial tail. */
export function defaultAtr(cardSn: string, generation: 2 | 3): Uint8Array {
  const prefix = generation === 3 ? '0081544C968684' : '00814E43238697';
  return fromHex(`3B6D0000${prefix}${cardSn.slice(0, 6)}${cardSn.slice(-6)}`);
}

/**
 * 姓名 (tag 09) holds the longest prefix of whole characters that fits in 30 GBK bytes, zero-padded;
 * 姓名扩展 (EF06 03, tag 4E) holds the rest of the name when it does not fit, so that 姓名 followed by 姓名扩展
 * is the full name, as the 社保卡 reading interface joins them (fixtures/people.json "about").
 */
export function encodeName(name: string): { field: Uint8Array; extension: Uint8Array | null } {
  const full = encodeGbk(name);
  if (full.length <= NAME_FIELD_BYTES) return { field: padded(full, NAME_FIELD_BYTES), extension: null };
  let prefix: Uint8Array = new Uint8Array(0);
  for (const ch of name) {
    const next = concatBytes(prefix, encodeGbk(ch));
    if (next.length > NAME_FIELD_BYTES) break;
    prefix = next;
  }
  return { field: padded(prefix, NAME_FIELD_BYTES), extension: full.subarray(prefix.length) };
}

function padded(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}

function ascii(text: string, length: number): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`not ASCII: ${text}`);
  return padded(Uint8Array.from(text, (c) => c.charCodeAt(0)), length);
}

export function buildCardDefinition(spec: CardSpec): CardDefinition {
  const generation = spec.generation ?? 2;
  const label = spec.label ?? spec.id;
  if (spec.ssse === false) {
    const atr = spec.atr ? fromHex(spec.atr) : defaultAtr(spec.card?.cardSn ?? '320200D15600000500000000', generation);
    return { id: spec.id, label, atr, generation, ssse: null, holder: spec.holder ?? null, issue: spec.card ?? null };
  }
  const holder = spec.holder;
  const issue = spec.card;
  if (!holder || !issue) throw new Error(`card ${spec.id}: a card with the SSSE application needs "holder" and "card"`);
  if (!/^[0-9A-F]{32}$/.test(issue.cardSn)) throw new Error(`card ${spec.id}: cardSn must be 32 upper-case hex characters`);
  const region = issue.cardSn.slice(0, 6);
  const name = encodeName(holder.name);
  const ef05 = new Map<number, Uint8Array>([
    [RECORDS.cardSn.record, encodeTlvRecord(RECORDS.cardSn.tag, fromHex(issue.cardSn))],
    [RECORDS.cardType.record, encodeTlvRecord(RECORDS.cardType.tag, ascii(issue.cardType ?? '1', 1))],
    [RECORDS.specVersion.record, encodeTlvRecord(RECORDS.specVersion.tag, ascii(generation === 3 ? '3.00' : '2.00', 4))],
    [RECORDS.initOrgCode.record, encodeTlvRecord(RECORDS.initOrgCode.tag, encodeBcd((issue.initOrgCode ?? region).padEnd(24, '0')))],
    [RECORDS.issueDate.record, encodeTlvRecord(RECORDS.issueDate.tag, encodeBcdDate(issue.issueDate))],
    [RECORDS.expiryDate.record, encodeTlvRecord(RECORDS.expiryDate.tag, encodeBcdDate(issue.expiryDate))],
    [RECORDS.cardNo.record, encodeTlvRecord(RECORDS.cardNo.tag, ascii(issue.cardNo, 9))],
  ]);
  const ef06 = new Map<number, Uint8Array>([
    [RECORDS.ssn.record, encodeTlvRecord(RECORDS.ssn.tag, ascii(holder.ssn, 18))],
    [RECORDS.name.record, encodeTlvRecord(RECORDS.name.tag, name.field)],
    [RECORDS.sex.record, encodeTlvRecord(RECORDS.sex.tag, ascii(holder.sex, 1))],
    [RECORDS.nation.record, encodeTlvRecord(RECORDS.nation.tag, encodeBcd(holder.nation.padStart(2, '0')))],
    [RECORDS.birthplace.record, encodeTlvRecord(RECORDS.birthplace.tag, encodeBcd(holder.birthplace))],
    [RECORDS.birthDate.record, encodeTlvRecord(RECORDS.birthDate.tag, encodeBcdDate(holder.birthDate))],
  ]);
  if (name.extension) ef06.set(RECORDS.nameExt.record, encodeTlvRecord(RECORDS.nameExt.tag, name.extension));
  for (const [key, hex] of Object.entries(spec.records ?? {})) {
    const m = /^(EF05|EF06)\/(\d+)$/.exec(key);
    if (!m) throw new Error(`card ${spec.id}: record key "${key}" is not EF05/n or EF06/n`);
    const file = m[1] === 'EF05' ? ef05 : ef06;
    if (hex === null) file.delete(Number(m[2]));
    else file.set(Number(m[2]), fromHex(hex));
  }
  const selectFci = spec.selectFci ?? generation === 3;
  return {
    id: spec.id,
    label,
    atr: spec.atr ? fromHex(spec.atr) : defaultAtr(issue.cardSn, generation),
    generation,
    ssse: {
      // A minimal FCI template (6F) with the DF name (84): what a host that fetched it would see.
      fci: selectFci ? concatBytes(Uint8Array.of(0x6f, 2 + 15, 0x84, 15), fromHex('7378312E73682EC9E7BBE1B1A3D5CF')) : null,
      files: { EF05: ef05, EF06: ef06 },
      protectedRecords: new Set(generation === 3 ? ['EF05/7', 'EF06/1', 'EF06/2'] : []),
    },
    holder,
    issue,
  };
}
