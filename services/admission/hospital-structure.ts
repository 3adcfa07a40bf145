import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { KioskError } from '../../contract/errors.ts';
import type { Names } from '../charges/fee-upload.ts';

/**
 * The hospital's departments, wards, beds and attending doctors: what the admission form offers and what 2401
 * sends (adm_dept_codg/name, adm_bed, atddr_no, chfpdr_name). From the HIS export named by config
 * his.departmentsFile, or the bundled demo file. Format: docs/his-departments.md.
 */
const Code = z.string().min(1).max(30);
export const DepartmentsFile = z.object({
  about: z.string().optional(),
  departments: z
    .array(
      z.object({
        code: Code,
        name: z.string().min(1).max(50),
        wards: z.array(z.object({ code: Code, name: z.string().min(1).max(50), beds: z.array(Code).min(1) })).min(1),
        doctors: z.array(z.object({ code: Code, name: z.string().min(1).max(50) })).min(1),
      }),
    )
    .min(1),
});
export type DepartmentsFile = z.infer<typeof DepartmentsFile>;
export type DepartmentEntry = DepartmentsFile['departments'][number];

export const BUNDLED_DEPARTMENTS = join(import.meta.dirname, 'data', 'departments.json');

export class HospitalStructure {
  private readonly byCode: Map<string, DepartmentEntry>;

  constructor(readonly departments: readonly DepartmentEntry[]) {
    this.byCode = new Map(departments.map((d) => [d.code, d]));
    if (this.byCode.size !== departments.length) throw new Error('departments: duplicate department code');
  }

  static load(path: string = BUNDLED_DEPARTMENTS): HospitalStructure {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`departments file ${path}: ${(err as Error).message}`);
    }
    const parsed = DepartmentsFile.safeParse(json);
    if (!parsed.success) throw new Error(`departments file ${path}: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return new HospitalStructure(parsed.data.departments);
  }

  /**
   * The department, ward, bed and doctor of an admission form, each checked against this hospital's
   * structure: a form naming something that does not exist is refused before anything is written.
   */
  resolve(form: { deptCode: string; ward: string; bed: string; attendingDoctorCode: string }): {
    dept: DepartmentEntry;
    ward: DepartmentEntry['wards'][number];
    doctor: DepartmentEntry['doctors'][number];
  } {
    const dept = this.byCode.get(form.deptCode);
    if (!dept) throw invalid(`科室代码 ${form.deptCode} 不存在`);
    const ward = dept.wards.find((w) => w.code === form.ward);
    if (!ward) throw invalid(`${dept.name}没有病区 ${form.ward}`);
    if (!ward.beds.includes(form.bed)) throw invalid(`${ward.name}没有床位 ${form.bed}`);
    const doctor = dept.doctors.find((d) => d.code === form.attendingDoctorCode);
    if (!doctor) throw invalid(`${dept.name}没有医师 ${form.attendingDoctorCode}`);
    return { dept, ward, doctor };
  }
}

function invalid(what: string): KioskError {
  return new KioskError('INVALID_ARGUMENT', `入院登记信息有误：${what}。`, ['请从下拉列表重新选择科室、病区、床位和主治医师。']);
}

/** Names of the HIS codes the admission keeps (department, doctor, ward), from the hospital's structure. */
export function namesOf(structure: HospitalStructure): Names {
  return {
    deptName: (code) => structure.departments.find((d) => d.code === code)?.name ?? null,
    doctorName: (code) => structure.departments.flatMap((d) => d.doctors).find((d) => d.code === code)?.name ?? null,
    wardName: (deptCode, wardCode) => structure.departments.find((d) => d.code === deptCode)?.wards.find((w) => w.code === wardCode)?.name ?? null,
  };
}
