import { PlatformFailure, type PlatformPort, type PortRequest, type ReversalOutcome } from '../../../services/sync/platform-port.ts';

/**
 * A platform behind the relay's port, for testing the relay's state machine without a network: the same rules
 * the real sandbox + client pair follows, kept small enough to read.
 * - A repeated msgid gets the stored answer (the idempotency key).
 * - 2401 opens a visit (mdtrt_id); later transactions must name a live mdtrt_id or are refused.
 * - 2601 cancels what the original msgid did, if it did anything, and answers success either way.
 * - Like the real client, an unknown outcome of a reversible transaction is reversed inline when possible, and
 *   a visit with a pending reversal is blocked.
 * Faults are queued per infno and consumed one call at a time.
 */
export type Fault =
  | 'offline' // not sent
  | 'lost-before' // sent, never reached the business logic, no answer
  | 'lost-after' // applied, answer lost
  | 'reverse-offline' // the inline/next 2601 cannot be sent
  | 'reverse-refused'; // the platform refuses the 2601

export interface Effect {
  seq: number;
  msgid: string;
  infno: string;
  visitKey: string;
  input: unknown;
  output: unknown;
  reversed: boolean;
}

const REVERSIBLE = new Set(['2401', '2304', '2305']);
/** The split of every simulated 2303/2304 (the fields the 2304 codec requires, yuan strings as on the wire). */
const SPLIT = { medfee_sumamt: '3.00', hifp_pay: '2.00', fund_pay_sumamt: '2.00', psn_part_amt: '1.00', acct_pay: '0.00', psn_cash_pay: '1.00' };

export class SimulatedPlatform implements PlatformPort {
  online = true;
  readonly effects: Effect[] = [];
  readonly calls: Array<{ infno: string; msgid: string }> = [];
  private readonly answers = new Map<string, { ok: true; output: unknown } | { ok: false; errMsg: string }>();
  private readonly faults = new Map<string, Fault[]>();
  /** The client's reversal journal: omsgid → 2601 msgid, answered or not. */
  readonly journal = new Map<string, { reversalMsgid: string; visitKey: string; done: boolean; refused: string | null; unreachable?: boolean }>();
  private counter = 0;
  private reversalCounter = 0;
  /** Delay of every exchange (ms), so concurrency is real. */
  latencyMs = 0;
  /** Inputs marked "REFUSE" are refused (a business refusal) while this is true. */
  refuseMarked = true;

  fault(infno: string, ...faults: Fault[]): void {
    this.faults.set(infno, [...(this.faults.get(infno) ?? []), ...faults]);
  }

  private take(infno: string, kinds: Fault[]): Fault | null {
    const list = this.faults.get(infno);
    const i = list?.findIndex((f) => kinds.includes(f)) ?? -1;
    if (!list || i < 0) return null;
    return list.splice(i, 1)[0]!;
  }

  /** Net effects: applied and not reversed. */
  live(): Effect[] {
    return this.effects.filter((e) => !e.reversed);
  }

  async send(req: PortRequest): Promise<unknown> {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.calls.push({ infno: req.infno, msgid: req.msgid });
    if (!this.online || this.take(req.infno, ['offline'])) throw new PlatformFailure('offline', 'ECONNREFUSED');
    // The client's gate: nothing of a visit goes while a 2601 of that visit is not definite.
    for (const j of this.journal.values()) {
      if (j.visitKey === req.visitKey && !j.done) {
        if (!(await this.tryReverse(j))) throw new PlatformFailure('blocked', 'reversal pending');
      }
    }
    if (this.journal.get(req.msgid)) throw new PlatformFailure('invalid', `msgid ${req.msgid} was reversed; a new msgid is required`);
    const before = this.take(req.infno, ['lost-before']);
    if (before) return this.unknown(req);
    let answer = this.answers.get(req.msgid);
    if (!answer) {
      answer = this.apply(req);
      this.answers.set(req.msgid, answer);
    }
    if (this.take(req.infno, ['lost-after'])) return this.unknown(req);
    if (!answer.ok) throw new PlatformFailure('refused', answer.errMsg);
    return answer.output;
  }

  private async unknown(req: PortRequest): Promise<never> {
    if (!REVERSIBLE.has(req.infno)) throw new PlatformFailure('unknown', 'timeout');
    const entry: { reversalMsgid: string; visitKey: string; done: boolean; refused: string | null; unreachable?: boolean } = { reversalMsgid: `R${++this.reversalCounter}`, visitKey: req.visitKey, done: false, refused: null };
    this.journal.set(req.msgid, entry);
    const reversed = await this.tryReverse(entry, req.msgid);
    throw new PlatformFailure('unknown', 'timeout', { reversal: reversed ? 'reversed' : entry.unreachable ? 'pending-offline' : 'pending', reversalMsgid: entry.reversalMsgid });
  }

