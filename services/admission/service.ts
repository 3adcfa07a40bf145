import type { KioskServices } from '../../contract/api.ts';
import type { AdmissionForm, AdmissionView, RegisterOutcome } from '../../contract/dto/admission.ts';
import type { Credential, PersonView } from '../../contract/dto/eligibility.ts';
import { KioskError } from '../../contract/errors.ts';
import { ADMISSION_TYPE_TEXT } from '../../contract/admission-text.ts';
import type { Admission, AdmissionStatus } from '../../db/repositories/admissions.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { Operator } from '../../insurance/client/envelope.ts';
import { Admit2401, CancelAdmission2404 } from '../../insurance/client/transactions/admission.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { OutboxOutcome, ServiceContext } from '../context.ts';
import { medTypeOf } from '../eligibility/med-types.ts';
import type { RefusalCode } from '../eligibility/policy/refusals.ts';
import type { EligibilityService } from '../eligibility/service.ts';
import { chineseDay } from '../documents/html.ts';
import { BookingList } from './bookings.ts';
import type { DiagnosisList } from './diagnoses.ts';
import { namesOf, type HospitalStructure } from './hospital-structure.ts';
import { admissionView } from './admission-view.ts';
import type { Names } from '../charges/fee-upload.ts';
import { admissionInput } from './input-2401.ts';
import { cancelStay } from './write-back.ts';
import { cancelItem } from '../sync/operator-actions.ts';
import { checkAdmissionTime } from '../../contract/admission-time.ts';

type AdmissionContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'store' | 'outbox' | 'operators' | 'writeBack'>;

/**
 * Refusals that a filing made before discharge settlement can still cure (settlement-rules §1 补办备案): the
 * stay is registered with the platform (2401) so that it can settle directly if the patient files in time.
 * Any other refusal (card, insurance, waiting period, an open stay elsewhere) is a self-pay stay, kept here only.
 */
const CURABLE_BY_FILING: ReadonlySet<RefusalCode> = new Set(['cross-province-unfiled', 'in-province-unfiled-not-direct']);

/** How long a registration waits for the platform's answer before it says "queued" and lets the desk go on. */
const ANSWER_WAIT_MS = 15_000;
/** How long a cancellation waits for a send in flight to come back before judging the stay's state. */
const IN_FLIGHT_WAIT_MS = 3_000;

/**
 * 入院登记: a stay is written locally first (a local 住院号 that exists offline), with its deposit and the 2401
 * in the outbox, in one transaction; the relay sends it now, or when the platform is back (mdtrt_id later).
 * Cancellation (2404) only within the rules: no charges, no discharge, no settlement.
 */
export class AdmissionService {
  private readonly names: Names;

  constructor(
    private readonly ctx: AdmissionContext,
    private readonly eligibility: Pick<EligibilityService, 'basisOf' | 'check'>,
    private readonly structure: HospitalStructure,
    private readonly diagnoses: DiagnosisList,
    private readonly bookings: BookingList,
  ) {
    this.names = namesOf(structure);
  }

  group(): KioskServices['admission'] {
    return {
      departments: async () => this.freeBeds(),
      searchDiagnoses: async ({ q, limit }) => this.diagnoses.search(q, limit),
      register: async (form) => {
        const staff = this.ctx.operators.requireStaff();
        return this.register(form, this.ctx.operators.current(), `opter:${staff.opterNo}`);
      },
      cancel: async ({ admissionId, reason }) => this.cancel(admissionId, reason),
      get: async ({ admissionId }) => this.view(this.mustGet(admissionId)),
      list: async ({ status, q }) => this.list(status, q),
      findBooked: async ({ credential }) => this.findBooked(credential),
      checkIn: async ({ bookingId, checkId, deposit }) => this.checkIn(bookingId, checkId, deposit),
      addDeposit: async ({ admissionId, deposit }) => this.addDeposit(admissionId, deposit),
    };
  }

  // ── register ─────────────────────────────────────────────────────────────────────────────────────────

