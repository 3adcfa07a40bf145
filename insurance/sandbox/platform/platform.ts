import { createHash } from 'node:crypto';
import { chinaCompact14, chinaCompact17 } from '../china-time.ts';
import type { SandboxClock } from '../clock.ts';
import type { JournalFields } from '../state/journal.ts';
import type { SandboxState } from '../state/state.ts';
import type { World } from '../world/world.ts';
import { contextTimes, type TransactionDef, type TxnContext } from './context.ts';
import { envelopeProblem, RequestEnvelope, type ResponseEnvelope } from './envelope.ts';
import { Refusal } from './refusal.ts';

/** What the HTTP layer sends back, and what it needs to know about it. */
export interface PlatformAnswer {
  /** The response envelope, serialised (a replay sends the stored bytes unchanged). */
  body: string;
  infno: string | null;
  msgid: string | null;
  infcode: 0 | -1;
  /** A repeated msgid answered from the ledger. */
  replayed: boolean;
}

const REFMSGID_BLOCK = 1000;

/**
 * The platform's front door: one envelope in, one answer out. Validates the envelope, the hospital, the
 * sign-in and the insured place, then runs the transaction. A mutating transaction runs inside one SQLite
 * transaction together with its msgid ledger row and its journal entries: either all of it is on disk
 * (then a repeat of the msgid gets the stored answer) or none of it.
 */
export class Platform {
  private refmsgNext = 0;
  private refmsgEnd = 0;

  constructor(
    private readonly world: World,
    private readonly state: SandboxState,
    private readonly clock: SandboxClock,
    private readonly transactions: ReadonlyMap<string, TransactionDef>,
  ) {}

