import { fullJitterDelay, type BackoffPolicy } from './backoff.ts';

/**
 * Wakes the relay when the platform comes back. While the platform is unreachable the relay claims nothing;
 * this sends one cheap request at full-jitter intervals (growing to the cap) and calls `onUp` on the first
 * answer. The attempt count is kept across wake-ups and reset only by `reset()` (a real send succeeded), so a
 * platform that answers the probe but refuses connections for business calls does not cause a hot loop.
 */
export class ConnectivityProbe {
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private active = false;
  private checking = false;

  constructor(
    private readonly check: () => Promise<boolean>,
    private readonly policy: BackoffPolicy,
    private readonly random: () => number,
    private readonly onUp: () => void,
  ) {}

  get running(): boolean {
    return this.active;
  }

  /** Starts probing (no-op when already probing). */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule();
  }

  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A business call went through: the next outage starts probing from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }

  private schedule(): void {
    const delay = Math.max(this.policy.baseMs / 4, fullJitterDelay(this.attempt, this.policy, this.random));
    this.attempt += 1;
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (!this.active || this.checking) return;
    this.checking = true;
    let up = false;
    try {
      up = await this.check();
    } catch {
      up = false;
    } finally {
      this.checking = false;
    }
    if (!this.active) return;
    if (up) {
      this.active = false;
      this.onUp();
    } else {
      this.schedule();
    }
  }
}
