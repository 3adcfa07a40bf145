/**
 * Starts the sandbox platform for the demo world, in this process, on 127.0.0.1 with an OS-chosen port.
 * Narrow on purpose: the demo needs a URL and a way to stop it.
 */
export interface DemoSandbox {
  url: string;
  close(): Promise<void>;
}

export interface DemoSandboxOptions {
  /** The sandbox's durable state (SQLite). */
  stateFile: string;
  /** The sandbox clock, an ISO instant; default real time. */
  now?: string;
}

// The sandbox's entry point is being built alongside (insurance/sandbox, issue 4). Until its module exists
// the demo world cannot start, and says so plainly.
const SANDBOX_MODULE = '../../insurance/sandbox/server.ts';

export async function startDemoSandbox(options: DemoSandboxOptions): Promise<DemoSandbox> {
  let mod: { startSandbox?: (o: Record<string, unknown>) => Promise<{ url: string; close(): Promise<void> }> };
  try {
    mod = (await import(SANDBOX_MODULE)) as typeof mod;
  } catch (err) {
    throw new Error(`the sandbox platform is not available in this build (${(err as Error).message})`, { cause: err });
  }
  if (!mod.startSandbox) throw new Error('the sandbox module has no startSandbox');
  const sandbox = await mod.startSandbox({ port: 0, host: '127.0.0.1', stateFile: options.stateFile, ...(options.now ? { now: options.now } : {}) });
  return { url: sandbox.url, close: () => sandbox.close() };
}
