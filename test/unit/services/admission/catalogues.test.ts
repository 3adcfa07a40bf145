import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosisList } from '../../../../services/admission/diagnoses.ts';
import { HospitalStructure } from '../../../../services/admission/hospital-structure.ts';
import { KioskError } from '../../../../contract/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'kiosk-admission-'));

describe('bundled ICD-10 list and its search', () => {
  const list = DiagnosisList.load();

  it('loads the bundled list', () => {
    expect(list.size).toBeGreaterThan(200);
    expect(list.get('j18.9')).toEqual({ code: 'J18.9', name: '肺炎' });
  });

  it('finds by exact code first, then by code prefix, with or without the dot, any case', () => {
    expect(list.search('J18.9', 5)[0]).toEqual({ code: 'J18.9', name: '肺炎' });
    expect(list.search('j189', 5)[0]?.code).toBe('J18.9');
    expect(list.search('I21', 10).map((d) => d.code)).toEqual(['I21.0', 'I21.1', 'I21.4', 'I21.9']);
  });

  it('finds by Chinese name: prefix before contains, and every term must match', () => {
    const r = list.search('肺炎', 10).map((d) => d.code);
    expect(r[0]).toBe('J18.9'); // the name that starts with 肺炎
    expect(r).toEqual(expect.arrayContaining(['J15.9', 'J18.0']));
    expect(list.search('2型糖尿病 肾', 10).map((d) => d.code)).toEqual(['E11.2']);
    expect(list.search('股骨', 10).map((d) => d.code)).toEqual(['S72.0', 'S72.1', 'S72.3']);
  });

  it('respects the limit, answers nothing for nonsense, and the first entries for an empty query', () => {
    expect(list.search('炎', 3)).toHaveLength(3);
    expect(list.search('不存在的疾病名', 10)).toEqual([]);
    expect(list.search('', 2)).toHaveLength(2);
  });

  it('refuses a malformed file with the line number', () => {
    const f = join(dir, 'bad.tsv');
    writeFileSync(f, '# comment\nJ18.9\t肺炎\nnot a code line\n');
    expect(() => DiagnosisList.load(f)).toThrow(/line 3/);
  });

  it('loads a hospital file in the same format', () => {
    const f = join(dir, 'hospital.tsv');
    writeFileSync(f, 'J18.900x001\t社区获得性肺炎\r\nI63.900\t脑梗死\r\n');
    const h = DiagnosisList.load(f);
    expect(h.search('社区', 5)).toEqual([{ code: 'J18.900x001', name: '社区获得性肺炎' }]);
  });
});

describe('hospital structure (departments, wards, beds, doctors)', () => {
  const s = HospitalStructure.load();
  const first = s.departments[0]!;
  const form = { deptCode: first.code, ward: first.wards[0]!.code, bed: first.wards[0]!.beds[0]!, attendingDoctorCode: first.doctors[0]!.code };

  it('loads the bundled demo hospital', () => {
    expect(s.departments.length).toBeGreaterThanOrEqual(8);
    expect(s.departments.find((d) => d.code === 'A20')?.name).toBe('急诊医学科');
  });

  it('resolves a form that names existing things', () => {
    const r = s.resolve(form);
    expect(r.dept.code).toBe(first.code);
    expect(r.doctor.code).toBe(form.attendingDoctorCode);
  });

  it('refuses an unknown department, ward, bed or doctor with a Chinese message', () => {
    for (const bad of [{ deptCode: 'X99' }, { ward: 'W99' }, { bed: '9999' }, { attendingDoctorCode: 'D-none' }]) {
      const err = (() => { try { s.resolve({ ...form, ...bad }); } catch (e) { return e; } })();
      expect(err).toBeInstanceOf(KioskError);
      expect((err as KioskError).code).toBe('INVALID_ARGUMENT');
      expect((err as KioskError).message).toMatch(/入院登记信息有误/);
    }
  });

  it('refuses a bad departments file', () => {
    const f = join(dir, 'dept.json');
    writeFileSync(f, JSON.stringify({ departments: [{ code: 'A', name: 'x', wards: [], doctors: [] }] }));
    expect(() => HospitalStructure.load(f)).toThrow(/departments file/);
  });
});
