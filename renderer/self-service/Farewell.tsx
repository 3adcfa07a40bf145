import { useEffect } from 'react';

/** 请取走您的卡片: shown until the reader reports the card gone. */
export function TakeCard() {
  return (
    <main className="kiosk-screen center" data-testid="ss-take-card">
      <div className="card-slot out" aria-hidden="true">
        <div className="card-anim out" />
      </div>
      <h1 data-voice="请取走您的卡片">请取走您的卡片</h1>
      <p className="lead">请妥善保管您的社保卡和打印的凭条</p>
    </main>
  );
}

/** The last word, then back to the start screen by itself. */
export function Thanks({ onDone, afterMs = 4000 }: { onDone: () => void; afterMs?: number }) {
  useEffect(() => {
    const t = setTimeout(onDone, afterMs);
    return () => clearTimeout(t);
  }, [onDone, afterMs]);
  return (
    <main className="kiosk-screen center" data-testid="ss-thanks">
      <h1 data-voice="谢谢，祝您早日康复">谢谢，祝您早日康复</h1>
      <button type="button" className="secondary big" onClick={onDone}>
        返回首页
      </button>
    </main>
  );
}
