import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KioskEventName, KioskEventPayloads } from '../../../contract/api.ts';
import { channelOf } from '../../../contract/define.ts';
import { KioskError } from '../../../contract/errors.ts';
import { VirtualReaderControl } from '../../../drivers/virtual/control-client.ts';
import { startVirtualReader, type VirtualReader } from '../../../drivers/virtual/start-virtual-reader.ts';
import { startTestSandbox, TEST_NOW, type TestSandbox } from '../../../insurance/sandbox/testing.ts';
import type { Clock } from '../../../base/clock.ts';
import { loadConfig } from '../../../services/config/load.ts';
import { hashPassword } from '../../../services/security/passwords.ts';
import { NetworkSwitch } from '../../../services/demo/network-switch.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { createTerminal, type Terminal } from '../../../services/terminal.ts';
import type { BookingList } from '../../../services/admission/bookings.ts';
import type { CommitSeam } from '../../../db/commit.ts';

/**
 * A whole terminal on real parts: the sandbox platform over HTTP on 127.0.0.1, the virtual reader on a real
 * pseudo-terminal read through serialport by the drivers' reader manager, the store in a real SQLite file,
 * and a network switch (services/demo) between the client and the sandbox so a test can cut the network.
 * The terminal's clock runs from the sandbox's test day (TEST_NOW), so every date rule is deterministic.
 */
export interface Harness {
  terminal: Terminal;
  sandbox: TestSandbox;
  reader: VirtualReader;
  control: VirtualReaderControl;
  network: NetworkSwitch;
  events: { name: KioskEventName; payload: unknown; at: number }[];
  /** Every line the terminal logged (through its redacting logger). */
  logLines: string[];
  call<T = unknown>(group: string, method: string, args?: unknown): Promise<T>;
  /** The call's KioskError (fails the test when the call succeeds). */
  callError(group: string, method: string, args?: unknown): Promise<KioskError>;
  waitFor<E extends KioskEventName>(name: E, since: number, timeoutMs?: number): Promise<KioskEventPayloads[E]>;
  /** Inserts a virtual card and waits for the terminal's card-read (or card-error) event. */
  insert(cardId: string): Promise<{ name: 'card-read' | 'card-error'; payload: unknown }>;
  close(): Promise<void>;
}

/**
 * The harness terminal's operator accounts (its configuration). 1001 works a combined 住院处 window (admission
 * and the counter), as small hospitals do; the single-role accounts are for the role tests.
 */
export const HARNESS_ACCOUNTS = [
  { opterNo: '1001', name: '张护士', roles: ['clerk', 'cashier'], password: 'zhs-1001-pw' },
  { opterNo: '2001', name: '赵登记', roles: ['clerk'], password: 'zdj-2001-pw' },
  { opterNo: '3001', name: '钱收费', roles: ['cashier'], password: 'qsf-3001-pw' },
  { opterNo: '4001', name: '孙主管', roles: ['supervisor'], password: 'ssz-4001-pw' },
  { opterNo: '5001', name: '李技术', roles: ['technician'], password: 'ljs-5001-pw' },
] as const satisfies readonly { opterNo: string; name: string; roles: readonly ('clerk' | 'cashier' | 'supervisor' | 'technician')[]; password: string }[];

/** Sign-in arguments of a harness account. */
export const credentialsOf = (opterNo: (typeof HARNESS_ACCOUNTS)[number]['opterNo']) => ({ opterNo, password: HARNESS_ACCOUNTS.find((a) => a.opterNo === opterNo)!.password });

export function runningClock(startIso: string): Clock {
  const offset = Date.parse(startIso) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

export async function startHarness(
  options: { mode?: 'admission' | 'self-service' | 'discharge'; bookings?: BookingList; now?: string; fixturesPath?: string; commitSeam?: CommitSeam; dataDir?: string } = {},
): Promise<Harness> {
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-journey-'));
  const now = options.now ?? TEST_NOW;
  // A data directory the caller gave is the caller's (to open the store again after close).
  const closers: (() => Promise<unknown> | unknown)[] = options.dataDir ? [] : [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const sandbox = await startTestSandbox({ now, frozen: false, ...(options.fixturesPath ? { fixturesPath: options.fixturesPath } : {}) });
    closers.push(() => sandbox.close());
    const network = await NetworkSwitch.start(sandbox.endpoint);
    closers.push(() => network.close());
    const reader = await startVirtualReader({ link: 'serial', controlPort: 0 });
    closers.push(() => reader.stop());
    const control = new VirtualReaderControl(reader.controlUrl!);
    const loaded = loadConfig({
      env: { KIOSK_METRICS_PORT: '0', KIOSK_DATA_DIR: dir, KIOSK_MODE: options.mode ?? 'admission', KIOSK_DEMO: 'false', KIOSK_PLATFORM_URL: network.urlFor(sandbox.endpoint), KIOSK_SERIAL: reader.path! },
    });
    loaded.config.readers.hid = false;
    loaded.config.operators = HARNESS_ACCOUNTS.map(({ password, ...a }) => ({ ...a, roles: [...a.roles], passwordHash: hashPassword(password) }));
    const log = memoryLogger();
    const terminal = await createTerminal(loaded, { clock: runningClock(now), log, commitSeam: options.commitSeam, ...(options.bookings ? { bookings: options.bookings } : {}) });
    closers.push(() => terminal.close());
    const events: Harness['events'] = [];
    terminal.dispatcher.subscribe((name, payload) => events.push({ name, payload, at: performance.now() }));

    const call = async <T,>(group: string, method: string, args: unknown = {}): Promise<T> => {
      const reply = await terminal.dispatcher.call(channelOf(group, method), args, { transport: 'memory' });
      if (!reply.ok) throw KioskError.fromDto(reply.error);
      return reply.value as T;
    };
    const waitFor = async <E extends KioskEventName>(name: E, since: number, timeoutMs = 15_000): Promise<KioskEventPayloads[E]> => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const hit = events.find((e) => e.name === name && e.at >= since);
        if (hit) return hit.payload as KioskEventPayloads[E];
        if (performance.now() > deadline) throw new Error(`no ${name} event within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    // The reader manager finds the pty on its first scan (during start-up); make sure before any card goes in.
    await eventually(async () => (await call<unknown[]>('reader', 'readers')).length > 0, 15_000, 'the virtual reader to attach');
    return {
      terminal,
      sandbox,
      reader,
      control,
      network,
      events,
      logLines: log.lines,
      call,
      async callError(group, method, args = {}) {
        try {
          await call(group, method, args);
        } catch (e) {
          if (e instanceof KioskError) return e;
          throw e;
        }
        throw new Error(`${group}.${method} succeeded; an error was expected`);
      },
      waitFor,
      async insert(cardId) {
        const since = performance.now();
        await control.insert(cardId);
        const deadline = since + 15_000;
        for (;;) {
          const hit = events.find((e) => (e.name === 'card-read' || e.name === 'card-error') && e.at >= since);
          if (hit) return { name: hit.name as 'card-read' | 'card-error', payload: hit.payload };
          if (performance.now() > deadline) throw new Error(`card ${cardId}: no card-read within 15 s`);
          await new Promise((r) => setTimeout(r, 10));
        }
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Polls until `fn` returns a truthy value (bounded). */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
