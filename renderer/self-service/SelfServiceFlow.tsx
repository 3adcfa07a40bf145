import { useCallback, useEffect, useRef, useState } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { toShownError } from '../app/errors.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { useWedgeScanner } from '../input/useWedgeScanner.ts';
import { DEFAULT_WEDGE } from '../input/wedge.ts';
import { useVoicePrompt } from '../app/useVoicePrompt.ts';
import { Busy } from '../components/Busy.tsx';
import { CardPanel } from '../components/CardPanel.tsx';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { KioskStart, ScanVoucher } from './KioskStart.tsx';
import { IdEntry } from './IdEntry.tsx';
import { ResultScreen } from './ResultScreen.tsx';
import { SwitchCredential } from './SwitchCredential.tsx';
import { useElderly } from '../app/elderly.tsx';
import { BookingsScreen, CheckedInScreen, DepositScreen } from './CheckIn.tsx';
import { PinScreen, PreSettleScreen, SettledScreen } from './Settle.tsx';
import { SettleCheckingScreen } from './SettleChecking.tsx';
import { TakeCard, Thanks } from './Farewell.tsx';
import { forPatient, outcomeForPatient } from './patient-errors.ts';
import { type Patient, type Pre, type Step } from './session.ts';
import { beingChecked, noticeOf } from '../app/outcomes.ts';
import { PaymentPanel } from '../payment/PaymentPanel.tsx';
import { BalanceChoice, BalanceLeftScreen, BalancePaidScreen, PayBalanceScreen } from './PayBalance.tsx';

/**
 * 自助服务: the patient's own journey from card (or QR, or ID number) to eligibility, check-in with deposit,
 * or settlement of their stay, receipt, and the reminder to take the card. `onExit` returns to the start
 * screen; the parent remounts this component, so every personal datum held here is gone.
 */
