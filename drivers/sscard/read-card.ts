import { fromHex } from '../../base/bytes.ts';
import { CcidSlotError } from '../ccid/ccid-errors.ts';
import { SLOT_CARD } from '../ccid/message.ts';
import { swHex } from '../iso7816/apdu.ts';
import { parseAtr, type Atr } from '../iso7816/atr.ts';
import { transmitApdu } from '../iso7816/transmit.ts';
import { LinkError } from '../link/message-link.ts';
import { decodeRecordField, type CardRecords } from './card-records.ts';
import type { CardSlots } from './card-slots.ts';
import { RECORDS, SSSE_AID, exactLe, p2ForSfi, type RecordSpec } from './layout.ts';
import { authenticateWithPsam } from './psam-auth.ts';
import { buildSocialSecurityCard, generationOf, type SocialSecurityCard } from './social-security-card.ts';
import { SscardError } from './sscard-errors.ts';

export interface CardRead {
  card: SocialSecurityCard;
  /** Every field read, including 卡的类别 and 初始化机构编号, which SocialSecurityCard does not carry. */
  records: CardRecords;
  atr: Atr;
}

/**
 * Reads the basic information of a 社保卡 in slot 0 with the fewest exchanges reader-link.md §4 allows:
 * power-on, SELECT SSSE by AID (its 61xx FCI is not fetched), one READ RECORD per record addressed by SFI with
 * the exact Le, and on a third-generation card the PSAM authentication before the protected records. The
 * card is powered off afterwards.
 *
 * 姓名扩展 (EF06 03) is read on every 2.0 and 3.0 card, as the 社保卡 reading interface requires: a card that
 * does not have it answers 6A83, which is fine. The full name is 姓名 followed by 姓名扩展 (issue 17: a
 * long Uyghur name read as its extension alone named the wrong person).
 */
export async function readSocialSecurityCard(slots: CardSlots): Promise<CardRead> {
  let poweredOn = false;
  let failure: unknown = null;
  try {
    const atrBytes = await slots.powerOn(SLOT_CARD);
    poweredOn = true;
    const atr = parseAtr(atrBytes);
    if (!atr.ok) throw new SscardError('bad-atr', `unusable ATR: ${atr.reason}`);

    const card = (apdu: Uint8Array) => slots.transmit(SLOT_CARD, apdu);
    const select = await transmitApdu(card, { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: SSSE_AID }, { fetchResponse: false, label: 'SELECT SSSE' });
    if (select.sw === 0x6a82) throw new SscardError('not-sscard', 'no SSSE application on this card (SELECT answered 6A82)', { sw: select.sw });
    if (select.sw !== 0x9000 && select.sw1 !== 0x61) throw new SscardError('unexpected-status', `SELECT SSSE answered ${swHex(select.sw)}`, { sw: select.sw });

    const read = async (spec: RecordSpec) => {
      const r = await transmitApdu(card, { cla: 0x00, ins: 0xb2, p1: spec.record, p2: p2ForSfi(spec.sfi), le: exactLe(spec) ?? 256 }, { label: `READ RECORD ${spec.file} ${spec.record}` });
      return { spec, ...r };
    };
    const field = async (spec: RecordSpec): Promise<{ value: string }> => {
      const r = await read(spec);
      if (r.sw === 0x6982) throw new SscardError('auth-failed', `${spec.label} (${spec.file} ${spec.record}) is protected: 6982`, { sw: r.sw, record: `${spec.file}/${spec.record}` });
      if (r.sw !== 0x9000) throw new SscardError('unexpected-status', `READ RECORD ${spec.file} ${spec.record} (${spec.label}) answered ${swHex(r.sw)}`, { sw: r.sw, record: `${spec.file}/${spec.record}` });
      const value = decodeRecordField(spec, r.data);
      if (!value.ok) throw new SscardError('bad-record', value.reason, { record: `${spec.file}/${spec.record}` });
      return { value: value.value };
    };

    const cardSn = (await field(RECORDS.cardSn)).value;
    const cardType = (await field(RECORDS.cardType)).value;
    const specVersion = (await field(RECORDS.specVersion)).value;
    if (generationOf(specVersion) === 3) await authenticateWithPsam(slots, fromHex(cardSn));
    const initOrgCode = (await field(RECORDS.initOrgCode)).value;
    const issueDate = (await field(RECORDS.issueDate)).value;
    const expiryDate = (await field(RECORDS.expiryDate)).value;
    const cardNo = (await field(RECORDS.cardNo)).value;
    const ssn = (await field(RECORDS.ssn)).value;
    const name = (await field(RECORDS.name)).value;

    const nameExt = hasNameExtension(specVersion) ? await readNameExtension(read) : null;
    const sex = (await field(RECORDS.sex)).value;
    const nation = (await field(RECORDS.nation)).value;
    const birthplace = (await field(RECORDS.birthplace)).value;
    const birthDate = (await field(RECORDS.birthDate)).value;

    const records: CardRecords = { cardSn, cardType, specVersion, initOrgCode, issueDate, expiryDate, cardNo, ssn, name, nameExt, sex, nation, birthplace, birthDate };
    return { card: buildSocialSecurityCard(records, atr.value.historical), records, atr: atr.value };
  } catch (err) {
    failure = err;
    throw classify(err, poweredOn);
  } finally {
    // Leave the card unpowered; not worth a 2 s wait when the link itself has failed. The power-off is queued
    // behind the last READ RECORD and not waited for: the patient's data is complete, and the next command on
    // this reader (a presence poll, the next read) runs after it (issue 17: a read ends with its data).
    if (!(failure instanceof LinkError)) void slots.powerOff(SLOT_CARD).catch(() => undefined);
  }
}

/** 规范版本 1.00 cards predate 姓名扩展; 2.00, 3.00 and later define it. */
function hasNameExtension(specVersion: string): boolean {
  return !specVersion.startsWith('1.');
}

/** EF06 03 with Le 00: the card answers 6Cxx with the length (the transmit layer resends) or 6A83 when absent. */
async function readNameExtension(read: (spec: RecordSpec) => Promise<{ sw: number; data: Uint8Array }>): Promise<string | null> {
  const r = await read(RECORDS.nameExt);
  if (r.sw === 0x6a83) return null;
  if (r.sw !== 0x9000) throw new SscardError('unexpected-status', `READ RECORD EF06 3 (姓名扩展) answered ${swHex(r.sw)}`, { sw: r.sw, record: 'EF06/3' });
  const ext = decodeRecordField(RECORDS.nameExt, r.data);
  if (!ext.ok) throw new SscardError('bad-record', ext.reason, { record: 'EF06/3' });
  return ext.value === '' ? null : ext.value;
}

/** Slot errors mean different things before and after the card answered its reset. */
function classify(err: unknown, poweredOn: boolean): unknown {
  if (!(err instanceof CcidSlotError) || err.slot !== SLOT_CARD) return err;
  if (err.cardAbsent) return new SscardError(poweredOn ? 'card-removed' : 'card-absent', err.message, {}, { cause: err });
  if (!poweredOn && (err.errorName === 'BAD_ATR_TS' || err.errorName === 'BAD_ATR_TCK' || err.errorName === 'ICC_PROTOCOL_NOT_SUPPORTED'))
    return new SscardError('bad-atr', err.message, {}, { cause: err });
  if (err.errorName === 'ICC_MUTE') return new SscardError('card-mute', err.message, {}, { cause: err });
  return err;
}