  async register(form: AdmissionForm, operator: Operator, actor: string, bookingId?: string): Promise<RegisterOutcome> {
    const { store, clock, config } = this.ctx;
    refuseUnconfirmedDeposit(form.deposit, config.mode === 'self-service');
    const found = this.eligibility.basisOf(form.checkId);
    if (!found) throw new KioskError('INVALID_ARGUMENT', '医保核验结果已失效或不属于当前患者', ['请重新读卡或扫码完成医保核验后再登记']);
    const { basis, decision, checkedAt } = found;
    if (basis.insutype === null || decision.needsInsutypeChoice) {
      throw new KioskError('INVALID_ARGUMENT', '尚未选择本次住院使用的险种', ['请在核验结果中选择险种后重新核验']);
    }
    if (basis.admissionType !== form.admissionType) {
      throw new KioskError('INVALID_ARGUMENT', `入院类型（${ADMISSION_TYPE_TEXT[form.admissionType]}）与核验时不一致`, [
        '急诊入院视同已备案，核验结果可能不同：请按本次入院类型重新核验',
      ]);
    }
    if (clock.now().getTime() - checkedAt > config.store.eligibilityCacheMaxAgeMinutes * 60_000) {
      throw new KioskError('INVALID_ARGUMENT', '医保核验结果已过期', ['请重新核验后再登记']);
    }
    const { dept, ward, doctor } = this.structure.resolve(form);
    const diagnosis = this.diagnoses.get(form.diagnosisCode);
    if (!diagnosis) throw new KioskError('INVALID_ARGUMENT', `入院诊断编码 ${form.diagnosisCode} 不在诊断目录中`, ['请通过诊断检索选择入院诊断']);
    const now = chinaTime(clock.now());
    const begntime = admissionTimeOf(form.begntime, now.dateTime);

    const open = this.openAdmissions();
    if (open.some((a) => a.psnNo === basis.psnNo)) {
      throw new KioskError('ADMISSION_STATE', '该患者在本院已有未出院的住院登记', ['请在住院列表中查看该患者的登记；如需重新登记，请先撤销原登记']);
    }
    if (open.some((a) => a.deptCode === dept.code && a.ward === ward.code && a.bed === form.bed)) {
      throw new KioskError('ADMISSION_STATE', `${ward.name}${form.bed}床已有在院患者`, ['请选择其他床位']);
    }
    const toPlatform = basis.direct || (basis.refusals.length > 0 && basis.refusals.every((r) => CURABLE_BY_FILING.has(r)));
    const insutype = basis.insutype;

    const written = this.writeOrExplain(() =>
      store.write((tx) => {
        const iptNo = store.admissions.nextIptNo(tx);
        const adm = store.admissions.create(tx, {
          iptNo,
          psnNo: basis.psnNo,
          insutype,
          insuplcAdmdvs: basis.insuplcAdmdvs,
          checkId: form.checkId,
          medType: medTypeOf(form.admissionType),
          admissionType: form.admissionType,
          deptCode: dept.code,
          deptName: dept.name,
          ward: ward.code,
          bed: form.bed,
          atddrNo: doctor.code,
          chfpdrName: doctor.name,
          diagCode: diagnosis.code,
          diagName: diagnosis.name,
          begntime,
          direct: basis.direct,
        });
        if (form.deposit) {
          store.money.addDeposit(tx, { iptNo, kind: 'deposit', amountFen: form.deposit.amountFen, method: form.deposit.method, receiptNo: form.deposit.receiptNo, opterNo: operator.opter });
        }
        let itemId: number | null = null;
        if (toPlatform) {
          const input = admissionInput({ ...basis, insutype }, { iptNo, begntime, medType: adm.medType, dept, bed: form.bed, doctor, diagnosis });
          const item = store.outbox.enqueue(tx, {
            visitKey: iptNo,
            infno: Admit2401.infno,
            input: Admit2401.encode(input),
            psnNo: basis.psnNo,
            envelope: { insuplc_admdvs: basis.insuplcAdmdvs, opter: operator.opter, opter_name: operator.opter_name, opter_type: operator.opter_type },
          });
          itemId = item.id;
        } else {
          // A self-pay stay: nothing to register with the platform; it is in hospital now.
          store.admissions.setStatus(tx, iptNo, 'admitted');
        }
        store.audit.append(tx, {
          actor,
          action: 'admission.register',
          subject: `admission:${iptNo}`,
          detail: { checkId: form.checkId, direct: basis.direct, toPlatform, depositFen: form.deposit?.amountFen ?? 0, bookingId: bookingId ?? null },
        });
        return { iptNo, itemId };
      }),
    );

    this.ctx.log.info('admission registered', { iptNo: written.iptNo, toPlatform, direct: basis.direct });
    if (written.itemId === null) return { outcome: 'admitted', admission: this.view(this.mustGet(written.iptNo)) };
    const outcome = await this.ctx.outbox.settle(written.itemId, { timeoutMs: ANSWER_WAIT_MS });
    return this.registered(written.iptNo, outcome);
  }

