import { SELF_PAY_INTRO, selfPayLosses, type SelfPayReader } from '../app/card-refusal.ts';
import { EscDialog } from './EscDialog.tsx';

/**
 * 自费 is never the default: this confirmation names what the patient loses, and its default button is to go
 * back. Esc also goes back (handled here, so it does not leave the step behind the dialog).
 */
export function SelfPayConfirm({
  what,
  reader,
  cancelLabel = '返回',
  large,
  onConfirm,
  onCancel,
}: {
  what: string;
  /** Who reads it: the staff at a desk, or the patient at the kiosk. */
  reader: SelfPayReader;
  cancelLabel?: string;
  large?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const big = large ? ' big' : '';
  return (
    <EscDialog
      className={`dialog${large ? ' kiosk-dialog' : ''}`}
      role="alertdialog"
      labelledBy="self-pay-title"
      describedBy="self-pay-losses"
      testId="self-pay-confirm"
      onEscape={onCancel}
    >
      <h2 id="self-pay-title" data-voice={`确定${what}吗？`}>
        确定{what}吗？
      </h2>
      <p>{SELF_PAY_INTRO[reader]}</p>
      <ul id="self-pay-losses" className="guidance">
        {selfPayLosses(reader).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className={`primary${big}`} autoFocus onClick={onCancel} data-testid="self-pay-cancel">
          {cancelLabel}
        </button>
        <button type="button" className={`danger${big}`} onClick={onConfirm} data-testid="self-pay-confirmed">
          确认{what}
        </button>
      </div>
    </EscDialog>
  );
}
