import { useState, type FormEvent } from 'react';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { EligibilityPanel } from '../components/EligibilityPanel.tsx';

/**
 * The decision with every reason, and the operator's next move: choose the insurance when there are several,
 * continue to the admission form (Enter), or start over (Esc).
 */
export function EligibilityStep({
  decision,
  busy,
  onChooseInsutype,
  onContinue,
  onRestart,
}: {
  decision: EligibilityDecision;
  busy: boolean;
  onChooseInsutype: (insutype: string) => void;
  onContinue: () => void;
  onRestart: () => void;
}) {
  const active = decision.insurances.filter((i) => i.active);
  const [insutype, setInsutype] = useState(active[0]?.insutype ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (decision.needsInsutypeChoice) onChooseInsutype(insutype);
    else onContinue();
  };
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
          {decision.needsInsutypeChoice ? '按所选险种核验（Enter）' : decision.direct ? '继续办理入院（Enter）' : '按自费办理入院（Enter）'}
        </button>
        <button type="button" className="secondary" onClick={onRestart}>
          重新识别（Esc）
        </button>
      </div>
    </form>
  );
}
