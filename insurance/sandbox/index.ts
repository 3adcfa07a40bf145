import type { AddressInfo } from 'node:net';
import { SandboxClock } from './clock.ts';
import { EcVouchers } from './ec/ec-vouchers.ts';
import { FaultInjector } from './http/faults.ts';
import { createSandboxServer } from './http/server.ts';
import { Platform } from './platform/platform.ts';
import { SandboxState } from './state/state.ts';
import { TRANSACTIONS } from './transactions/registry.ts';
import { DEFAULT_FIXTURES_PATH, loadWorld } from './world/load-world.ts';
import type { World } from './world/world.ts';

/**
 * The sandbox 医保 platform: a national-interface HTTP server on 127.0.0.1 with the Jiangsu policy engine,
 * fixtures for its world, durable state, a settable clock and fault injection (docs/sandbox.md).
 */
export interface SandboxOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** World file; default insurance/sandbox/fixtures/default.json. */
  fixturesPath?: string;
  /** SQLite state file; default ':memory:' (nothing survives close). */
  statePath?: string;
  /** Start the clock at this instant (ISO; without offset = China time). Default: the host's time. */
  now?: string | Date;
  /** Keep the clock frozen at `now` instead of running from it. */
  frozen?: boolean;
  /** Seed of the fault injector's random source (default 1). */
  seed?: number;
}

export interface SandboxHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  world: World;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const world = loadWorld(options.fixturesPath ?? DEFAULT_FIXTURES_PATH);
  const start = options.now === undefined ? undefined : typeof options.now === 'string' ? SandboxClock.parse(options.now) : options.now;
  const clock = new SandboxClock(start, options.frozen ?? false);
  const state = new SandboxState(options.statePath ?? ':memory:');
  const faults = new FaultInjector(options.seed ?? 1);
  const platform = new Platform(world, state, clock, TRANSACTIONS);
  const ecVouchers = new EcVouchers(world, clock);
  const server = createSandboxServer({ world, state, clock, faults, platform, ecVouchers });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    state.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    world,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          state.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

export { DEFAULT_FIXTURES_PATH };
