import { z } from 'zod';
import type { KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { PreSettlement, SettlementBreakdown } from '../../contract/dto/settlement.ts';
import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import { SettlementOutput } from '../../insurance/client/transactions/settlement.ts';
import { toKioskError } from '../../insurance/client/kiosk-errors.ts';
import { selfPayGuidance } from '../eligibility/policy/guidance.ts';
import { cancelItem } from '../sync/operator-actions.ts';
import { type Clock } from '../../base/clock.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { OperatorPort, OutboxOutcome, OutboxPort } from '../context.ts';
import type { Logger } from '../logging/logger.ts';
import { admissionOrThrow } from '../charges/charges-service.ts';
import { enqueueFeeUpload, openItems, type Names } from '../charges/fee-upload.ts';
import { formatYuan as yuan } from '../charges/decimal.ts';
import { countsInBill } from '../charges/totals.ts';
import { billTotals, settlementRequest, wireSettlementInput, type BillTotals } from './bill.ts';
import { finishReversal, finishSettlement } from './finish.ts';
import { platformAsksPin, type PinVerifier } from './pin.ts';
import type { SupervisorGate } from './supervisors.ts';
import { admissionView, heldFen, settlementView } from './views.ts';

/**
 * 出院结算 as a step machine persisted in the store. Every step's outcome is on disk before the next starts,
 * and each step looks at what is on disk to know whether it still has work, so `settle` called again after a
 * crash or a timeout continues where the last run stopped:
 *
 *   charges-queued   local fee lines → 2301 outbox items (one transaction)
 *   charges-uploaded every open item of the stay is done (2301/2302 results written back by the relay)
 *   discharge-queued endtime + 2402 outbox item (one transaction)
 *   discharged       2402 done (admission status discharged)
 *   presettled       2303 shown to the patient; its breakdown kept in the audit log (what was confirmed)
 *   settle-queued    a pending settlement row and its 2304 outbox item under a new msgid (one transaction)
 *   settled          2304 done: setl_id, split, 多退少补 movement and status, in the relay's transaction
 *
 * Never twice: a stay has at most one live settlement (a unique index), a pending settlement is only ever
 * finished through its own 2304 item, and that item is never resent under its msgid nor replaced by a new one
 * before a 2601 for it has been answered (the relay and the client enforce it: see services/sync/relay.ts).
 */
export type DischargeStep = 'charges-queued' | 'charges-uploaded' | 'discharge-queued' | 'discharged' | 'presettled' | 'settle-queued' | 'settled';

export interface DischargeDeps {
  store: Store;
  platform: PlatformClient;
  outbox: OutboxPort;
  operators: OperatorPort;
  clock: Clock;
  log: Logger;
  names: Names;
  /** Discharge diagnosis names (the ICD-10 list of the admission desk). */
  diagnoses: { get(code: string): { code: string; name: string } | null };
  supervisors: SupervisorGate;
  /** Checks the patient's PIN against the card when the platform asks for one; null: none on this terminal. */
  pin: PinVerifier | null;
  /** How long one wait for the platform lasts before the caller gets an answer (the work goes on). */
  waitMs?: number;
  /** Called after each step is on disk (tests kill the process here). */
  onStep?: (step: DischargeStep, iptNo: string) => void | Promise<void>;
}

type Discharge = KioskServices['discharge'];

const PRESETTLED = 'discharge.presettled';

/** 2303 through client.call: the typed output plus the raw one (the PIN request rides in exp_content). */
const PreSettleAnswer = z.unknown().transform((raw, ctx) => {
  const typed = SettlementOutput.safeParse(raw);
  if (!typed.success) {
    ctx.addIssue({ code: 'custom', message: typed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return z.NEVER;
  }
  return { typed: typed.data, raw };
});

export function needsPlatform(what: string, emergency: boolean): KioskError {
  return new KioskError('SETTLEMENT_NEEDS_PLATFORM', `${what}需要连接医保平台，当前无法连接。`, [
    '可以等待网络恢复后再办理结算（费用和登记信息已保存在本机，恢复后自动上传）。',
    '患者不愿等待的：可全额自费结账，出院后到参保地申请零星报销：',
    ...selfPayGuidance(emergency).map((r) => r.text),
  ]);
}

export function createDischargeService(deps: DischargeDeps): Discharge {
  const { store, clock } = deps;
  const log = deps.log.child('discharge');
  const waitMs = deps.waitMs ?? 60_000;
  const step = async (s: DischargeStep, iptNo: string) => {
    log.info('discharge step', { visit: iptNo, step: s });
    await deps.onStep?.(s, iptNo);
  };
  const opterNo = () => deps.operators.current().opter;

  /** Waits for every open outbox item of the stay, in order; explains in Chinese why one is not done. */
  async function drain(adm: Admission, emergency: boolean): Promise<void> {
    for (const item of openItems(store, adm.iptNo)) {
      const outcome = await deps.outbox.settle(item.id, { timeoutMs: waitMs });
      if (outcome.state === 'done' || outcome.state === 'cancelled') continue;
      throw notDone(outcome, emergency);
    }
  }

  function notDone(outcome: Exclude<OutboxOutcome, { state: 'done' | 'cancelled' }>, emergency: boolean): KioskError {
    const item = outcome.item;
    const what = itemName(item);
    if (outcome.state === 'dead') {
      return new KioskError('PLATFORM_REFUSED', `医保平台未受理${what}：${item.lastError ?? ''}`, [
        '请在“队列”中查看该交易：修正后重试，或取消。',
        '处理完成后再继续出院结算。',
      ]);
    }
    if (outcome.reason === 'offline') return needsPlatform('出院结算', emergency);
    if (outcome.reason === 'unknown') {
      return new KioskError('PLATFORM_OUTCOME_UNKNOWN', `${what}的结果未明，系统正在向医保平台冲正（2601）后重新办理。`, [
        '请勿重复收费或重复结算。',
        '稍候点击“继续结算”，系统会从中断处继续，不会重复结算。',
      ]);
    }
    return new KioskError('PLATFORM_OUTCOME_UNKNOWN', `正在等待医保平台处理${what}。`, ['请稍候点击“继续结算”，系统会从中断处继续，不会重复结算。']);
  }

  /** Steps up to 2402: every fee line sent, every earlier transaction of the stay done, the discharge registered. */
  async function prepare(adm0: Admission, dischargeDiagnosisCode: string | undefined): Promise<Admission> {
    let adm = adm0;
    const emergency = adm.admissionType === 'emergency';
    if (!adm.mdtrtId) {
      if (adm.status === 'queued') throw needsPlatform('该患者的入院登记尚未上传医保平台，出院结算', emergency);
      throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 没有医保就诊ID（状态：${adm.status}），不能医保结算。`, ['请在“队列”中查看其入院登记（2401）的处理情况。']);
    }
    if (!deps.outbox.online) throw needsPlatform('出院结算', emergency);
    const fees = store.write((tx) => enqueueFeeUpload(tx, store, adm, deps.names));
    if (fees.length > 0) await step('charges-queued', adm.iptNo);
    await drain(adm, emergency);
    await step('charges-uploaded', adm.iptNo);
    adm = store.admissions.get(adm.iptNo) ?? adm;
    if (adm.status === 'admitted') {
      const already = store.outbox.listByVisit(adm.iptNo).some((i) => i.infno === '2402' && i.state !== 'cancelled');
      if (!already) {
        const diag = dischargeDiagnosis(adm, dischargeDiagnosisCode);
        store.write((tx) => {
          const endtime = chinaTime(tx.now).dateTime;
          store.admissions.setEndtime(tx, adm.iptNo, endtime);
          store.outbox.enqueue(tx, {
            visitKey: adm.iptNo,
            infno: '2402',
            input: dischargeInput(adm, endtime, diag),
            msgid: store.msgids.next(tx.now),
            psnNo: adm.psnNo,
            envelope: envelopeOf(adm),
          });
        });
        await step('discharge-queued', adm.iptNo);
      }
      await drain(adm, emergency);
      adm = store.admissions.get(adm.iptNo) ?? adm;
      if (adm.status !== 'discharged') {
        throw new KioskError('ADMISSION_STATE', `出院登记（2402）已完成，但住院号 ${adm.iptNo} 的状态是“${adm.status}”。`, ['请联系信息科核对该住院登记。']);
      }
      await step('discharged', adm.iptNo);
    }
    return adm;
  }

  function dischargeDiagnosis(adm: Admission, code: string | undefined): { code: string; name: string } {
    if (!code || code === adm.diagCode) return { code: adm.diagCode, name: adm.diagName };
    const found = deps.diagnoses.get(code);
    if (!found) throw new KioskError('INVALID_ARGUMENT', `出院诊断编码 ${code} 不在诊断目录中。`, ['请从诊断搜索结果中选择出院诊断。']);
    return found;
  }

  function envelopeOf(adm: Admission) {
    const op = deps.operators.current();
    return { insuplc_admdvs: adm.insuplcAdmdvs, opter: op.opter, opter_name: op.opter_name, opter_type: op.opter_type };
  }

  function dischargeInput(adm: Admission, endtime: string, diag: { code: string; name: string }) {
    return {
      dscginfo: {
        mdtrt_id: adm.mdtrtId,
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
          mdtrt_id: adm.mdtrtId,
          psn_no: adm.psnNo,
          diag_type: '1',
          maindiag_flag: '1',
          diag_srt_no: 1,
          diag_code: diag.code,
          diag_name: diag.name,
          adm_cond: '',
          diag_dept: adm.deptCode,
          dise_dor_no: adm.atddrNo,
          dise_dor_name: adm.chfpdrName,
          diag_time: endtime,
        },
      ],
    };
  }

  /** A bill with no line: nothing to settle, and no 出院登记 (2402) that would fail on the platform. */
  function assertHasCharges(adm: Admission): void {
    if (store.feeLines.byVisit(adm.iptNo).some((l) => countsInBill(l.state))) return;
    throw new KioskError('CHARGES_MISSING', `住院号 ${adm.iptNo} 尚无费用明细，未办理出院登记。`, ['请先导入 HIS 费用文件或录入费用，再预结算。']);
  }

  /** 2303 now, for the stay as it is on disk. */
  async function preSettle2303(adm: Admission): Promise<{ breakdown: SettlementBreakdown; pinRequired: boolean; bill: BillTotals }> {
    const bill = billTotals(store, adm.iptNo);
    if (bill.lineCount === 0) throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 没有已上传的费用明细，无法结算。`, ['请先导入或录入费用并上传。']);
    const request = settlementRequest(store, adm, bill);
    let answer;
    try {
      answer = await deps.platform.call(
        { infno: '2303', input: wireSettlementInput(request), insuplc_admdvs: adm.insuplcAdmdvs, visitKey: adm.iptNo, operator: deps.operators.current() },
        PreSettleAnswer,
      );
    } catch (e) {
      const k = toKioskError(e);
      if (k.code === 'PLATFORM_OFFLINE') throw needsPlatform('出院预结算', adm.admissionType === 'emergency');
      throw k;
    }
    const info = answer.output.typed.setlinfo;
    if (info.medfee_sumamt !== bill.medfeeSumamtFen) {
      throw new KioskError('ADMISSION_STATE', `医保平台的医疗费总额（${yuan(info.medfee_sumamt)}元）与本机已上传明细合计（${yuan(bill.medfeeSumamtFen)}元）不一致。`, [
        '可能有明细撤销（2302）或上传尚未完成，请刷新费用并重新预结算。',
        '仍不一致时请联系信息科用费用明细查询（5204）核对。',
      ]);
    }
    const held = heldFen(store, adm.iptNo);
    const breakdown: SettlementBreakdown = {
      medfeeSumamtFen: info.medfee_sumamt,
      fulamtOwnpayFen: info.fulamt_ownpay_amt,
      overlmtSelfpayFen: info.overlmt_selfpay,
      preselfpayFen: info.preselfpay_amt,
      inscpScpFen: info.inscp_scp_amt,
      actPayDedcFen: info.act_pay_dedc,
      hifpPayFen: info.hifp_pay,
      hifmiPayFen: info.hifmi_pay,
      mafPayFen: info.maf_pay,
      fundPaySumamtFen: info.fund_pay_sumamt,
      acctPayFen: info.acct_pay,
      psnCashPayFen: info.psn_cash_pay,
      depositFen: held,
      dueFen: info.psn_cash_pay - held,
    };
    return { breakdown, pinRequired: platformAsksPin(answer.output.raw), bill };
  }

  /** What the patient confirmed last: the breakdown recorded at the last preSettle. */
  function confirmed(iptNo: string): { breakdown: SettlementBreakdown; pinRequired: boolean } | null {
    const e = store.audit
      .list({ subject: `admission:${iptNo}` })
      .filter((x) => x.action === PRESETTLED)
      .at(-1);
    if (!e) return null;
    return { breakdown: e.detail.breakdown as SettlementBreakdown, pinRequired: e.detail.pinRequired === true };
  }

  /** Waits for a 2304 or 2305 item and finishes its effects; explains when it is not done. */
  async function awaitSettlementItem(adm: Admission, item: OutboxItem) {
    const outcome = await deps.outbox.settle(item.id, { timeoutMs: waitMs });
    if (outcome.state === 'done') {
      return store.write((tx) => finishSettlement(tx, store, outcome.item, outcome.item.output, opterNo()));
    }
    if (outcome.state === 'dead') {
      // A refused 2304 blocks the stay's queue: close it (the settlement row fails with it) so a corrected
      // settlement can go; the client has already sent its precautionary 2601.
      cancelItem(store, item.id, `结算被医保平台拒绝：${outcome.item.lastError ?? ''}`, { actor: `opter:${opterNo()}` });
      throw new KioskError('PLATFORM_REFUSED', `医保平台未受理住院结算（2304）：${outcome.item.lastError ?? ''}`, ['请核对费用与患者信息后重新预结算。', '无法直接结算时，可全额自费后申请零星报销。']);
    }
    if (outcome.state === 'cancelled') {
      throw new KioskError('ADMISSION_STATE', '该结算交易已被取消。', ['请重新预结算。']);
    }
    throw notDone(outcome, adm.admissionType === 'emergency');
  }

  return {
    /**
     * Stays of this terminal's store that can be discharged (admitted, or discharged and not yet settled), by
     * 住院号 (or its tail), psn_no, mdtrt_id, bed or name. 5303 is not asked: a stay the platform knows but
     * this store does not (admitted at another terminal) has no local charges or deposits to settle here.
     */
    async openStays({ q }) {
      const stays = [...store.admissions.list({ status: 'admitted', limit: 1000 }), ...store.admissions.list({ status: 'discharged', limit: 1000 })];
      const needle = q?.trim() ?? '';
      const now = clock.now();
      return stays
        .filter(
          (a) =>
            needle === '' ||
            a.iptNo === needle ||
            a.iptNo.endsWith(needle) ||
            a.psnNo === needle ||
            a.mdtrtId === needle ||
            a.bed === needle ||
            (store.persons.get(a.psnNo)?.psnName ?? '').includes(needle),
        )
        .sort((a, b) => a.begntime.localeCompare(b.begntime))
        .map((a) => admissionView(store, a, now));
    },

    async preSettle({ admissionId, dischargeDiagnosisCode }) {
      let adm = admissionOrThrow(store, admissionId);
      if (adm.status === 'settled') throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 已结算。`, ['可在结算记录中补打结算单；如需重新结算，请由主管先撤销结算。']);
      if (store.settlements.liveFor(adm.iptNo)?.status === 'pending') {
        throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 的结算正在进行中。`, ['请点击“继续结算”完成它，不要重新预结算。']);
      }
      assertHasCharges(adm);
      adm = await prepare(adm, dischargeDiagnosisCode);
      const pre = await preSettle2303(adm);
      const computedAt = chinaTime(clock.now()).dateTime;
      store.write((tx) =>
        store.audit.append(tx, {
          actor: `opter:${opterNo()}`,
          action: PRESETTLED,
          subject: `admission:${adm.iptNo}`,
          detail: { breakdown: pre.breakdown, pinRequired: pre.pinRequired, lines: pre.bill.lineCount },
        }),
      );
      await step('presettled', adm.iptNo);
      const refusedLines = store.feeLines
        .byVisit(adm.iptNo)
        .filter((l) => l.state === 'refused')
        .map((l) => ({ feedetlSn: l.feedetlSn, reason: l.refusal ?? '医保平台拒收' }));
      const result: z.input<typeof PreSettlement> = { admissionId: adm.iptNo, breakdown: pre.breakdown, pinRequired: pre.pinRequired, refusedLines, computedAt };
      return result;
    },

    async settle({ admissionId, pin }) {
      let adm = admissionOrThrow(store, admissionId);
      // Resume: a settlement already done, or one under way (its 2304 item decides, never a second one).
      const live = store.settlements.liveFor(adm.iptNo);
      if (live?.status === 'settled') {
        const item = store.outbox.listByVisit(adm.iptNo).filter((i) => i.infno === '2304' && i.state === 'done').at(-1);
        if (item) store.write((tx) => finishSettlement(tx, store, item, item.output, opterNo()));
        await step('settled', adm.iptNo);
        return settlementView(store.settlements.get(live.id)!);
      }
      if (live?.status === 'pending') {
        const item = store.outbox.listByVisit(adm.iptNo).filter((i) => i.infno === '2304' && i.state !== 'cancelled').at(-1);
        if (!item) throw new Error(`pending settlement ${live.id} of ${adm.iptNo} has no 2304 outbox item`);
        const done = await awaitSettlementItem(adm, item);
        await step('settled', adm.iptNo);
        return settlementView(done!);
      }
      if (adm.status === 'settled') throw new KioskError('ADMISSION_STATE', `住院号 ${adm.iptNo} 已结算。`, []);

      const shown = confirmed(adm.iptNo);
      if (!shown) throw new KioskError('ADMISSION_STATE', '请先预结算，并请患者确认结算金额。', []);
      adm = await prepare(adm, undefined);
      const now = await preSettle2303(adm);
      if (!sameAmounts(now.breakdown, shown.breakdown)) {
        throw new KioskError('ADMISSION_STATE', '结算金额与患者确认的预结算不一致（费用或预交金有变化）。', ['请重新预结算，并请患者再次确认。']);
      }
      if (now.pinRequired || shown.pinRequired) {
        if (!pin) throw new KioskError('PIN_REQUIRED', '医保平台要求患者输入社会保障卡密码后才能结算。', ['请患者在密码键盘上输入6位密码。']);
        if (!deps.pin) throw new KioskError('PIN_REQUIRED', '本终端无法校验社会保障卡密码。', ['请到人工窗口办理出院结算。']);
        const checked = await deps.pin.verify(adm, pin);
        if (!checked.ok) throw new KioskError('PIN_REQUIRED', checked.message, checked.guidance);
      }
      const request = settlementRequest(store, adm, now.bill);
      const item = store.write((tx) => {
        const msgid = store.msgids.next(tx.now);
        const s = store.settlements.open(tx, { iptNo: adm.iptNo, mdtrtId: adm.mdtrtId, psnNo: adm.psnNo, insutype: adm.insutype, msgid });
        const queued = store.outbox.enqueue(tx, { visitKey: adm.iptNo, infno: '2304', input: wireSettlementInput(request), msgid, psnNo: adm.psnNo, envelope: envelopeOf(adm) });
        store.audit.append(tx, {
          actor: `opter:${opterNo()}`,
          action: 'discharge.settle',
          subject: `settlement:${s.id}`,
          detail: { visit: adm.iptNo, msgid, outbox: queued.id, medfeeFen: request.medfee_sumamt, psnCashPayFen: now.breakdown.psnCashPayFen, pin: now.pinRequired || shown.pinRequired },
        });
        return queued;
      });
      await step('settle-queued', adm.iptNo);
      const done = await awaitSettlementItem(adm, item);
      await step('settled', adm.iptNo);
      return settlementView(done!);
    },

    async reverse({ settlementId, supervisorNo, supervisorPassword, reason }) {
      const check = deps.supervisors.check(supervisorNo, supervisorPassword);
      const s0 = Number.isSafeInteger(Number(settlementId)) ? store.settlements.get(Number(settlementId)) : null;
      store.write((tx) =>
        store.audit.append(tx, {
          actor: `supervisor:${supervisorNo}`,
          action: check.ok ? 'discharge.supervisor-ok' : 'discharge.supervisor-refused',
          subject: `settlement:${settlementId}`,
          detail: { reason: check.ok ? null : check.reason },
        }),
      );
      if (!check.ok) {
        throw new KioskError(
          'SUPERVISOR_REQUIRED',
          check.reason === 'locked' ? `主管工号 ${supervisorNo} 密码错误次数过多，已暂时锁定。` : '撤销结算须由主管授权：主管工号或密码不正确。',
          check.reason === 'locked' ? [`请 ${Math.ceil((check.retryAfterSeconds ?? 600) / 60)} 分钟后再试，或由其他主管授权。`] : ['请主管本人输入工号和密码。'],
        );
      }
      if (!s0 || (s0.status !== 'settled' && s0.status !== 'reversed')) throw new KioskError('SETTLEMENT_NOT_FOUND', `未找到结算记录 ${settlementId}。`, ['请从结算列表中选择。']);
      if (s0.status === 'reversed') return settlementView(s0);
      const adm = admissionOrThrow(store, s0.iptNo);
      let item = store.outbox.listByVisit(adm.iptNo).filter((i) => i.infno === '2305' && !['done', 'cancelled'].includes(i.state)).at(-1);
      if (!item) {
        if (!deps.outbox.online) throw needsPlatform('撤销结算', adm.admissionType === 'emergency');
        item = store.write((tx) => {
          const queued = store.outbox.enqueue(tx, {
            visitKey: adm.iptNo,
            infno: '2305',
            input: { data: { mdtrt_id: s0.mdtrtId ?? adm.mdtrtId, setl_id: s0.setlId, psn_no: s0.psnNo } },
            msgid: store.msgids.next(tx.now),
            psnNo: s0.psnNo,
            envelope: envelopeOf(adm),
          });
          store.audit.append(tx, {
            actor: `supervisor:${supervisorNo}`,
            action: 'discharge.reverse-requested',
            subject: `settlement:${s0.id}`,
            detail: { visit: adm.iptNo, setlId: s0.setlId, outbox: queued.id, reason, operator: opterNo() },
          });
          return queued;
        });
      }
      const outcome = await deps.outbox.settle(item.id, { timeoutMs: waitMs });
      if (outcome.state === 'done') {
        const s = store.write((tx) => finishReversal(tx, store, outcome.item));
        log.info('settlement reversed', { visit: adm.iptNo, settlement: s0.id });
        return settlementView(s ?? store.settlements.get(s0.id)!);
      }
      if (outcome.state === 'dead') {
        cancelItem(store, item.id, `撤销结算被医保平台拒绝：${outcome.item.lastError ?? ''}`, { actor: `supervisor:${supervisorNo}` });
        throw new KioskError('PLATFORM_REFUSED', `医保平台未受理住院结算撤销（2305）：${outcome.item.lastError ?? ''}`, ['结算仍然有效。请核对后再试，或联系医保办。']);
      }
      if (outcome.state === 'cancelled') throw new KioskError('ADMISSION_STATE', '该撤销交易已被取消，结算仍然有效。', []);
      throw notDone(outcome, adm.admissionType === 'emergency');
    },

    async get({ settlementId }) {
      const s = Number.isSafeInteger(Number(settlementId)) ? store.settlements.get(Number(settlementId)) : null;
      if (!s || (s.status !== 'settled' && s.status !== 'reversed')) throw new KioskError('SETTLEMENT_NOT_FOUND', `未找到结算记录 ${settlementId}。`, ['请从结算列表中选择。']);
      return settlementView(s);
    },

    async list({ date }) {
      const day = date ?? chinaTime(clock.now()).day;
      const from = Date.parse(`${day}T00:00:00+08:00`);
      return store.settlements
        .between(from, from + 86_400_000)
        .filter((s) => s.status === 'settled' || s.status === 'reversed')
        .map(settlementView);
    },
  };
}

/** The patient confirmed these amounts: every figure must match (the deposit too: 多退少补 is part of it). */
export function sameAmounts(a: SettlementBreakdown, b: SettlementBreakdown): boolean {
  return (Object.keys(a) as Array<keyof SettlementBreakdown>).every((k) => a[k] === b[k]);
}

function itemName(item: OutboxItem): string {
  const names: Record<string, string> = { '2301': '费用明细上传（2301）', '2302': '费用明细撤销（2302）', '2402': '出院登记（2402）', '2304': '住院结算（2304）', '2305': '住院结算撤销（2305）', '2401': '入院登记（2401）', '2403': '住院信息变更（2403）' };
  return names[item.infno] ?? `交易${item.infno}`;
}


