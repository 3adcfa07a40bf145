import { KioskError } from '../../contract/errors.ts';
import type { Refused, Waiting } from '../../contract/dto/common.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { Tx } from '../../db/tx.ts';
import { err, ok, type Result } from '../../base/result.ts';
import { Discharge2402 } from '../../insurance/client/transactions/admission.ts';
import { chinaTime } from '../../base/china-time.ts';
import { enqueueFeeUpload } from '../charges/fee-upload.ts';
import { envelopeOf, type Steps } from './deps.ts';
import { needsPlatform, notDone } from './outcomes.ts';

/** The stay ready for 2303, or why it is not (yet): an expected outcome, not an exception. */
export type Prepared = Result<Admission, Waiting | Refused>;

/**
 * Waits for every open outbox item of the stay, in order; null when all are done, else why not. After each
 * wait the queue is asked again for the first item still open after it: the relay finishes a wave of 2301
 * batches in a few group commits, so the items done meanwhile are not waited for one by one (each wait reads
 * its item). Only ids are read here: the items' payloads (a 2301 batch's input is 20 KB) are the relay's.
 */
async function drain(d: Steps, adm: Admission): Promise<Waiting | Refused | null> {
  for (let after = 0; ; ) {
    const [id] = d.store.outbox.laterOpenIds(adm.iptNo, after);
    if (id === undefined) return null;
    const outcome = await d.outbox.settle(id, { timeoutMs: d.waitMs });
    if (outcome.state !== 'done' && outcome.state !== 'cancelled') return notDone(outcome);
    after = id;
  }
}

/** Steps up to 2402: every fee line sent, every earlier transaction of the stay done, the discharge registered. */
export async function prepare(d: Steps, adm0: Admission, dischargeDiagnosisCode: string | undefined): Promise<Prepared> {
  const { store } = d;
  if (!adm0.mdtrtId) {
    if (adm0.status === 'queued') return err(needsPlatform('该患者的入院登记尚未上传医保平台，出院结算', 'not-registered'));
    // A 自费 stay kept here only (its refusal was not one a filing can cure: no 2401 was ever queued). This
    // terminal settles with the platform only; the hospital's own billing takes the full amount.
    if (!d.store.outbox.statesByVisit(adm0.iptNo).some((i) => i.infno === '2401')) {
      throw new KioskError('ADMISSION_STATE', `住院号 ${adm0.iptNo} 按自费登记，未在医保平台办理入院，本机不能为其医保结算。`, [
        '请在医院收费系统按自费办理出院结算。',
        '出院后患者可凭发票、费用清单、出院小结到参保地医保经办机构申请零星报销。',
      ]);
    }
    throw new KioskError('ADMISSION_STATE', `住院号 ${adm0.iptNo} 没有医保就诊ID（状态：${adm0.status}），不能医保结算。`, ['请在“队列”中查看其入院登记（2401）的处理情况。']);
  }
  if (!d.outbox.online) return err(needsPlatform('出院结算'));
  // Nothing local left (a resumed or second call): no write transaction to open. The relay, idle, claims the
  // first batches in the same transaction (OutboxPort.claimWith): they go without a commit of their own.
  const fees = store.feeLines.anyInState(adm0.iptNo, 'local') ? store.write((tx) => queuedWith(d, tx, enqueueFeeUpload(tx, store, adm0, d.names))) : [];
  if (fees.length > 0) await d.step('charges-queued', adm0.iptNo);
  const uploading = await drain(d, adm0);
  if (uploading) return err(uploading);
  await d.step('charges-uploaded', adm0.iptNo);
  let adm = store.admissions.get(adm0.iptNo) ?? adm0;
  if (adm.status !== 'admitted') return ok(adm);

  if (!dischargeQueued(d, adm)) {
    const diag = dischargeDiagnosis(d, adm, dischargeDiagnosisCode);
    enqueueDischarge(d, adm, diag);
    await d.step('discharge-queued', adm.iptNo);
  }
  const discharging = await drain(d, adm);
  if (discharging) return err(discharging);
  adm = store.admissions.get(adm.iptNo) ?? adm;
  if (adm.status !== 'discharged') {
    throw new KioskError('ADMISSION_STATE', `出院登记（2402）已完成，但住院号 ${adm.iptNo} 的状态是“${adm.status}”。`, ['请联系信息科核对该住院登记。']);
  }
  await d.step('discharged', adm.iptNo);
  return ok(adm);
}

/**
 * Whether the stay already has a 2402 that was not cancelled. The endtime is written in the transaction that
 * queues the 2402 (enqueueDischarge), so a stay without one has none; only then is the queue read, and then
 * the items' states only (not the 2301 batches' inputs and answers).
 */
function dischargeQueued(d: Steps, adm: Admission): boolean {
  if (adm.endtime === null) return false;
  return d.store.outbox.statesByVisit(adm.iptNo).some((i) => i.infno === Discharge2402.infno && i.state !== 'cancelled');
}

function dischargeDiagnosis(d: Steps, adm: Admission, code: string | undefined): { code: string; name: string } {
  if (!code || code === adm.diagCode) return { code: adm.diagCode, name: adm.diagName };
  const found = d.diagnoses.get(code);
  if (!found) throw new KioskError('INVALID_ARGUMENT', `出院诊断编码 ${code} 不在诊断目录中。`, ['请从诊断搜索结果中选择出院诊断。']);
  return found;
}

/** Items just queued in `tx`, claimed there by the relay when it is idle (OutboxPort.claimWith). */
function queuedWith(d: Steps, tx: Tx, items: OutboxItem[]): OutboxItem[] {
  d.outbox.claimWith(tx, items);
  return items;
}

/**
 * endtime and the 2402 item, in one transaction (and its claim when the relay is idle); the input is the 2402
 * codec's (医嘱离院, one main diagnosis).
 */
function enqueueDischarge(d: Steps, adm: Admission, diag: { code: string; name: string }): void {
  const { store } = d;
  const mdtrtId = adm.mdtrtId as string;
  store.write((tx) => {
    const endtime = chinaTime(tx.now).dateTime;
    store.admissions.setEndtime(tx, adm.iptNo, endtime);
    const item = store.outbox.enqueue(tx, {
      visitKey: adm.iptNo,
      infno: Discharge2402.infno,
      input: Discharge2402.encode({
        dscginfo: {
          mdtrt_id: mdtrtId,
          psn_no: adm.psnNo,
          insutype: adm.insutype,
          endtime,
          dise_codg: '',
          dise_name: '',
          dscg_dept_codg: adm.deptCode,
          dscg_dept_name: adm.deptName,
          dscg_bed: adm.bed,
          dscg_way: '1', // 医嘱离院
        },
        diseinfo: [
          {
            diag_type: '1',
            maindiag_flag: '1',
            diag_srt_no: 1,
            diag_code: diag.code,
            diag_name: diag.name,
            diag_dept: adm.deptCode,
            dise_dor_no: adm.atddrNo,
            dise_dor_name: adm.chfpdrName,
            diag_time: endtime,
          },
        ],
      }),
      psnNo: adm.psnNo,
      envelope: envelopeOf(d, adm),
    });
    queuedWith(d, tx, [item]);
  });
}
