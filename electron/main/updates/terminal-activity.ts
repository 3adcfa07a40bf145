import type { Terminal } from '../../../services/terminal.ts';
import type { ActivityPort } from './update-flow.ts';

/**
 * What the updater asks the terminal: is a transaction under way — a queued send in flight or being
 * reversed, a 2601 owed, a person's card or credential in the session (someone is being served, a form may be
 * half filled) — and how long since the last platform or payment call.
 */
export function terminalActivity(terminal: Pick<Terminal, 'parts'>, now: () => number = Date.now): ActivityPort {
  const p = terminal.parts;
  return {
    transactionInProgress() {
      const q = p.store.read(() => p.store.outbox.status(new Date(now())));
      if (q.byState['in-flight'] > 0 || q.byState.reversing > 0) return true;
      if (p.store.reversals.pending().length > 0) return true;
      return p.session.currentCardView() !== null;
    },
    idleForMs: () => now() - p.metrics.lastActivityAt,
  };
}