  /** What the 2401 came to, as the desk needs to hear it: the stay exists locally in every case. */
  private registered(iptNo: string, outcome: OutboxOutcome): RegisterOutcome {
    const admission = this.view(this.mustGet(iptNo));
    switch (outcome.state) {
      case 'done':
        return { outcome: 'admitted', admission };
      case 'dead':
      case 'cancelled':
        return {
          outcome: 'refused',
          kind: 'platform',
          reasons: [`医保平台未受理入院登记（住院号 ${iptNo}）：${outcome.item.lastError ?? ''}`],
          guidance: ['请核对患者信息后在“待上传队列”中修改重试，或撤销该入院登记（预交金将退还）'],
          admission,
        };
      case 'waiting': {
        const reason = outcome.reason === 'offline' ? 'offline' : outcome.reason === 'unknown' ? 'reversal' : 'slow';
        const message =
          reason === 'offline'
            ? '已离线登记：医保平台暂时无法连接，连接恢复后自动上传。'
            : reason === 'reversal'
              ? '入院登记的结果未明，系统正在冲正（2601）后重新上传。'
              : '入院登记已提交，正在等待医保平台答复。';
        return { outcome: 'queued', reason, admission, message, guidance: ['住院号已生效，可先安排入院；就诊ID 上传成功后自动补上。'] };
      }
    }
  }

  // ── cancel (2404) ────────────────────────────────────────────────────────────────────────────────────

  async cancel(iptNo: string, reason: string): Promise<AdmissionView> {
    const { store } = this.ctx;
    const actor = this.actor();
    const adm = this.mustGet(iptNo);
    const refuse = (message: string, guidance: string[]) => new KioskError('ADMISSION_STATE', message, guidance);
    if (adm.status === 'cancelled') throw refuse('该入院登记已撤销', []);
    if (adm.status === 'discharged' || adm.status === 'settled') throw refuse('患者已办理出院或结算，不能撤销入院', ['如需更正，请先办理出院撤销或结算撤销']);
    const charged = store.feeLines.byVisit(iptNo).filter((l) => l.state === 'local' || l.state === 'uploaded');
    if (charged.length > 0) throw refuse(`该住院已有${charged.length}条费用明细，不能撤销入院`, ['请先撤销全部费用明细（2302）后再撤销入院']);
    if (store.settlements.liveFor(iptNo)) throw refuse('该住院已有结算记录，不能撤销入院', []);

    // A send in flight this very moment (the relay writing back a failed attempt) is given a moment to land.
    const items = await this.settledItems(iptNo);
    const open = items.filter((i) => ['pending', 'in-flight', 'unknown-outcome', 'reversing', 'dead'].includes(i.state));
    if (open.some((i) => i.infno === '2404')) {
      return { ...this.view(adm), cancellationPending: true };
    }
    const busy = open.find((i) => i.state === 'in-flight' || i.state === 'unknown-outcome' || i.state === 'reversing');
    if (busy) {
      throw refuse('入院登记正在与医保平台确认结果，暂不能撤销', ['请稍候重试；结果未明的交易系统会先自动冲正']);
    }

    if (adm.mdtrtId === null) {
      // Never reached the platform (queued, refused, or a self-pay stay): a queued 2401 is cancelled through the
      // write-back table (its `cancelled` entry cancels the stay and asks for the refunds), exactly as the queue
      // panel and `kiosk queue cancel` do; a stay with nothing queued is cancelled by the same function.
      const queued2401 = open.find((i) => i.infno === Admit2401.infno && (i.state === 'pending' || i.state === 'dead'));
      this.writeOrExplain(() => {
        if (queued2401) cancelItem(store, this.ctx.writeBack, queued2401.id, `入院撤销：${reason}`, { actor });
        store.write((tx) => {
          for (const i of open.map((x) => store.outbox.mustGet(x.id))) if (i.state === 'pending' || i.state === 'dead') store.outbox.cancel(tx, i.id, { reason: `入院撤销：${reason}` });
          cancelStay(tx, store, iptNo, this.opterNo(), { reason, platform: false });
          store.audit.append(tx, { actor, action: 'admission.cancel', subject: `admission:${iptNo}`, detail: { reason, platform: false } });
        });
      });
      return this.view(this.mustGet(iptNo));
    }

    const operator = this.ctx.operators.current();
    const itemId = this.writeOrExplain(() =>
      store.write((tx) => {
        const item = store.outbox.enqueue(tx, {
          visitKey: iptNo,
          infno: CancelAdmission2404.infno,
          input: CancelAdmission2404.encode({ mdtrt_id: adm.mdtrtId as string, psn_no: adm.psnNo }),
          psnNo: adm.psnNo,
          envelope: { insuplc_admdvs: adm.insuplcAdmdvs, opter: operator.opter, opter_name: operator.opter_name, opter_type: operator.opter_type },
        });
        store.audit.append(tx, { actor, action: 'admission.cancel-requested', subject: `admission:${iptNo}`, detail: { reason, outbox: item.id } });
        return item.id;
      }),
    );
    const outcome = await this.ctx.outbox.settle(itemId, { timeoutMs: ANSWER_WAIT_MS });
    if (outcome.state === 'dead') {
      // Refused: the stay stays as it is. Take the refused item out of the visit's queue so it blocks nothing.
      store.write((tx) => store.outbox.cancel(tx, itemId, { reason: '入院撤销被医保平台拒绝' }));
      throw new KioskError('PLATFORM_REFUSED', `医保平台未受理入院撤销：${outcome.item.lastError ?? ''}`, ['请按平台提示处理；患者仍为在院状态']);
    }
    return this.viewAfter(iptNo, outcome);
  }

