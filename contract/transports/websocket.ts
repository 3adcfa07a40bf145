import type { KioskApi } from '../api.ts';
import { createKioskClient } from '../client.ts';
import { KioskError } from '../errors.ts';
import { WS_CLOSE_UNAUTHORIZED, WsServerMessage, type Reply } from '../wire.ts';

export interface WebSocketClientOptions {
  /** ws://127.0.0.1:5170/kiosk (the browser sends the host's session cookie; other clients pass a WebSocketImpl that does). */
  url: string;
  /** The WebSocket constructor; defaults to the global one (browsers, Node 22). */
  WebSocketImpl?: typeof WebSocket;
  /** Reconnect delay after the host went away (it may be restarting). */
  reconnectMs?: number;
}

/**
 * KioskApi over a WebSocket to the browser host. Calls made while connecting wait for the connection; calls
 * in flight when it drops fail with a Chinese message; a wrong token ends the client for good (UNAUTHORIZED).
 */
export function createWebSocketClient(options: WebSocketClientOptions): KioskApi & { close(): void; ready: Promise<void> } {
  const Impl = options.WebSocketImpl ?? globalThis.WebSocket;
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let closed = false;
  let unauthorized = false;
  let opened!: Promise<void>;
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));

  const connect = () => {
    socket = new Impl(options.url);
    opened = new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => {
        markReady();
        resolve();
      });
      socket.addEventListener('close', (ev) => reject(closeError(ev.code)));
    });
    opened.catch(() => undefined);
    socket.addEventListener('message', (ev) => {
      let msg: WsServerMessage;
      try {
        msg = WsServerMessage.parse(JSON.parse(String(ev.data)));
      } catch {
        return; // not ours; ignore rather than crash the screen
      }
      if (msg.t === 'reply') {
        pending.get(msg.id)?.resolve(msg.reply);
        pending.delete(msg.id);
      } else {
        for (const l of listeners) l(msg.name, msg.payload);
      }
    });
    socket.addEventListener('close', (ev) => {
      if (ev.code === WS_CLOSE_UNAUTHORIZED) unauthorized = true;
      for (const p of pending.values()) p.reject(closeError(ev.code));
      pending.clear();
      if (!closed && !unauthorized) setTimeout(connect, options.reconnectMs ?? 1000);
    });
  };
  connect();

  const client = createKioskClient({
    async request(channel, args) {
      if (unauthorized) throw closeError(WS_CLOSE_UNAUTHORIZED);
      await opened;
      const id = nextId++;
      return new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ t: 'call', id, channel, args }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });

  return {
    ...client,
    ready,
    close() {
      closed = true;
      socket.close();
    },
  };
}

function closeError(code: number): KioskError {
  return code === WS_CLOSE_UNAUTHORIZED
    ? new KioskError('UNAUTHORIZED', '终端页面未获授权。', ['请从终端程序重新打开本页面。'])
    : new KioskError('INTERNAL', '与终端服务的连接中断。', ['请稍候，终端正在重新连接；如持续出现，请重启终端。']);
}
