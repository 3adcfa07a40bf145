import { KioskError } from '../../contract/errors.ts';
import type { SettleOutcome } from '../../contract/dto/settlement.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import { Settle2304 } from '../../insurance/client/transactions/settlement.ts';
import { admissionOrThrow } from '../charges/charges-service.ts';
import { cancelItem } from '../sync/operator-actions.ts';
import { settlementRequest } from './bill.ts';
import { envelopeOf, type Steps } from './deps.ts';
import { notDone, refused } from './outcomes.ts';
import { confirmed, preSettle2303, type PreSettled } from './pre-settle.ts';
import { prepare } from './prepare.ts';
import { settlementView } from './views.ts';
import type { SettlementBreakdown } from '../../contract/dto/settlement.ts';

/**
 * discharge.settle: 2304 for the amounts the patient confirmed, then 多退少补 (written back by the relay with
 * the 2304, under the cashier who queued it). Called again, it resumes: a settlement done or under way is
 * answered from its own 2304 item, never a second one.
 */
export async function settle(d: Steps, args: { admissionId: string; pin?: string | undefined; resumeOnly?: boolean | undefined }): Promise<SettleOutcome> {
  const { store } = d;
  const adm0 = admissionOrThrow(store, args.admissionId);
  const live = store.settlements.liveFor(adm0.iptNo);
  if (live?.status === 'settled') {
    await d.step('settled', adm0.iptNo);
    return { outcome: 'settled', settlement: settlementView(live) };
  }
  if (live?.status === 'pending') {
    const item = store.outbox.statesByVisit(adm0.iptNo).filter((i) => i.infno === Settle2304.infno && i.state !== 'cancelled').at(-1);
    if (!item) throw new Error(`pending settlement ${live.id} of ${adm0.iptNo} has no 2304 outbox item`);
    return awaitSettlement(d, adm0, item.id);
  }
  // A screen that only asks how the last settlement ended (the kiosk's 查询结算结果) must not start one: a new
  // 2304 needs the patient's confirmation of the figures on this visit.
  if (args.resumeOnly) return refused('stay', '这次结算没有完成，没有正在办理的结算。', ['请重新核对费用后再确认结算，或到出院结算窗口办理。']);
  if (adm0.status === 'settled') throw new KioskError('ADMISSION_STATE', `住院号 ${adm0.iptNo} 已结算。`, []);
  const shown = confirmed(d, adm0.iptNo);
  if (!shown) throw new KioskError('ADMISSION_STATE', '请先预结算，并请患者确认结算金额。', []);

  const prepared = await prepare(d, adm0, undefined);
  if (!prepared.ok) return prepared.error;
  const adm = prepared.value;
  const now = await preSettle2303(d, adm);
  if (!now.ok) return now.error;
  if (!sameAmounts(now.value.breakdown, shown.breakdown)) {
    return refused('confirm-again', '结算金额与患者确认的预结算不一致（费用或预交金有变化）。', ['请重新预结算，并请患者再次确认。']);
  }
  const pinAsked = now.value.pinRequired || shown.pinRequired;
  if (pinAsked) {
    const checked = await checkPin(d, adm, args.pin);
    if (checked) return checked;
  }
  const item = enqueueSettlement(d, adm, now.value, pinAsked);
  await d.step('settle-queued', adm.iptNo);
  return awaitSettlement(d, adm, item.id);
}

/** The card PIN when the platform asks for it: null when it checks out, else what the screen must do. */
async function checkPin(d: Steps, adm: Admission, pin: string | undefined): Promise<SettleOutcome | null> {
  if (!pin) return { outcome: 'pin-required', message: '医保平台要求患者输入社会保障卡密码后才能结算。', guidance: ['请患者在密码键盘上输入6位密码。'] };
  if (!d.pin) return refused('card', '本终端无法校验社会保障卡密码。', ['请到人工窗口办理出院结算。']);
  const checked = await d.pin.verify(adm, pin);
  if (checked.ok) return null;
  return checked.final ? refused('card', checked.message, checked.guidance) : { outcome: 'pin-required', message: checked.message, guidance: checked.guidance };
}

/**
 * A pending settlement row and its 2304 item under one new msgid, in one transaction, with the audit row, and
 * the item's claim when the relay is idle (OutboxPort.claimWith: sent once this is on disk).
 */
function enqueueSettlement(d: Steps, adm: Admission, pre: PreSettled, pin: boolean): OutboxItem {
  const { store } = d;
  const request = settlementRequest(store, adm, pre.bill);
  return store.write((tx) => {
    // The item draws its msgid and its row is the msgid's record (SqliteMsgidSequence.nextForOutboxRow): no write
    // of the sequence's row. The settlement row takes the same msgid in the same transaction.
    const queued = store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: Settle2304.infno, input: Settle2304.encode(request), psnNo: adm.psnNo, envelope: envelopeOf(d, adm) });
    const { msgid } = queued;
    const s = store.settlements.open(tx, { iptNo: adm.iptNo, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid });
    store.audit.append(tx, {
      actor: `opter:${d.opterNo()}`,
      action: 'discharge.settle',
      subject: `settlement:${s.id}`,
      detail: { visit: adm.iptNo, msgid, outbox: queued.id, medfeeFen: request.medfee_sumamt, psnCashPayFen: pre.breakdown.psnCashPayFen, pin },
    });
    d.outbox.claimWith(tx, [queued]);
    return queued;
  });
}

/** Waits for the 2304 item; the relay has written the settlement back by the time it is done. */
async function awaitSettlement(d: Steps, adm: Admission, itemId: number): Promise<SettleOutcome> {
  const { store } = d;
  const outcome = await d.outbox.settle(itemId, { timeoutMs: d.waitMs });
  if (outcome.state === 'done') {
    const s = store.settlements.byMsgid(outcome.item.msgid) ?? store.settlements.liveFor(adm.iptNo);
    // The platform settled and the write-back did not record it: a defect for a person to repair (audited).
    if (!s || s.status !== 'settled') throw new Error(`2304 item ${itemId} is done but settlement of ${adm.iptNo} is ${s?.status ?? 'missing'}`);
    await d.step('settled', adm.iptNo);
    return { outcome: 'settled', settlement: settlementView(s) };
  }
  if (outcome.state === 'dead') {
    // A refused 2304 blocks the stay's queue: close it (the settlement row fails with it) so a corrected
    // settlement can go; the client has already sent its precautionary 2601.
    cancelItem(store, d.writeBack, itemId, `结算被医保平台拒绝：${outcome.item.lastError ?? ''}`, { actor: `opter:${d.opterNo()}` });
    return refused('platform', `医保平台未受理住院结算（2304）：${outcome.item.lastError ?? ''}`, ['请核对费用与患者信息后重新预结算。', '仍不能结算时请联系本院医保办核对原因；请不要让患者先全额缴费。']);
  }
  if (outcome.state === 'cancelled') return refused('stay', '该结算交易已被取消。', ['请重新预结算。']);
  return notDone(outcome);
}

/** The patient confirmed these amounts: every figure must match (the deposit too: 多退少补 is part of it). */
export function sameAmounts(a: SettlementBreakdown, b: SettlementBreakdown): boolean {
  return (Object.keys(a) as Array<keyof SettlementBreakdown>).every((k) => a[k] === b[k]);
}