export function SelfServiceFlow({
  status,
  startReading = false,
  onExit,
  onNewCard,
}: {
  status: TerminalStatus;
  /** A card went in as the previous session ended: this one starts by reading it. */
  startReading?: boolean;
  onExit: () => void;
  /** A card inserted mid-journey or on the farewell screen: a new session for it (the parent remounts). */
  onNewCard: () => void;
}) {
  const kiosk = useKiosk();
  const [step, setStep] = useState<Step>(startReading ? { name: 'reading' } : { name: 'start' });
  const [patient, setPatient] = useState<Patient>({ credential: null, card: null });
  const [cardPresent, setCardPresent] = useState(status.reader.state === 'card-present' || status.reader.state === 'reading');
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  /** Runs one call; a failure becomes the 'failed' step with the services' message and guidance. */
  const call = useCallback(async <R,>(fn: () => Promise<R>): Promise<R | undefined> => {
    setBusy(true);
    try {
      return await fn();
    } catch (e) {
      if (live.current) setStep({ name: 'failed', error: forPatient(toShownError(e)) });
      return undefined;
    } finally {
      if (live.current) setBusy(false);
    }
  }, []);

  const check = useCallback(
    async (credential: Credential, insutype?: string) => {
      setStep({ name: 'checking' });
      const decision = await call(() => kiosk.eligibility.check({ credential, admissionType: 'normal', ...(insutype ? { insutype } : {}) }));
      if (decision && live.current) setStep({ name: 'result', decision });
    },
    [call, kiosk],
  );

  const identify = useCallback(
    (credential: Credential, card: Patient['card'] = null) => {
      setPatient({ credential, card });
      void check(credential);
    },
    [check],
  );

  const identifyRef = useRef(identify);
  identifyRef.current = identify;
  const stepRef = useRef(step);
  stepRef.current = step;
  const atStart = step.name === 'start' || step.name === 'reading' || step.name === 'id-entry' || step.name === 'scan-voucher' || step.name === 'switch-credential';
  useKioskEvent('card-inserted', () => {
    setCardPresent(true);
    if (step.name === 'start' || step.name === 'scan-voucher') setStep({ name: 'reading' });
    // Any other moment (the farewell screen, a journey begun by QR or ID number): a new session for the card,
    // unless a call is under way (a settlement must finish on its own screen).
    else if (step.name !== 'reading' && !busy) onNewCard();
  });
  useKioskEvent('card-removed', () => {
    setCardPresent(false);
    if (step.name === 'reading') setStep({ name: 'start' });
    if (step.name === 'take-card') setStep({ name: 'thanks' });
  });
  useKioskEvent('card-read', ({ card }) => {
    setCardPresent(true);
    if (atStart) identify({ kind: 'card' }, card);
  });
  useKioskEvent('card-error', ({ error }) => {
    if (atStart) setStep({ name: 'failed', error: { code: error.code, message: error.message, guidance: error.guidance } });
  });
  useKioskEvent('qr-scanned', ({ code }) => {
    if (atStart) identify({ kind: 'qr', code });
  });
  // Started for a card inserted as the last session ended: if its read finished before this screen listened,
  // the host has it as the session's current card.
  useEffect(() => {
    if (!startReading) return;
    const t = setTimeout(() => {
      void kiosk.reader
        .currentCard({})
        .then((card) => {
          if (card && live.current && stepRef.current.name === 'reading') identifyRef.current({ kind: 'card' }, card);
        })
        .catch(() => undefined);
    }, 3_000);
    return () => clearTimeout(t);
  }, [startReading, kiosk]);
  useWedgeScanner((code) => identify({ kind: 'qr', code }), atStart, DEFAULT_WEDGE, (certNo) => identify({ kind: 'id', certType: '02', certNo }));

  /** 结束 from any step: the card reminder first when a card is still in the reader. */
  const finish = useCallback(() => {
    setStep(cardPresent ? { name: 'take-card' } : { name: 'thanks' });
  }, [cardPresent]);

  const loadStay = async (decision: EligibilityDecision) => {
    setStep({ name: 'stay', decision });
    // The kiosk only ever shows the stay of the person it identified, whatever the search matched.
    // Today's settled stays too: a settlement that finished after this patient was told it was being checked.
    const stays = await call(() => kiosk.discharge.openStays({ q: decision.person.psnNo, settledToday: true }));
    if (!stays || !live.current) return;
    const mine = stays.filter((s) => s.person.psnNo === decision.person.psnNo);
    const stay = mine[0];
    if (!stay) {
      setStep({
        name: 'failed',
        error: { code: 'ADMISSION_NOT_FOUND', message: '没有查询到您本人可以在此结算的住院记录。', guidance: ['如您已办理出院手续，请到出院结算窗口咨询。'] },
      });
      return;
    }
    // Settled before and still owing its balance (待补缴): only the payment is left.
    if (stay.status === 'settled' && (stay.balanceDueFen ?? 0) > 0) {
      setStep({ name: 'balance', stay });
      return;
    }
    // Settled today, nothing owed: the settlement as it stands (its figures, the 结算单 to print), never a new one.
    if (stay.status === 'settled') {
      await checkSettlement(decision, stay, 0);
      return;
    }
    const pre = await call(() => kiosk.discharge.preSettle({ admissionId: stay.admissionId }));
    if (!pre || !live.current) return;
    if (pre.outcome === 'presettled') setStep({ name: 'presettle', decision, stay, pre: pre.preSettlement });
    // A settlement of this stay is already under way (an earlier visit's answer was lost): its result is being
    // checked; the patient is not offered to settle again.
    else if (pre.outcome === 'settlement-in-progress') setStep({ name: 'settle-checking', decision, stay, asked: 0 });
    else setStep({ name: 'failed', error: outcomeForPatient(pre) });
  };

  const settle = async (decision: EligibilityDecision, stay: AdmissionView, pre: Pre, pin?: string) => {
    const r = await call(() => kiosk.discharge.settle({ admissionId: stay.admissionId, ...(pin ? { pin } : {}) }));
    if (!r || !live.current) return;
    if (r.outcome === 'settled') setStep({ name: 'settled', settlement: r.settlement, stay });
    // A PIN the card refused goes back to the keypad with the card's words (还可尝试 n 次), not to a dead end.
    else if (r.outcome === 'pin-required') setStep({ name: 'pin', decision, stay, pre, ...(pin ? { problem: noticeOf(r) } : {}) });
    else if (beingChecked(r)) setStep({ name: 'settle-checking', decision, stay, asked: 0 });
    else setStep({ name: 'failed', error: outcomeForPatient(r) });
  };

  /** 查询结算结果: how the settlement under way ended, asked of the terminal; never a new settlement. */
  const checkSettlement = async (decision: EligibilityDecision, stay: AdmissionView, asked: number) => {
    const r = await call(() => kiosk.discharge.settle({ admissionId: stay.admissionId, resumeOnly: true }));
    if (!r || !live.current) return;
    if (r.outcome === 'settled') setStep({ name: 'settled', settlement: r.settlement, stay });
    else if (beingChecked(r)) setStep({ name: 'settle-checking', decision, stay, asked: asked + 1 });
    else setStep({ name: 'failed', error: outcomeForPatient(r) });
  };

  useVoicePrompt(step.name);

  const cashier = status.hospital.help?.cashierWindow ?? '住院收费处';
  const doneButton = (
    <button type="button" className="secondary big" onClick={finish} data-testid="ss-done">
      完成
    </button>
  );
  const endButton = (
    <button type="button" className="secondary big" onClick={finish} data-testid="ss-end">
      结束
    </button>
  );
  // 适老化: a screen inside a task has one way out, back to the screen before it; the standard mode offers 结束.
  const elderly = useElderly();
  const backTo = (to: Step) =>
    elderly.on ? (
      <button type="button" className="secondary big" onClick={() => setStep(to)} data-testid="ss-back">
        返回
      </button>
    ) : (
      endButton
    );

  switch (step.name) {
    case 'start':
      return <KioskStart onIdEntry={() => setStep({ name: 'id-entry' })} onIdCard={() => identify({ kind: 'idcard' })} />;
    case 'reading':
      return (
        <main className="kiosk-screen center" data-testid="ss-reading" data-voice="正在读卡，请不要拔出卡片">
          <div className="read-progress" aria-hidden="true">
            <div className="read-progress-bar" />
          </div>
          <h1>正在读卡…</h1>
          <p className="lead">请不要拔出卡片</p>
        </main>
      );
    case 'scan-voucher':
      return <ScanVoucher onIdEntry={() => setStep({ name: 'id-entry', back: step })} end={step.back ? backTo(step.back) : endButton} />;
    case 'id-entry':
      return <IdEntry onCancel={() => setStep(step.back ?? { name: 'start' })} onSubmit={(certNo) => identify({ kind: 'id', certType: '02', certNo })} />;
    case 'checking':
      return (
        <main className="kiosk-screen" data-testid="ss-checking">
          {patient.card && <CardPanel card={patient.card} />}
          <Busy text="正在查询您的医保信息，请稍候…" />
        </main>
      );
    case 'result':
      return (
        <ResultScreen
          decision={step.decision}
          card={patient.card}
          busy={busy}
          onChooseInsutype={(t) => patient.credential && void check(patient.credential, t)}
          onCheckIn={() => setStep({ name: 'bookings', decision: step.decision })}
          onSettle={() => void loadStay(step.decision)}
          onSwitchCredential={(way) => {
            if (way === 'idcard') identify({ kind: 'idcard' });
            else if (way === 'choose') setStep({ name: 'switch-credential', decision: step.decision });
            else setStep(way === 'qr' ? { name: 'scan-voucher', back: step } : { name: 'id-entry', back: step });
          }}
          end={endButton}
        />
      );
    case 'switch-credential':
      return (
        <SwitchCredential
          onIdCard={() => identify({ kind: 'idcard' })}
          onQr={() => setStep({ name: 'scan-voucher', back: step })}
          onIdNumber={() => setStep({ name: 'id-entry', back: step })}
          onBack={() => setStep({ name: 'result', decision: step.decision })}
        />
      );
    case 'bookings':
      return (
        <BookingsScreen
          credential={patient.credential!}
          onChoose={(booking) => setStep({ name: 'deposit', decision: step.decision, booking })}
          onFailed={(error) => setStep({ name: 'failed', error })}
          end={backTo({ name: 'result', decision: step.decision })}
        />
      );
    case 'deposit':
      return (
        <DepositScreen
          booking={step.booking}
          busy={busy}
          onConfirm={async (deposit) => {
            // Check in first (the stay exists whatever happens to the payment), then the deposit through the
            // payment gateway: shown as paid only when the gateway confirmed it and it is recorded.
            const outcome = await call(() => kiosk.admission.checkIn({ bookingId: step.booking.bookingId, checkId: step.decision.checkId }));
            if (!outcome || !live.current) return;
            if (outcome.outcome === 'refused') setStep({ name: 'failed', error: outcomeForPatient(outcome) });
            else if (deposit) setStep({ name: 'pay', admission: outcome.admission, amountFen: deposit.amountFen, scene: deposit.scene });
            else setStep({ name: 'checked-in', admission: outcome.admission, depositFen: 0 });
          }}
          end={backTo({ name: 'bookings', decision: step.decision })}
        />
      );
    case 'pay':
      return (
        <main className="kiosk-screen" data-testid="ss-pay">
          <h1 data-voice="请缴纳预交金">请缴纳预交金</h1>
          <PaymentPanel
            admissionId={step.admission.admissionId}
            amountFen={step.amountFen}
            scene={step.scene}
            large
            onApplied={(order) => setStep({ name: 'checked-in', admission: { ...step.admission, depositsFen: step.admission.depositsFen + order.amountFen }, depositFen: order.amountFen })}
            onGiveUp={() => setStep({ name: 'checked-in', admission: step.admission, depositFen: 0 })}
          />
        </main>
      );
    case 'checked-in':
      return <CheckedInScreen admission={step.admission} depositFen={step.depositFen} onDone={finish} />;
    case 'stay':
      return (
        <main className="kiosk-screen" data-testid="ss-stay">
          <Busy text="正在查询您的住院费用并计算医保报销，请稍候…" />
        </main>
      );
    case 'presettle':
      return (
        <PreSettleScreen
          stay={step.stay}
          pre={step.pre}
          busy={busy}
          onConfirm={() => (step.pre.pinRequired ? setStep({ ...step, name: 'pin' }) : void settle(step.decision, step.stay, step.pre))}
          end={backTo({ name: 'result', decision: step.decision })}
        />
      );
    case 'pin':
      return <PinScreen key={step.problem?.message ?? 'first'} problem={step.problem ?? null} busy={busy} onCancel={() => setStep({ ...step, name: 'presettle' })} onSubmit={(pin) => void settle(step.decision, step.stay, step.pre, pin)} />;
    case 'settle-checking':
      return (
        <SettleCheckingScreen
          stay={step.stay}
          cashier={cashier}
          asked={step.asked}
          busy={busy}
          onCheck={() => void checkSettlement(step.decision, step.stay, step.asked)}
          end={endButton}
        />
      );
    case 'settled':
      return <SettledScreen settlement={step.settlement} stay={step.stay} cashier={cashier} onDone={finish} onPayBalance={(p) => setStep(p ? { name: 'balance-pay', stay: step.stay, ...p } : { name: 'balance-left', stay: step.stay, why: 'later', order: null })} />;
    case 'balance':
      return (
        <main className="kiosk-screen" data-testid="ss-balance-due">
          <h1>出院结算补缴</h1>
          <p className="muted">
            住院号 {step.stay.iptNo} · {step.stay.deptName} · 已结算
          </p>
          <BalanceChoice
            admissionId={step.stay.admissionId}
            cashier={cashier}
            onPay={(scene, amountFen) => setStep({ name: 'balance-pay', stay: step.stay, scene, amountFen })}
            onLater={() => setStep({ name: 'balance-left', stay: step.stay, why: 'later', order: null })}
          />
          <div className="actions">{endButton}</div>
        </main>
      );
    case 'balance-pay':
      return (
        <PayBalanceScreen
          stay={step.stay}
          amountFen={step.amountFen}
          scene={step.scene}
          onPaid={(order) => setStep({ name: 'balance-paid', stay: step.stay, order })}
          onLeft={(why, order) => setStep({ name: 'balance-left', stay: step.stay, why, order })}
        />
      );
    case 'balance-paid':
      return <BalancePaidScreen stay={step.stay} order={step.order} end={doneButton} />;
    case 'balance-left':
      return <BalanceLeftScreen stay={step.stay} cashier={cashier} why={step.why} order={step.order} end={doneButton} />;
    case 'failed':
      return (
        <main className="kiosk-screen" data-testid="ss-failed">
          <h1>暂时不能办理</h1>
          {patient.card && <CardPanel card={patient.card} />}
          <ErrorNotice error={step.error} />
          <div className="actions">{endButton}</div>
        </main>
      );
    case 'take-card':
      return <TakeCard />;
    case 'thanks':
      return <Thanks onDone={onExit} />;
  }
}
