/**
 * The terminal's software update, as a hospital needs it: check the hospital's update server (electron-updater,
 * generic provider), download in the background, verify the file against the published SHA-512 before it may
 * be installed, and install only when the terminal is idle — never while a transaction is in progress (a
 * platform call or queued send in flight, a reversal owed, a card in the reader, a payment open). Electron and
 * the terminal are behind two ports, so the flow is unit-tested with fakes (test/unit/electron/main/updates).
 */
export interface AvailableUpdate {
  version: string;
  /** base64 SHA-512 of the installer, from the server's latest.yml. */
  sha512: string;
}

export interface UpdaterPort {
  currentVersion(): string;
  /** The newer version on the server, or null when this one is current. */
  check(): Promise<AvailableUpdate | null>;
  /** Downloads it; resolves with the downloaded file's path. */
  download(): Promise<string>;
  /** base64 SHA-512 of a file. */
  sha512Of(path: string): Promise<string>;
  /** Quits and installs (the app restarts on the new version). */
  install(): void;
}

export interface ActivityPort {
  /** Something that must not be cut short is under way (see above). */
  transactionInProgress(): boolean;
  /** Milliseconds since the last thing a person or the platform did here. */
  idleForMs(): number;
}

export type UpdateState =
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'downloading'; version: string }
  | { phase: 'ready'; version: string; file: string }
  | { phase: 'installing'; version: string }
  | { phase: 'failed'; error: string };

export interface UpdateFlowOptions {
  updater: UpdaterPort;
  activity: ActivityPort;
  /** How long the terminal must have been idle before installing (default 10 min). */
  idleBeforeInstallMs?: number;
  log: { info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void; error(msg: string, f?: Record<string, unknown>): void };
}

/** Newer in the semver sense (x.y.z, numeric parts; a pre-release never beats its release). */
export function isNewer(candidate: string, current: string): boolean {
  const parse = (v: string) => {
    const [core, pre] = v.replace(/^v/, '').split('-', 2);
    return { nums: core!.split('.').map((n) => Number.parseInt(n, 10) || 0), pre: pre ?? null };
  };
  const a = parse(candidate);
  const b = parse(current);
  for (let i = 0; i < 3; i++) {
    const d = (a.nums[i] ?? 0) - (b.nums[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  if (a.pre === b.pre) return false;
  if (a.pre === null) return true;
  if (b.pre === null) return false;
  return a.pre > b.pre;
}

export class UpdateFlow {
  private current: UpdateState = { phase: 'idle' };
  private readonly idleBeforeInstallMs: number;

  constructor(private readonly o: UpdateFlowOptions) {
    this.idleBeforeInstallMs = o.idleBeforeInstallMs ?? 10 * 60_000;
  }

  get state(): UpdateState {
    return this.current;
  }

  /** Check, download and verify. A failure is logged and leaves the running version alone; the next check retries. */
  async check(): Promise<UpdateState> {
    if (this.current.phase === 'checking' || this.current.phase === 'downloading' || this.current.phase === 'installing') return this.current;
    if (this.current.phase === 'ready') return this.current;
    this.current = { phase: 'checking' };
    try {
      const found = await this.o.updater.check();
      if (!found || !isNewer(found.version, this.o.updater.currentVersion())) {
        this.current = { phase: 'idle' };
        return this.current;
      }
      this.current = { phase: 'downloading', version: found.version };
      this.o.log.info('update: downloading', { version: found.version });
      const file = await this.o.updater.download();
      const actual = await this.o.updater.sha512Of(file);
      if (actual !== found.sha512) throw new Error(`the downloaded ${found.version} does not match its published SHA-512`);
      this.current = { phase: 'ready', version: found.version, file };
      this.o.log.info('update: verified; installs when the terminal is idle', { version: found.version });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.o.log.warn('update: not applied', { error });
      this.current = { phase: 'failed', error };
    }
    return this.current;
  }

  /**
   * Called periodically: installs a verified update if, and only if, nothing is in progress and the terminal
   * has been idle long enough. Returns whether it started the install.
   */
  maybeInstall(): boolean {
    if (this.current.phase !== 'ready') return false;
    if (this.o.activity.transactionInProgress()) return false;
    if (this.o.activity.idleForMs() < this.idleBeforeInstallMs) return false;
    const { version } = this.current;
    this.current = { phase: 'installing', version };
    this.o.log.info('update: installing', { version });
    this.o.updater.install();
    return true;
  }
}
