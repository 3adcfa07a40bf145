import { useCallback, useEffect, useState, type FormEvent, useRef } from 'react';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { ChargesSummary, FeeLine } from '../../contract/dto/charges.ts';
import type { z } from 'zod';
import type { PreSettlement, SettlementView } from '../../contract/dto/settlement.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { noticeOf } from '../app/outcomes.ts';
import { BreakdownTable } from '../components/BreakdownTable.tsx';
import { Busy } from '../components/Busy.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { DepositByHand } from '../payment/DepositByHand.tsx';
import { DepositList } from '../payment/DepositList.tsx';
import { DepositTopUp } from '../payment/DepositTopUp.tsx';
import { CancelLineDialog } from './CancelLineDialog.tsx';
import { ChargesView } from './ChargesView.tsx';
import { HisImport } from './HisImport.tsx';
import { ManualEntry } from './ManualEntry.tsx';
import { UploadProgress } from './UploadProgress.tsx';

type Pre = z.infer<typeof PreSettlement>;

/**
 * One stay at the counter: its charges, then 预结算 (nothing final), then confirmation and 结算. The
 * pre-settlement is shown to the patient before anything is committed; a PIN is asked only when the platform
 * requires it.
 */
export function StayView({ stay, onSettled }: { stay: AdmissionView; onSettled: (s: SettlementView) => void }) {
  const kiosk = useKiosk();
  const [charges, setCharges] = useState<ChargesSummary | null>(null);
  const [pre, setPre] = useState<Pre | null>(null);
  const [pin, setPin] = useState('');
  const pinInput = useRef<HTMLInputElement>(null);
  // A settlement already under way (a crash or a timeout): settle() resumes it and never settles twice.
  const [inProgress, setInProgress] = useState(false);
  const [cancelling, setCancelling] = useState<FeeLine | null>(null);
  // A top-up changes the stay's 预交金, and with it any pre-settlement's refund or balance due: the header is
  // read again from the terminal and an earlier pre-settlement is dropped, never shown beside the new sum.
  const [depositsFen, setDepositsFen] = useState(stay.depositsFen);
  const toppedUp = useCallback((view?: AdmissionView) => {
    setPre(null);
    if (view) return setDepositsFen(view.depositsFen);
    void kiosk.admission
      .get({ admissionId: stay.admissionId })
      .then((v) => setDepositsFen(v.depositsFen))
      .catch(() => undefined);
  }, [kiosk, stay.admissionId]);
  const load = useAction(() => kiosk.charges.list({ admissionId: stay.admissionId }));
  const preSettle = useAction(() => kiosk.discharge.preSettle({ admissionId: stay.admissionId }));
  const settle = useAction((p?: string) => kiosk.discharge.settle({ admissionId: stay.admissionId, ...(p ? { pin: p } : {}) }));
  const { run: loadRun } = load;
  useEffect(() => {
    void loadRun().then((c) => c && setCharges(c));
  }, [loadRun]);

  const runPre = async () => {
    setPre(null);
    const p = await preSettle.run();
    if (!p) return;
    setInProgress(p.outcome === 'settlement-in-progress' || (p.outcome === 'waiting' && p.reason !== 'offline' && p.reason !== 'not-registered'));
    if (p.outcome === 'presettled') setPre(p.preSettlement);
    else preSettle.setError(noticeOf(p));
  };
  // A pre-settlement that waited for the platform runs again by itself when the platform is back.
  const waitingForPlatform = preSettle.error?.code === 'SETTLEMENT_NEEDS_PLATFORM';
  useKioskEvent(
    'status',
    (s) => {
      if (s.platform.online && !preSettle.busy) void runPre();
    },
    waitingForPlatform,
  );
  const runSettle = async (p?: string) => {
    const s = await settle.run(p);
    if (!s) return;
    if (s.outcome === 'settled') onSettled(s.settlement);
    else settle.setError(noticeOf(s));
  };
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (!pre) return;
    if (!pre.pinRequired) return runSettle(undefined);
    if (!/^\d{6}$/.test(pin)) {
      settle.setError({ code: 'PIN_REQUIRED', message: '请患者在密码框输入6位社保卡密码。', guidance: [] });
      pinInput.current?.focus();
      return;
    }
    // The PIN leaves the field at once: nothing of it stays in the page while the card checks it.
    const typed = pin;
    setPin('');
    await runSettle(typed);
    // Refused (wrong, with the tries the card has left): the patient types again in the emptied field.
    pinInput.current?.focus();
  };
  /** Any change to the charges makes an earlier pre-settlement stale: it is dropped, never shown beside them. */
  const changed = useCallback((c: ChargesSummary) => {
    setCharges(c);
    setPre(null);
  }, []);
  const billable = charges?.lines.some((l) => l.state === 'local' || l.state === 'uploaded') ?? false;
  /** A settlement under way whose outcome is still being settled (resumed by 继续结算, never settled twice). */
  const resumable = inProgress || settle.error?.code === 'PLATFORM_OUTCOME_UNKNOWN' || preSettle.error?.code === 'PLATFORM_OUTCOME_UNKNOWN';
  return (
    <section className="panel stay" data-testid="stay">
      <h2>
        {stay.person.displayName} · 住院号 {stay.iptNo}
      </h2>
      <p className="muted">
        {stay.person.displayCertNo} · 参保地 {stay.person.insuplcName} · {stay.deptName} {stay.ward} {stay.bed} 床 · 入院 {chineseDateTime(stay.begntime)} · <span data-testid="stay-deposits">预交金 {yuanText(depositsFen)}</span> ·{' '}
        {stay.direct ? '医保直接结算' : '自费（零星报销）'}
      </p>
      {load.error && <ErrorNotice error={load.error} />}
      {(stay.status === 'admitted' || stay.status === 'queued') && (
        <>
          <DepositTopUp admissionId={stay.admissionId} onApplied={() => toppedUp()} />
          <DepositByHand admissionId={stay.admissionId} onApplied={toppedUp} />
        </>
      )}
      <DepositList admissionId={stay.admissionId} version={depositsFen} onVoided={() => toppedUp()} />
      {charges ? (
        <>
          <div className="charge-tools">
            <HisImport admissionId={stay.admissionId} onImported={changed} />
            <ManualEntry admissionId={stay.admissionId} onAdded={changed} />
          </div>
          <ChargesView charges={charges} onCancelLine={setCancelling} />
          <UploadProgress charges={charges} onCharges={changed} />
        </>
      ) : (
        !load.error && <Busy text="正在载入费用…" />
      )}
      {cancelling && (
        <CancelLineDialog
          admissionId={stay.admissionId}
          line={cancelling}
          onClose={() => setCancelling(null)}
          onCancelled={(c) => {
            setCancelling(null);
            changed(c);
          }}
        />
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={runPre} disabled={!billable || preSettle.busy || settle.busy} data-testid="presettle">
          {preSettle.busy ? '正在预结算…' : billable ? '预结算' : '预结算（尚无费用）'}
        </button>
      </div>
      {preSettle.error && <ErrorNotice error={preSettle.error} />}
      {resumable && (
        <div className="actions">
          {/* A settlement interrupted by a crash or timeout: settle() resumes it and never settles twice. */}
          <button type="button" className="primary" disabled={settle.busy} onClick={() => void runSettle()} data-testid="resume-settle">
            {settle.busy ? '正在结算…' : '继续结算'}
          </button>
          {settle.error && <ErrorNotice error={settle.error} />}
        </div>
      )}
      {pre && (
        <form className="presettle" onSubmit={confirm} data-testid="presettle-result">
          <h3>预结算结果（{chineseDateTime(pre.computedAt)}，尚未结算）</h3>
          <BreakdownTable breakdown={pre.breakdown} />
          {pre.refusedLines.length > 0 && (
            <div className="conflicts" data-testid="refused-lines">
              <h4>医保审核未通过的费用（按自费计）</h4>
              <ul>
                {pre.refusedLines.map((r) => (
                  <li key={r.feedetlSn}>
                    {r.feedetlSn}：{r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {pre.pinRequired && (
            <label>
              社保卡密码（请患者输入）
              <input
                ref={pinInput}
                type="password"
                inputMode="numeric"
                maxLength={6}
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
                autoFocus
                autoComplete="off"
                name="pin"
                data-testid="counter-pin"
              />
            </label>
          )}
          <div className="actions">
            <button type="submit" className="primary" autoFocus={!pre.pinRequired} disabled={settle.busy} data-testid="settle">
              {settle.busy ? '正在结算…' : '确认结算（Enter）'}
            </button>
          </div>
          {/* Said once: beside 继续结算 when the settlement is to be resumed, else here under the confirm. */}
          {settle.error && !resumable && <ErrorNotice error={settle.error} />}
        </form>
      )}
    </section>
  );
}
