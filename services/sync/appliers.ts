import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import type { SettlementSplit } from '../../db/repositories/settlements.ts';
import { parseYuan } from '../../base/fen.ts';

/**
 * What the relay writes back when an item of a visit is done, dead or cancelled, in the SAME transaction that
 * changes the item's state: a crash can never leave the item done and the admission without its mdtrt_id.
 * Keyed by infno; services may add their own or replace these. The visit key of inpatient items is the local
 * ipt_no; items whose visit is not an admission in this store are left alone.
 */
export interface ResultApplier {
  done?(tx: Tx, store: Store, item: OutboxItem, output: unknown): void;
  dead?(tx: Tx, store: Store, item: OutboxItem, error: string): void;
  cancelled?(tx: Tx, store: Store, item: OutboxItem): void;
}

export type ResultAppliers = Readonly<Record<string, ResultApplier>>;

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function fenOf(v: unknown): number {
  return parseYuan(v) ?? 0;
}

/** The setlinfo of a 2304/2305 output as fen columns. */
export function splitFromSetlinfo(setlinfo: Record<string, unknown>): SettlementSplit {
  return {
    medfeeSumamtFen: fenOf(setlinfo.medfee_sumamt),
    fulamtOwnpayAmtFen: fenOf(setlinfo.fulamt_ownpay_amt),
    overlmtSelfpayFen: fenOf(setlinfo.overlmt_selfpay),
    preselfpayAmtFen: fenOf(setlinfo.preselfpay_amt),
    inscpScpAmtFen: fenOf(setlinfo.inscp_scp_amt),
    actPayDedcFen: fenOf(setlinfo.act_pay_dedc),
    hifpPayFen: fenOf(setlinfo.hifp_pay),
    cvlservPayFen: fenOf(setlinfo.cvlserv_pay),
    hifesPayFen: fenOf(setlinfo.hifes_pay),
    hifmiPayFen: fenOf(setlinfo.hifmi_pay),
    hifobPayFen: fenOf(setlinfo.hifob_pay),
    mafPayFen: fenOf(setlinfo.maf_pay),
    othPayFen: fenOf(setlinfo.oth_pay),
    fundPaySumamtFen: fenOf(setlinfo.fund_pay_sumamt),
    psnPartAmtFen: fenOf(setlinfo.psn_part_amt),
    acctPayFen: fenOf(setlinfo.acct_pay),
    psnCashPayFen: fenOf(setlinfo.psn_cash_pay),
    hospPartAmtFen: fenOf(setlinfo.hosp_part_amt),
    balcFen: setlinfo.balc === undefined || setlinfo.balc === null || setlinfo.balc === '' ? null : fenOf(setlinfo.balc),
  };
}

const admission2401: ResultApplier = {
  done(tx, store, item, output) {
    const adm = store.admissions.get(item.visitKey);
    if (!adm) return;
    const mdtrtId = text(obj(obj(output).result).mdtrt_id) ?? text(obj(output).mdtrt_id);
    if (!mdtrtId) throw new Error(`2401 output of item ${item.id} has no result.mdtrt_id`);
    store.admissions.setMdtrtId(tx, adm.iptNo, mdtrtId);
    store.admissions.setStatus(tx, adm.iptNo, 'admitted');
  },
  dead(tx, store, item) {
    if (store.admissions.get(item.visitKey)) store.admissions.setStatus(tx, item.visitKey, 'dead-letter');
  },
  cancelled(tx, store, item) {
    if (store.admissions.get(item.visitKey)) store.admissions.setStatus(tx, item.visitKey, 'cancelled');
  },
};

