import { CCID_HEADER_LENGTH } from '../link/serial-frame.ts';
import { RECORDS, type RecordSpec } from '../sscard/layout.ts';
import type { CardDefinition } from './card-definition.ts';
import { apduCardMs, coldResetMs, linkMessageMs, type LinkKind } from './timing-model.ts';
import { PSAM_ATR } from './virtual-psam.ts';

/**
 * The floor of reader-link.md §4: the least time any driver needs for a full read of this card over this link.
 * Power-on, SELECT SSSE by AID, one READ RECORD with exact Le per record (by SFI, so no SELECT EF), and on a
 * third-generation card the PSAM exchanges; each exchange costs its host-link time both ways plus its card time.
 */
export interface FloorExchange {
  label: string;
  /** CCID message lengths (header + abData) each way. */
  commandBytes: number;
  responseBytes: number;
  cardMs: number;
  linkMs: number;
  totalMs: number;
}

export interface ReadFloor {
  cardId: string;
  link: LinkKind;
  exchanges: FloorExchange[];
  cardMs: number;
  linkMs: number;
  totalMs: number;
}

export function readFloor(card: CardDefinition, link: LinkKind): ReadFloor {
  if (!card.ssse) throw new Error(`card ${card.id} has no SSSE application: there is no full read to time`);
  const exchanges: FloorExchange[] = [];
  const add = (label: string, commandData: number, responseData: number, cardMs: number) => {
    const commandBytes = CCID_HEADER_LENGTH + commandData;
    const responseBytes = CCID_HEADER_LENGTH + responseData;
    const linkTime = linkMessageMs(link, commandBytes) + linkMessageMs(link, responseBytes);
    exchanges.push({ label, commandBytes, responseBytes, cardMs, linkMs: linkTime, totalMs: linkTime + cardMs });
  };
  // case 2: 5 + 1 + Le + 2 on the card line; case 3: 5 + 1 + Lc + 2.
  const case2 = (label: string, le: number) => add(label, 5, le + 2, apduCardMs(5 + 1 + le + 2));
  const case3 = (label: string, lc: number) => add(label, 5 + lc, 2, apduCardMs(5 + 1 + lc + 2));
  const record = (spec: RecordSpec) => {
    const bytes = card.ssse?.files[spec.file].get(spec.record);
    if (bytes) case2(`READ RECORD ${spec.file} ${spec.record}`, bytes.length);
  };

  add('IccPowerOn', 0, card.atr.length, coldResetMs(card.atr.length));
  case3('SELECT SSSE', 15);
  record(RECORDS.cardSn);
  record(RECORDS.cardType);
  record(RECORDS.specVersion);
  if (card.generation === 3) {
    case2('GET CHALLENGE', 8);
    add('IccPowerOn PSAM', 0, PSAM_ATR.length, coldResetMs(PSAM_ATR.length));
    case3('PSAM 80FA', 24);
    case2('PSAM GET RESPONSE', 16);
    case3('EXTERNAL AUTHENTICATE', 16);
  }
  for (const spec of [RECORDS.initOrgCode, RECORDS.issueDate, RECORDS.expiryDate, RECORDS.cardNo, RECORDS.ssn, RECORDS.name, RECORDS.nameExt, RECORDS.sex, RECORDS.nation, RECORDS.birthplace, RECORDS.birthDate]) record(spec);

  const sum = (f: (e: FloorExchange) => number) => exchanges.reduce((s, e) => s + f(e), 0);
  return { cardId: card.id, link, exchanges, cardMs: sum((e) => e.cardMs), linkMs: sum((e) => e.linkMs), totalMs: sum((e) => e.totalMs) };
}
