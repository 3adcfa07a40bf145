import type { ChargesSummary, FeeLine } from '../../contract/dto/charges.ts';
import { EscDialog } from '../components/EscDialog.tsx';
import { useKiosk } from '../app/kiosk-context.tsx';
import { yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';

/**
 * A correction: one fee line withdrawn. A line the platform has (or is about to get) is withdrawn with 2302,
 * queued after its 2301; a line never sent is only marked cancelled here. Enter confirms, Esc goes back.
 */
export function CancelLineDialog({ admissionId, line, onClose, onCancelled }: { admissionId: string; line: FeeLine; onClose: () => void; onCancelled: (c: ChargesSummary) => void }) {
  const kiosk = useKiosk();
  const act = useAction(() => kiosk.charges.cancelLine({ admissionId, feedetlSn: line.feedetlSn }));
  const confirm = async () => {
    const c = await act.run();
    if (c) onCancelled(c);
  };
  return (
    <EscDialog labelledBy="cancel-line-title" testId="cancel-line-dialog" onEscape={onClose}>
      <h3 id="cancel-line-title">撤销费用明细</h3>
      <p>
        {line.name} × {line.cnt}，{yuanText(line.amountFen)}（流水号 {line.feedetlSn}）
      </p>
      <p>{line.state === 'uploaded' ? '该明细已上传医保平台：将发送费用明细撤销（2302），撤销后不计入费用。' : '该明细尚未上传：只在本机撤销，不会上传。'}</p>
      {act.error && <ErrorNotice error={act.error} />}
      <div className="actions">
        <button type="button" className="danger" autoFocus disabled={act.busy} onClick={() => void confirm()} data-testid="cancel-line-confirm">
          {act.busy ? '正在撤销…' : '确认撤销（Enter）'}
        </button>
        <button type="button" className="secondary" onClick={onClose} disabled={act.busy}>
          返回（Esc）
        </button>
      </div>
    </EscDialog>
  );
}
