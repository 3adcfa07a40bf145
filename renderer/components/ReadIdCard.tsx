import { useEffect, useRef, useState } from 'react';
import type { IdCardView } from '../../contract/dto/idcard.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { useKioskEvent } from '../app/useKioskEvent.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/**
 * 读身份证: one button that reads the ID card on the ID card reader (reader.readIdCard) and hands the card,
 * which is then the session's credential { kind: 'idcard' }, to the screen. While the reader finds no card
 * it says 请放置身份证; a failure shows its Chinese guidance. Used at the desk (with its function key, so the
 * clerk's hands stay on the keyboard) and at the kiosk (touch; primary where it is the way forward).
 */
export function ReadIdCard({
  onRead,
  big = false,
  variant = 'secondary',
  hotkey,
  label = '读身份证',
  testId = 'read-idcard-button',
}: {
  onRead: (card: IdCardView) => void;
  big?: boolean;
  /** secondary beside other ways; primary where it is the way forward; choice in a list of ways (kiosk). */
  variant?: 'primary' | 'secondary' | 'choice';
  /** A function key that reads as the button does (the desk: F2), shown in the label. */
  hotkey?: 'F2';
  label?: string;
  testId?: string;
}) {
  const kiosk = useKiosk();
  const [waiting, setWaiting] = useState(false);
  const read = useAction(() => kiosk.reader.readIdCard({ waitMs: 15_000 }));
  useKioskEvent('idcard-waiting', () => setWaiting(true));
  const start = async () => {
    if (read.busy) return;
    setWaiting(false);
    const card = await read.run();
    setWaiting(false);
    if (card) onRead(card);
  };
  const startRef = useRef(start);
  startRef.current = start;
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!hotkey) return;
    const h = (e: KeyboardEvent) => {
      // Not while the desk is locked (the form stays mounted, hidden) or behind a dialog's own keys.
      if (e.key !== hotkey || e.defaultPrevented || !button.current || button.current.closest('[hidden]')) return;
      e.preventDefault();
      void startRef.current();
    };
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, [hotkey]);
  const cls = `${variant}${big ? ' big' : ''}`;
  return (
    <div className="read-idcard" data-testid="read-idcard">
      <button ref={button} type="button" className={cls} disabled={read.busy} onClick={() => void start()} data-testid={testId} aria-keyshortcuts={hotkey}>
        {read.busy ? (waiting ? '请将身份证放在阅读器上…' : '正在读身份证…') : hotkey ? `${label}（${hotkey}）` : label}
      </button>
      {read.error && <ErrorNotice error={read.error} onDismiss={read.clear} />}
    </div>
  );
}
