import type { ReactNode } from 'react';
import { useElderly } from '../app/elderly.tsx';
import { ReadIdCard } from '../components/ReadIdCard.tsx';

/**
 * The kiosk's attract screen: insert the card or show the 医保电子凭证 QR code. The animation shows a card
 * going into the slot (still under prefers-reduced-motion).
 */
export function KioskStart({ onIdEntry, onIdCard }: { onIdEntry: () => void; onIdCard: () => void }) {
  return (
    <main className="start start-kiosk" data-testid="start-self-service">
      <div className="start-ways">
        <div className="way">
          <div className="card-slot" aria-hidden="true">
            <div className="card-anim" />
          </div>
          <h1 data-voice="请插入社保卡，或扫描医保电子凭证">请插入社保卡</h1>
        </div>
        <div className="way">
          <div className="qr-frame" aria-hidden="true">
            <div className="qr-glyph" />
            <div className="qr-beam" />
          </div>
          <p className="lead big-lead">或 请扫描医保电子凭证</p>
        </div>
      </div>
      <p className="muted">自助办理：预约入院报到、缴纳预交金、出院结算、打印结算单</p>
      <div className="actions center-actions">
        <ReadIdCard big onRead={onIdCard} />
        <button type="button" className="secondary big" onClick={onIdEntry} data-testid="ss-id-entry">
          没有带卡？输入身份证号码
        </button>
        <ElderlyToggle />
      </div>
    </main>
  );
}

/** After a refused card: the 医保电子凭证 instead (the scanner is live here), or the ID number. */
export function ScanVoucher({ onIdEntry, end }: { onIdEntry: () => void; end: ReactNode }) {
  return (
    <main className="kiosk-screen center" data-testid="ss-scan-voucher">
      <div className="qr-frame" aria-hidden="true">
        <div className="qr-glyph" />
        <div className="qr-beam" />
      </div>
      <h1 data-voice="请打开医保电子凭证，对准下方扫码口">请出示医保电子凭证</h1>
      <p className="lead">在国家医保服务平台 APP、微信或支付宝中打开医保电子凭证，对准扫码口。</p>
      <div className="actions">
        <button type="button" className="primary big" onClick={onIdEntry} data-testid="ss-id-entry">
          输入身份证号码
        </button>
        {end}
      </div>
    </main>
  );
}

/** 大字模式 on or off, for this patient's session. */
export function ElderlyToggle() {
  const elderly = useElderly();
  return (
    <button type="button" className="secondary big" aria-pressed={elderly.on} onClick={() => elderly.set(!elderly.on)} data-testid="ss-elderly-toggle">
      {elderly.on ? '恢复标准字体' : '大字模式（老年人）'}
    </button>
  );
}
