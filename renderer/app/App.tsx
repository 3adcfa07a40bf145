import { useCallback, useState } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { AdmissionDesk } from '../admission/AdmissionDesk.tsx';
import { DemoPanel } from '../components/DemoPanel.tsx';
import { DischargeCounter } from '../discharge/DischargeCounter.tsx';
import { SelfServiceFlow } from '../self-service/SelfServiceFlow.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useIdleTimeout } from './useIdleTimeout.ts';
import { useKiosk } from './kiosk-context.tsx';
import { useStatus } from './useStatus.ts';

export function App() {
  const kiosk = useKiosk();
  const { status, error } = useStatus();
  const [session, setSession] = useState(0);

  const forgetOnHost = useCallback(() => void kiosk.system.resetSession({}).catch(() => undefined), [kiosk]);
  // Idle: forget this session's personal data on both sides and show the start screen again. The mode's
  // component is remounted (its key changes), so every value it held about the patient is dropped.
  const backToStart = useCallback(() => {
    forgetOnHost();
    setSession((n) => n + 1);
  }, [forgetOnHost]);
  const idleSeconds = status?.idleTimeoutSeconds ?? 90;
  const warnSeconds = status?.mode === 'self-service' ? Math.min(10, Math.floor(idleSeconds / 3)) : 0;
  const remaining = useIdleTimeout(idleSeconds, backToStart, status !== null, warnSeconds);

  if (!status) {
    return (
      <main className="start" data-testid="connecting">
        <h1>{error ? '无法连接终端服务' : '正在启动…'}</h1>
        {error && <p className="lead">{error}</p>}
      </main>
    );
  }
  return (
    <div className="app" data-mode={status.mode}>
      <StatusBar status={status} />
      {!status.platform.online && <OfflineBanner mode={status.mode} />}
      <ModeScreen key={session} status={status} onExit={backToStart} onNewPatient={forgetOnHost} />
      {status.demo && <DemoPanel status={status} />}
      {remaining !== null && <IdleWarning seconds={remaining} />}
    </div>
  );
}

function ModeScreen({ status, onExit, onNewPatient }: { status: TerminalStatus; onExit: () => void; onNewPatient: () => void }) {
  switch (status.mode) {
    case 'self-service':
      return <SelfServiceFlow status={status} onExit={onExit} />;
    case 'discharge':
      return <DischargeCounter status={status} onNewPatient={onNewPatient} />;
    case 'admission':
      return <AdmissionDesk status={status} onNewPatient={onNewPatient} />;
  }
}

const OFFLINE_TEXT: Record<TerminalStatus['mode'], string> = {
  admission: '医保平台暂时无法连接：可继续读卡和办理入院登记，登记将保存在本机并在网络恢复后自动上传。',
  'self-service': '医保网络暂时中断：可以办理入院报到，出院结算请稍后再试或到人工窗口办理。',
  discharge: '医保平台暂时无法连接：可查看费用，出院结算需要联网；患者也可选择全额自费后办理零星报销。',
};

function OfflineBanner({ mode }: { mode: TerminalStatus['mode'] }) {
  return (
    <div className="offline-banner" role="alert" data-testid="offline-banner" data-voice={OFFLINE_TEXT[mode]}>
      {OFFLINE_TEXT[mode]}
    </div>
  );
}

/** The kiosk's last seconds before it forgets the patient; any touch (the button too) keeps the session. */
function IdleWarning({ seconds }: { seconds: number }) {
  return (
    <div className="dialog-backdrop" data-testid="idle-warning">
      <div className="dialog idle-dialog" role="alertdialog" aria-live="assertive">
        <h2 data-voice="您还在吗？即将返回首页">您还在吗？</h2>
        <p>
          <strong>{seconds}</strong> 秒后将返回首页，并清除本次办理的信息。
        </p>
        <button type="button" className="primary big">
          继续办理
        </button>
      </div>
    </div>
  );
}
