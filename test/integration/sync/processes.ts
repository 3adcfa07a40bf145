import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

const TSX = resolve(import.meta.dirname, '../../../node_modules/tsx/dist/esm/index.mjs');

/** A TypeScript script as a child process under this Node (22), with its stdout read line by line as JSON. */
export class ScriptProcess {
  readonly child: ChildProcess;
  readonly lines: Array<Record<string, unknown>> = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: Array<{ match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];

  constructor(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, ['--import', TSX, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(line) as Record<string, unknown>;
      } catch {
        parsed = { text: line };
      }
      this.lines.push(parsed);
      for (const w of [...this.waiters]) {
        if (w.match(parsed)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(parsed);
        }
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.exited = new Promise((res) => this.child.once('exit', (code, signal) => res({ code, signal })));
  }

  /** The first line (already printed or to come) that matches, or a rejection after `timeoutMs`. */
  waitFor(match: (l: Record<string, unknown>) => boolean, what: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr: ${this.stderr.join('').slice(-2000)}`)), timeoutMs);
      const early = this.exited.then((e) => reject(new Error(`process exited (${e.code ?? e.signal}) before ${what}; stderr: ${this.stderr.join('').slice(-2000)}`)));
      void early;
      this.waiters.push({
        match,
        resolve: (l) => {
          clearTimeout(timer);
          resolvePromise(l);
        },
      });
    });
  }

  async kill9(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** A small seeded PRNG (mulberry32) so a failing run can be repeated with the seed it prints. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Spreads kills over the whole drain: each life gets a random share (×0.25–1.75) of the remaining work divided
 * by the kills still to come plus a margin of 4, converted to time with the throughput measured over the
 * previous lives. The margin keeps work left for the last kills even when a life runs faster than measured.
 */
export class KillPacer {
  private opsPerMs = 0.05;
  constructor(
    private readonly minKills: number,
    private readonly random: () => number,
  ) {}

  /** How long to let the next life run, given what is left and how many kills were made. */
  delayMs(remaining: number, kills: number): number {
    const killsLeft = Math.max(1, this.minKills - kills);
    const share = remaining / (killsLeft + 4);
    const ms = ((0.25 + this.random() * 1.5) * share) / this.opsPerMs;
    return Math.min(5_000, Math.max(10, Math.round(ms)));
  }

  /** Learns the throughput from one life: operations finished during `aliveMs`. */
  observe(done: number, aliveMs: number): void {
    if (aliveMs < 20 || done <= 0) return;
    const measured = done / aliveMs;
    this.opsPerMs = 0.5 * this.opsPerMs + 0.5 * measured;
  }
}
