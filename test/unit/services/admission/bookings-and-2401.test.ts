import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BookingList, DEMO_BOOKINGS } from '../../../../services/admission/bookings.ts';
import { admissionInput } from '../../../../services/admission/input-2401.ts';
import { Admit2401 } from '../../../../insurance/client/transactions/admission.ts';
import { DiagnosisList } from '../../../../services/admission/diagnoses.ts';
import { HospitalStructure } from '../../../../services/admission/hospital-structure.ts';

describe('bookings', () => {
  it('the demo bookings resolve against the demo hospital and diagnosis list', () => {
    const list = BookingList.load(DEMO_BOOKINGS);
    const structure = HospitalStructure.load();
    const diagnoses = DiagnosisList.load();
    const b = list.forCertno('320200197503141014');
    expect(b).toHaveLength(1);
    for (const id of ['YY0001', 'YY0002', 'YY0003', 'YY0004', 'YY0005']) {
      const e = list.get(id)!;
      expect(() => structure.resolve(e)).not.toThrow();
      expect(diagnoses.get(e.diagnosisCode)).not.toBeNull();
    }
  });

  it('planned days: relative (demo) or absolute (HIS)', () => {
    const list = BookingList.load(DEMO_BOOKINGS);
    expect(BookingList.plannedDay(list.get('YY0001')!, '2026-12-31')).toBe('2026-12-31');
    expect(BookingList.plannedDay(list.get('YY0004')!, '2026-12-31')).toBe('2027-01-01');
  });

  it('refuses a bad file, duplicate ids, and a booking with both date forms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-bookings-'));
    const one = { bookingId: 'B1', certno: '320200197503141014', deptCode: 'A07', ward: 'W17', bed: '1701', attendingDoctorCode: 'D0700001', diagnosisCode: 'J18.9', plannedDate: '2026-11-24', suggestedDepositFen: 0 };
    const f = join(dir, 'b.json');
    writeFileSync(f, JSON.stringify({ bookings: [one, one] }));
    expect(() => BookingList.load(f)).toThrow(/duplicate/);
    writeFileSync(f, JSON.stringify({ bookings: [{ ...one, plannedInDays: 0 }] }));
    expect(() => BookingList.load(f)).toThrow(/plannedDate or plannedInDays/);
    writeFileSync(f, '{');
    expect(() => BookingList.load(f)).toThrow(/bookings file/);
  });
});

describe('2401 input', () => {
  const basis = {
    psnNo: '32020000000000000001',
    insuplcAdmdvs: '320200',
    insutype: '310',
    admissionType: 'normal' as const,
    direct: true,
    refusals: [],
    credential: { certType: '03' as const, certNo: 'A00001371', cardSn: '320200D156000005E2637265338DA33E' },
    person: { name: '王建国', certno: '320200197503141014', psnCertType: '01', gender: '1' as const, birthDate: '1975-03-14', age: 51 },
  };
  const facts = {
    iptNo: 'ZY2026000001',
    begntime: '2026-11-24 09:30:00',
    medType: '21',
    dept: { code: 'A03.04', name: '心血管内科' },
    bed: '0805',
    doctor: { code: 'D0304001', name: '陆振宇' },
    diagnosis: { code: 'I20.0', name: '不稳定性心绞痛' },
  };

  it('carries the national fields of mdtrtinfo and one main diagnosis', () => {
    const input = Admit2401.encode(admissionInput(basis, facts)) as { mdtrtinfo: Record<string, unknown>; diseinfo: unknown[] };
    expect(input.mdtrtinfo).toMatchObject({
      psn_no: '32020000000000000001',
      insutype: '310',
      begntime: '2026-11-24 09:30:00',
      mdtrt_cert_type: '03',
      mdtrt_cert_no: 'A00001371',
      card_sn: '320200D156000005E2637265338DA33E',
      med_type: '21',
      ipt_no: 'ZY2026000001',
      atddr_no: 'D0304001',
      chfpdr_name: '陆振宇',
      adm_dept_codg: 'A03.04',
      adm_dept_name: '心血管内科',
      adm_bed: '0805',
      dscg_maindiag_code: 'I20.0',
      dscg_maindiag_name: '不稳定性心绞痛',
    });
    expect(input.diseinfo).toEqual([
      expect.objectContaining({ psn_no: basis.psnNo, diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: 'I20.0', dise_dor_no: 'D0304001', diag_time: '2026-11-24 09:30:00' }),
    ]);
  });

  it('sends no card_sn for an e-voucher or an ID number', () => {
    const input = Admit2401.encode(admissionInput({ ...basis, credential: { certType: '02', certNo: '320200197503141014', cardSn: null } }, facts)) as { mdtrtinfo: Record<string, unknown> };
    expect(input.mdtrtinfo).not.toHaveProperty('card_sn');
  });
});
