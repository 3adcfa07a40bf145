import { spawnSync } from 'node:child_process';
import { spawn, type IPty } from '@lydell/node-pty';

/** How the driver had set the line when bytes arrived (PtyRelay.open({ reportLine: true })). */
export interface LineSettings {
  /** bit/s; 0 when it could not be told. */
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: boolean;
  stopBits: 1 | 2;
}

// Linux termios c_cflag bits (asm-generic/termbits.h).
const CSIZE = 0o60;
const CSTOPB = 0o100;
const PARENB = 0o400;
const CBAUD = 0o10017;
const SPEEDS: Record<number, number> = {
  0o1: 50, 0o2: 75, 0o3: 110, 0o4: 134, 0o5: 150, 0o6: 200, 0o7: 300, 0o10: 600, 0o11: 1200, 0o12: 1800, 0o13: 2400, 0o14: 4800,
  0o15: 9600, 0o16: 19200, 0o17: 38400, 0o10001: 57600, 0o10002: 115200, 0o10003: 230400, 0o10004: 460800, 0o10007: 921600,
};

export function lineSettingsOf(baudRate: number, cflag: number): LineSettings {
  const size = (cflag & CSIZE) >> 4;
  return { baudRate, dataBits: (5 + size) as 5 | 6 | 7 | 8, parity: (cflag & PARENB) !== 0, stopBits: cflag & CSTOPB ? 2 : 1 };
}

/**
 * The line settings the driver has set on the slave, read with `stty -F <slave> -g` (iflag:oflag:cflag:…,
 * hex; Linux keeps the speed in cflag's CBAUD bits). Node has no tcgetattr; stty is in every Linux base system.
 */
function readLineSettings(path: string): LineSettings | null {
  const r = spawnSync('stty', ['-F', path, '-g'], { encoding: 'utf8', timeout: 2000 });
  const cflag = Number.parseInt(r.status === 0 ? (r.stdout.split(':')[2] ?? '') : '', 16);
  if (!Number.isFinite(cflag)) return null;
  return lineSettingsOf(SPEEDS[cflag & CBAUD] ?? 0, cflag);
}

/**
 * A new pseudo-terminal for the virtual reader, from @lydell/node-pty (node-pty with prebuilt binaries for
 * Linux, macOS and Windows inside the npm package: no compiler, no Python). `path` is the slave a driver opens
 * like any serial port; bytes the driver writes come out of `onData`, and `write` sends to it.
 *
 * node-pty opens a pty only by starting a process on its slave. That holder is `sh`, which puts the line in
 * raw mode (no echo, no CR/LF translation, no signals from control bytes), says "ready" and then sleeps: it
 * keeps the slave open, so the master never reads EIO while the driver has the port closed. Closing kills it
 * and closes the master: the driver sees the port hang up, as when a USB-serial reader is unplugged.
 * Windows has no pseudo-terminal a serial driver can open: there the virtual reader uses its TCP link.
 */
const HOLDER = 'stty raw -echo && printf ready && exec tail -f /dev/null';
const READY = 'ready';

export class PtyRelay {
  private dataListener: (chunk: Uint8Array, line: LineSettings | null) => void = () => {};
  private exitListener: () => void = () => {};
  private exited = false;

  private constructor(
    private readonly pty: IPty,
    readonly path: string,
    reportLine: boolean,
  ) {
    pty.onData((chunk) => {
      const b = chunk as unknown as Buffer;
      // Read the settings as the bytes arrive: the virtual ID card reader drops bytes sent at another speed.
      this.dataListener(new Uint8Array(b.buffer, b.byteOffset, b.length), reportLine ? readLineSettings(path) : null);
    });
    pty.onExit(() => {
      this.exited = true;
      this.exitListener();
    });
  }

  /** `reportLine`: every chunk comes with the line settings the driver had set (the ID card reader's rate probe). */
  static open(options: { reportLine?: boolean } = {}): Promise<PtyRelay> {
    if (process.platform === 'win32') return Promise.reject(new Error('Windows has no pseudo-terminal for a serial driver: use the virtual reader\'s TCP link (--link tcp).'));
    return new Promise((resolve, reject) => {
      let pty: IPty;
      try {
        // encoding null: raw bytes (Buffers) both ways, never decoded as text.
        pty = spawn('/bin/sh', ['-c', HOLDER], { name: 'dumb', cols: 80, rows: 24, encoding: null });
      } catch (err) {
        return reject(new Error(`cannot open a pseudo-terminal: ${err instanceof Error ? err.message : String(err)}`));
      }
      let said = '';
      const timer = setTimeout(() => {
        pty.kill('SIGKILL');
        reject(new Error(`pseudo-terminal holder did not start within 5 s: ${said}`));
      }, 5000);
      const exited = pty.onExit(({ exitCode }) => {
        clearTimeout(timer);
        reject(new Error(`pseudo-terminal holder exited with code ${exitCode}: ${said}`));
      });
      const data = pty.onData((chunk) => {
        said += (chunk as unknown as Buffer).toString('latin1');
        if (!said.includes(READY)) return;
        clearTimeout(timer);
        data.dispose();
        exited.dispose();
        const path = (pty as unknown as { ptsName: string }).ptsName;
        resolve(new PtyRelay(pty, path, options.reportLine === true));
      });
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  write(bytes: Uint8Array): void {
    if (!this.exited) this.pty.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as unknown as string);
  }

  onData(listener: (chunk: Uint8Array, line: LineSettings | null) => void): void {
    this.dataListener = listener;
  }

  onExit(listener: () => void): void {
    this.exitListener = listener;
  }

  /** Closes the master side (the driver sees a hang-up) and waits for the holder to exit. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => this.pty.kill('SIGKILL'), 2000);
      this.pty.onExit(() => {
        clearTimeout(kill);
        resolve();
      });
      (this.pty as unknown as { destroy(): void }).destroy();
    });
  }
}
