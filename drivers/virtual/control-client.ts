import type { NoiseMode } from './serial-endpoint.ts';
import type { VirtualReaderStatus } from './virtual-reader.ts';

export interface VirtualCardSummary {
  id: string;
  label: string;
  generation: 2 | 3;
  ssse: boolean;
  nameExtension: boolean;
}

export class VirtualReaderControlError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'VirtualReaderControlError';
  }
}

/**
 * Typed client of the virtual reader's control API (docs/readers.md): what tests and the demo panel use to
 * insert, pull and mute cards, put noise on the line or unplug the reader. Loopback HTTP only.
 */
export class VirtualReaderControl {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {
    const host = new URL(baseUrl).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`the control API is loopback only, not ${host}`);
  }

  state(): Promise<VirtualReaderStatus> {
    return this.call('GET', '/state');
  }

  cards(): Promise<VirtualCardSummary[]> {
    return this.call('GET', '/cards');
  }

  insert(cardId: string): Promise<VirtualReaderStatus> {
    return this.call('POST', '/insert', { card: cardId });
  }

  remove(): Promise<VirtualReaderStatus> {
    return this.call('POST', '/remove');
  }

  /** The next APDU to the card fails as if the card were pulled during it. */
  pullMidApdu(): Promise<VirtualReaderStatus> {
    return this.call('POST', '/pull-mid-apdu');
  }

  mute(muted = true): Promise<VirtualReaderStatus> {
    return this.call('POST', '/mute', { muted });
  }

  /** Garbage on the serial line: random bytes (count) or the given hex. */
  noise(options: { count?: number; bytes?: string; mode?: NoiseMode } = {}): Promise<VirtualReaderStatus> {
    return this.call('POST', '/noise', options);
  }

  /** Extra card time per APDU (for the next `apdus` APDUs, or all); over 1 s the reader sends time extensions. */
  slow(ms: number, apdus?: number): Promise<VirtualReaderStatus> {
    return this.call('POST', '/slow', { ms, apdus: apdus ?? null });
  }

  interleaveNotifications(enabled = true): Promise<VirtualReaderStatus> {
    return this.call('POST', '/interleave-notifications', { enabled });
  }

  psam(present: boolean): Promise<VirtualReaderStatus> {
    return this.call('POST', '/psam', { present });
  }

  unplug(): Promise<VirtualReaderStatus> {
    return this.call('POST', '/unplug');
  }

  replug(): Promise<VirtualReaderStatus> {
    return this.call('POST', '/replug');
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const json = (await res.json()) as { error?: { kind: string; message: string } };
    if (!res.ok) throw new VirtualReaderControlError(res.status, json.error?.kind ?? 'unknown', json.error?.message ?? `HTTP ${res.status}`);
    return json as T;
  }
}
