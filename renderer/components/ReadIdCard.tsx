import { useState } from 'react';
import type { IdCardView } from '../../contract/dto/idcard.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * 读身份证: one button that reads the ID card on the ID card reader (reader.readIdCard) and hands the card,
 * which is then the session's credential { kind: 'idcard' }, to the screen. While the reader finds no card
 * it says 请放置身份证; a failure shows its Chinese guidance. Used at the desk and at the kiosk.
 */
export function ReadIdCard({ onRead, big = false }: { onRead: (card: IdCardView) => void; big?: boolean }) {
  const kiosk = useKiosk();
  const [waiting, setWaiting] = useState(false);
  const read = useAction(() => kiosk.reader.readIdCard({ waitMs: 15_000 }));
  useKioskEvent('idcard-waiting', () => setWaiting(true));
  const start = async () => {
    setWaiting(false);
    const card = await read.run();
    setWaiting(false);
    if (card) onRead(card);
  };
  return (
    <div className="read-idcard" data-testid="read-idcard">
      <button type="button" className={big ? 'secondary big' : 'secondary'} disabled={read.busy} onClick={() => void start()} data-testid="read-idcard-button">
        {read.busy ? (waiting ? '请将身份证放在阅读器上…' : '正在读身份证…') : '读身份证'}
      </button>
      {read.error && <ErrorNotice error={read.error} onDismiss={read.clear} />}
    </div>
  );
}
