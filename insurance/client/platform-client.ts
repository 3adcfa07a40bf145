import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { systemClock, type Clock } from '../../base/clock.ts';
import { chinaDateTime, chinaDay } from '../../base/china-time.ts';
import { CONFIG_DEFAULTS, type PlatformClientConfig } from './config.ts';
import { csbHeaders } from './csb-gateway.ts';
import { buildEnvelope, envelopeJson, resolveInsuplcAdmdvs, type EnvelopeIdentity, type Operator, type RequestEnvelope } from './envelope.ts';
import {
  isPlatformError,
  PlatformBadResponseError,
  PlatformHttpStatusError,
  PlatformRequestError,
  type CallContext,
  type PlatformError,
  type ReversalStatus,
} from './errors.ts';
import { HttpTransport, StaleSocketError } from './http-transport.ts';
import { isReversible, transactionInfo, type TransactionEffect } from './infno-catalog.ts';
import { FIXMEDINS_CODE_PATTERN, MSGID_PATTERN, type MsgidSequence } from './msgid.ts';
import { parseResponseBody, summariseIssues, type PlatformSuccess, type ResponseMeta } from './response.ts';
import type { PendingReversal, ReversalJournal } from './reversal-journal.ts';
import { ReversalCoordinator, type ReversalEvent } from './reversal.ts';
import type { SignInRecord, SignInStore } from './sign-in-store.ts';
import { terminalAddress } from './terminal-address.ts';

/** One platform round trip, for status bars and logs. Carries no personal data. */
export interface ExchangeEvent {
  type: 'exchange';
  infno: string;
  msgid: string;
  durationMs: number;
  /** 'ok', or the kind of the failure. */
  result: 'ok' | PlatformError['kind'];
}
export type PlatformEvent = ExchangeEvent | ReversalEvent;

export interface PlatformClientDeps {
  msgids: MsgidSequence;
  signIns: SignInStore;
  reversals: ReversalJournal;
  clock?: Clock;
  /** Waits between inline reversal attempts; injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: PlatformEvent) => void;
}

/** Per-call choices of the caller. */
export interface CallOptions {
  /** Send under this msgid (the outbox replays an envelope under its original msgid). Default: the next one. */
  msgid?: string;
  /** Who sends; default the configured operator. */
  operator?: Operator;
  timeoutMs?: number;
  /**
   * The visit this call belongs to, for the reversal gate. Typed transaction functions derive one from
   * psn_no + mdtrt_id (or ipt_no for 2401); pass your own (e.g. the local admission id) to use one key for a
   * whole stay.
   */
  visitKey?: string;
}

export interface CallRequest extends CallOptions {
  infno: string;
  /** The `input` node of the envelope, national field names, yuan strings; or its JSON text (JsonInput), sent as it is. */
  input: unknown;
  /** 参保地医保区划 from 1101; required when the input carries psn_no (ignored for 1101/9001). */
  insuplc_admdvs?: string;
  /** Required for reversible transactions: 2601 names the person. */
  psn_no?: string;
}

export interface PlatformReply<O> {
  msgid: string;
  output: O;
  /** The `output` node as it came (what the outbox stores; regional extensions such as exp_content ride here). */
  raw: unknown;
  meta: ResponseMeta;
}

const SignInOutput = z.object({
  signinoutb: z.object({
    sign_no: z.union([z.string().min(1), z.number()]).transform(String),
    sign_time: z.string(),
  }),
});

const SignOutOutput = z
  .object({ signoutoutb: z.object({ sign_time: z.string() }).nullish() })
  .nullish();

/**
 * The national-interface client: envelopes, msgids, sign-in, CSB signing, transport, typed failures and the
 * automatic 2601 reversal. Typed functions per transaction (transactions/*.ts) sit on `call`.
 */
export class PlatformClient {
  private readonly config: PlatformClientConfig;
  private readonly identity: EnvelopeIdentity;
  private readonly transport: HttpTransport;
  private readonly msgids: MsgidSequence;
  private readonly signIns: SignInStore;
  private readonly journal: ReversalJournal;
  private readonly clock: Clock;
  private readonly onEvent: (event: PlatformEvent) => void;
  private readonly reversals: ReversalCoordinator;
  private readonly signingIn = new Map<string, Promise<SignInRecord>>();
  private readonly signInAddress: { ip: string; mac: string };

