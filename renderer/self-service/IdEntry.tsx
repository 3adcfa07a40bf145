import { useState } from 'react';
import { certNoProblem } from '../app/cert-no.ts';
import { OnScreenKeyboard } from '../components/OnScreenKeyboard.tsx';

/** ID number entry on the kiosk's own keyboard; the number is shown masked except what is being typed. */
export function IdEntry({ onSubmit, onCancel }: { onSubmit: (certNo: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const p = certNoProblem('02', value);
    setProblem(p);
    if (!p) onSubmit(value.toUpperCase());
  };
  // Show the last four typed characters so the patient can check them; the rest stays hidden from onlookers.
  const shown = value.length <= 4 ? value : `${'•'.repeat(value.length - 4)}${value.slice(-4)}`;
  return (
    <main className="kiosk-screen center osk-screen" data-testid="ss-id-entry-screen">
      <h1 data-voice="请输入您的身份证号码">请输入身份证号码</h1>
      <output className="osk-display" data-testid="ss-id-display" aria-live="polite">
        {shown || ' '}
      </output>
      <p className="muted">{value.length} / 18 位</p>
      {problem && (
        <p className="field-error" role="alert" data-voice={problem}>
          {problem}
        </p>
      )}
      <OnScreenKeyboard layout="id" value={value} onChange={setValue} maxLength={18} />
      <div className="actions">
        <button type="button" className="secondary big" onClick={onCancel}>
          返回
        </button>
        <button type="button" className="primary big" onClick={submit} disabled={value.length !== 18} data-testid="ss-id-submit">
          确定
        </button>
      </div>
    </main>
  );
}
