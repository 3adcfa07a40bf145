import { ReadIdCard } from '../components/ReadIdCard.tsx';

/**
 * 适老化, after a refused card: one task (check again with another credential), its three ways as large
 * choices, and 返回 to the result. The QR scanner is live here too (the flow listens), so showing the
 * 医保电子凭证 works without a tap.
 */
export function SwitchCredential({ onIdCard, onQr, onIdNumber, onBack }: { onIdCard: () => void; onQr: () => void; onIdNumber: () => void; onBack: () => void }) {
  return (
    <main className="kiosk-screen" data-testid="ss-switch-screen">
      <h1 data-voice="请选择一种方式重新查询医保">请选择一种方式重新查询医保</h1>
      <ul className="choice-list">
        <li>
          <ReadIdCard variant="choice" label="读身份证（把身份证放在阅读器上）" testId="ss-switch-idcard" onRead={onIdCard} />
        </li>
        <li>
          <button type="button" className="choice" onClick={onQr} data-testid="ss-switch-qr">
            扫医保电子凭证
          </button>
        </li>
        <li>
          <button type="button" className="choice" onClick={onIdNumber} data-testid="ss-switch-id">
            输入身份证号码
          </button>
        </li>
      </ul>
      <div className="actions">
        <button type="button" className="secondary big" onClick={onBack} data-testid="ss-back">
          返回
        </button>
      </div>
    </main>
  );
}