const fees2301: ResultApplier = {
  done(tx, store, item, output) {
    const sent = Array.isArray(obj(item.input).feedetail) ? (obj(item.input).feedetail as unknown[]) : [];
    const ours = new Set(sent.map((raw) => text(obj(raw).feedetl_sn)).filter((sn): sn is string => sn !== null && store.feeLines.get(item.visitKey, sn) !== null));
    if (ours.size === 0) return;
    const out = obj(output);
    const accepted = new Set<string>();
    for (const raw of Array.isArray(out.result) ? out.result : []) {
      const line = obj(raw);
      const sn = text(line.feedetl_sn);
      if (!sn || !ours.has(sn)) continue;
      accepted.add(sn);
      store.feeLines.markUploaded(tx, item.visitKey, sn, {
        fulamtOwnpayFen: fenOf(line.fulamt_ownpay_amt),
        overlmtSelfpayFen: fenOf(line.overlmt_amt ?? line.overlmt_selfpay),
        preselfpayFen: fenOf(line.preselfpay_amt),
        inscpScpFen: fenOf(line.inscp_scp_amt),
      });
    }
    // Lines of this batch the platform did not return were refused at upload (settlement-rules.md §6); the
    // sandbox names them with a reason in `refused`.
    const refusals = new Map<string, string>();
    for (const raw of Array.isArray(out.refused) ? out.refused : []) {
      const r = obj(raw);
      const sn = text(r.feedetl_sn);
      if (sn) refusals.set(sn, text(r.reason) ?? text(r.memo) ?? text(r.err_msg) ?? '平台拒收');
    }
    for (const sn of ours) {
      if (!accepted.has(sn)) store.feeLines.setState(tx, item.visitKey, sn, 'refused', refusals.get(sn) ?? '平台未接收该明细');
    }
  },
};

const discharge2402: ResultApplier = {
  done(tx, store, item) {
    const adm = store.admissions.get(item.visitKey);
    if (adm && adm.status === 'admitted') store.admissions.setStatus(tx, adm.iptNo, 'discharged');
  },
};

const cancel2404: ResultApplier = {
  done(tx, store, item) {
    if (store.admissions.get(item.visitKey)) store.admissions.setStatus(tx, item.visitKey, 'cancelled');
  },
};

const settle2304: ResultApplier = {
  done(tx, store, item, output) {
    const live = store.settlements.liveFor(item.visitKey);
    if (!live) return;
    const setlinfo = obj(obj(output).setlinfo);
    const setlId = text(setlinfo.setl_id);
    if (!setlId) throw new Error(`2304 output of item ${item.id} has no setlinfo.setl_id`);
    const split = splitFromSetlinfo(setlinfo);
    const depositFen = store.money.depositTotalFen(item.visitKey);
    store.settlements.markSettled(tx, live.id, {
      setlId,
      msgid: item.msgid,
      mdtrtId: text(setlinfo.mdtrt_id),
      split,
      depositFen,
      dueFen: split.psnCashPayFen - depositFen,
      setlTime: text(setlinfo.setl_time),
      output,
    });
    store.admissions.setStatus(tx, item.visitKey, 'settled');
  },
  dead(tx, store, item) {
    const live = store.settlements.liveFor(item.visitKey);
    if (live && live.status === 'pending') store.settlements.setStatus(tx, live.id, 'failed');
  },
  cancelled(tx, store, item) {
    const live = store.settlements.liveFor(item.visitKey);
    if (live && live.status === 'pending') store.settlements.setStatus(tx, live.id, 'failed');
  },
};

const reverse2305: ResultApplier = {
  done(tx, store, item) {
    const setlId = text(obj(item.input).setl_id) ?? text(obj(obj(item.input).data).setl_id);
    const s = setlId ? store.settlements.bySetlId(setlId) : store.settlements.liveFor(item.visitKey);
    if (!s) return;
    store.settlements.markReversed(tx, s.id, '2305 住院结算撤销');
    if (store.admissions.get(item.visitKey)) store.admissions.setStatus(tx, item.visitKey, 'discharged');
  },
};

export const defaultAppliers: ResultAppliers = {
  '2401': admission2401,
  '2301': fees2301,
  '2402': discharge2402,
  '2404': cancel2404,
  '2304': settle2304,
  '2305': reverse2305,
};
