import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { DeskLock } from '../components/DeskLock.tsx';
import { TakeCard } from '../self-service/Farewell.tsx';

// Each terminal runs one mode: only its screens are loaded (after the first paint), not all three desks'.
const AdmissionDesk = lazy(() => import('../admission/AdmissionDesk.tsx').then((m) => ({ default: m.AdmissionDesk })));
const DischargeCounter = lazy(() => import('../discharge/DischargeCounter.tsx').then((m) => ({ default: m.DischargeCounter })));
const SelfServiceFlow = lazy(() => import('../self-service/SelfServiceFlow.tsx').then((m) => ({ default: m.SelfServiceFlow })));
const DemoPanel = lazy(() => import('../components/DemoPanel.tsx').then((m) => ({ default: m.DemoPanel })));
import { chime, startVoice } from './voice.ts';
import { ElderlyContext } from './elderly.tsx';
import { IdleHoldContext } from './idle-hold.tsx';
import { useKioskEvent } from './useKioskEvent.ts';
import { useVoicePrompt } from './useVoicePrompt.ts';
import { StatusBar } from './StatusBar.tsx';
import { useIdleTimeout } from './useIdleTimeout.ts';
import { useKiosk } from './kiosk-context.tsx';
import { useStatus } from './useStatus.ts';

export function App() {
  const kiosk = useKiosk();
  const { status, error } = useStatus();
  const [session, setSession] = useState(0);
  /** The next session starts by reading the card just inserted (on the farewell screen, or mid-journey). */
  const [startReading, setStartReading] = useState(false);
  /** Idle with the card still inside: the kiosk asks for it before it shows the start screen. */
  const [awaitingCard, setAwaitingCard] = useState(false);
  const cardInside = useCardInside(status);
  const [elderly, setElderly] = useState(false);
  const selfService = status?.mode === 'self-service';

  useEffect(() => (selfService ? startVoice() : undefined), [selfService]);

  const forgetOnHost = useCallback(() => void kiosk.system.resetSession({}).catch(() => undefined), [kiosk]);
  // Idle: forget this session's personal data on both sides and show the start screen again. The mode's
  // component is remounted (its key changes), so every value it held about the patient is dropped.
  const backToStart = useCallback(() => {
    forgetOnHost();
    setElderly(false);
    setStartReading(false);
    setSession((n) => n + 1);
  }, [forgetOnHost]);
  /**
   * Staff desks lock at idle instead of wiping: the form stays, hidden, for the signed-in operator to resume
   * with their password. The terminal is told, so it refuses staff requests meanwhile (not only this screen).
   */
  const [lockedHere, setLocked] = useState(false);
  const locked = lockedHere || (!selfService && status?.operator?.locked === true);
  const onIdle = useCallback(() => {
    if (!selfService) {
      if (!status?.operator) return;
      void kiosk.operator.lock({}).catch(() => undefined);
      return setLocked(true);
    }
    if (cardInside.current) setAwaitingCard(true);
    backToStart();
  }, [selfService, cardInside, backToStart, kiosk, status?.operator]);
  const newCardSession = useCallback(() => {
    forgetOnHost();
    setElderly(false);
    setStartReading(true);
    setSession((n) => n + 1);
  }, [forgetOnHost]);
  useKioskEvent('card-removed', () => setAwaitingCard(false));

  const idleSeconds = status?.idleTimeoutSeconds ?? 90;
  const warnSeconds = selfService ? Math.min(10, Math.floor(idleSeconds / 3)) : 0;
  // A payment QR being paid holds the idle timeout (its own countdown governs: idle-hold.tsx).
  const [holds, setHolds] = useState(0);
  const hold = useCallback((delta: 1 | -1) => setHolds((n) => n + delta), []);
  const remaining = useIdleTimeout(idleSeconds, onIdle, status !== null && !awaitingCard && !locked && holds === 0, warnSeconds);

  if (!status) {
    return (
      <main className="start" data-testid="connecting">
        <h1>{error ? '无法连接终端服务' : '正在启动…'}</h1>
        {error && <p className="lead">{error}</p>}
      </main>
    );
  }
  return (
    <ElderlyContext.Provider value={{ on: elderly, set: setElderly }}>
    <IdleHoldContext.Provider value={hold}>
    <div className="app" data-mode={status.mode} data-elderly={selfService && elderly ? 'true' : undefined}>
      <StatusBar status={status} />
      {!status.platform.online && <OfflineBanner mode={status.mode} />}
      {awaitingCard ? (
        <IdleTakeCard />
      ) : (
        <div className="mode-screen" hidden={locked}>
          <Suspense fallback={<p className="muted">正在载入…</p>}>
            <ModeScreen key={session} status={status} startReading={startReading} onExit={backToStart} onNewCard={newCardSession} onNewPatient={forgetOnHost} />
          </Suspense>
        </div>
      )}
      {locked && (
        <DeskLock
          operator={status.operator}
          onUnlock={() => setLocked(false)}
          onSwitched={() => {
            setLocked(false);
            backToStart();
          }}
        />
      )}
      {status.demo && (
        <Suspense fallback={null}>
          <DemoPanel status={status} />
        </Suspense>
      )}
      {remaining !== null && <IdleWarning seconds={remaining} />}
    </div>
    </IdleHoldContext.Provider>
    </ElderlyContext.Provider>
  );
}