  private async tryReverse(entry: { reversalMsgid: string; done: boolean; refused: string | null; visitKey: string; unreachable?: boolean }, omsgid?: string): Promise<boolean> {
    if (entry.done) return true;
    entry.unreachable = !this.online || this.take('2601', ['reverse-offline']) !== null;
    if (entry.unreachable) return false;
    if (this.take('2601', ['reverse-refused'])) {
      entry.refused = '原交易状态不允许冲正';
      return false;
    }
    entry.refused = null;
    const key = omsgid ?? [...this.journal.entries()].find(([, v]) => v === entry)![0];
    for (const e of this.effects) if (e.msgid === key) e.reversed = true;
    entry.done = true;
    return true;
  }

  async reverse(req: PortRequest): Promise<ReversalOutcome> {
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    let entry = this.journal.get(req.msgid);
    if (!entry) {
      // After a crash: nothing journaled yet for this msgid (the client never learnt of the attempt).
      entry = { reversalMsgid: `R${++this.reversalCounter}`, visitKey: req.visitKey, done: false, refused: null };
      this.journal.set(req.msgid, entry);
    }
    const ok = await this.tryReverse(entry, req.msgid);
    if (ok) return { status: 'reversed', reversalMsgid: entry.reversalMsgid };
    if (entry.refused) return { status: 'refused', reversalMsgid: entry.reversalMsgid, error: entry.refused };
    return { status: 'pending', reversalMsgid: entry.reversalMsgid, error: 'unreachable', offline: entry.unreachable === true };
  }

  async probe(): Promise<boolean> {
    return this.online;
  }

  /** Operator closed a refused reversal by hand. */
  resolve(omsgid: string): void {
    const e = this.journal.get(omsgid);
    if (e) e.done = true;
  }

  private apply(req: PortRequest): { ok: true; output: unknown } | { ok: false; errMsg: string } {
    const input = req.input as Record<string, unknown>;
    if (this.refuseMarked && JSON.stringify(input).includes('"REFUSE"')) return { ok: false, errMsg: '诊断编码不存在' };
    const liveVisit = (mdtrtId: unknown) =>
      this.effects.some((e) => e.infno === '2401' && !e.reversed && (e.output as { result: { mdtrt_id: string } }).result.mdtrt_id === mdtrtId);
    let output: unknown = {};
    switch (req.infno) {
      case '2401':
        output = { result: { mdtrt_id: `MDT${++this.counter}` } };
        break;
      case '2301': {
        const lines = (input.feedetail as Array<Record<string, unknown>>) ?? [];
        if (!lines.every((l) => liveVisit(l.mdtrt_id))) return { ok: false, errMsg: '就诊ID不存在' };
        output = { result: lines.map((l) => ({ feedetl_sn: l.feedetl_sn, det_item_fee_sumamt: '1.00', cnt: String(l.cnt ?? '1'), inscp_scp_amt: '1.00', fulamt_ownpay_amt: '0', preselfpay_amt: '0', overlmt_amt: '0' })) };
        break;
      }
      case '2402': {
        const data = input.dscginfo as Record<string, unknown>;
        if (!liveVisit(data.mdtrt_id)) return { ok: false, errMsg: '就诊ID不存在' };
        break;
      }
      case '2303': {
        const data = input.data as Record<string, unknown>;
        if (!liveVisit(data.mdtrt_id)) return { ok: false, errMsg: '就诊ID不存在' };
        output = { setlinfo: { ...SPLIT, mdtrt_id: data.mdtrt_id, psn_no: data.psn_no } };
        break;
      }
      case '2304': {
        const data = input.data as Record<string, unknown>;
        if (!liveVisit(data.mdtrt_id)) return { ok: false, errMsg: '就诊ID不存在' };
        output = { setlinfo: { ...SPLIT, setl_id: `SETL${++this.counter}`, mdtrt_id: data.mdtrt_id, psn_no: data.psn_no } };
        break;
      }
      default:
        break;
    }
    this.effects.push({ seq: this.effects.length + 1, msgid: req.msgid, infno: req.infno, visitKey: req.visitKey, input: req.input, output, reversed: false });
    return { ok: true, output };
  }
}
