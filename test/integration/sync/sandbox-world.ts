import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from '../../../db/store.ts';
import { PLACEHOLDER } from '../../../db/outbox/placeholders.ts';
import type { OutboxItem } from '../../../db/outbox/types.ts';
import { cardiologyAdmission } from './helpers.ts';
import { fen } from '../../../base/fen.ts';
import { Admit2401, Discharge2402 } from '../../../insurance/client/transactions/admission.ts';
import { UploadFees2301, type FeeDetail } from '../../../insurance/client/transactions/fees.ts';
import { PreSettle2303, Settle2304, type SettlementInput } from '../../../insurance/client/transactions/settlement.ts';

/**
 * A sandbox world for the outbox crash tests: many local employees of Wuxi (320200), each with one card, so
 * that every stay of the test belongs to a different person (the platform refuses a second open admission of
 * one person) and every stay can be settled directly. Hospitals, catalogue and parameters are the default
 * world's.
 */
const SANDBOX_FIXTURES = resolve(import.meta.dirname, '../../../insurance/sandbox/fixtures');
export const HOSPITAL_CODE = 'H32020000001';
export const ADMDVS = '320200';
/** Inside the default test clock's day (insurance/sandbox/testing.ts TEST_NOW = 2026-11-20 10:00 China). */
export const SANDBOX_NOW = '2026-11-20T10:00:00+08:00';

export interface WorldPerson {
  key: string;
  psnNo: string;
  certno: string;
}

