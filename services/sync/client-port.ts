import http from 'node:http';
import { z } from 'zod';
import type { Store } from '../../db/store.ts';
import type { SqliteReversalJournal } from '../../db/reversal-journal.ts';
import { JsonInput, type Operator } from '../../insurance/client/envelope.ts';
import { isPlatformError, type PlatformRefusedError } from '../../insurance/client/errors.ts';
import type { MsgidSequence } from '../../insurance/client/msgid.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import type { ReversalJournal } from '../../insurance/client/reversal-journal.ts';
import type { SignInStore } from '../../insurance/client/sign-in-store.ts';
import { PlatformFailure, type PlatformPort, type PortRequest, type ReversalOutcome } from './platform-port.ts';
import type { WriteBackTable } from './write-back.ts';

/**
 * The platform client's persistence, from the store: `new PlatformClient(config, { ...clientStoresOf(store) })`.
 * The return type is the compile-time check that the SQLite classes satisfy the client's interfaces.
 */
export function clientStoresOf(store: Store): { msgids: MsgidSequence; reversals: ReversalJournal; signIns: SignInStore } {
  return { msgids: store.msgids, reversals: store.reversals, signIns: store.signInCache };
}

/**
 * The relay's platform port on the national-interface client. The client owns the envelope, sign-in, msgid
 * checks and the 2601 reversal (its journal is the store's reversal_journal table); this adapter only
 * translates between the outbox item and a client call, and the client's typed errors into what they mean
 * for the item. What goes back to the relay is the answer as it came (the outbox stores that); the relay reads
 * it with the transaction codec's output schema (from the write-back table). An accepted answer (infcode 0)
 * the codec cannot read took effect: it is not an unknown outcome to reverse and resend (the same platform
 * would garble it again, forever), but an item for a person, with the reason (issue 12).
 */
/** The envelope is checked by the client; the output is the relay's to read with the codec. */
const ACCEPTED_AS_SENT = z.unknown();

export class ClientPlatformPort implements PlatformPort {
  private readonly client: PlatformClient;
  private readonly journal: SqliteReversalJournal;
  private readonly probeUrl: URL;
  private readonly probeTimeoutMs: number;
  private readonly writeBack: WriteBackTable;

  constructor(options: { client: PlatformClient; store: Store; writeBack: WriteBackTable; platformUrl: string; probeTimeoutMs?: number }) {
    this.client = options.client;
    this.writeBack = options.writeBack;
    this.journal = options.store.reversals;
    this.probeUrl = new URL(options.platformUrl);
    this.probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  }

  async send(req: PortRequest): Promise<unknown> {
    const entry = this.writeBack[req.infno];
    if (!entry) throw new PlatformFailure('invalid', `no codec for infno ${req.infno}`);
    try {
      const reply = await this.client.call(
        {
          infno: req.infno,
          // The relay's text of the input goes into the body as it is (not parsed and serialised again).
          input: req.inputJson === undefined ? req.input : new JsonInput(req.inputJson),
          msgid: req.msgid,
          visitKey: req.visitKey,
          operator: this.operatorOf(req),
          ...(req.envelope.insuplc_admdvs ? { insuplc_admdvs: req.envelope.insuplc_admdvs } : {}),
          ...(req.psnNo ? { psn_no: req.psnNo } : {}),
        },
        ACCEPTED_AS_SENT,
      );
      return reply.raw;
    } catch (err) {
      const failure = toFailure(err);
      if (failure.reversal === null) throw failure;
      // The client reversed (or journaled the reversal of) this attempt: name its 2601 for the attempt history,
      // and say when its inline 2601 found no connection (journaled with its error kind: insurance/client/reversal.ts).
      const entry = this.journal.get(req.msgid);
      const reversal = failure.reversal === 'pending' && entry?.lastError === 'unreachable' ? 'pending-offline' : failure.reversal;
      throw new PlatformFailure(failure.kind, failure.detail, { reversal, reversalMsgid: entry?.msgid ?? null, cause: err });
    }
  }

  async reverse(req: PortRequest): Promise<ReversalOutcome> {
    let entry = this.journal.get(req.msgid);
    try {
      if (!entry) {
        // The client never learnt of this attempt (the relay died with it in flight): journal it and reverse.
        if (!req.psnNo || !req.envelope.insuplc_admdvs) {
          return { status: 'refused', reversalMsgid: null, error: '缺少人员编号或参保地区划，无法自动冲正' };
        }
        await this.client.reverseUnknownOutcome({
          infno: req.infno,
          msgid: req.msgid,
          psn_no: req.psnNo,
          insuplc_admdvs: req.envelope.insuplc_admdvs,
          visitKey: req.visitKey,
          operator: this.operatorOf(req),
        });
      } else if (!entry.completedAt) {
        await this.client.retryPendingReversals();
      }
    } catch (err) {
      entry = this.journal.get(req.msgid);
      const offline = isPlatformError(err) && err.kind === 'unreachable';
      return { status: 'pending', reversalMsgid: entry?.msgid ?? null, error: err instanceof Error ? err.message : String(err), offline };
    }
    entry = this.journal.get(req.msgid);
    if (!entry) return { status: 'pending', reversalMsgid: null, error: 'reversal not journaled', offline: false };
    if (entry.resolution === 'reversed') return { status: 'reversed', reversalMsgid: entry.msgid };
    if (entry.resolution === 'resolved-manually') {
      // A supervisor closed it by hand: whether the original took effect is for a person to say, not the relay.
      return { status: 'refused', reversalMsgid: entry.msgid, error: `已人工处理：${entry.note ?? ''}` };
    }
    if (entry.lastOutcome === 'refused') return { status: 'refused', reversalMsgid: entry.msgid, error: entry.lastError ?? '' };
    // A failed 2601 is journaled with its error kind (insurance/client/reversal.ts): 'unreachable' found no connection.
    return { status: 'pending', reversalMsgid: entry.msgid, error: entry.lastError ?? 'no answer yet', offline: entry.lastError === 'unreachable' };
  }

  /** GET on the platform's address: any HTTP answer means it is reachable; no connection means it is not. */
  probe(): Promise<boolean> {
    return new Promise((resolve) => {
      const req = http.get(this.probeUrl, { timeout: this.probeTimeoutMs, agent: false }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('timeout', () => req.destroy(new Error('probe timeout')));
      req.on('error', () => resolve(false));
    });
  }

  private operatorOf(req: PortRequest): Operator | undefined {
    const e = req.envelope;
    return e.opter ? { opter: e.opter, opter_name: e.opter_name ?? e.opter, opter_type: e.opter_type ?? '1' } : undefined;
  }
}

/** The client's typed errors, by what they mean for an outbox item. */
export function toFailure(err: unknown): PlatformFailure {
  if (!isPlatformError(err)) return new PlatformFailure('unknown', err instanceof Error ? err.message : String(err), { cause: err });
  switch (err.kind) {
    case 'unreachable':
      return new PlatformFailure('offline', err.message, { cause: err });
    case 'reversal-pending':
      return new PlatformFailure('blocked', err.message, { cause: err });
    case 'refused':
      return new PlatformFailure('refused', (err as PlatformRefusedError).errMsg || err.message, { cause: err });
    case 'invalid-request':
      return new PlatformFailure('invalid', err.message, { cause: err });
    default:
      // A gateway that turned the request away (HTTP 4xx) did nothing: like offline, try again later.
      if (err.outcome === 'not-applied') return new PlatformFailure('offline', err.message, { cause: err });
      return new PlatformFailure('unknown', err.message, { cause: err, reversal: err.reversal });
  }
}
