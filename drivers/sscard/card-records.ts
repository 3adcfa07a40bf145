import { toHex } from '../../base/bytes.ts';
import { decoded, rejected, type Decoded } from '../decoded.ts';
import { decodeBcd, decodeBcdDate } from './bcd.ts';
import type { CardField, RecordSpec } from './layout.ts';
import { decodeAscii, decodeGbk } from './text.ts';
import { decodeTlvRecord } from './tlv.ts';

/** Every field read from EF05 and EF06, decoded; `name` is tag 09 as stored (the first 30 bytes of a long name, whose rest is `nameExt`). */
export type CardRecords = Record<Exclude<CardField, 'nameExt'>, string> & { nameExt: string | null };

/** Decodes one record's bytes (as returned by READ RECORD, without SW) into its field value. Never throws. */
export function decodeRecordField(spec: RecordSpec, record: Uint8Array): Decoded<string> {
  const tlv = decodeTlvRecord(record, spec.tag);
  if (!tlv.ok) return rejected(`${spec.label}: ${tlv.reason}`);
  const value = tlv.value;
  if (spec.length !== null && value.length !== spec.length) return rejected(`${spec.label}: ${value.length} bytes, ${spec.length} expected`);
  const result = decodeValue(spec, value);
  return result.ok ? result : rejected(`${spec.label}: ${result.reason}`);
}

function decodeValue(spec: RecordSpec, value: Uint8Array): Decoded<string> {
  switch (spec.encoding) {
    case 'binary':
      return decoded(toHex(value));
    case 'ascii':
      return validate(spec.field, decodeAscii(value));
    case 'bcd':
      return decodeBcd(value);
    case 'bcd-date':
      return decodeBcdDate(value);
    case 'gbk': {
      const s = decodeGbk(value);
      // An empty 姓名 is a damaged card; an empty 姓名扩展 (written blank by some issuers) is no extension.
      if (s.ok && s.value.length === 0 && spec.field !== 'nameExt') return rejected('empty');
      return s;
    }
  }
}

// Shape checks on the fields a platform request is built from; a wrong one is a damaged or foreign card.
function validate(field: CardField, text: Decoded<string>): Decoded<string> {
  if (!text.ok) return text;
  const v = text.value;
  switch (field) {
    case 'ssn':
      return /^\d{17}[\dX]$/.test(v) ? text : rejected(`not an 18-character 社会保障号码: "${v}"`);
    case 'sex':
      return /^[12]$/.test(v) ? text : rejected(`性别 "${v}" is neither 1 nor 2`);
    case 'specVersion':
      return /^\d\.\d\d$/.test(v) ? text : rejected(`not a version: "${v}"`);
    case 'cardNo':
      return v.length > 0 ? text : rejected('empty');
    default:
      return text;
  }
}
