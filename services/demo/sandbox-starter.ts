import { startSandbox } from '../../insurance/sandbox/index.ts';

/**
 * Starts the sandbox platform for the demo world, in this process, on 127.0.0.1 with an OS-chosen port and the
 * default fixtures. Narrow on purpose: the demo needs the national endpoint's URL and a way to stop it.
 */
export interface DemoSandbox {
  /** The national endpoint (POST …/fsi/api/rsfComIfsService/callService). */
  url: string;
  /** The sandbox's own address (admin API, for tests). */
  baseUrl: string;
  close(): Promise<void>;
}

export interface DemoSandboxOptions {
  /** The sandbox's durable state (SQLite): a restarted demo remembers its admissions and settlements. */
  stateFile: string;
  /** The sandbox clock, an ISO instant; default the host's time. */
  now?: string;
}

export async function startDemoSandbox(options: DemoSandboxOptions): Promise<DemoSandbox> {
  const sandbox = await startSandbox({ port: 0, statePath: options.stateFile, ...(options.now ? { now: options.now } : {}) });
  return { url: `${sandbox.url}/fsi/api/rsfComIfsService/callService`, baseUrl: sandbox.url, close: () => sandbox.close() };
}