  /** The departments with only the beds nobody occupies: an occupied bed is not offered (register refuses it too). */
  private freeBeds() {
    const taken = new Set(this.openAdmissions().map((a) => `${a.deptCode}/${a.ward}/${a.bed}`));
    return this.structure.departments.map((d) => ({
      code: d.code,
      name: d.name,
      wards: d.wards.map((w) => ({ ...w, beds: w.beds.filter((b) => !taken.has(`${d.code}/${w.code}/${b}`)) })),
      doctors: d.doctors,
    }));
  }

  // ── self-service check-in ────────────────────────────────────────────────────────────────────────────

  async findBooked(credential: Credential): Promise<{
    person: PersonView;
    bookings: { bookingId: string; deptName: string; ward: string; bed: string; plannedDate: string; suggestedDepositFen: number; refusal: { message: string; guidance: string[] } | null }[];
  }> {
    const decision = await this.eligibility.check({ credential, admissionType: 'normal' });
    const found = this.eligibility.basisOf(decision.checkId);
    const certno = found?.basis.person.certno ?? '';
    const today = chinaTime(this.ctx.clock.now()).day;
    const hasOpen = this.openAdmissions().some((a) => a.psnNo === decision.person.psnNo);
    const bookings = hasOpen
      ? []
      : this.bookings.forCertno(certno).map((b) => {
          const dept = this.structure.departments.find((d) => d.code === b.deptCode);
          const ward = dept?.wards.find((w) => w.code === b.ward);
          return {
            bookingId: b.bookingId,
            deptName: dept?.name ?? b.deptCode,
            ward: ward?.name ?? b.ward,
            bed: b.bed,
            plannedDate: BookingList.plannedDay(b, today),
            suggestedDepositFen: b.suggestedDepositFen,
            // Told with the list, before any deposit or payment step, by the same rule checkIn applies.
            refusal: checkInRefusal(b, today),
          };
        });
    return { person: decision.person, bookings };
  }

