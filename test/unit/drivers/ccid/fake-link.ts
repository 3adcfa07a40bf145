import { emptyLinkStats, type LinkError, type MessageLink } from '../../../../drivers/link/message-link.ts';

/** A MessageLink the test answers by hand; `sent` holds what the host sent. */
export class FakeLink implements MessageLink {
  readonly description = 'fake';
  readonly stats = emptyLinkStats();
  readonly sent: Uint8Array[] = [];
  isOpen = true;
  private messageListener: (m: Uint8Array) => void = () => {};
  private errorListener: (e: LinkError) => void = () => {};
  private closeListener: (e?: Error) => void = () => {};
  /** Called for each message sent, to script answers. */
  onSend: (m: Uint8Array) => void = () => {};

  async send(message: Uint8Array): Promise<void> {
    this.sent.push(message);
    queueMicrotask(() => this.onSend(message));
  }
  onMessage(l: (m: Uint8Array) => void): void {
    this.messageListener = l;
  }
  onError(l: (e: LinkError) => void): void {
    this.errorListener = l;
  }
  onClose(l: (e?: Error) => void): void {
    this.closeListener = l;
  }
  async close(): Promise<void> {
    this.hangUp();
  }
  reply(m: Uint8Array): void {
    this.messageListener(m);
  }
  fail(e: LinkError): void {
    this.errorListener(e);
  }
  hangUp(e?: Error): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.closeListener(e);
  }
}
