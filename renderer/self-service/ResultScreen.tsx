import { useEffect, useState, type ReactNode } from 'react';
import type { CardView } from '../../contract/dto/card.ts';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { CardPanel } from '../components/CardPanel.tsx';
import { EligibilityPanel } from '../components/EligibilityPanel.tsx';
import { ReadIdCard } from '../components/ReadIdCard.tsx';
import { SelfPayConfirm } from '../components/SelfPayConfirm.tsx';
import { cardRefusal } from '../app/card-refusal.ts';
import { ELDERLY_AGE, useElderly } from '../app/elderly.tsx';
import { useKiosk } from '../app/kiosk-context.tsx';

/** How the patient goes on after a refused card: the ID card (read), the e-voucher, the ID number, or (适老化) a screen of these. */
export type SwitchWay = 'idcard' | 'qr' | 'id' | 'choose';
type Task = 'checkin' | 'settle';

/** The eligibility result in plain words, then what the patient came to do. */
export function ResultScreen({
  decision,
  card,
  busy,
  onChooseInsutype,
  onCheckIn,
  onSettle,
  onSwitchCredential,
  end,
}: {
  decision: EligibilityDecision;
  card: CardView | null;
  busy: boolean;
  onChooseInsutype: (insutype: string) => void;
  onCheckIn: () => void;
  onSettle: () => void;
  /** The card was refused: the ID card (already read when 'idcard'), the 医保电子凭证 or the ID number instead. */
  onSwitchCredential: (way: SwitchWay) => void;
  end: ReactNode;
}) {
  const refusal = cardRefusal(decision);
  const elderly = useElderly();
  const suggestElderly = !elderly.on && (decision.person.age ?? 0) >= ELDERLY_AGE;
  const task = useElderlyTask(elderly.on, decision.person.psnNo);
  const [selfPay, setSelfPay] = useState<null | Task>(null);
  return (
    <main className="kiosk-screen" data-testid="ss-result">
      {suggestElderly && (
        <div className="elderly-suggest" data-testid="ss-elderly-suggest">
          <p data-voice="字太小？可以使用大字模式">字太小？可以使用大字模式。</p>
          <button type="button" className="primary big" onClick={() => elderly.set(true)} data-testid="ss-elderly-on">
            使用大字模式
          </button>
        </div>
      )}
      {elderly.on ? (
        // 适老化: who, in one line (the card's number and validity are not this task's), then the verdict.
        <>
          <p className="elderly-person" data-testid="person-line">
            {card?.displayName ?? decision.person.displayName} · {card?.displaySsn ?? decision.person.displayCertNo} · 参保地：{decision.person.insuplcName}
          </p>
          <EligibilityPanel decision={decision} variant="kiosk" fold />
        </>
      ) : (
      <div className="kiosk-columns">
        <div>
          {card ? (
            <CardPanel card={card} />
          ) : (
            <section className="ss-card" data-testid="person-panel">
              <dl className="facts">
                <dt>姓名</dt>
                <dd>{decision.person.displayName}</dd>
                <dt>证件号码</dt>
                <dd>{decision.person.displayCertNo}</dd>
              </dl>
            </section>
          )}
          <p className="muted">参保地：{decision.person.insuplcName}</p>
        </div>
        <EligibilityPanel decision={decision} variant="kiosk" />
      </div>
      )}
      {decision.needsInsutypeChoice ? (
        <div className="actions" data-testid="ss-insutype-choice">
          {decision.insurances
            .filter((i) => i.active)
            .map((i) => (
              <button key={i.insutype} type="button" className="primary big" disabled={busy} onClick={() => onChooseInsutype(i.insutype)}>
                {i.label}
              </button>
            ))}
          {end}
        </div>
      ) : refusal ? (
        // The card, not the person, is refused: the way forward is another credential; 自费 only if chosen.
        <div className="kiosk-actions">
          {elderly.on ? (
            // 适老化: one task per screen. The ways to check again are the next screen's choices.
            <div className="actions" data-testid="ss-switch-credential">
              <button type="button" className="primary big" onClick={() => onSwitchCredential('choose')} disabled={busy} data-testid="ss-switch">
                换用身份证或医保电子凭证
              </button>
              {end}
            </div>
          ) : (
            <div className="actions" data-testid="ss-switch-credential">
              <ReadIdCard big variant="primary" testId="ss-switch-idcard" onRead={() => onSwitchCredential('idcard')} />
              <button type="button" className="primary big" onClick={() => onSwitchCredential('qr')} disabled={busy} data-testid="ss-switch-qr">
                改用医保电子凭证
              </button>
              <button type="button" className="primary big" onClick={() => onSwitchCredential('id')} disabled={busy} data-testid="ss-switch-id">
                输入身份证号码
              </button>
              {end}
            </div>
          )}
          <div className="actions secondary-actions">
            {(!elderly.on || task === 'checkin') && (
              <button type="button" className="secondary" onClick={() => setSelfPay('checkin')} disabled={busy} data-testid="ss-self-pay-checkin">
                不用医保，自费报到
              </button>
            )}
            {(!elderly.on || task === 'settle') && (
              <button type="button" className="secondary" onClick={() => setSelfPay('settle')} disabled={busy} data-testid="ss-self-pay-settle">
                不用医保，自费结算
              </button>
            )}
          </div>
          {selfPay && (
            <SelfPayConfirm
              what={selfPay === 'checkin' ? '自费办理入院报到' : '自费办理出院结算'}
              reader="patient"
              cancelLabel="返回，改用其他凭证"
              large
              onCancel={() => setSelfPay(null)}
              onConfirm={() => (selfPay === 'checkin' ? onCheckIn() : onSettle())}
            />
          )}
        </div>
      ) : (
        <div className="actions">
          {(!elderly.on || task === 'checkin') && (
            <button type="button" className="primary big" onClick={onCheckIn} disabled={busy} data-testid="ss-go-checkin">
              预约入院报到
            </button>
          )}
          {(!elderly.on || task === 'settle') && (
            <button type="button" className="primary big" onClick={onSettle} disabled={busy} data-testid="ss-go-settle">
              出院结算
            </button>
          )}
          {end}
        </div>
      )}
    </main>
  );
}

/**
 * 适老化, one task per screen: the one thing this patient can do here, from data rather than a choice. A stay
 * open at this hospital, or settled today (its result to see), is settlement (a person in hospital has no
 * booking to check in: findBooked offers none);
 * otherwise it is the booked admission. Null while the local store is asked (no platform call) and in the
 * standard mode, which offers both.
 */
function useElderlyTask(on: boolean, psnNo: string): Task | null {
  const kiosk = useKiosk();
  const [task, setTask] = useState<Task | null>(null);
  useEffect(() => {
    if (!on) return setTask(null);
    let live = true;
    kiosk.discharge
      .openStays({ q: psnNo, settledToday: true })
      .then((stays) => live && setTask(stays.some((s) => s.person.psnNo === psnNo) ? 'settle' : 'checkin'))
      // The store did not answer: check-in, whose own screen says when there is no booking.
      .catch(() => live && setTask('checkin'));
    return () => {
      live = false;
    };
  }, [on, psnNo, kiosk]);
  return task;
}