  async checkIn(bookingId: string, checkId: string, deposit: AdmissionForm['deposit']): Promise<RegisterOutcome> {
    const booking = this.bookings.get(bookingId);
    const found = this.eligibility.basisOf(checkId);
    if (!booking || !found || found.basis.person.certno !== booking.certno) {
      throw new KioskError('INVALID_ARGUMENT', '未找到您的预约住院信息', ['请核对身份后重试，或到入院登记窗口办理']);
    }
    const refusal = checkInRefusal(booking, chinaTime(this.ctx.clock.now()).day);
    if (refusal) throw new KioskError('ADMISSION_STATE', refusal.message, refusal.guidance);
    const doctor = this.structure.departments.find((d) => d.code === booking.deptCode)?.doctors.find((d) => d.code === booking.attendingDoctorCode);
    const diagnosis = this.diagnoses.get(booking.diagnosisCode);
    const form: AdmissionForm = {
      checkId,
      deptCode: booking.deptCode,
      ward: booking.ward,
      bed: booking.bed,
      attendingDoctorCode: booking.attendingDoctorCode,
      attendingDoctorName: doctor?.name ?? booking.attendingDoctorCode,
      diagnosisCode: booking.diagnosisCode,
      diagnosisName: diagnosis?.name ?? booking.diagnosisCode,
      admissionType: booking.admissionType,
      ...(deposit ? { deposit } : {}),
    };
    const operator = this.ctx.operators.current();
    return this.register(form, operator, `opter:${operator.opter}`, bookingId);
  }

  // ── deposits, views ──────────────────────────────────────────────────────────────────────────────────

  addDeposit(iptNo: string, deposit: NonNullable<AdmissionForm['deposit']>): AdmissionView {
    const { store } = this.ctx;
    refuseUnconfirmedDeposit(deposit, this.ctx.config.mode === 'self-service');
    const adm = this.mustGet(iptNo);
    if (adm.status === 'cancelled' || adm.status === 'settled' || adm.status === 'dead-letter') {
      throw new KioskError('ADMISSION_STATE', `该住院${STATUS_TEXT[adm.status]}，不能再收预交金`, []);
    }
    const actor = this.actor();
    this.writeOrExplain(() =>
      store.write((tx) => {
        store.money.addDeposit(tx, { iptNo, kind: 'deposit', amountFen: deposit.amountFen, method: deposit.method, receiptNo: deposit.receiptNo, opterNo: this.opterNo() });
        store.audit.append(tx, { actor, action: 'admission.deposit', subject: `admission:${iptNo}`, detail: { amountFen: deposit.amountFen, method: deposit.method, receiptNo: deposit.receiptNo } });
      }),
    );
    return this.view(this.mustGet(iptNo));
  }

  list(status: AdmissionStatus | undefined, q: string | undefined): AdmissionView[] {
    const all = this.ctx.store.admissions.list({ ...(status ? { status } : {}), limit: 500 });
    const views = all.map((a) => this.view(a));
    const query = q?.trim();
    if (!query) return views;
    return views.filter((v, i) => {
      const a = all[i]!;
      const name = this.ctx.store.persons.get(a.psnNo)?.psnName ?? '';
      return a.iptNo.includes(query) || a.bed.includes(query) || name.includes(query) || v.deptName.includes(query) || (a.mdtrtId ?? '').includes(query);
    });
  }

  /** The stay as every screen shows it (admission-view.ts, the one view the counter and the kiosk get too). */
  view(a: Admission): AdmissionView {
    return admissionView({ store: this.ctx.store, names: this.names, now: this.ctx.clock.now(), staffScreen: this.ctx.config.mode !== 'self-service' }, a);
  }

  private viewAfter(iptNo: string, outcome: OutboxOutcome): AdmissionView {
    const v = this.view(this.mustGet(iptNo));
    return outcome.state === 'waiting' ? { ...v, cancellationPending: true } : v;
  }