/** GB 11643 check character of the first 17 digits. */
function checkChar(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

export function writeWorld(dir: string, count: number): { fixturesPath: string; persons: WorldPerson[]; catalogue: CatalogueLine[] } {
  const base = JSON.parse(readFileSync(join(SANDBOX_FIXTURES, 'default.json'), 'utf8')) as {
    csb: unknown;
    hospitals: unknown[];
    catalogue: Array<{ med_list_codg: string; pric?: string; chrgitm_lv: string; pric_uplmt?: string }>;
  };
  const persons: WorldPerson[] = [];
  const people = [];
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(5, '0');
    // Birth day 1980-01-DD with a 3-digit sequence: unique for up to 28,000 people.
    const body = `320200198001${String(1 + Math.floor(i / 1000)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    const certno = `${body}${checkChar(body)}`;
    const key = `outbox-crash-${n}`;
    const psnNo = `320200000000009${n}`;
    persons.push({ key, psnNo, certno });
    people.push({
      key,
      name: `测试${n}`,
      certno,
      gender: '1',
      nation: '01',
      birthplace: ADMDVS,
      birthDate: '1980-01-01',
      insuredArea: ADMDVS,
      description: '出队测试用的无锡市区职工',
      cards: [{ cardNo: `B${n}9`, cardSn: `320200D1560000${n}OUTBOXCRASHTEST`.slice(0, 32), issueDate: '2021-01-01', expiryDate: '2031-01-01', status: 'normal', current: true }],
    });
  }
  writeFileSync(join(dir, 'people.json'), JSON.stringify({ about: 'outbox crash test people', people }));
  const world = {
    about: 'outbox crash test world',
    peopleFile: 'people.json',
    parametersFile: resolve(import.meta.dirname, '../../../policy/parameters.json'),
    csb: base.csb,
    hospitals: base.hospitals,
    catalogue: base.catalogue,
    persons: persons.map((p) => ({
      key: p.key,
      psn_no: p.psnNo,
      insurances: [{ insutype: '310', psn_type: '1101', psn_insu_stas: '1', psn_insu_date: '2010-01-01', emp_name: '测试单位', balcFen: 0 }],
    })),
  };
  const fixturesPath = join(dir, 'world.json');
  writeFileSync(fixturesPath, JSON.stringify(world));
  const catalogue = base.catalogue
    .filter((c) => c.pric && /^\d+(\.\d{1,2})?$/.test(c.pric) && c.chrgitm_lv !== '03')
    .slice(0, 12)
    .map((c) => ({ code: c.med_list_codg, pricFen: Math.round(Number(c.pric) * 100) }));
  return { fixturesPath, persons, catalogue };
}

export interface CatalogueLine {
  code: string;
  pricFen: number;
}


export interface QueuedStay {
  iptNo: string;
  person: WorldPerson;
  items: OutboxItem[];
}

/**
 * One stay queued as the services queue it offline: the admission row with its 2401 in one transaction, then
 * `batches` fee batches (2301, the mdtrt_id a placeholder), 2402, 2303, and the settlement row with its 2304.
 */
export function queueSandboxStay(store: Store, person: WorldPerson, catalogue: CatalogueLine[], batches: number, linesPerBatch = 3): QueuedStay {
  const items: OutboxItem[] = [];
  const env = { insuplc_admdvs: ADMDVS };
  let totalFen = 0;
  const iptNo = store.write((tx) => {
    const adm = store.admissions.create(tx, cardiologyAdmission(person.psnNo, ADMDVS, '2026-11-20 08:00:00'));
    items.push(
      store.outbox.enqueue(tx, {
        visitKey: adm.iptNo,
        infno: Admit2401.infno,
        input: Admit2401.encode({
          mdtrtinfo: {
            psn_no: person.psnNo,
            insutype: '310',
            begntime: adm.begntime,
            mdtrt_cert_type: '02',
            mdtrt_cert_no: person.certno,
            med_type: '21',
            ipt_no: adm.iptNo,
            atddr_no: 'D001',
            chfpdr_name: '李医生',
            adm_diag_dscr: '原发性高血压',
            adm_dept_codg: 'A03',
            adm_dept_name: '心血管内科',
            adm_bed: '12',
            dscg_maindiag_code: 'I10.x00',
            dscg_maindiag_name: '原发性高血压',
          },
          diseinfo: [],
        }),
        envelope: env,
      }),
    );
    return adm.iptNo;
  });
  for (let b = 0; b < batches; b++) {
    store.write((tx) => {
      const feedetail: FeeDetail[] = [];
      for (let l = 0; l < linesPerBatch; l++) {
        const c = catalogue[(b * linesPerBatch + l) % catalogue.length]!;
        const cnt = 1 + ((b + l) % 3);
        const amount = c.pricFen * cnt;
        totalFen += amount;
        const sn = `${b}-${l}`;
        store.feeLines.add(tx, {
          iptNo,
          feedetlSn: sn,
          initFeedetlSn: null,
          medListCodg: c.code,
          medinsListCodg: `H-${c.code}`,
          name: c.code,
          chrgitmType: '01',
          chrgitmLv: null,
          cnt: String(cnt),
          pricFen: c.pricFen,
          detItemFeeSumamtFen: amount,
          feeOcurTime: '2026-11-20 08:30:00',
          bilgDeptCodg: 'A03',
          bilgDrCodg: 'D001',
        });
        feedetail.push({
          feedetl_sn: sn,
          med_type: '21',
          fee_ocur_time: '2026-11-20 08:30:00',
          med_list_codg: c.code,
          medins_list_codg: `H-${c.code}`,
          det_item_fee_sumamt: fen(amount),
          cnt,
          pric: fen(c.pricFen),
          bilg_dept_codg: 'A03',
          bilg_dept_name: '心血管内科',
          bilg_dr_codg: 'D001',
          bilg_dr_name: '李医生',
        });
      }
      const input = UploadFees2301.encode({ psn_no: person.psnNo, mdtrt_id: PLACEHOLDER.mdtrtId, feedetail });
      items.push(store.outbox.enqueue(tx, { visitKey: iptNo, infno: UploadFees2301.infno, input, envelope: env }));
    });
  }
  const settlement: SettlementInput = {
    psn_no: person.psnNo,
    mdtrt_cert_type: '02',
    mdtrt_cert_no: person.certno,
    medfee_sumamt: fen(totalFen),
    psn_setlway: '01',
    mdtrt_id: PLACEHOLDER.mdtrtId,
    acct_used_flag: '0',
    insutype: '310',
    mid_setl_flag: '0',
    fulamt_ownpay_amt: fen(0),
    overlmt_selfpay: fen(0),
    preselfpay_amt: fen(0),
    inscp_scp_amt: fen(0),
  };
  store.write((tx) => {
    items.push(
      store.outbox.enqueue(tx, {
        visitKey: iptNo,
        infno: Discharge2402.infno,
        input: Discharge2402.encode({
          dscginfo: { mdtrt_id: PLACEHOLDER.mdtrtId, psn_no: person.psnNo, insutype: '310', endtime: '2026-11-20 09:00:00', dscg_dept_codg: 'A03', dscg_dept_name: '心血管内科', dscg_way: '1' },
          diseinfo: [],
        }),
        envelope: env,
      }),
    );
    items.push(store.outbox.enqueue(tx, { visitKey: iptNo, infno: PreSettle2303.infno, input: PreSettle2303.encode(settlement), envelope: env }));
  });
  store.write((tx) => {
    store.settlements.open(tx, { iptNo, mdtrtId: null, psnNo: person.psnNo, insutype: '310', msgid: null });
    items.push(store.outbox.enqueue(tx, { visitKey: iptNo, infno: Settle2304.infno, input: Settle2304.encode(settlement), msgid: store.msgids.next(tx.now), envelope: env }));
  });
  return { iptNo, person, items };
}
