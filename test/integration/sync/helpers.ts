import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEncryptedStore } from '../../../db/store-key.ts';
import { cliKeyStore } from '../../../services/security/key-store.ts';
import type { Store } from '../../../db/store.ts';
import { systemClock } from '../../../base/clock.ts';
import { PLACEHOLDER } from '../../../db/outbox/placeholders.ts';
import type { OutboxItem } from '../../../db/outbox/types.ts';
import type { NewAdmission } from '../../../db/repositories/admissions.ts';

export const HOSPITAL = 'H32020000001';

export function tempDir(prefix = 'kiosk-sync-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store as the terminal opens it: encrypted, keys in keys/ beside it, keyed audit chain. */
export function realStore(dir: string, name = 'kiosk.sqlite'): Store {
  return openEncryptedStore(join(dir, name), cliKeyStore(join(dir, name)), { fixmedinsCode: HOSPITAL, clock: systemClock });
}

/** Polls until `check` is true, or fails after `timeoutMs` with `what`. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 20_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Visit {
  iptNo: string;
  psnNo: string;
  items: OutboxItem[];
}

/** The admission row the sync worlds queue: a direct-settlement cardiology stay (心血管内科, 原发性高血压). */
export function cardiologyAdmission(psnNo: string, insuplcAdmdvs: string, begntime: string): NewAdmission {
  return {
    psnNo,
    insutype: '310',
    insuplcAdmdvs,
    checkId: null,
    medType: '21',
    admissionType: 'normal',
    deptCode: 'A03',
    deptName: '心血管内科',
    ward: '5病区',
    bed: '12',
    atddrNo: 'D001',
    chfpdrName: '李医生',
    diagCode: 'I10.x00',
    diagName: '原发性高血压',
    begntime,
    direct: true,
  };
}

/**
 * One inpatient stay queued offline, as the services do it: the admission row and its 2401 in one transaction,
 * then fee batches (2301) and the discharge (2402), pre-settlement (2303) and settlement (2304), each carrying
 * the mdtrt_id placeholder. `feeBatches` batches of `linesPerBatch` lines.
 */
export function queueStay(store: Store, options: { psnNo: string; feeBatches?: number; linesPerBatch?: number; settle?: boolean; refuse2401?: boolean }): Visit {
  const batches = options.feeBatches ?? 2;
  const perBatch = options.linesPerBatch ?? 2;
  const items: OutboxItem[] = [];
  const iptNo = store.write((tx) => {
    const adm = store.admissions.create(tx, {
      ...cardiologyAdmission(options.psnNo, '320200', '2026-03-02 09:00:00'),
      diagCode: options.refuse2401 ? 'REFUSE' : 'I10.x00',
    });
    items.push(
      store.outbox.enqueue(tx, {
        visitKey: adm.iptNo,
        infno: '2401',
        input: { mdtrtinfo: { psn_no: adm.psnNo, ipt_no: adm.iptNo, insutype: '310', med_type: '21', adm_diag_dscr: adm.diagCode }, diseinfo: [] },
        msgid: store.msgids.next(tx.now),
        envelope: { insuplc_admdvs: '320200' },
      }),
    );
    return adm.iptNo;
  });
  for (let b = 0; b < batches; b++) {
    store.write((tx) => {
      const feedetail = [];
      for (let l = 0; l < perBatch; l++) {
        const sn = `${iptNo}-${b}-${l}`;
        store.feeLines.add(tx, {
          iptNo,
          feedetlSn: sn,
          initFeedetlSn: null,
          medListCodg: 'X001',
          medinsListCodg: 'H001',
          name: '床位费',
          chrgitmType: '01',
          chrgitmLv: '01',
          cnt: '1',
          pricFen: 100,
          detItemFeeSumamtFen: 100,
          feeOcurTime: '2026-03-02 10:00:00',
          bilgDeptCodg: 'A03',
          bilgDrCodg: 'D001',
        });
        feedetail.push({ feedetl_sn: sn, mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: options.psnNo, det_item_fee_sumamt: '1.00', cnt: '1', pric: '1.00' });
      }
      items.push(store.outbox.enqueue(tx, { visitKey: iptNo, infno: '2301', input: { feedetail }, msgid: store.msgids.next(tx.now), envelope: { insuplc_admdvs: '320200' } }));
    });
  }
  store.write((tx) => {
    items.push(
      store.outbox.enqueue(tx, {
        visitKey: iptNo,
        infno: '2402',
        input: { dscginfo: { mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: options.psnNo, insutype: '310', endtime: '2026-03-09 10:00:00', dscg_way: '1' } },
        msgid: store.msgids.next(tx.now),
        envelope: { insuplc_admdvs: '320200' },
      }),
    );
  });
  if (options.settle) {
    store.write((tx) => {
      store.settlements.open(tx, { iptNo, mdtrtId: null, psnNo: options.psnNo, insutype: '310', msgid: null });
      items.push(
        store.outbox.enqueue(tx, {
          visitKey: iptNo,
          infno: '2304',
          input: { data: { mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: options.psnNo, medfee_sumamt: '3.00', insutype: '310' } },
          msgid: store.msgids.next(tx.now),
          envelope: { insuplc_admdvs: '320200' },
        }),
      );
    });
  }
  return { iptNo, psnNo: options.psnNo, items };
}
