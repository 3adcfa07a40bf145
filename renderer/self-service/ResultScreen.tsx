import type { ReactNode } from 'react';
import type { CardView } from '../../contract/dto/card.ts';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { CardPanel } from '../components/CardPanel.tsx';
import { EligibilityPanel } from '../components/EligibilityPanel.tsx';

/** The eligibility result in plain words, then what the patient came to do. */
export function ResultScreen({
  decision,
  card,
  busy,
  onChooseInsutype,
  onCheckIn,
  onSettle,
  end,
}: {
  decision: EligibilityDecision;
  card: CardView | null;
  busy: boolean;
  onChooseInsutype: (insutype: string) => void;
  onCheckIn: () => void;
  onSettle: () => void;
  end: ReactNode;
}) {
  return (
    <main className="kiosk-screen" data-testid="ss-result">
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
      ) : (
        <div className="actions">
          <button type="button" className="primary big" onClick={onCheckIn} disabled={busy} data-testid="ss-go-checkin">
            预约入院报到
          </button>
          <button type="button" className="primary big" onClick={onSettle} disabled={busy} data-testid="ss-go-settle">
            出院结算
          </button>
          {end}
        </div>
      )}
    </main>
  );
}
