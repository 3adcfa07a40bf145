import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { isAppUrl } from '../protocol/origin.ts';

/** The parts of a frame the check reads. */
export type FrameLike = Pick<WebFrameMain, 'url' | 'parent' | 'processId' | 'routingId'>;
export type SenderEvent = { sender: Pick<WebContents, 'id'>; senderFrame: FrameLike | null };
export type TrustedContents = Pick<WebContents, 'id' | 'isDestroyed'> & { mainFrame: FrameLike };

export type SenderVerdict = 'trusted' | 'no-window' | 'no-frame' | 'foreign-window' | 'sub-frame' | 'not-main-frame' | 'foreign-origin';

/**
 * Who may call the KioskApi over IPC: only the main frame of our one terminal window, showing a page of our
 * own origin (app://kiosk). A sub-frame (an embedded document, a PDF preview), another window (a print
 * window), or a page that somehow got navigated elsewhere is refused before any argument is looked at
 * (Electron checklist item 17; VS Code's validatedIpcMain does the same).
 */
export function checkSender(event: SenderEvent | IpcMainInvokeEvent, trusted: TrustedContents | null): SenderVerdict {
  if (!trusted || trusted.isDestroyed()) return 'no-window';
  const frame = event.senderFrame;
  if (!frame) return 'no-frame';
  if (event.sender.id !== trusted.id) return 'foreign-window';
  if (frame.parent !== null) return 'sub-frame';
  // Distinct WebFrameMain objects for one frame share processId + routingId, so compare those, not identity.
  const main = trusted.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return 'not-main-frame';
  if (!isAppUrl(frame.url)) return 'foreign-origin';
  return 'trusted';
}