  constructor(config: PlatformClientConfig, deps: PlatformClientDeps) {
    if (!FIXMEDINS_CODE_PATTERN.test(config.fixmedinsCode)) throw new RangeError(`fixmedinsCode must be 12 characters [0-9A-Z]: "${config.fixmedinsCode}"`);
    if (!/^\d{6}$/.test(config.mdtrtareaAdmvs)) throw new RangeError(`mdtrtareaAdmvs must be 6 digits: "${config.mdtrtareaAdmvs}"`);
    this.config = config;
    this.identity = {
      fixmedins_code: config.fixmedinsCode,
      fixmedins_name: config.fixmedinsName,
      mdtrtarea_admvs: config.mdtrtareaAdmvs,
      recer_sys_code: config.recerSysCode ?? CONFIG_DEFAULTS.recerSysCode,
      infver: config.infver ?? CONFIG_DEFAULTS.infver,
      ...(config.fixmedinsSoftFcty !== undefined ? { fixmedins_soft_fcty: config.fixmedinsSoftFcty } : {}),
    };
    this.transport = new HttpTransport(config.url, {
      connectTimeoutMs: config.timeouts?.connectMs ?? CONFIG_DEFAULTS.connectMs,
      maxSockets: config.http?.maxSockets ?? CONFIG_DEFAULTS.maxSockets,
      idleSocketMs: config.http?.idleSocketMs ?? CONFIG_DEFAULTS.idleSocketMs,
      maxResponseBytes: config.http?.maxResponseBytes ?? CONFIG_DEFAULTS.maxResponseBytes,
    });
    this.msgids = deps.msgids;
    this.signIns = deps.signIns;
    this.journal = deps.reversals;
    this.clock = deps.clock ?? systemClock;
    this.onEvent = deps.onEvent ?? (() => undefined);
    this.signInAddress = config.signInAddress ?? terminalAddress();
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.reversals = new ReversalCoordinator(
      this.journal,
      (entry) => this.sendReversal(entry),
      this.clock,
      { inlineDelaysMs: config.reversal?.inlineDelaysMs ?? CONFIG_DEFAULTS.inlineDelaysMs },
      sleep,
      (event) => this.onEvent(event),
    );
  }

  /** The operator of calls that name none. */
  get defaultOperator(): Operator {
    return this.config.operator;
  }

  /**
   * Sends one transaction and reads its output with `schema` (zod: the platform is untrusted input).
   *
   * Order: request rules (insuplc_admdvs, msgid shape) → the visit's pending reversals → sign-in → msgid →
   * POST → envelope → output. On a reversible transaction whose outcome is unknown (or refused, see
   * config.reversal.afterRefusal) the 2601 is journaled and attempted before the error is thrown; the error's
   * `reversal` says whether it was answered.
   */
  async call<S extends z.ZodType>(request: CallRequest, schema: S): Promise<PlatformReply<z.output<S>>> {
    const { infno } = request;
    const info = transactionInfo(infno);
    const context: CallContext = { infno, msgid: request.msgid ?? null };
    const insuplc = resolveInsuplcAdmdvs(infno, request.input, request.insuplc_admdvs);
    if ('error' in insuplc) throw new PlatformRequestError(context, insuplc.error);
    // The pending reversals, read once for both gates below (a msgid being reversed; the visit's reversals).
    const pending = request.msgid !== undefined || request.visitKey !== undefined ? await this.journal.pending() : [];
    if (request.msgid !== undefined) this.checkGivenMsgid(request.msgid, context, pending);
    const reversible = info.effect === 'reversible';
    if (reversible && (!request.psn_no || !request.visitKey)) {
      throw new PlatformRequestError(context, `${infno} is reversible: the call must name psn_no and a visitKey`);
    }
    if (request.visitKey !== undefined) await this.reversals.clearVisit(request.visitKey, context, request.psn_no, pending);

    const operator = request.operator ?? this.config.operator;
    const signNo = infno === '9001' ? '' : (await this.ensureSignedIn(operator)).sign_no;
    const msgid = request.msgid ?? (await this.takeMsgid(context));
    context.msgid = msgid;
    const envelope = buildEnvelope({
      identity: this.identity,
      infno,
      msgid,
      insuplc_admdvs: insuplc.value,
      operator,
      inf_time: chinaDateTime(this.clock.now()),
      sign_no: signNo,
      input: request.input,
    });

    try {
      const success = await this.exchange(envelope, request.timeoutMs ?? this.timeoutFor(infno), context, info.effect);
      return { msgid, output: this.readOutput(success.output, schema, context), raw: success.output, meta: success.meta };
    } catch (e) {
      if (reversible && isPlatformError(e) && this.needsReversal(e)) {
        e.reversal = await this.beginReversal({
          omsgid: msgid,
          oinfno: infno,
          psn_no: request.psn_no as string,
          insuplc_admdvs: insuplc.value,
          visitKey: request.visitKey as string,
          operator,
        });
      }
      throw e;
    }
  }

