import type { Mode } from '../../contract/dto/common.ts';

/** The first screen of each mode. Later screens (eligibility, admission, settlement) start from here. */
export function StartScreen({ mode }: { mode: Mode }) {
  if (mode === 'self-service') {
    return (
      <main className="start start-kiosk" data-testid="start-self-service">
        <div className="card-slot" aria-hidden="true">
          <div className="card-anim" />
        </div>
        <h1 data-voice="请插入社保卡，或扫描医保电子凭证">请插入社保卡</h1>
        <p className="lead">或 请扫描医保电子凭证</p>
      </main>
    );
  }
  if (mode === 'discharge') {
    return (
      <main className="start" data-testid="start-discharge">
        <h1>出院结算</h1>
        <p className="lead">请刷社保卡、扫描医保电子凭证，或在在院患者列表中选择患者。</p>
      </main>
    );
  }
  return (
    <main className="start" data-testid="start-admission">
      <h1>入院登记</h1>
      <p className="lead">请刷社保卡、扫描医保电子凭证，或输入证件号码。</p>
    </main>
  );
}