  /** The visit's outbox items, once none is in flight (bounded: after IN_FLIGHT_WAIT_MS, as they are). */
  private async settledItems(iptNo: string): Promise<OutboxItem[]> {
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (;;) {
      const items = this.ctx.store.outbox.listByVisit(iptNo);
      if (!items.some((i) => i.state === 'in-flight') || Date.now() >= deadline) return items;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private mustGet(iptNo: string): Admission {
    const a = this.ctx.store.admissions.get(iptNo);
    if (!a) throw new KioskError('ADMISSION_NOT_FOUND', `未找到住院号为 ${iptNo} 的入院登记`, ['请核对住院号']);
    return a;
  }

  private openAdmissions(): Admission[] {
    return this.ctx.store.admissions.list({ limit: 5000 }).filter((a) => a.status === 'queued' || a.status === 'admitted');
  }

  private opterNo(): string | null {
    return this.ctx.operators.staff()?.opterNo ?? (this.ctx.config.mode === 'self-service' ? this.ctx.config.terminal.selfServiceOpterNo : null);
  }

  private actor(): string {
    if (this.ctx.config.mode === 'self-service') return `opter:${this.ctx.config.terminal.selfServiceOpterNo}`;
    return `opter:${this.ctx.operators.requireStaff().opterNo}`;
  }

  /** Store failures as Chinese errors; a duplicate receipt number is the usual one at a desk. */
  private writeOrExplain<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof KioskError) throw err;
      if (err instanceof Error && err.name === 'OutboxStateError') {
        throw new KioskError('ADMISSION_STATE', '该住院的医保交易正在提交中，暂不能办理', ['请稍候几秒后重试'], { cause: err });
      }
      const message = err instanceof Error ? err.message : String(err);
      if (/UNIQUE constraint failed: deposits\.receipt_no/.test(message)) {
        throw new KioskError('INVALID_ARGUMENT', '该收据号已经使用过', ['请核对预交金收据号后重新输入'], { cause: err });
      }
      // Only errors raised before or instead of a commit reach here: the transaction rolled back, so "未生效" is
      // the truth. A commit that failed after it may have reached the disk is STORE_OUTCOME_UNKNOWN (db/commit.ts),
      // a KioskError passed on above.
      this.ctx.log.error('store write failed', { error: err });
      const full = (err as { code?: unknown }).code === 'SQLITE_FULL';
      throw new KioskError('STORE_ERROR', full ? '本机磁盘已满，本次操作未生效' : '本机数据保存失败，本次操作未生效', full ? ['请联系信息科清理磁盘空间后重试'] : ['请重试；如仍失败请联系信息科检查磁盘'], { cause: err });
    }
  }
}

/**
 * A deposit typed in at a desk is money the desk itself received: cash, or a bank-card POS slip recorded by its
 * reference. 支付宝/微信 money is only ever recorded by the payment service, on the gateway's confirmation
 * (docs/payments.md); a self-service kiosk takes no typed-in deposit at all.
 */
/** 入院时间: the form's (checked against the terminal's now: contract/admission-time.ts), or now when none is given. */
function admissionTimeOf(typed: string | undefined, now: string): string {
  if (typed === undefined) return now;
  const checked = checkAdmissionTime(typed, now);
  if (!checked.ok) throw new KioskError('INVALID_ARGUMENT', checked.message, ['请核对入院时间后重新提交']);
  return checked.begntime;
}

function refuseUnconfirmedDeposit(deposit: AdmissionForm['deposit'], selfService: boolean): void {
  if (!deposit) return;
  if (selfService) throw new KioskError('INVALID_ARGUMENT', '自助机的预交金须通过扫码支付缴纳', ['报到后在支付页面扫码或出示付款码缴纳']);
  if (deposit.method === 'alipay' || deposit.method === 'wechat') {
    throw new KioskError('INVALID_ARGUMENT', '扫码支付的预交金须经支付平台确认后自动入账，不能手工录入', ['请使用"扫码收预交金"（二维码或付款码）收款']);
  }
}

const STATUS_TEXT: Record<AdmissionStatus, string> = {
  queued: '待上传医保',
  admitted: '在院',
  cancelled: '已撤销',
  discharged: '已出院',
  settled: '已结算',
  'dead-letter': '医保登记未完成、待人工处理',
};

/** Why a booking cannot be checked in today (its day has not come), or null: one rule for the list and checkIn. */
function checkInRefusal(booking: Parameters<typeof BookingList.plannedDay>[0], today: string): { message: string; guidance: string[] } | null {
  const day = BookingList.plannedDay(booking, today);
  if (day <= today) return null;
  return { message: `您的预约入院日期为${chineseDay(day)}，尚未到报到时间`, guidance: ['请在预约日期当天前来办理入院报到'] };
}
