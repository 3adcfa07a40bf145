import { decoded, rejected, type Decoded } from '../decoded.ts';
import { decodeDate, decodeUcs2Field, decodeValidTo } from './card-text.ts';
import { nationOf, sexOf } from './code-tables.ts';
import { PHOTO_BYTES, TEXT_BYTES, type IdCard } from './id-card.ts';

/** Why a `30 01` answer gave no card: the data is damaged, or the card is of a kind whose layout is not known. */
export type CardDataProblem = { kind: 'bad-data'; reason: string } | { kind: 'unsupported-type'; flag: string };

/** Type flag at bytes 248–249 (§7): blank → 居民身份证, I → 外国人永久居留身份证 (2017), J → 港澳台居民居住证. */
const TYPE_FLAG_OFFSET = 248;

/**
 * Decodes the data of a successful `30 01` answer: textLen (2, BE) = 256, photoLen (2, BE) = 1024, the text,
 * the photo (§5). Never throws: the bytes come from outside the process. A flag other than blank, I or J is
 * refused, never guessed (§7). `today` is the local date `YYYY-MM-DD` that decides `expired`.
 */
export function decodeBaseInfo(data: Uint8Array, today: string): Decoded<IdCard> & { problem?: CardDataProblem } {
  if (data.length < 4) return bad('answer shorter than its length fields');
  const textLen = ((data[0] as number) << 8) | (data[1] as number);
  const photoLen = ((data[2] as number) << 8) | (data[3] as number);
  if (textLen !== TEXT_BYTES || photoLen !== PHOTO_BYTES) return bad(`text ${textLen} and photo ${photoLen} bytes, 256 and 1024 expected`);
  if (data.length !== 4 + TEXT_BYTES + PHOTO_BYTES) return bad(`${data.length} data bytes, ${4 + TEXT_BYTES + PHOTO_BYTES} expected`);
  const text = data.subarray(4, 4 + TEXT_BYTES);
  const photo = data.subarray(4 + TEXT_BYTES);
  const flag = String.fromCharCode((text[TYPE_FLAG_OFFSET] as number) | ((text[TYPE_FLAG_OFFSET + 1] as number) << 8));
  const photoWlt = Buffer.from(photo).toString('base64');
  const card = flag === ' ' || flag === '\u0000' ? resident(text) : flag === 'I' ? foreigner(text) : flag === 'J' ? hmt(text) : null;
  if (card === null) return { ok: false, reason: `type flag ${printable(flag)}`, problem: { kind: 'unsupported-type', flag: printable(flag) } };
  if (!card.ok) return bad(card.reason);
  return decoded(inJsonOrder(card.value, photoWlt, today));
}

/** The keys in the order of the §11 table, the card's own extras last: what `--json` prints. */
function inJsonOrder(c: CardFields, photoWlt: string, today: string): IdCard {
  const common = {
    cardType: c.cardType,
    name: c.name,
    sex: c.sex,
    nation: c.nation,
    birthDate: c.birthDate,
    address: c.address,
    idNumber: c.idNumber,
    issuer: c.issuer,
    validFrom: c.validFrom,
    validTo: c.validTo,
    expired: c.validTo !== null && c.validTo < today,
    photoWlt,
  };
  if (c.cardType === 'foreigner') return { ...common, englishName: c.englishName, nationality: c.nationality, issuerCode: c.issuerCode, cardVersion: c.cardVersion } as IdCard;
  if (c.cardType === 'hmt') return { ...common, passNumber: c.passNumber, issueCount: c.issueCount } as IdCard;
  return common as IdCard;
}

function bad(reason: string): Decoded<IdCard> & { problem: CardDataProblem } {
  return { ok: false, reason, problem: { kind: 'bad-data', reason } };
}

function printable(flag: string): string {
  const c = flag.charCodeAt(0);
  return c >= 0x21 && c <= 0x7e ? flag : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

type CardFields = IdCard extends infer C ? (C extends IdCard ? Omit<C, 'photoWlt' | 'expired'> : never) : never;

/** Reads named fields by [offset, bytes]; the first field that does not decode rejects the card. */
function fields<K extends string>(text: Uint8Array, layout: Record<K, readonly [number, number]>): Decoded<Record<K, string>> {
  const out = {} as Record<K, string>;
  for (const key of Object.keys(layout) as K[]) {
    const [offset, bytes] = layout[key];
    const f = decodeUcs2Field(text, offset, bytes);
    if (!f.ok) return rejected(`${key}: ${f.reason}`);
    out[key] = f.value;
  }
  return decoded(out);
}

function dates(f: { birth: string; from: string; to: string }): Decoded<{ birthDate: string; validFrom: string; validTo: string | null }> {
  const birthDate = decodeDate(f.birth);
  if (!birthDate.ok) return rejected(`出生: ${birthDate.reason}`);
  const validFrom = decodeDate(f.from);
  if (!validFrom.ok) return rejected(`有效期起始: ${validFrom.reason}`);
  const validTo = decodeValidTo(f.to);
  if (!validTo.ok) return rejected(`有效期截止: ${validTo.reason}`);
  return decoded({ birthDate: birthDate.value, validFrom: validFrom.value, validTo: validTo.value });
}

const idNumber = (s: string) => s.replaceAll('x', 'X');

// §7.1
function resident(text: Uint8Array): Decoded<CardFields> {
  const f = fields(text, { name: [0, 30], sex: [30, 2], nation: [32, 4], birth: [36, 16], address: [52, 70], id: [122, 36], issuer: [158, 30], from: [188, 16], to: [204, 16] });
  if (!f.ok) return f;
  const d = dates(f.value);
  if (!d.ok) return d;
  const v = f.value;
  return decoded({ cardType: 'resident', name: v.name, sex: sexOf(v.sex), nation: nationOf(v.nation), ...d.value, address: v.address, idNumber: idNumber(v.id), issuer: v.issuer });
}

// §7.2
function foreigner(text: Uint8Array): Decoded<CardFields> {
  const f = fields(text, { english: [0, 120], sex: [120, 2], id: [122, 30], nationality: [152, 6], chinese: [158, 30], from: [188, 16], to: [204, 16], birth: [220, 16], version: [236, 4], issuerCode: [240, 8] });
  if (!f.ok) return f;
  const d = dates(f.value);
  if (!d.ok) return d;
  const v = f.value;
  return decoded({
    cardType: 'foreigner',
    name: v.chinese !== '' ? v.chinese : v.english,
    sex: sexOf(v.sex),
    nation: null,
    ...d.value,
    address: null,
    idNumber: v.id,
    issuer: null,
    englishName: v.english,
    nationality: v.nationality,
    issuerCode: v.issuerCode,
    cardVersion: v.version,
  });
}

// §7.3
function hmt(text: Uint8Array): Decoded<CardFields> {
  const f = fields(text, { name: [0, 30], sex: [30, 2], birth: [36, 16], address: [52, 70], id: [122, 36], issuer: [158, 30], from: [188, 16], to: [204, 16], pass: [220, 18], count: [238, 4] });
  if (!f.ok) return f;
  const d = dates(f.value);
  if (!d.ok) return d;
  const v = f.value;
  return decoded({ cardType: 'hmt', name: v.name, sex: sexOf(v.sex), nation: null, ...d.value, address: v.address, idNumber: idNumber(v.id), issuer: v.issuer, passNumber: v.pass, issueCount: v.count });
}
