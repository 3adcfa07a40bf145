import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Readable, Writable } from 'node:stream';

// python3 cannot read inside app.asar: in a packaged app the helper is unpacked beside it (electron-builder.yml).
const RELAY = fileURLToPath(new URL('./pty-relay.py', import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

/**
 * A new pseudo-terminal, its master relayed by the python3 helper pty-relay.py (Node cannot open a pty).
 * `path` is the slave a driver opens; bytes the driver writes come out of `onData`, and `write` sends to it.
 */
export class PtyRelay {
  private dataListener: (chunk: Uint8Array) => void = () => {};
  private exitListener: () => void = () => {};
  private exited = false;

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    readonly path: string,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.dataListener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    child.on('exit', () => {
      this.exited = true;
      this.exitListener();
    });
    child.stdin.on('error', () => {});
  }

  static open(python = process.env.KIOSK_PYTHON ?? 'python3'): Promise<PtyRelay> {
    return new Promise((resolve, reject) => {
      let child: ChildProcessByStdio<Writable, Readable, Readable>;
      try {
        child = spawn(python, [RELAY], { stdio: ['pipe', 'pipe', 'pipe'] });
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
          resolve(new PtyRelay(child, path));
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

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
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
