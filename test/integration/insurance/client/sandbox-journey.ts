import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  admit,
  fetchPersonInfo,
  type FeeDetail,
  type FeeDetailResult,
  type PlatformClient,
  type SettlementInput,
} from '../../../../insurance/client/index.ts';
import { fen, parseYuan, sumFen } from '../../../../base/fen.ts';
import { DEFAULT_FIXTURES_PATH } from '../../../../insurance/sandbox/index.ts';

/**
 * Steps of an inpatient stay against the sandbox platform, shared by the client's sandbox tests and the
 * bench: who the person is (1101 by ID number), an admission (2401), a bill of catalogue lines, and the
 * 2303/2304 input from the 2301 results.
 */

interface PeopleFile {
  people: { key: string; certno: string }[];
}
interface WorldFile {
  catalogue: { med_list_codg: string; pric: string; chrgitm_lv: string }[];
}

const peopleFile = fileURLToPath(new URL('../../../../fixtures/people.json', import.meta.url));
const people = (JSON.parse(readFileSync(peopleFile, 'utf8')) as PeopleFile).people;
const catalogue = (JSON.parse(readFileSync(DEFAULT_FIXTURES_PATH, 'utf8')) as WorldFile).catalogue;

export function certnoOf(key: string): string {
  const p = people.find((x) => x.key === key);
  if (!p) throw new Error(`no person ${key} in fixtures/people.json`);
  return p.certno;
}

export interface Patient {
  psn_no: string;
  insuplc_admdvs: string;
  insutype: string;
  certno: string;
}

/** 1101 by 居民身份证 (mdtrt_cert_type 02): psn_no and the first insurance row. */
export async function identify(client: PlatformClient, key: string): Promise<Patient> {
  const certno = certnoOf(key);
  const info = await fetchPersonInfo(client, { mdtrt_cert_type: '02', mdtrt_cert_no: certno, psn_cert_type: '01', certno });
  const row = info.output.insuinfo[0];
  if (!row) throw new Error(`${key} has no insurance row`);
  return { psn_no: info.output.baseinfo.psn_no, insuplc_admdvs: row.insuplc_admdvs, insutype: row.insutype, certno };
}

/** 2401 for the patient under the given 住院号; returns mdtrt_id. */
export async function admitPatient(client: PlatformClient, p: Patient, iptNo: string, begntime = '2026-11-18 09:00:00'): Promise<string> {
  const reply = await admit(client, {
    insuplc_admdvs: p.insuplc_admdvs,
    mdtrtinfo: {
      psn_no: p.psn_no,
      insutype: p.insutype,
      begntime,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: p.certno,
      med_type: '21',
      ipt_no: iptNo,
      atddr_no: 'D0001',
      chfpdr_name: '李主任',
      adm_diag_dscr: '社区获得性肺炎',
      adm_dept_codg: 'A03',
      adm_dept_name: '呼吸内科',
      adm_bed: '12',
      dscg_maindiag_code: 'J18.900',
      dscg_maindiag_name: '肺炎',
    },
    diseinfo: [
      {
        diag_type: '1',
        maindiag_flag: '1',
        diag_srt_no: 1,
        diag_code: 'J18.900',
        diag_name: '肺炎',
        diag_dept: 'A03',
        dise_dor_no: 'D0001',
        dise_dor_name: '李主任',
        diag_time: begntime,
      },
    ],
  });
  return reply.output.result.mdtrt_id;
}

/** `n` fee lines cycling through the sandbox catalogue; amounts are pric × cnt exactly. */
export function buildBill(n: number, prefix = 'F'): FeeDetail[] {
  const priced = catalogue.filter((c) => parseYuan(c.pric) !== null);
  return Array.from({ length: n }, (_, i) => {
    const entry = priced[i % priced.length]!;
    const pric = parseYuan(entry.pric)!;
    const cnt = 1 + (i % 3);
    return {
      feedetl_sn: `${prefix}${String(i).padStart(6, '0')}`,
      med_type: '21',
      fee_ocur_time: '2026-11-19 08:00:00',
      med_list_codg: entry.med_list_codg,
      medins_list_codg: `HIS-${entry.med_list_codg}`,
      det_item_fee_sumamt: fen(pric * cnt),
      cnt,
      pric,
      bilg_dept_codg: 'A03',
      bilg_dept_name: '呼吸内科',
      bilg_dr_codg: 'D0001',
      bilg_dr_name: '李主任',
    };
  });
}

/** The 2303/2304 input of a stay whose lines came back as `results`. */
export function settlementInput(p: Patient, mdtrtId: string, results: readonly FeeDetailResult[]): SettlementInput & { insuplc_admdvs: string } {
  return {
    psn_no: p.psn_no,
    insuplc_admdvs: p.insuplc_admdvs,
    mdtrt_cert_type: '02',
    mdtrt_cert_no: p.certno,
    medfee_sumamt: sumFen(results.map((r) => r.det_item_fee_sumamt)),
    fulamt_ownpay_amt: sumFen(results.map((r) => r.fulamt_ownpay_amt)),
    overlmt_selfpay: sumFen(results.map((r) => r.overlmt_amt)),
    preselfpay_amt: sumFen(results.map((r) => r.preselfpay_amt)),
    inscp_scp_amt: sumFen(results.map((r) => r.inscp_scp_amt)),
    psn_setlway: '01',
    mdtrt_id: mdtrtId,
    acct_used_flag: '1',
    insutype: p.insutype,
    mid_setl_flag: '0',
    dscgTime: '2026-11-20 09:30:00',
  };
}
