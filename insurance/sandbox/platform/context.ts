import { chinaDateTime, chinaDay } from '../china-time.ts';
import type { JournalFields } from '../state/journal.ts';
import type { SandboxState } from '../state/state.ts';
import type { Hospital, World } from '../world/world.ts';
import type { RequestEnvelope } from './envelope.ts';

/** What a transaction sees: the request, the hospital that sent it, the world, the state and the time. */
export interface TxnContext {
  envelope: RequestEnvelope;
  input: Record<string, unknown>;
  hospital: Hospital;
  world: World;
  state: SandboxState;
  /** The instant the request is processed (the sandbox clock). */
  now: Date;
  /** China day of `now`: the day every date rule uses. */
  today: string;
  /** China yyyy-MM-dd HH:mm:ss of `now`. */
  nowText: string;
  /** Records that this transaction took effect (journal); call once per effect. */
  tookEffect(fields: JournalFields): void;
  /** A warning for warn_msg (infcode stays 0). */
  warn(message: string): void;
}

export interface TransactionDef {
  infno: string;
  /** Chinese name, for logs and errors. */
  name: string;
  /** Changes state: idempotent per msgid, response stored. */
  mutating: boolean;
  /** Needs a sign_no from 9001 (everything but 9001 itself). */
  needsSignIn: boolean;
  /** The output node of the answer; throws Refusal for infcode -1. */
  run(ctx: TxnContext): unknown;
}

export function contextTimes(now: Date): { today: string; nowText: string } {
  return { today: chinaDay(now), nowText: chinaDateTime(now) };
}
