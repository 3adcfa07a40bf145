import { describe, expect, it } from 'vitest';
import { buildEnvelope, envelopeJson, inputCarriesPsnNo, JsonInput, resolveInsuplcAdmdvs, selfServiceOperator, staffOperator } from '../../../../insurance/client/envelope.ts';

const identity = {
  fixmedins_code: 'H32020000001',
  fixmedins_name: '无锡市第一人民医院',
  mdtrtarea_admvs: '320200',
  recer_sys_code: 'MBS',
  infver: 'V1.0',
};

describe('request envelope', () => {
  it('carries every field of the interface, in national names', () => {
    const envelope = buildEnvelope({
      identity,
      infno: '2304',
      msgid: 'H32020000001202603010902030007',
      insuplc_admdvs: '320100',
      operator: selfServiceOperator('ZZJ01', '前台终端01'),
      inf_time: '2026-03-01 09:02:03',
      sign_no: '359754',
      input: { data: { psn_no: 'P1' } },
    });
    expect(envelope).toEqual({
      infno: '2304',
      msgid: 'H32020000001202603010902030007',
      mdtrtarea_admvs: '320200',
      insuplc_admdvs: '320100',
      recer_sys_code: 'MBS',
      dev_no: '',
      dev_safe_info: '',
      cainfo: '',
      signtype: '',
      infver: 'V1.0',
      opter_type: '2',
      opter: 'ZZJ01',
      opter_name: '前台终端01',
      inf_time: '2026-03-01 09:02:03',
      fixmedins_code: 'H32020000001',
      fixmedins_name: '无锡市第一人民医院',
      sign_no: '359754',
      input: { data: { psn_no: 'P1' } },
    });
    expect('fixmedins_soft_fcty' in envelope).toBe(false);
  });

  it('adds fixmedins_soft_fcty when configured', () => {
    const envelope = buildEnvelope({
      identity: { ...identity, fixmedins_soft_fcty: '某某软件有限公司' },
      infno: '1101',
      msgid: 'H32020000001202603010902030007',
      insuplc_admdvs: '',
      operator: staffOperator('S001', '张三'),
      inf_time: '2026-03-01 09:02:03',
      sign_no: '1',
      input: {},
    });
    expect(envelope.fixmedins_soft_fcty).toBe('某某软件有限公司');
    expect(envelope.opter_type).toBe('1');
  });
});

describe('insuplc_admdvs rule', () => {
  it('is always "" for 1101 and 9001', () => {
    expect(resolveInsuplcAdmdvs('1101', { data: { psn_no: 'X' } }, '320100')).toEqual({ value: '' });
    expect(resolveInsuplcAdmdvs('9001', { signIn: {} }, undefined)).toEqual({ value: '' });
  });

  it('is required when the input carries psn_no, at any usual depth', () => {
    expect(resolveInsuplcAdmdvs('2304', { data: { psn_no: 'P1' } }, undefined)).toHaveProperty('error');
    expect(resolveInsuplcAdmdvs('2301', { feedetail: [{ psn_no: 'P1' }] }, '')).toHaveProperty('error');
    expect(resolveInsuplcAdmdvs('2401', { mdtrtinfo: { psn_no: 'P1' }, diseinfo: [] }, '320100')).toEqual({ value: '320100' });
  });

  it('may be empty without psn_no, and must be 6 digits when given', () => {
    expect(resolveInsuplcAdmdvs('3201', { data: { insutype: '310' } }, undefined)).toEqual({ value: '' });
    expect(resolveInsuplcAdmdvs('3201', { data: {} }, '3201')).toHaveProperty('error');
  });

  it('finds psn_no only where it has a value', () => {
    expect(inputCarriesPsnNo({ data: { psn_no: '' } })).toBe(false);
    expect(inputCarriesPsnNo(null)).toBe(false);
    expect(inputCarriesPsnNo([[{ psn_no: 'P' }]])).toBe(true);
  });

  it('sends an input given as JSON text as it is: the same JSON object as the parsed input serialised', () => {
    const input = { feedetail: [{ feedetl_sn: '1', mdtrt_id: 'M1', psn_no: 'P1', memo: '"}{' }] };
    const args = { identity: { ...identity, fixmedins_soft_fcty: 'X' }, infno: '2301', msgid: 'H32020000001202603010902030007', insuplc_admdvs: '320100', operator: selfServiceOperator('ZZJ01', '前台终端01'), inf_time: '2026-03-01 09:02:03', sign_no: '359754' };
    const body = envelopeJson(buildEnvelope({ ...args, input: new JsonInput(JSON.stringify(input)) }));
    expect(JSON.parse(body)).toEqual(JSON.parse(envelopeJson(buildEnvelope({ ...args, input }))));
    expect(JSON.parse(body).input).toEqual(input);
    // The insuplc_admdvs rule looks inside it as inside an object.
    expect(resolveInsuplcAdmdvs('2301', new JsonInput(JSON.stringify(input)), undefined)).toEqual({ error: expect.stringContaining('insuplc_admdvs') });
    expect(resolveInsuplcAdmdvs('2301', new JsonInput('{"a":1}'), undefined)).toEqual({ value: '' });
  });
});
