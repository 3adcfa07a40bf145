import { useState, type FormEvent } from 'react';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { cardRefusal } from '../app/card-refusal.ts';
import { EligibilityPanel } from '../components/EligibilityPanel.tsx';
import { SelfPayConfirm } from '../components/SelfPayConfirm.tsx';

/**
 * The decision with every reason, and the operator's next move: choose the insurance when there are several,
 * continue to the admission form (Enter), or start over (Esc). When the card itself is refused (lost,
 * expired, not activated, replaced…) Enter switches to another credential and checks again; 自费 is a
 * separate button with a confirmation that names what the patient loses, never what Enter does.
 */
export function EligibilityStep({
  decision,
  busy,
  onChooseInsutype,
  onContinue,
  onSwitchCredential,
  onRestart,
}: {
  decision: EligibilityDecision;
  busy: boolean;
  onChooseInsutype: (insutype: string) => void;
  onContinue: () => void;
  onSwitchCredential: (reason: { code: string; text: string }) => void;
  onRestart: () => void;
}) {
  const active = decision.insurances.filter((i) => i.active);
  const [insutype, setInsutype] = useState(active[0]?.insutype ?? '');
  const [confirming, setConfirming] = useState(false);
  const refusal = cardRefusal(decision);
  const selfPay = !decision.direct && !decision.needsInsutypeChoice;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (decision.needsInsutypeChoice) onChooseInsutype(insutype);
    else if (refusal) onSwitchCredential(refusal);
    else if (selfPay) setConfirming(true);
    else onContinue();
  };
  const primary = decision.needsInsutypeChoice
    ? '按所选险种核验（Enter）'
    : refusal
      ? '改用身份证或医保电子凭证核验（Enter）'
      : decision.direct
        ? '继续办理入院（Enter）'
        : '按自费办理入院…（Enter）';
  return (
    <form className="panel" onSubmit={submit} data-testid="eligibility-step">
      <EligibilityPanel decision={decision} variant="staff" />
      {decision.needsInsutypeChoice && (
        <fieldset className="inline" data-testid="insutype-choice">
          <legend>选择本次使用的险种</legend>
          {active.map((i, n) => (
            <label key={i.insutype}>
              <input type="radio" name="insutype" autoFocus={n === 0} checked={insutype === i.insutype} onChange={() => setInsutype(i.insutype)} />
              {i.label}（{i.insutype}）
            </label>
          ))}
        </fieldset>
      )}
      <div className="actions">
        <button type="submit" className="primary" autoFocus={!decision.needsInsutypeChoice} disabled={busy} data-testid="eligibility-continue">
          {primary}
        </button>
        {refusal && (
          <button type="button" className="secondary" disabled={busy} onClick={() => setConfirming(true)} data-testid="eligibility-self-pay">
            按自费办理入院…
          </button>
        )}
        <button type="button" className="secondary" onClick={onRestart}>
          重新识别（Esc）
        </button>
      </div>
      {confirming && (
        <SelfPayConfirm
          what="按自费办理入院"
          reader="staff"
          cancelLabel={refusal ? '返回，改用其他凭证' : '返回'}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onContinue();
          }}
        />
      )}
    </form>
  );
}
