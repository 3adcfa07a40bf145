import { maskName } from '../../contract/mask.ts';
import { formatYuan } from '../charges/decimal.ts';

/**
 * The detail reconciliation (3202) as the terminal reads it: every settlement of the day on one side, every
 * settlement the platform holds for the hospital on the other, matched by setl_id, else by msgid (the 2304
 * msgid is medins_setl_id: a settlement whose answer was lost is known locally only by it). Pure.
 */
export interface LocalSettlementRow {
  settlementId: number;
  iptNo: string;
  /** The patient's name, masked on output. */
  name: string | null;
  setlId: string | null;
  msgid: string | null;
  mdtrtId: string | null;
  status: 'pending' | 'settled' | 'reversed' | 'failed';
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
}

export interface PlatformSettlementRow {
  setlId: string | null;
  msgid: string | null;
  mdtrtId: string | null;
  psnNo: string | null;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  /** The settlement was reversed (2305/2601) on the platform: refd_setl_flag 1. */
  reversed: boolean;
}

export interface Mismatch {
  kind: 'missing-locally' | 'missing-on-platform' | 'amount-differs';
  setlId: string | null;
  msgid: string | null;
  detail: string;
}

const who = (l: LocalSettlementRow) => `住院号${l.iptNo}${l.name ? `（${maskName(l.name)}）` : ''}`;
const money = (fen: number) => `${formatYuan(fen)}元`;

export function compareDetails(local: readonly LocalSettlementRow[], platform: readonly PlatformSettlementRow[]): Mismatch[] {
  const out: Mismatch[] = [];
  const bySetl = new Map(local.filter((l) => l.setlId).map((l) => [l.setlId!, l]));
  const byMsgid = new Map(local.filter((l) => l.msgid).map((l) => [l.msgid!, l]));
  const matched = new Set<number>();

  for (const p of platform) {
    const l = (p.setlId ? bySetl.get(p.setlId) : undefined) ?? (p.msgid ? byMsgid.get(p.msgid) : undefined);
    if (!l || ((l.status === 'pending' || l.status === 'failed') && !p.reversed)) {
      if (p.reversed) continue; // reversed on the platform and unknown here: no money moved, nothing to settle
      const hint = l
        ? `本机该结算（${who(l)}）状态为“${l.status === 'pending' ? '结果未明' : '未成功'}”，平台却已结算：请立即冲正（2601，原报文 ${p.msgid ?? '?'}），或按平台结果补记本机结算。`
        : '本机没有这笔结算的记录：可能是结果未明而未冲正的结算，或在其他终端办理。请核对后冲正（2601）或补记。';
      out.push({
        kind: 'missing-locally',
        setlId: p.setlId,
        msgid: p.msgid,
        detail: `医保平台有结算 ${p.setlId ?? '（无结算ID）'}（就诊ID ${p.mdtrtId ?? '?'}，报文 ${p.msgid ?? '?'}，医疗费 ${money(p.medfeeFen)}，基金 ${money(p.fundFen)}），${hint}`,
      });
      if (l) matched.add(l.settlementId);
      continue;
    }
    matched.add(l.settlementId);
    if (l.status === 'reversed' && !p.reversed) {
      out.push({ kind: 'amount-differs', setlId: p.setlId, msgid: p.msgid, detail: `${who(l)}的结算 ${p.setlId ?? ''} 本机已撤销，医保平台仍为有效结算。请核对撤销（2305）是否成功。` });
      continue;
    }
    if (l.status === 'settled' && p.reversed) {
      out.push({ kind: 'amount-differs', setlId: p.setlId, msgid: p.msgid, detail: `${who(l)}的结算 ${p.setlId ?? ''} 在医保平台已撤销（或冲正），本机仍为有效结算。` });
      continue;
    }
    if (l.status === 'settled') {
      const diffs: string[] = [];
      if (l.medfeeFen !== p.medfeeFen) diffs.push(`医疗费 本机${money(l.medfeeFen)} / 平台${money(p.medfeeFen)}`);
      if (l.fundFen !== p.fundFen) diffs.push(`基金支付 本机${money(l.fundFen)} / 平台${money(p.fundFen)}`);
      if (l.acctFen !== p.acctFen) diffs.push(`个人账户 本机${money(l.acctFen)} / 平台${money(p.acctFen)}`);
      if (diffs.length > 0) out.push({ kind: 'amount-differs', setlId: p.setlId, msgid: p.msgid, detail: `${who(l)}的结算 ${p.setlId ?? ''} 金额不一致：${diffs.join('；')}。` });
    }
  }

  for (const l of local) {
    if (matched.has(l.settlementId) || l.status !== 'settled') continue;
    out.push({
      kind: 'missing-on-platform',
      setlId: l.setlId,
      msgid: l.msgid,
      detail: `本机有${who(l)}的结算 ${l.setlId ?? ''}（医疗费 ${money(l.medfeeFen)}，个人现金 ${money(l.cashFen)}），医保平台没有这笔结算。请联系医保办核查。`,
    });
  }
  return out;
}