  /** 9001 now for `operator` (default the configured one), replacing today's cached sign_no. */
  async signIn(operator: Operator = this.config.operator): Promise<SignInRecord> {
    const day = chinaDay(this.clock.now());
    const reply = await this.call(
      { infno: '9001', input: { signIn: { opter_no: operator.opter, mac: this.signInAddress.mac, ip: this.signInAddress.ip } }, operator },
      SignInOutput,
    );
    const record: SignInRecord = { opter: operator.opter, day, sign_no: reply.output.signinoutb.sign_no, sign_time: reply.output.signinoutb.sign_time };
    await this.signIns.put(record);
    return record;
  }

  /** 9002 for today's sign-in of `operator`; null when there is none. The cached sign_no is dropped. */
  async signOut(operator: Operator = this.config.operator, options: Omit<CallOptions, 'operator' | 'visitKey'> = {}): Promise<{ sign_time: string } | null> {
    const day = chinaDay(this.clock.now());
    const record = await this.signIns.get(operator.opter, day);
    if (!record) return null;
    const context: CallContext = { infno: '9002', msgid: options.msgid ?? null };
    if (options.msgid !== undefined) this.checkGivenMsgid(options.msgid, context, await this.journal.pending());
    const msgid = options.msgid ?? (await this.takeMsgid(context));
    context.msgid = msgid;
    const envelope = buildEnvelope({
      identity: this.identity,
      infno: '9002',
      msgid,
      insuplc_admdvs: '',
      operator,
      inf_time: chinaDateTime(this.clock.now()),
      sign_no: record.sign_no,
      input: { signOut: { sign_no: record.sign_no, opter_no: operator.opter } },
    });
    const success = await this.exchange(envelope, options.timeoutMs ?? this.timeoutFor('9002'), context, 'read');
    const output = this.readOutput(success.output, SignOutOutput, context);
    await this.signIns.remove(operator.opter, day);
    return { sign_time: output?.signoutoutb?.sign_time ?? chinaDateTime(this.clock.now()) };
  }

  /** Today's sign-in of `operator`, signing in (once, however many callers wait) when there is none. */
  async ensureSignedIn(operator: Operator): Promise<SignInRecord> {
    const day = chinaDay(this.clock.now());
    const cached = await this.signIns.get(operator.opter, day);
    if (cached) return cached;
    const key = `${operator.opter}\u0000${day}`;
    let running = this.signingIn.get(key);
    if (!running) {
      running = this.signIn(operator).finally(() => this.signingIn.delete(key));
      this.signingIn.set(key, running);
    }
    return running;
  }

  /**
   * For the outbox after a crash: a reversible transaction was sent (or may have been) and its answer is lost.
   * Journals its 2601 and attempts it like an unknown outcome seen live.
   */
  async reverseUnknownOutcome(args: {
    infno: string;
    msgid: string;
    psn_no: string;
    insuplc_admdvs: string;
    visitKey: string;
    operator?: Operator;
  }): Promise<ReversalStatus> {
    const context: CallContext = { infno: args.infno, msgid: args.msgid };
    if (!isReversible(args.infno)) throw new PlatformRequestError(context, `${args.infno} is not reversible by 2601`);
    if (!MSGID_PATTERN.test(args.msgid)) throw new PlatformRequestError(context, 'msgid must be 30 characters: fixmedins_code + yyyyMMddHHmmss + 4 digits');
    if (!/^\d{6}$/.test(args.insuplc_admdvs)) throw new PlatformRequestError(context, 'insuplc_admdvs must be 6 digits');
    return this.beginReversal({ ...args, omsgid: args.msgid, oinfno: args.infno, operator: args.operator ?? this.config.operator });
  }

  /** Reversals not yet answered by the platform, oldest first. */
  async pendingReversals(): Promise<PendingReversal[]> {
    return this.journal.pending();
  }

  /** One attempt at every pending reversal (call at start-up: a restart continues them). */
  retryPendingReversals(): Promise<{ reversed: number; pending: number }> {
    return this.reversals.drain();
  }

  /** Retries pending reversals now and every `intervalMs` until close(). */
  startReversalRetries(intervalMs = 60_000): void {
    this.reversals.start(intervalMs);
  }

  /**
   * A supervisor closes a reversal the platform keeps refusing, after checking the platform's records
   * (3202 对明细账 lists every msgid it settled). The visit is unblocked.
   */
  async resolveReversalManually(omsgid: string, note: string): Promise<void> {
    await this.journal.complete(omsgid, this.clock.now().toISOString(), 'resolved-manually', note);
  }

  close(): void {
    this.reversals.stop();
    this.transport.close();
  }

