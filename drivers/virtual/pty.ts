import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

// python3 cannot read inside app.asar: in a packaged app the helper is unpacked beside it (electron-builder.yml).
const RELAY = fileURLToPath(new URL('./pty-relay.py', import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

/** How the driver had set the line when bytes arrived (pty-relay.py --report-line). */
export interface LineSettings {
  /** bit/s; 0 when the helper could not tell. */
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: boolean;
  stopBits: 1 | 2;
}

// Linux termios c_cflag bits (asm-generic/termbits.h).
const CSIZE = 0o60;
const CSTOPB = 0o100;
const PARENB = 0o400;

export function lineSettingsOf(baudRate: number, cflag: number): LineSettings {
  const size = (cflag & CSIZE) >> 4;
  return { baudRate, dataBits: (5 + size) as 5 | 6 | 7 | 8, parity: (cflag & PARENB) !== 0, stopBits: cflag & CSTOPB ? 2 : 1 };
}

/**
 * A new pseudo-terminal, its master relayed by the python3 helper pty-relay.py (Node cannot open a pty).
 * `path` is the slave a driver opens; bytes the driver writes come out of `onData`, and `write` sends to it.
 */
export class PtyRelay {
  private dataListener: (chunk: Uint8Array, line: LineSettings | null) => void = () => {};
  private pending = new Uint8Array(0);
  private exitListener: () => void = () => {};
  private exited = false;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    readonly path: string,
    private readonly reportLine: boolean,
  ) {
    child.stdout.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      if (this.reportLine) this.unpack(bytes);
      else this.dataListener(bytes, null);
    });
    child.on('exit', () => {
      this.exited = true;
      this.exitListener();
    });
    child.stdin.on('error', () => {});
  }

  /** `reportLine`: every chunk comes with the line settings the driver had set (the ID card reader's rate probe). */
  static open(options: { reportLine?: boolean } = {}, python = process.env.KIOSK_PYTHON ?? 'python3'): Promise<PtyRelay> {
    const reportLine = options.reportLine === true;
    return new Promise((resolve, reject) => {
      let child: ChildProcessByStdio<Writable, Readable, Readable>;
      try {
        child = spawn(python, reportLine ? [RELAY, '--report-line'] : [RELAY], { stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (err) {
        return reject(err);
      }
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`pty helper did not start within 5 s: ${stderr.trim()}`));
      }, 5000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start the pty helper (${python} ${RELAY}): ${err.message}. The virtual serial reader needs python3.`));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`pty helper exited with code ${code}: ${stderr.trim()}`));
      });
      const onStderr = (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const nl = stderr.indexOf('\n');
        if (nl < 0) return;
        clearTimeout(timer);
        child.stderr.off('data', onStderr);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        child.stderr.on('data', (c: Buffer) => process.stderr.write(`[pty-relay] ${c.toString('utf8')}`));
        try {
          const { path } = JSON.parse(stderr.slice(0, nl)) as { path: string };
          resolve(new PtyRelay(child, path, reportLine));
        } catch {
          child.kill('SIGKILL');
          reject(new Error(`pty helper said: ${stderr.trim()}`));
        }
      };
      child.stderr.on('data', onStderr);
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  write(bytes: Uint8Array): void {
    if (!this.exited) this.child.stdin.write(bytes);
  }

  onData(listener: (chunk: Uint8Array, line: LineSettings | null) => void): void {
    this.dataListener = listener;
  }

  /** Splits the helper's `L | speed | cflag | length | bytes` records (they may arrive cut anywhere). */
  private unpack(chunk: Uint8Array): void {
    const buf = new Uint8Array(this.pending.length + chunk.length);
    buf.set(this.pending, 0);
    buf.set(chunk, this.pending.length);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    let at = 0;
    while (buf.length - at >= 13) {
      const length = view.getUint32(at + 9);
      if (buf.length - at < 13 + length) break;
      const line = lineSettingsOf(view.getUint32(at + 1), view.getUint32(at + 5));
      this.dataListener(buf.slice(at + 13, at + 13 + length), line);
      at += 13 + length;
    }
    this.pending = buf.slice(at);
  }

  onExit(listener: () => void): void {
    this.exitListener = listener;
  }

  /** Closes the master side (the driver sees a hang-up) and waits for the helper to exit. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 2000);
      this.child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      this.child.stdin.end();
    });
  }
}
