import type { Dispatcher } from '../contract/dispatcher.ts';
import type { Store } from '../db/store.ts';
import type { Tx } from '../db/tx.ts';
import type { OutboxItem, OutboxItemState } from '../db/outbox/types.ts';
import type { Operator } from '../insurance/client/envelope.ts';
import type { PlatformClient } from '../insurance/client/platform-client.ts';
import type { FilingsAdapter } from '../insurance/client/transactions/filings.ts';
import type { TerminalConfig } from './config/schema.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from './logging/logger.ts';
import type { WriteBackTable } from './sync/write-back.ts';

/**
 * What every service receives from the composition root (services/terminal.ts). Services never build their
 * own clients, stores or readers; they take them from here, so tests hand in real parts on temp files and ports.
 *
 * Stable and additive: the billing half (services/charges, discharge, documents, reconciliation) builds on it.
 * Each service group is a factory taking the context and returning its KioskServices group; terminal.ts wires
 * them (the billing half through services/billing.ts). docs/services.md describes the whole composition.
 */
export interface ServiceContext {
  config: TerminalConfig;
  clock: Clock;
  log: Logger;
  /** Emit a KioskApi event to every connected screen (validated against the contract). */
  emit: Dispatcher['emit'];
  /** The local SQLite store (db/store.ts): repositories, outbox, audit log, msgid sequence. */
  store: Store;
  /** The national-interface client (insurance/client): typed transactions sit on it (transactions/*.ts). */
  platform: PlatformClient;
  /** 异地就医备案 and 大市一卡通 registrations (the sandbox's 5311, or a province's own query). */
  filings: FilingsAdapter;
  /** The outbox relay as services need it: wake it after an enqueue, wait for an item's outcome. */
  outbox: OutboxPort;
  /** The one write-back table (services/write-back-table.ts), the relay's too: services cancelling an item use it. */
  writeBack: WriteBackTable;
  /** Who is at the terminal: the signed-in staff operator, or the terminal itself in self-service mode. */
  operators: OperatorPort;
  /** Printing (injected by Electron; the browser host has none: documents then offer the PDF). */
  printer: Printer | null;
}

/**
 * What an enqueued platform transaction came to, as far as a waiting service needs to know: the item's state
 * row, without its payloads (a 2301 batch's input is 20 KB; a waiting service reads state, msgid, lastError).
 */
export type OutboxOutcome =
  | { state: 'done'; item: OutboxItemState }
  | { state: 'dead'; item: OutboxItemState }
  | { state: 'cancelled'; item: OutboxItemState }
  /** Not final within the wait: offline, outcome unknown (reversal pending), or simply slow. It will go later. */
  | { state: 'waiting'; item: OutboxItemState; reason: 'offline' | 'unknown' | 'timeout' };

export interface OutboxPort {
  /** Something was enqueued: send what is due now. */
  kick(): void;
  /**
   * Called in the transaction that queued `queued`, after the enqueue: when the relay is idle, it claims there
   * what it would claim next, and sends it once the transaction is on disk; the item then needs no commit of
   * its own to be claimed (services/sync/relay.ts Relay.claimWith). Otherwise (busy, or nothing queued) nothing:
   * `settle` kicks the relay.
   */
  claimWith(tx: Tx, queued: readonly OutboxItem[]): void;
  /**
   * Kicks, then waits until the item is final, or until it is clear it will not be soon (the platform is
   * offline, the outcome is unknown and a 2601 must come first), or `timeoutMs` passes.
   */
  settle(itemId: number, options?: { timeoutMs?: number }): Promise<OutboxOutcome>;
  /** The platform answered recently (or nothing says otherwise): services may try it live. */
  readonly online: boolean;
}

export interface OperatorPort {
  /** The operator platform calls go out under now: the signed-in staff member, or the terminal (opter_type 2). */
  current(): Operator;
  /** The staff member signed in at this terminal, or null (self-service mode, or nobody yet). */
  staff(): { opterNo: string; name: string } | null;
  /** Throws NOT_SIGNED_IN in staff modes when nobody has signed in today. */
  requireStaff(): { opterNo: string; name: string };
}

/** The printing port (structurally the one electron/main/printing/printer.ts implements). */
export interface PrintJob {
  /** No personal data: e.g. "住院结算单". */
  title: string;
  html: string;
  media: 'roll-80mm' | 'a4';
}
export interface Printer {
  print(job: PrintJob): Promise<{ status: 'printed' | 'spooled-pdf' | 'failed'; message: string }>;
}
