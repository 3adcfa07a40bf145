import { randomBytes } from 'node:crypto';
import { tokenMatches } from './secret-equal.ts';

/** How long a launch link stays usable if nobody opens it. */
export const LAUNCH_CODE_TTL_MS = 10 * 60_000;
/** Outstanding links at most; minting more drops the oldest (nobody needs more open windows than this). */
const MAX_OUTSTANDING = 16;

/**
 * One-time launch codes: the only secret that ever appears in a URL. A code is good for one exchange
 * (GET /launch?code=…, which sets the session cookie) and for LAUNCH_CODE_TTL_MS; after that it is useless,
 * so a printed link, a browser history entry or a file left behind gives nobody a way in.
 */
export class LaunchCodes {
  private readonly outstanding = new Map<string, number>(); // code → expires at

  constructor(private readonly now: () => number = Date.now) {}

  mint(): string {
    const code = randomBytes(18).toString('base64url');
    this.outstanding.set(code, this.now() + LAUNCH_CODE_TTL_MS);
    while (this.outstanding.size > MAX_OUTSTANDING) this.outstanding.delete(this.outstanding.keys().next().value as string);
    return code;
  }

  /** True once per minted code, within its time; the code is gone afterwards whatever the answer. */
  redeem(given: string | null): boolean {
    if (!given) return false;
    const t = this.now();
    for (const [code, expiresAt] of this.outstanding) {
      if (expiresAt <= t) {
        this.outstanding.delete(code);
        continue;
      }
      if (tokenMatches(code, given)) {
        this.outstanding.delete(code);
        return true;
      }
    }
    return false;
  }
}
