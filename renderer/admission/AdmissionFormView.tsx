import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { z } from 'zod';
import { admissionTimeText } from '../../contract/admission-time.ts';
import { ADMISSION_TYPE_TEXT } from '../../contract/admission-text.ts';
import type { AdmissionView, Department, Diagnosis, PaymentMethod } from '../../contract/dto/admission.ts';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chinaNowOfBrowser, parseYuan } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { noticeOf } from '../app/outcomes.ts';
import { Busy } from '../components/Busy.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { PAYMENT_TEXT } from '../components/labels.ts';
import { DiagnosisSearch } from './DiagnosisSearch.tsx';
import { AdmissionTimeField, admissionTimeProblem, sentAdmissionTime, terminalClockOf, type TerminalClock } from './AdmissionTimeField.tsx';
import type { AdmissionType } from './Identify.tsx';

type Dept = z.infer<typeof Department>;
type Dx = z.infer<typeof Diagnosis>;
type Method = z.infer<typeof PaymentMethod>;

interface Fields {
  deptCode: string;
  ward: string;
  bed: string;
  doctorCode: string;
  diagnosis: Dx | null;
  admissionType: AdmissionType;
  /** 入院时间 as typed, "yyyy-MM-dd HH:mm"; the terminal's now when the form opened. */
  begntime: string;
  deposit: string;
  method: Method;
  receiptNo: string;
}

/** Field → Chinese message, for every rule the form checks before anything is sent; `now` is the terminal's. */
export function validateAdmission(f: Fields, now: string): Partial<Record<keyof Fields, string>> {
  const out: Partial<Record<keyof Fields, string>> = {};
  if (!f.deptCode) out.deptCode = '请选择入院科室。';
  if (!f.ward) out.ward = '请选择病区。';
  if (!f.bed) out.bed = '请选择床位。';
  if (!f.doctorCode) out.doctorCode = '请选择主治医生。';
  if (!f.diagnosis) out.diagnosis = '请从检索结果中选择入院诊断（ICD-10）。';
  const timeProblem = admissionTimeProblem(f.begntime, now);
  if (timeProblem) out.begntime = timeProblem;
  if (f.deposit.trim()) {
    const fen = parseYuan(f.deposit);
    if (fen === null) out.deposit = '预交金金额格式不正确，例如 3000 或 3000.50。';
    else if (fen <= 0) out.deposit = '预交金须大于 0；不收预交金请留空。';
    else if (fen > 100_000_000) out.deposit = '预交金不能超过 1,000,000.00 元。';
    if (!f.receiptNo.trim()) out.receiptNo = '收取预交金须填写收据号。';
  }
  return out;
}

/** Enter on a closed <select> does not submit a form natively; on the desk it should, like every field. */
export function submitOnEnterInSelect(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key === 'Enter' && !e.defaultPrevented && e.target instanceof HTMLSelectElement) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}

const LABELS: Record<keyof Fields, string> = {
  deptCode: '科室',
  ward: '病区',
  bed: '床位',
  doctorCode: '主治医生',
  diagnosis: '入院诊断',
  admissionType: '入院类型',
  begntime: '入院时间',
  deposit: '预交金',
  method: '缴费方式',
  receiptNo: '收据号',
};

/**
 * 入院登记 form. Keyboard: Tab through the fields in reading order, Enter submits from any field (the
 * diagnosis list takes its own Enter while open), Esc goes back to the eligibility result.
 */
