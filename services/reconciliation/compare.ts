import { maskName } from '../../contract/mask.ts';
import { formatYuan } from '../charges/decimal.ts';

/**
 * The detail reconciliation (3202) as the terminal reads it. Both sides list records of the day: a
 * settlement (2304) is one record, its reversal (2305) another with negative amounts and its own setl_id
 * (退费结算, refd_setl_flag 1). A settlement erased by 2601 is no record at all. Records are matched by
 * setl_id, else by msgid: the 2304 msgid is medins_setl_id, so an attempt whose answer was lost (known here
 * only by its msgid) is still found. Pure.
 */
export interface LocalRecord {
  kind: 'settle' | 'refund';
  settlementId: number;
  iptNo: string;
  /** The patient's name, masked in every message. */
  name: string | null;
  setlId: string | null;
  msgid: string | null;
  /** settled/reversed: a record the platform must have; pending/failed: an attempt it must NOT have. */
  status: 'pending' | 'settled' | 'reversed' | 'failed';
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
  cashFen: number;
}

export interface PlatformRecord {
  kind: 'settle' | 'refund';
  setlId: string | null;
  msgid: string | null;
  mdtrtId: string | null;
  psnNo: string | null;
  medfeeFen: number;
  fundFen: number;
  acctFen: number;
}

export interface Mismatch {
  kind: 'missing-locally' | 'missing-on-platform' | 'amount-differs';
  setlId: string | null;
  msgid: string | null;
  detail: string;
}

const who = (l: LocalRecord) => `住院号${l.iptNo}${l.name ? `（${maskName(l.name)}）` : ''}`;
const money = (fen: number) => `${formatYuan(fen)}元`;
const what = (kind: 'settle' | 'refund') => (kind === 'settle' ? '结算' : '结算撤销（退费结算）');

export function compareDetails(local: readonly LocalRecord[], platform: readonly PlatformRecord[]): Mismatch[] {
  const out: Mismatch[] = [];
  const key = (kind: string, id: string) => `${kind}\u0000${id}`;
  const bySetl = new Map(local.filter((l) => l.setlId).map((l) => [key(l.kind, l.setlId!), l]));
  const byMsgid = new Map(local.filter((l) => l.msgid).map((l) => [key(l.kind, l.msgid!), l]));
  const matched = new Set<LocalRecord>();

  for (const p of platform) {
    const l = (p.setlId ? bySetl.get(key(p.kind, p.setlId)) : undefined) ?? (p.msgid ? byMsgid.get(key(p.kind, p.msgid)) : undefined);
    const head = `医保平台有${what(p.kind)} ${p.setlId ?? '（无结算ID）'}（就诊ID ${p.mdtrtId ?? '?'}，报文 ${p.msgid ?? '?'}，医疗费 ${money(p.medfeeFen)}，基金 ${money(p.fundFen)}）`;
    if (!l) {
      out.push({
        kind: 'missing-locally',
        setlId: p.setlId,
        msgid: p.msgid,
        detail: `${head}，本机没有这笔记录：可能是结果未明却未冲正的交易，或在其他终端办理。请核对后冲正（2601）或补记。`,
      });
      continue;
    }
    matched.add(l);
    if (l.status === 'pending' || l.status === 'failed') {
      out.push({
        kind: 'missing-locally',
        setlId: p.setlId,
        msgid: p.msgid,
        detail: `${head}，本机该${what(p.kind)}（${who(l)}）为“${l.status === 'pending' ? '结果未明' : '未成功'}”，平台却已生效：请立即冲正（2601，原报文 ${p.msgid ?? '?'}），或按平台结果补记本机记录。`,
      });
      continue;
    }
    const diffs: string[] = [];
    if (l.medfeeFen !== p.medfeeFen) diffs.push(`医疗费 本机${money(l.medfeeFen)} / 平台${money(p.medfeeFen)}`);
    if (l.fundFen !== p.fundFen) diffs.push(`基金支付 本机${money(l.fundFen)} / 平台${money(p.fundFen)}`);
    if (l.acctFen !== p.acctFen) diffs.push(`个人账户 本机${money(l.acctFen)} / 平台${money(p.acctFen)}`);
    if (diffs.length > 0) out.push({ kind: 'amount-differs', setlId: p.setlId, msgid: p.msgid, detail: `${who(l)}的${what(p.kind)} ${p.setlId ?? ''} 金额不一致：${diffs.join('；')}。` });
  }

  for (const l of local) {
    if (matched.has(l) || l.status === 'pending' || l.status === 'failed') continue;
    out.push({
      kind: 'missing-on-platform',
      setlId: l.setlId,
      msgid: l.msgid,
      detail: `本机有${who(l)}的${what(l.kind)} ${l.setlId ?? ''}（医疗费 ${money(l.medfeeFen)}，个人现金 ${money(l.cashFen)}），医保平台没有这笔记录。请联系医保办核查。`,
    });
  }
  return out;
}
