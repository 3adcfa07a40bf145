import type { RenderProcessGoneDetails, WebContents } from 'electron';
import type { Logger } from '../../../services/logging/logger.ts';
import type { Relauncher } from './relaunch.ts';

export interface CrashPolicy {
  /** Renderer losses within `windowMs` that are answered with a reload; one more relaunches the app. */
  reloadLimit: number;
  windowMs: number;
  /** A renderer unresponsive this long is killed (and so handled as a crash). */
  hangTimeoutMs: number;
  /** After this long out of service, try the terminal again (crash counts start afresh). 0 = never. */
  retryOutOfServiceAfterMs: number;
}

export const DEFAULT_CRASH_POLICY: CrashPolicy = {
  reloadLimit: 2,
  windowMs: 5 * 60_000,
  hangTimeoutMs: 30_000,
  retryOutOfServiceAfterMs: 30 * 60_000,
};

export type GuardedRenderer = Pick<WebContents, 'on' | 'reload' | 'isDestroyed' | 'forcefullyCrashRenderer'>;

export interface CrashGuardDeps {
  contents: GuardedRenderer;
  relauncher: Relauncher;
  /** Loads the out-of-service page into the terminal window. */
  showOutOfService: () => void;
  /** Loads the terminal page again (leaving the out-of-service page). */
  showTerminal: () => void;
  /** True once the app is quitting: a renderer exiting then is not a crash. */
  quitting: () => boolean;
  log: Logger;
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  policy?: Partial<CrashPolicy>;
}

export type GuardState = 'running' | 'out-of-service';

export interface CrashGuard {
  state(): GuardState;
  /** Enter the out-of-service state from outside (a main-process error past the relaunch budget). */
  outOfService(reason: string): void;
}

/**
 * Keeps the terminal window alive. A renderer that dies (crash, OOM, killed, hung) is reloaded; if it keeps
 * dying within the window the whole app is relaunched (fresh GPU and renderer processes, fresh services);
 * if relaunching does not help either (the persisted relaunch budget is spent) the window shows a static
 * out-of-service page in Chinese, so a patient is sent to the staffed desk instead of facing a blank screen.
 * Every step is logged (reason and exit code only: nothing personal is in a crash report).
 */
export function installCrashGuard(deps: CrashGuardDeps): CrashGuard {
  const policy = { ...DEFAULT_CRASH_POLICY, ...deps.policy };
  const { contents, log } = deps;
  let state: GuardState = 'running';
  let losses: number[] = [];
  let hangTimer: unknown = null;
  let retryTimer: unknown = null;

  const recentLosses = (now: number) => (losses = losses.filter((t) => now - t < policy.windowMs)).length;

  const enterOutOfService = (reason: string) => {
    if (state === 'out-of-service') return;
    state = 'out-of-service';
    log.error('out-of-service', { reason });
    deps.showOutOfService();
    if (policy.retryOutOfServiceAfterMs > 0) {
      retryTimer = deps.setTimer(() => {
        retryTimer = null;
        if (contents.isDestroyed()) return;
        state = 'running';
        losses = [];
        log.warn('out-of-service-retry');
        deps.showTerminal();
      }, policy.retryOutOfServiceAfterMs);
    }
  };

  contents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    clearHang();
    if (deps.quitting()) return;
    const now = deps.now();
    losses.push(now);
    const count = recentLosses(now);
    log.error('renderer-gone', { reason: details.reason, exitCode: details.exitCode, recent: count, state });
    if (contents.isDestroyed()) return;
    if (state === 'out-of-service') {
      // The static page itself died (rare: no scripts). Show it again, within the same limits.
      if (count <= policy.reloadLimit) deps.showOutOfService();
      return;
    }
    if (count <= policy.reloadLimit) {
      log.warn('renderer-reload', { recent: count });
      contents.reload();
      return;
    }
    if (deps.relauncher.relaunch(`renderer ${details.reason} ×${count}`)) return;
    enterOutOfService(`renderer ${details.reason}, relaunch budget spent`);
  });

  contents.on('unresponsive', () => {
    if (hangTimer !== null || state === 'out-of-service') return;
    log.warn('renderer-unresponsive');
    hangTimer = deps.setTimer(() => {
      hangTimer = null;
      if (contents.isDestroyed()) return;
      log.error('renderer-hung-killed', { afterMs: policy.hangTimeoutMs });
      contents.forcefullyCrashRenderer(); // → render-process-gone → the escalation above
    }, policy.hangTimeoutMs);
  });
  contents.on('responsive', () => {
    if (hangTimer !== null) log.info('renderer-responsive-again');
    clearHang();
  });

  contents.on('did-fail-load', (_event, errorCode: number, errorDescription: string, _url: string, isMainFrame: boolean) => {
    // -3 (ABORTED) is a load replaced by another one, not a failure.
    if (!isMainFrame || errorCode === -3 || state === 'out-of-service') return;
    log.error('renderer-load-failed', { errorCode, errorDescription });
    enterOutOfService(`renderer failed to load (${errorCode})`);
  });

  contents.on('preload-error', (_event, preloadPath: string, error: Error) => {
    log.error('preload-error', { preloadPath, err: error });
  });

  function clearHang() {
    if (hangTimer !== null) deps.clearTimer(hangTimer);
    hangTimer = null;
  }

  return {
    state: () => state,
    outOfService(reason) {
      if (retryTimer !== null) deps.clearTimer(retryTimer);
      retryTimer = null;
      enterOutOfService(reason);
    },
  };
}
