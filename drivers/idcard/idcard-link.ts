import type { SerialByteTransport } from '../transport/serial-transport.ts';
import { AnswerParser, type IdCardAnswer } from './answer-parser.ts';
import { encodeCommand } from './frame.ts';

/**
 * One command, one answer (idcard-link.md §3 rule 4): the protocol has no sequence numbers, so the link sends
 * one command at a time, first dropping whatever arrived while nothing was waiting, writes the whole 10-byte
 * frame in one write, and takes the first valid frame after it as the answer. Only the answer timeout ends a
 * wait (counted from the end of the write); `null` means none came. Bytes may come in any chunks.
 */
export class IdCardLink {
  private readonly parser = new AnswerParser();
  private waiting: { resolve: (a: IdCardAnswer | null) => void; timer: NodeJS.Timeout | null } | null = null;
  private closedError: Error | null = null;
  /** Commands written, for tests and the bench (no personal data). */
  readonly stats = { commands: 0, answers: 0 };

  constructor(private readonly transport: SerialByteTransport) {
    transport.onData((chunk) => this.receive(chunk));
    transport.onClose((error) => {
      this.closedError = error ?? new Error('the port was closed');
      this.settle(null);
    });
  }

  get description(): string {
    return this.transport.description;
  }

  setBaudRate(rate: number): Promise<void> {
    return this.transport.setBaudRate(rate);
  }

  /** Sends CMD PARA and waits up to `timeoutMs` for the answer. Rejects only when the port itself fails. */
  async exchange(cmd: number, para: number, timeoutMs: number): Promise<IdCardAnswer | null> {
    if (this.waiting) throw new Error('one command at a time');
    if (this.closedError) throw this.closedError;
    this.parser.clear();
    const waiting: { resolve: (a: IdCardAnswer | null) => void; timer: NodeJS.Timeout | null } = { resolve: () => {}, timer: null };
    const answer = new Promise<IdCardAnswer | null>((resolve) => {
      waiting.resolve = resolve;
    });
    this.waiting = waiting;
    try {
      await this.transport.write(encodeCommand(cmd, para));
    } catch (err) {
      this.waiting = null;
      throw err;
    }
    this.stats.commands++;
    // The answer may already be complete (a fast reader, a short frame): settle() has then run.
    if (this.waiting === waiting) waiting.timer = setTimeout(() => this.settle(null), timeoutMs);
    const result = await answer;
    if (result === null && this.closedError) throw this.closedError;
    return result;
  }

  close(): Promise<void> {
    this.settle(null);
    return this.transport.close();
  }

  private receive(chunk: Uint8Array): void {
    const answers = this.parser.push(chunk);
    if (!this.waiting) {
      // Nothing asked: late or unsolicited bytes are dropped (rule 4).
      this.parser.clear();
      return;
    }
    const first = answers[0];
    if (first) {
      this.stats.answers++;
      this.parser.clear();
      this.settle(first);
    }
  }

  private settle(answer: IdCardAnswer | null): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = null;
    if (w.timer) clearTimeout(w.timer);
    w.resolve(answer);
  }
}