  /** The infno of a body, for fault matching before the body is processed. */
  static infnoOf(body: unknown): string | null {
    if (body && typeof body === 'object' && 'infno' in body) {
      const v = (body as { infno: unknown }).infno;
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
    return null;
  }

  handle(body: unknown): PlatformAnswer {
    const received = this.clock.now();
    const parsed = RequestEnvelope.safeParse(body);
    if (!parsed.success) {
      const admvs = body && typeof body === 'object' ? (body as Record<string, unknown>).mdtrtarea_admvs : undefined;
      return this.answer(received, typeof admvs === 'string' ? admvs : '', -1, envelopeProblem(parsed.error), null, null, Platform.infnoOf(body), null);
    }
    const env = parsed.data;
    const fail = (msg: string): PlatformAnswer => this.answer(received, env.mdtrtarea_admvs, -1, msg, null, null, env.infno, env.msgid);

    const def = this.transactions.get(env.infno);
    if (!def) return fail(`不支持的交易编号：${env.infno}`);
    const hospital = this.world.hospitals.get(env.fixmedins_code);
    if (!hospital) return fail(`定点医药机构编号不存在：${env.fixmedins_code}`);
    if (!env.msgid.startsWith(env.fixmedins_code)) return fail('报文ID应以本定点医药机构编号开头');
    if (env.mdtrtarea_admvs !== hospital.admdvs) return fail(`就医地医保区划${env.mdtrtarea_admvs}与定点医药机构所在区划${hospital.admdvs}不符`);
    if (def.needsSignIn) {
      const s = env.sign_no ? this.state.signIns.get(env.sign_no) : undefined;
      if (!s || s.signed_out_at !== null || s.fixmedins_code !== env.fixmedins_code) return fail('签到流水号无效或已签退，请先签到（9001）');
    }
    const psnNo = psnNoOf(env.input);
    if (psnNo !== null) {
      if (!env.insuplc_admdvs) return fail('交易输入含人员编号时参保地医保区划（insuplc_admdvs）必填');
      const person = this.world.persons.get(psnNo);
      if (person && !person.insurances.some((r) => r.insuplcAdmdvs === env.insuplc_admdvs) && person.insuredArea !== env.insuplc_admdvs) {
        return fail(`参保地医保区划${env.insuplc_admdvs}与参保人参保地不符`);
      }
    }

    if (!def.mutating) {
      const run = this.run(def, env, received);
      return this.answer(received, env.mdtrtarea_admvs, run.infcode, run.errMsg, run.warnMsg, run.output, env.infno, env.msgid);
    }

    const inputHash = createHash('sha256').update(JSON.stringify(env.input)).digest('hex');
    return this.state.transaction(() => {
      const stored = this.state.messages.get(env.msgid);
      if (stored) {
        if (stored.infno !== env.infno) return fail(`报文ID重复：该报文ID已用于交易${stored.infno}`);
        // Reversed by 2601 before it arrived: refused, never applied (the tombstone holds the err_msg).
        if (stored.input_hash === null) return fail(stored.response);
        if (stored.input_hash !== null && stored.input_hash !== inputHash) return fail('报文ID重复：交易内容与原报文不一致');
        const replay = JSON.parse(stored.response) as ResponseEnvelope;
        return { body: stored.response, infno: env.infno, msgid: env.msgid, infcode: replay.infcode, replayed: true };
      }
      const run = this.run(def, env, received);
      const a = this.answer(received, env.mdtrtarea_admvs, run.infcode, run.errMsg, run.warnMsg, run.output, env.infno, env.msgid);
      this.state.messages.insert({
        msgid: env.msgid,
        infno: env.infno,
        input_hash: inputHash,
        psn_no: psnNo,
        response: a.body,
        took_effect: run.effects.length > 0 ? 1 : 0,
        reversed_by: null,
        received_at: contextTimes(received).nowText,
      });
      for (const e of run.effects) {
        this.state.journal.append({ ...e, msgid: env.msgid, infno: env.infno, fixmedins_code: env.fixmedins_code, time: contextTimes(received).nowText });
      }
      return a;
    });
  }

  private run(def: TransactionDef, env: RequestEnvelope, now: Date) {
    const effects: JournalFields[] = [];
    const warnings: string[] = [];
    const ctx: TxnContext = {
      envelope: env,
      input: env.input,
      hospital: this.world.hospitals.get(env.fixmedins_code)!,
      world: this.world,
      state: this.state,
      now,
      ...contextTimes(now),
      tookEffect: (f) => effects.push(f),
      warn: (m) => warnings.push(m),
    };
    try {
      // A savepoint: a refusal undoes whatever the transaction wrote before refusing.
      const output = this.state.transaction(() => def.run(ctx));
      return { infcode: 0 as const, errMsg: null, warnMsg: warnings.length ? warnings.join('；') : null, output: output ?? {}, effects };
    } catch (e) {
      if (e instanceof Refusal) return { infcode: -1 as const, errMsg: e.message, warnMsg: null, output: null, effects: [] };
      throw e;
    }
  }

  private answer(
    received: Date,
    admvs: string,
    infcode: 0 | -1,
    errMsg: string | null,
    warnMsg: string | null,
    output: unknown,
    infno: string | null,
    msgid: string | null,
  ): PlatformAnswer {
    const response: ResponseEnvelope = {
      infcode,
      inf_refmsgid: `${/^\d{6}$/.test(admvs) ? admvs : '000000'}${chinaCompact14(received)}${String(this.nextRefmsgSeq()).padStart(10, '0')}`,
      refmsg_time: chinaCompact17(received),
      respond_time: chinaCompact17(this.clock.now()),
      err_msg: errMsg,
      warn_msg: warnMsg,
      cainfo: null,
      signtype: null,
      output: infcode === 0 ? output : null,
    };
    return { body: JSON.stringify(response), infno, msgid, infcode, replayed: false };
  }

  private nextRefmsgSeq(): number {
    if (this.refmsgNext >= this.refmsgEnd) {
      this.refmsgNext = this.state.counters.reserve('inf_refmsgid', REFMSGID_BLOCK);
      this.refmsgEnd = this.refmsgNext + REFMSGID_BLOCK;
    }
    return this.refmsgNext++ % 10_000_000_000;
  }
}

/** The psn_no a transaction's input carries (data, mdtrtinfo, dscginfo, adminfo, feedetail[0]…), or null. */
export function psnNoOf(input: Record<string, unknown>): string | null {
  for (const node of Object.values(input)) {
    const first = Array.isArray(node) ? node[0] : node;
    if (first && typeof first === 'object' && 'psn_no' in first) {
      const v = (first as { psn_no: unknown }).psn_no;
      if (typeof v === 'string' && v.trim()) return v.trim();
      if (typeof v === 'number') return String(v);
    }
  }
  return null;
}
