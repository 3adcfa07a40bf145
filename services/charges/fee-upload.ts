import type { Store } from '../../db/store.ts';
import type { Tx } from '../../db/tx.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { FeeLineToSend } from '../../db/repositories/fee-lines.ts';
import type { OutboxItem } from '../../db/outbox/types.ts';
import { PLACEHOLDER } from '../../db/outbox/placeholders.ts';
import type { Fen } from '../../base/fen.ts';
import { CancelFees2302, DEFAULT_FEE_BATCH_SIZE, sentFeedetlSns, UploadFees2301, type FeeDetail } from '../../insurance/client/transactions/fees.ts';

/**
 * 2301 and 2302 as outbox items. The items carry the wire `input` node as the transactions' codecs encode it
 * (insurance/client/transactions/fees.ts); mdtrt_id is a placeholder while 2401 has not answered, resolved by
 * the relay when the item is sent. Lines go in batches of at most BATCH_SIZE, each batch its own msgid; a line
 * is in at most one open 2301.
 */
export const BATCH_SIZE = DEFAULT_FEE_BATCH_SIZE;

export interface Names {
  deptName(code: string): string | null;
  doctorName(code: string): string | null;
  /** 病区 by name (五病区), as screens and documents show it; the admission keeps the HIS code (W05). */
  wardName(deptCode: string, wardCode: string): string | null;
}

function mdtrtIdOf(adm: Admission): string {
  return adm.mdtrtId ?? PLACEHOLDER.mdtrtId;
}

/**
 * A stored fee line as the client's FeeDetail (the 2301 codec does the wire encoding). One literal, with
 * init_feedetl_sn second when the line has one, as the wire has always carried it. (Two literals of a fixed shape,
 * one per case, measured 0.06 ms less per 500-line bill: not worth a second copy of the line's thirteen fields.)
 */
export function feeDetailOf(adm: Admission, line: FeeLineToSend, names: Names): FeeDetail {
  const dept = line.bilgDeptCodg ?? adm.deptCode;
  const doctor = line.bilgDrCodg ?? adm.atddrNo;
  return {
    feedetl_sn: line.feedetlSn,
    ...(line.initFeedetlSn ? { init_feedetl_sn: line.initFeedetlSn } : {}),
    med_type: adm.medType,
    fee_ocur_time: line.feeOcurTime,
    med_list_codg: line.medListCodg,
    medins_list_codg: line.medinsListCodg,
    det_item_fee_sumamt: line.detItemFeeSumamtFen as Fen,
    cnt: line.cnt,
    pric: line.pricFen as Fen,
    bilg_dept_codg: dept,
    bilg_dept_name: names.deptName(dept) ?? (dept === adm.deptCode ? adm.deptName : dept),
    bilg_dr_codg: doctor,
    bilg_dr_name: names.doctorName(doctor) ?? (doctor === adm.atddrNo ? adm.chfpdrName : doctor),
  };
}

/** The names looked up once per code: a bill's hundreds of lines name a handful of departments and doctors. */
function rememberedNames(names: Names): Names {
  const depts = new Map<string, string | null>();
  const doctors = new Map<string, string | null>();
  return {
    deptName(code) {
      let name = depts.get(code);
      if (name === undefined) depts.set(code, (name = names.deptName(code)));
      return name;
    },
    doctorName(code) {
      let name = doctors.get(code);
      if (name === undefined) doctors.set(code, (name = names.doctorName(code)));
      return name;
    },
    wardName: (deptCode, wardCode) => names.wardName(deptCode, wardCode),
  };
}

/** feedetl_sn of every line in an open (not yet final) 2301 item of the visit. */
export function queuedFeeSns(store: Store, iptNo: string): Set<string> {
  const sns = new Set<string>();
  for (const item of openItems(store, iptNo, UploadFees2301.infno)) for (const sn of sentFeedetlSns(item.input)) sns.add(sn);
  return sns;
}

/**
 * The visit's items not yet done or cancelled, in order, with their inputs. Filtered in SQL: the done ones
 * carry the platform's answers (a 2301's is a line per fee). Whoever needs only which items are open reads
 * their ids (Outbox.laterOpenIds), as the discharge's wait for them does.
 */
export function openItems(store: Store, iptNo: string, infno?: string): OutboxItem[] {
  const open = store.outbox.laterOpen(iptNo, 0);
  return infno === undefined ? open : open.filter((i) => i.infno === infno);
}

/** Enqueues 2301 batches for the visit's local lines not yet queued. Returns the new items. */
export function enqueueFeeUpload(tx: Tx, store: Store, adm: Admission, names: Names): OutboxItem[] {
  const local = store.feeLines.toSend(adm.iptNo);
  if (local.length === 0) return [];
  const queued = queuedFeeSns(store, adm.iptNo);
  const pending = local.filter((l) => !queued.has(l.feedetlSn));
  const items: OutboxItem[] = [];
  const known = rememberedNames(names);
  for (let i = 0; i < pending.length; i += BATCH_SIZE) {
    const batch = pending.slice(i, i + BATCH_SIZE);
    items.push(
      store.outbox.enqueue(tx, {
        visitKey: adm.iptNo,
        infno: UploadFees2301.infno,
        input: UploadFees2301.encode({ psn_no: adm.psnNo, mdtrt_id: mdtrtIdOf(adm), feedetail: batch.map((l) => feeDetailOf(adm, l, known)) }),
        psnNo: adm.psnNo,
        envelope: { insuplc_admdvs: adm.insuplcAdmdvs },
      }),
    );
  }
  return items;
}

/** 2302 for one line already sent (or queued to be sent): it goes after the 2301 (outbox order per visit). */
export function enqueueFeeCancel(tx: Tx, store: Store, adm: Admission, feedetlSn: string): OutboxItem {
  return store.outbox.enqueue(tx, {
    visitKey: adm.iptNo,
    infno: CancelFees2302.infno,
    input: CancelFees2302.encode({ feedetl_sn: feedetlSn, mdtrt_id: mdtrtIdOf(adm), psn_no: adm.psnNo }),
    psnNo: adm.psnNo,
    envelope: { insuplc_admdvs: adm.insuplcAdmdvs },
  });
}