export function AdmissionFormView({
  decision,
  admissionType,
  onRegistered,
}: {
  decision: EligibilityDecision;
  admissionType: AdmissionType;
  onRegistered: (a: AdmissionView) => void;
}) {
  const kiosk = useKiosk();
  const [depts, setDepts] = useState<Dept[] | null>(null);
  const [f, setF] = useState<Fields>({ deptCode: '', ward: '', bed: '', doctorCode: '', diagnosis: null, admissionType, begntime: '', deposit: '', method: 'cash', receiptNo: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});
  // The terminal's clock, not the browser's (the demo and tests shift it): the 入院时间 default and its checks.
  const [clock, setClock] = useState<TerminalClock | null>(null);
  const load = useAction(async () => {
    const [departments, status] = await Promise.all([kiosk.admission.departments({}), kiosk.system.status({})]);
    const terminal = terminalClockOf(status.now ?? chinaNowOfBrowser());
    setClock(terminal);
    setF((old) => (old.begntime ? old : { ...old, begntime: admissionTimeText(terminal.now()) }));
    return departments;
  });
  const register = useAction((form: Parameters<typeof kiosk.admission.register>[0]) => kiosk.admission.register(form));
  const { run: loadRun } = load;
  useEffect(() => {
    void loadRun().then((d) => d && setDepts(d));
  }, [loadRun]);

  // After a refused submit, the list of problems follows the fields as they are corrected.
  const shownErrors = Object.keys(errors).length > 0;
  useEffect(() => {
    if (shownErrors && clock) setErrors(validateAdmission(f, clock.now()));
  }, [f, shownErrors, clock]);

  const dept = depts?.find((d) => d.code === f.deptCode);
  const ward = dept?.wards.find((w) => w.code === f.ward);
  const set = <K extends keyof Fields>(k: K, v: Fields[K]) => setF((old) => ({ ...old, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!clock) return;
    const found = validateAdmission(f, clock.now());
    setErrors(found);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const doctor = dept?.doctors.find((d) => d.code === f.doctorCode);
    const depositFen = f.deposit.trim() ? parseYuan(f.deposit) : null;
    const a = await register.run({
      checkId: decision.checkId,
      deptCode: f.deptCode,
      ward: f.ward,
      bed: f.bed,
      attendingDoctorCode: f.doctorCode,
      attendingDoctorName: doctor?.name ?? f.doctorCode,
      diagnosisCode: f.diagnosis!.code,
      diagnosisName: f.diagnosis!.name,
      admissionType: f.admissionType,
      begntime: sentAdmissionTime(f.begntime),
      ...(depositFen ? { deposit: { amountFen: depositFen, receiptNo: f.receiptNo.trim(), method: f.method } } : {}),
    });
    if (!a) return;
    // Refused: the stay is kept (dead letter) for a retry from the queue or a cancel with refund; say so here.
    if (a.outcome === 'refused') register.setError(noticeOf(a));
    else onRegistered(a.admission);
  };

  if (load.error) return <ErrorNotice error={load.error} />;
  if (!depts || !clock) return <Busy text="正在载入科室…" />;
  const err = (k: keyof Fields) =>
    errors[k] ? (
      <span className="field-error" id={`err-${k}`}>
        {errors[k]}
      </span>
    ) : null;
  const count = Object.keys(errors).length;
  return (
    <form className="form admission-form" onSubmit={submit} onKeyDown={submitOnEnterInSelect} noValidate data-testid="admission-form">
      <h2>
        入院登记 · {decision.person.displayName}
        {!decision.direct && <span className="tag warn">自费（零星报销）</span>}
      </h2>
      {count > 0 && (
        <div className="form-errors" role="alert" data-testid="form-errors">
          有 {count} 项需要更正：{Object.keys(errors).map((k) => LABELS[k as keyof Fields]).join('、')}
        </div>
      )}
      <div className="form-grid">
        <label>
          科室
          <select autoFocus name="deptCode" value={f.deptCode} aria-invalid={!!errors.deptCode || undefined} onChange={(e) => setF({ ...f, deptCode: e.target.value, ward: '', bed: '', doctorCode: '' })}>
            <option value="">请选择</option>
            {depts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
          {err('deptCode')}
        </label>
        <label>
          病区
          <select name="ward" value={f.ward} aria-invalid={!!errors.ward || undefined} onChange={(e) => setF({ ...f, ward: e.target.value, bed: '' })} disabled={!dept}>
            <option value="">请选择</option>
            {dept?.wards.map((w) => (
              <option key={w.code} value={w.code}>
                {w.name}
              </option>
            ))}
          </select>
          {err('ward')}
        </label>
        <label>
          床位
          <select name="bed" value={f.bed} aria-invalid={!!errors.bed || undefined} onChange={(e) => set('bed', e.target.value)} disabled={!ward}>
            <option value="">请选择</option>
            {ward?.beds.map((b) => (
              <option key={b} value={b}>
                {b} 床
              </option>
            ))}
          </select>
          {err('bed')}
        </label>
        <label>
          主治医生
          <select name="doctorCode" value={f.doctorCode} aria-invalid={!!errors.doctorCode || undefined} onChange={(e) => set('doctorCode', e.target.value)} disabled={!dept}>
            <option value="">请选择</option>
            {dept?.doctors.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
          {err('doctorCode')}
        </label>
        <label className="wide">
          入院诊断（ICD-10）
          <DiagnosisSearch value={f.diagnosis} onChange={(d) => set('diagnosis', d)} invalid={!!errors.diagnosis} />
          {err('diagnosis')}
        </label>
        <fieldset className="inline">
          <legend>入院类型</legend>
          <label>
            <input type="radio" name="admissionType" checked={f.admissionType === 'normal'} onChange={() => set('admissionType', 'normal')} />
            {ADMISSION_TYPE_TEXT.normal}
          </label>
          <label>
            <input type="radio" name="admissionType" checked={f.admissionType === 'emergency'} onChange={() => set('admissionType', 'emergency')} />
            {ADMISSION_TYPE_TEXT.emergency}
          </label>
        </fieldset>
        <AdmissionTimeField value={f.begntime} error={errors.begntime} onChange={(v) => set('begntime', v)} />
        <label>
          预交金（元）
          <input name="deposit" inputMode="decimal" value={f.deposit} aria-invalid={!!errors.deposit || undefined} onChange={(e) => set('deposit', e.target.value)} placeholder="不收请留空" autoComplete="off" />
          {err('deposit')}
        </label>
        <label>
          缴费方式
          <select name="method" value={f.method} onChange={(e) => set('method', e.target.value as Method)}>
            {/* 支付宝 money is taken by "扫码收预交金" after registration, through the payment gateway. */}
            {(['cash', 'bank-card'] as const).map((m) => (
              <option key={m} value={m}>
                {PAYMENT_TEXT[m]}
              </option>
            ))}
          </select>
        </label>
        <label>
          收据号
          <input name="receiptNo" value={f.receiptNo} aria-invalid={!!errors.receiptNo || undefined} onChange={(e) => set('receiptNo', e.target.value)} maxLength={40} autoComplete="off" />
          {err('receiptNo')}
        </label>
      </div>
      {register.error && <ErrorNotice error={register.error} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={register.busy} data-testid="admission-submit">
          {register.busy ? '正在登记…' : '确认入院登记（Enter）'}
        </button>
        <span className="muted">Esc 返回核验结果</span>
      </div>
    </form>
  );
}