/** Whether a card is in the reader, from the reader's events (a session reset does not take it out). */
function useCardInside(status: TerminalStatus | null) {
  const inside = useRef(false);
  const known = useRef(false);
  if (status && !known.current) {
    known.current = true;
    inside.current = status.reader.state === 'card-present' || status.reader.state === 'reading';
  }
  useKioskEvent('card-inserted', () => {
    inside.current = true;
  });
  useKioskEvent('card-removed', () => {
    inside.current = false;
  });
  return inside;
}

/** After the idle timeout with the card inside: a chime and the spoken reminder, repeated until it is taken. */
function IdleTakeCard() {
  useVoicePrompt('idle-take-card');
  useEffect(() => {
    chime();
    const again = setInterval(() => {
      chime();
      window.dispatchEvent(new CustomEvent('kiosk:voice', { detail: { screen: 'idle-take-card', text: '请取走您的卡片' } }));
    }, 8_000);
    return () => clearInterval(again);
  }, []);
  return <TakeCard />;
}

function ModeScreen({
  status,
  startReading,
  onExit,
  onNewCard,
  onNewPatient,
}: {
  status: TerminalStatus;
  startReading: boolean;
  onExit: () => void;
  onNewCard: () => void;
  onNewPatient: () => void;
}) {
  switch (status.mode) {
    case 'self-service':
      return <SelfServiceFlow status={status} startReading={startReading} onExit={onExit} onNewCard={onNewCard} />;
    case 'discharge':
      return <DischargeCounter status={status} onNewPatient={onNewPatient} />;
    case 'admission':
      return <AdmissionDesk status={status} onNewPatient={onNewPatient} />;
  }
}

/**
 * One vocabulary for the outage: 医保平台暂时无法连接, what still works, and that it resumes by itself. Only what
 * works for everyone is promised: a registration needs a recent check of that patient on this terminal, and a
 * kiosk cannot know whether the patient in front of it has one (docs/services.md, "Platform fully offline").
 */
const OFFLINE_TEXT: Record<TerminalStatus['mode'], string> = {
  admission: '医保平台暂时无法连接：本机近期核验过的患者可继续办理入院登记，登记保存在本机，连接恢复后自动上传。',
  'self-service': '医保平台暂时无法连接：部分业务暂时不能办理，请稍后再试，或到人工窗口办理。',
  discharge: '医保平台暂时无法连接：可查看、导入和录入费用，连接恢复后自动上传；出院结算需在连接恢复后办理。',
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
