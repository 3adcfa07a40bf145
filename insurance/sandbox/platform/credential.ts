import { MDTRT_CERT_TYPE_ECTOKEN, MDTRT_CERT_TYPE_ID_CARD, MDTRT_CERT_TYPE_SSCARD } from '../../codes/mdtrt-cert-type.ts';
import type { Card, Person, World } from '../world/world.ts';
import { refuse } from './refusal.ts';

export interface Credential {
  person: Person;
  /** The card presented (mdtrt_cert_type 03), else null: card checks apply only to a card. */
  card: Card | null;
}

/**
 * Who a credential names (nhsa-interface.md §2 1101, §4): 01 ecToken, 02 身份证号, 03 社会保障卡 by 卡号
 * (Jiangsu: 卡号|pBusiCardInfo) with its 卡识别码 card_sn. A card_sn, when given, must be the card of that
 * number.
 */
export function resolveCredential(world: World, certType: string, certNo: string, cardSn: string): Credential {
  if (certType === MDTRT_CERT_TYPE_ECTOKEN) {
    const person = world.personByEcToken.get(certNo);
    if (!person) return refuse('医保电子凭证无效或已过期，请重新出示');
    return { person, card: null };
  }
  if (certType === MDTRT_CERT_TYPE_ID_CARD) {
    const person = world.personByCertno.get(certNo.toUpperCase());
    if (!person) return refuse('未查询到该证件号码的参保人员信息');
    return { person, card: null };
  }
  if (certType === MDTRT_CERT_TYPE_SSCARD) {
    const cardNo = certNo.split('|')[0]!.trim();
    const byNo = world.cardByNo.get(cardNo);
    if (cardSn) {
      const bySn = world.cardBySn.get(cardSn);
      if (!bySn) return refuse('未查询到该卡识别码的社会保障卡信息');
      if (cardNo && bySn.card.cardNo !== cardNo) return refuse('社会保障卡卡号与卡识别码不一致');
      return { person: bySn.person, card: bySn.card };
    }
    if (!byNo) return refuse('未查询到该社会保障卡信息');
    return { person: byNo.person, card: byNo.card };
  }
  return refuse(`不支持的就诊凭证类型：${certType}`);
}
