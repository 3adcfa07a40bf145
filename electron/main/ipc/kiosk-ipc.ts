import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Dispatcher } from '../../../contract/dispatcher.ts';
import { EVENT_CHANNEL } from '../../../contract/define.ts';
import { KioskError } from '../../../contract/errors.ts';
import type { Reply } from '../../../contract/wire.ts';
import type { Logger } from '../../../services/logging/logger.ts';
import { isAppUrl } from '../protocol/origin.ts';
import { checkSender, type SenderEvent, type TrustedContents } from './sender-check.ts';

export type IpcRegistrar = Pick<IpcMain, 'handle' | 'removeHandler'>;
export type KioskDispatcher = Pick<Dispatcher, 'channels' | 'call' | 'subscribe'>;
export type EventTarget = TrustedContents & Pick<WebContents, 'send'>;

export interface KioskIpcOptions {
  ipcMain: IpcRegistrar;
  dispatcher: KioskDispatcher;
  /** The terminal window's web contents, or null while there is none. Read on every call. */
  trustedContents: () => EventTarget | null;
  log: Logger;
}

const unauthorized = (): Reply => ({
  ok: false,
  error: new KioskError('UNAUTHORIZED', '请求来源不受信任，已拒绝。', ['请重新启动终端；如仍出现，请联系信息科。']).toDto(),
});

/**
 * The Electron transport of the KioskApi: one ipcMain.handle per contract method (dispatcher.channels), each
 * checking the sender frame before the dispatcher parses the arguments with the contract's zod schema.
 * Returns a function that removes every handler and the event subscription.
 */
export function registerKioskIpc(options: KioskIpcOptions): () => void {
  const { ipcMain, dispatcher, log } = options;
  const channels = dispatcher.channels;
  for (const channel of channels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent | SenderEvent, ...args: unknown[]): Promise<Reply> => {
      const verdict = checkSender(event, options.trustedContents());
      if (verdict !== 'trusted') {
        log.warn('ipc-sender-refused', { channel, verdict });
        return unauthorized();
      }
      if (args.length > 1) {
        return { ok: false, error: new KioskError('INVALID_ARGUMENT', '请求参数不正确：参数个数', ['请检查输入后重试。']).toDto() };
      }
      return dispatcher.call(channel, args[0], { transport: 'ipc' });
    });
  }
  const stopEvents = forwardKioskEvents(dispatcher, options.trustedContents);
  return () => {
    stopEvents();
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/**
 * Events from the services to the terminal window only (never broadcast to every web contents), and only
 * while it shows our own page.
 */
export function forwardKioskEvents(dispatcher: Pick<Dispatcher, 'subscribe'>, target: () => EventTarget | null): () => void {
  return dispatcher.subscribe((name, payload) => {
    const contents = target();
    if (!contents || contents.isDestroyed() || !isAppUrl(contents.mainFrame.url)) return;
    contents.send(EVENT_CHANNEL, name, payload);
  });
}
