import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { VirtualReaderControl } from '../../../drivers/virtual/control-client.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Node 22 (the project's pinned runtime), without the bin/kiosk.mjs re-exec, so killing the child kills the reader. */
export function node22(): string {
  if (process.versions.node.startsWith('22.')) return process.execPath;
  const pinned = `${ROOT}node_modules/node/bin/node`;
  if (!existsSync(pinned)) throw new Error('Node 22 is required (npm install provides node_modules/node)');
  return pinned;
}

export interface VirtualReaderProcess {
  path: string;
  stablePath: string | null;
  control: VirtualReaderControl;
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `kiosk virtual-reader` as a separate process and waits for its JSON line (bounded). */
export async function spawnVirtualReader(args: string[] = [], timeoutMs = 30_000): Promise<VirtualReaderProcess> {
  const child = spawn(node22(), [`${ROOT}bin/kiosk.mjs`, 'virtual-reader', '--link', 'serial', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const stop = () => stopChild(child);
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`virtual reader did not start within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const nl = out.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(out.slice(0, nl));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual reader exited with ${code}: ${stderr}`));
      });
    });
    const ready = JSON.parse(line) as { path: string; control: string; stablePath?: string };
    return { path: ready.path, stablePath: ready.stablePath ?? null, control: new VirtualReaderControl(ready.control), child, stderr: () => stderr, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. */
export function stopChild(child: { exitCode: number | null; signalCode: NodeJS.Signals | null; kill(signal: NodeJS.Signals): boolean; once(event: 'exit', l: () => void): unknown }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The next `event` whose payload satisfies `match`, or a rejection after `timeoutMs`. */
export function nextEvent<T>(emitter: EventEmitter, event: string, match: (payload: T) => boolean = () => true, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    function listener(payload: T) {
      if (!match(payload)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(payload);
    }
    emitter.on(event, listener);
  });
}

/** Records every event of the given names, in order. */
export function recordEvents(emitter: EventEmitter, names: string[]): { name: string; payload: unknown }[] {
  const log: { name: string; payload: unknown }[] = [];
  for (const name of names) emitter.on(name, (payload: unknown) => log.push({ name, payload }));
  return log;
}
