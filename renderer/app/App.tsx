import { useCallback, useState } from 'react';
import { StartScreen } from '../screens/StartScreen.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useIdleTimeout } from './useIdleTimeout.ts';
import { useKiosk } from './kiosk-context.tsx';
import { useStatus } from './useStatus.ts';

export function App() {
  const kiosk = useKiosk();
  const { status, error } = useStatus();
  const [session, setSession] = useState(0);

  // Idle: forget this session's personal data on both sides and show the start screen again.
  const backToStart = useCallback(() => {
    void kiosk.system.resetSession({}).catch(() => undefined);
    setSession((n) => n + 1);
  }, [kiosk]);
  useIdleTimeout(status?.idleTimeoutSeconds ?? 90, backToStart, status !== null);

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
      {!status.platform.online && (
        <div className="offline-banner" role="alert" data-testid="offline-banner">
          医保平台暂时无法连接：可继续读卡和登记，业务将在网络恢复后自动上传；出院结算需要联网。
        </div>
      )}
      <StartScreen key={session} mode={status.mode} />
    </div>
  );
}
