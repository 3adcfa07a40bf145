import { KioskError } from '../../contract/errors.ts';
import type { ReverseOutcome } from '../../contract/dto/settlement.ts';
import type { Settlement } from '../../db/repositories/settlements.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import { CancelSettlement2305 } from '../../insurance/client/transactions/settlement.ts';
import { admissionOrThrow } from '../charges/charges-service.ts';
import { cancelItem } from '../sync/operator-actions.ts';
import { envelopeOf, type Steps } from './deps.ts';
import { needsPlatform, notDone, refused } from './outcomes.ts';
import { settlementView } from './views.ts';

export interface ReverseRequest {
  settlementId: string;
  supervisorNo: string;
  supervisorPassword: string;
  reason: string;
}

/**
 * discharge.reverse: 2305 住院结算撤销 by a supervisor, with a reason. The relay writes the reversal back
 * (services/discharge/write-back.ts) in the transaction that completes the 2305; this step only queues it,
 * waits, and tells the screen how it went.
 */
export async function reverse(d: Steps, r: ReverseRequest): Promise<ReverseOutcome> {
  const { store } = d;
  authorise(d, r);
  const s0 = Number.isSafeInteger(Number(r.settlementId)) ? store.settlements.get(Number(r.settlementId)) : null;
  if (!s0 || (s0.status !== 'settled' && s0.status !== 'reversed')) throw new KioskError('SETTLEMENT_NOT_FOUND', `未找到结算记录 ${r.settlementId}。`, ['请从结算列表中选择。']);
  if (s0.status === 'reversed') return { outcome: 'reversed', settlement: settlementView(s0) };
  const adm = admissionOrThrow(store, s0.iptNo);
  let item = store.outbox.statesByVisit(adm.iptNo).filter((i) => i.infno === CancelSettlement2305.infno && !['done', 'cancelled'].includes(i.state)).at(-1);
  if (!item) {
    if (!d.outbox.online) return needsPlatform('撤销结算');
    item = enqueueReversal(d, s0, r);
  }
  const outcome = await d.outbox.settle(item.id, { timeoutMs: d.waitMs });
  if (outcome.state === 'done') {
    d.log.info('settlement reversed', { visit: adm.iptNo, settlement: s0.id });
    return { outcome: 'reversed', settlement: settlementView(store.settlements.get(s0.id)!) };
  }
  if (outcome.state === 'dead') {
    cancelItem(store, d.writeBack, item.id, `撤销结算被医保平台拒绝：${outcome.item.lastError ?? ''}`, { actor: `supervisor:${r.supervisorNo}` });
    return refused('platform', `医保平台未受理住院结算撤销（2305）：${outcome.item.lastError ?? ''}`, ['结算仍然有效。请核对后再试，或联系医保办。']);
  }
  if (outcome.state === 'cancelled') return refused('stay', '该撤销交易已被取消，结算仍然有效。', []);
  return notDone(outcome);
}

/** The supervisor's own 工号 and password (services/operator/approval.ts), audited either way; a refusal is an error. */
function authorise(d: Steps, r: ReverseRequest): void {
  d.supervisors.require(r.supervisorNo, r.supervisorPassword, `settlement:${r.settlementId}`);
}

/** The 2305 item (the 2305 codec's input) and the audit row that carries the supervisor's reason. */
function enqueueReversal(d: Steps, s: Settlement, r: ReverseRequest): OutboxItem {
  const { store } = d;
  const adm = admissionOrThrow(store, s.iptNo);
  return store.write((tx) => {
    const queued = store.outbox.enqueue(tx, {
      visitKey: adm.iptNo,
      infno: CancelSettlement2305.infno,
      input: CancelSettlement2305.encode({ mdtrt_id: s.mdtrtId ?? (adm.mdtrtId as string), setl_id: s.setlId as string, psn_no: s.psnNo }),
      psnNo: s.psnNo,
      envelope: envelopeOf(d, adm),
    });
    store.audit.append(tx, {
      actor: `supervisor:${r.supervisorNo}`,
      action: 'discharge.reverse-requested',
      subject: `settlement:${s.id}`,
      detail: { visit: adm.iptNo, setlId: s.setlId, outbox: queued.id, reason: r.reason, operator: d.opterNo() },
    });
    return queued;
  });
}