  private needsReversal(e: PlatformError): boolean {
    if (e.outcome === 'unknown') return true;
    return e.kind === 'refused' && (this.config.reversal?.afterRefusal ?? CONFIG_DEFAULTS.afterRefusal);
  }

  private async beginReversal(args: Omit<PendingReversal, 'msgid' | 'createdAt' | 'attempts' | 'lastAttemptAt' | 'lastOutcome' | 'lastError'>): Promise<ReversalStatus> {
    const msgid = await this.takeMsgid({ infno: '2601', msgid: null });
    return this.reversals.begin({ ...args, msgid, createdAt: this.clock.now().toISOString(), attempts: 0, lastAttemptAt: null, lastOutcome: null, lastError: null });
  }

  /** The 2601 of a journal entry, under the entry's own msgid every time. */
  private async sendReversal(entry: PendingReversal): Promise<void> {
    const context: CallContext = { infno: '2601', msgid: entry.msgid };
    const signNo = (await this.ensureSignedIn(entry.operator)).sign_no;
    const envelope = buildEnvelope({
      identity: this.identity,
      infno: '2601',
      msgid: entry.msgid,
      insuplc_admdvs: entry.insuplc_admdvs,
      operator: entry.operator,
      inf_time: chinaDateTime(this.clock.now()),
      sign_no: signNo,
      input: { data: { psn_no: entry.psn_no, omsgid: entry.omsgid, oinfno: entry.oinfno } },
    });
    await this.exchange(envelope, this.timeoutFor('2601'), context, 'write');
  }

  private async exchange(envelope: RequestEnvelope, timeoutMs: number, context: CallContext, effect: TransactionEffect): Promise<PlatformSuccess> {
    const started = performance.now();
    const report = (result: ExchangeEvent['result']): void =>
      this.onEvent({ type: 'exchange', infno: envelope.infno, msgid: envelope.msgid, durationMs: performance.now() - started, result });
    let body: string;
    try {
      body = envelopeJson(envelope);
    } catch (e) {
      throw new PlatformRequestError(context, `input cannot be serialised: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      let answer;
      try {
        answer = await this.transport.post(body, this.gatewayHeaders(), timeoutMs, context);
      } catch (e) {
        // A pooled socket the server had just closed: a read is harmless to resend (same msgid, new socket).
        if (!(e instanceof StaleSocketError) || effect !== 'read') throw e;
        answer = await this.transport.post(body, this.gatewayHeaders(), timeoutMs, context, true);
      }
      if (answer.status < 200 || answer.status > 299) throw new PlatformHttpStatusError(context, answer.status);
      const success = parseResponseBody(answer.body, context);
      report('ok');
      return success;
    } catch (e) {
      report(isPlatformError(e) ? e.kind : 'bad-response');
      throw e;
    }
  }

  private readOutput<S extends z.ZodType>(output: unknown, schema: S, context: CallContext): z.output<S> {
    const parsed = schema.safeParse(output);
    if (!parsed.success) throw new PlatformBadResponseError(context, `output: ${summariseIssues(parsed.error)}`);
    return parsed.data;
  }

  private gatewayHeaders(): Record<string, string> {
    return this.config.csb ? csbHeaders(this.config.csb, this.clock.now()) : {};
  }

  private timeoutFor(infno: string): number {
    return this.config.timeouts?.byInfno?.[infno] ?? transactionInfo(infno).timeoutMs;
  }

  private async takeMsgid(context: CallContext): Promise<string> {
    const msgid = await this.msgids.next(this.clock.now());
    if (!MSGID_PATTERN.test(msgid) || !msgid.startsWith(this.config.fixmedinsCode)) {
      throw new PlatformRequestError(context, `the msgid sequence returned "${msgid}", not ${this.config.fixmedinsCode} + yyyyMMddHHmmss + 4 digits`);
    }
    return msgid;
  }

  /** `pending`: the journal's pending reversals, as the caller just read them. */
  private checkGivenMsgid(msgid: string, context: CallContext, pending: readonly PendingReversal[]): void {
    if (!MSGID_PATTERN.test(msgid) || !msgid.startsWith(this.config.fixmedinsCode)) {
      throw new PlatformRequestError(context, `msgid must be ${this.config.fixmedinsCode} + yyyyMMddHHmmss + 4 digits`);
    }
    // A msgid whose transaction is being reversed must never be sent again: the platform could apply it after
    // the 2601. The caller starts over with a new msgid once the reversal is done.
    if (pending.some((e) => e.omsgid === msgid)) {
      throw new PlatformRequestError(context, `msgid ${msgid} is being reversed (2601); start over with a new msgid`);
    }
  }
}
