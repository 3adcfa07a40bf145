import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../../../../services/charges/csv.ts';
import { parseHisCsv, parseHisJson } from '../../../../services/charges/his-import.ts';
import { Catalogue } from '../../../../services/charges/catalogue.ts';
import { prepareImportedLine, prepareManualLine, type VisitFacts } from '../../../../services/charges/fee-line-rules.ts';
import { lineAmountFen, parseCount, parseYuanToFen } from '../../../../services/charges/decimal.ts';

const catalogue = new Catalogue({
  version: 'test-1',
  entries: [
    { code: 'BED001', name: '普通病房床位费', chrgitmType: '01', level: '01', pricFen: 5000, unit: '日' },
    { code: 'XY0001', name: '阿莫西林胶囊', chrgitmType: '09', level: '02', pricFen: 123, unit: '粒' },
    { code: 'CL0001', name: '一次性输液器', chrgitmType: '08', level: '03', pricFen: 850, unit: '套' },
  ],
});
const visit: VisitFacts = { iptNo: 'ZY2026000001', begntime: '2026-11-20 09:00:00', now: '2026-11-23 10:00:00', deptCode: 'NK01' };

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping the line of each record', () => {
    const r = parseCsv('a,b\r\n"x,1","say ""hi"""\n"multi\nline",z\n\n');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x,1', 'say "hi"'] },
        { line: 3, fields: ['multi\nline', 'z'] },
      ],
    });
  });
  it('reports an unclosed quote and junk after a closing quote with the line', () => {
    expect(parseCsv('a\n"open')).toEqual({ ok: false, line: 2, error: '引号未闭合' });
    expect(parseCsv('a\n"x"y')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a\nx"y')).toMatchObject({ ok: false, line: 2 });
  });
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      const r = parseCsv(s);
      expect(typeof r.ok).toBe('boolean');
    }));
  });
});

describe('decimal', () => {
  it('reads yuan exactly into fen and refuses sub-fen precision', () => {
    expect(parseYuanToFen('12.5')).toEqual({ ok: true, value: 1250 });
    expect(parseYuanToFen('0.01')).toEqual({ ok: true, value: 1 });
    expect(parseYuanToFen('3.100')).toEqual({ ok: true, value: 310 });
    expect(parseYuanToFen('3.105').ok).toBe(false);
    expect(parseYuanToFen('-1').ok).toBe(false);
    expect(parseYuanToFen('1e3').ok).toBe(false);
    expect(parseYuanToFen('abc').ok).toBe(false);
  });
  it('reads counts with up to 4 decimals', () => {
    expect(parseCount('2.50')).toEqual({ ok: true, value: { text: '2.5', tenThousandths: 25_000 } });
    expect(parseCount('0.0001')).toEqual({ ok: true, value: { text: '0.0001', tenThousandths: 1 } });
    expect(parseCount('0.00001').ok).toBe(false);
    expect(parseCount('0').ok).toBe(false);
  });
  it('rounds pric × cnt half-up to the fen', () => {
    // 1.23 元 × 0.5 = 0.615 元 → 62 fen (half-up)
    expect(lineAmountFen(123, 5000)).toBe(62);
    // 0.33 元 × 3 = 0.99 元
    expect(lineAmountFen(33, 30_000)).toBe(99);
    // 0.01 元 × 0.4 = 0.004 元 → 0 fen
    expect(lineAmountFen(1, 4000)).toBe(0);
  });
});

describe('HIS import', () => {
  it('reads a CSV with national and Chinese headers', () => {
    const csv = '\uFEFF费用明细流水号,med_list_codg,数量,单价,金额,费用发生时间\nH1,BED001,3,50.00,150.00,2026-11-21 08:00:00\nH2,XY0001,20,,,2026-11-21 09:00:00\n';
    const parsed = parseHisCsv(csv);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.records).toHaveLength(2);
    const lines = parsed.records.map((r) => prepareImportedLine(r, catalogue, visit));
    expect(lines[0]).toEqual({
      line: expect.objectContaining({ feedetlSn: 'H1', medListCodg: 'BED001', name: '普通病房床位费', chrgitmType: '01', cnt: '3', pricFen: 5000, amountFen: 15_000 }),
    });
    // No price or amount: the catalogue price, 1.23 × 20 = 24.60 元
    expect(lines[1]).toEqual({ line: expect.objectContaining({ feedetlSn: 'H2', pricFen: 123, amountFen: 2460, chrgitmLv: '02' }) });
  });

  it('names every malformed CSV line and what is wrong with it', () => {
    const csv = [
      'feedetl_sn,med_list_codg,cnt,pric,det_item_fee_sumamt,fee_ocur_time',
      'H1,BED001,3,50.00,150.00,2026-11-21 08:00:00',
      'H2,XY0001,abc,1.23,,2026-11-21 09:00:00',
      'H3,BED001,1,50.00,49.98,2026-11-21 10:00:00',
      'H4,NOPE99,1,,,2026-11-21 10:00:00',
      'H5,BED001,1,50,,2026-11-19 10:00:00',
      'H6,BED001,1',
    ].join('\n');
    const parsed = parseHisCsv(csv);
    // Column-count problems are found while reading.
    expect(parsed).toEqual({ ok: false, problems: [{ where: '第7行', message: expect.stringContaining('有3列，表头有6列') }] });
    const fixed = parseHisCsv(csv.split('\n').slice(0, 6).join('\n'));
    expect(fixed.ok).toBe(true);
    if (!fixed.ok) return;
    const results = fixed.records.map((r) => prepareImportedLine(r, catalogue, visit));
    expect('line' in results[0]!).toBe(true);
    expect(results[1]).toEqual({ problems: [{ where: '第3行', message: '数量“abc”不是有效数字' }] });
    // 50.00 × 1 = 50.00, declared 49.98: 2 fen off (> 1 fen, settlement-rules §4)
    expect(results[2]).toEqual({ problems: [{ where: '第4行', message: '金额49.98元与单价×数量（50.00×1=50.00元）相差超过1分' }] });
    expect(results[3]).toMatchObject({ problems: expect.arrayContaining([{ where: '第5行', message: expect.stringContaining('不在医保目录中，须提供项目名称') }]) });
    expect(results[4]).toEqual({ problems: [{ where: '第6行', message: expect.stringContaining('早于入院时间') }] });
  });

  it('judges each fee time against the visit facts as they are now, even when the same facts object changes', () => {
    const parsed = parseHisCsv('med_list_codg,cnt,fee_ocur_time\nBED001,1,2026-11-24 08:00:00\nBED001,1,2026-11-24 08:00:00\n');
    if (!parsed.ok) throw new Error('parse failed');
    const facts: VisitFacts = { ...visit };
    const [first, second] = parsed.records;
    // After "now": refused, for every line with that time.
    expect(prepareImportedLine(first!, catalogue, facts)).toEqual({ problems: [{ where: '第2行', message: expect.stringContaining('晚于当前时间') }] });
    expect(prepareImportedLine(second!, catalogue, facts)).toEqual({ problems: [{ where: '第3行', message: expect.stringContaining('晚于当前时间') }] });
    // A day later the same time is in the past: the verdict judged against the old "now" is not reused.
    facts.now = '2026-11-25 10:00:00';
    expect(prepareImportedLine(second!, catalogue, facts)).toEqual({ line: expect.objectContaining({ feeOcurTime: '2026-11-24 08:00:00' }) });
    // An admission time after it: refused again.
    facts.begntime = '2026-11-24 09:00:00';
    expect(prepareImportedLine(first!, catalogue, facts)).toEqual({ problems: [{ where: '第2行', message: expect.stringContaining('早于入院时间') }] });
  });

  it('accepts an amount within 1 fen of round(pric × cnt)', () => {
    const parsed = parseHisCsv('med_list_codg,cnt,pric,det_item_fee_sumamt\nBED001,1,50.00,49.99\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(prepareImportedLine(parsed.records[0]!, catalogue, visit)).toEqual({ line: expect.objectContaining({ amountFen: 4999 }) });
  });

  it('refuses a line of another patient', () => {
    const parsed = parseHisJson(JSON.stringify([{ ipt_no: 'ZY2026000999', med_list_codg: 'BED001', cnt: 1 }]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(prepareImportedLine(parsed.records[0]!, catalogue, visit)).toEqual({ problems: [{ where: '第1条', message: expect.stringContaining('不是当前患者的住院号') }] });
  });

  it('reads JSON as an array or as a 2301-shaped feedetail node, numbers or strings', () => {
    const a = parseHisJson(JSON.stringify([{ feedetl_sn: 'J1', med_list_codg: 'XY0001', cnt: 2.5, pric: 1.23 }]));
    const b = parseHisJson(JSON.stringify({ feedetail: [{ feedetl_sn: 'J1', med_list_codg: 'XY0001', cnt: '2.5', pric: '1.23' }] }));
    expect(a).toEqual(b);
    if (!a.ok) throw new Error('parse failed');
    // 1.23 × 2.5 = 3.075 → 3.08 元 (half-up)
    expect(prepareImportedLine(a.records[0]!, catalogue, visit)).toEqual({ line: expect.objectContaining({ amountFen: 308, cnt: '2.5' }) });
  });

  it('reports JSON that is not JSON, not a list, or holds non-objects', () => {
    expect(parseHisJson('{"feedetail": [1,')).toMatchObject({ ok: false, problems: [{ where: '文件', message: expect.stringContaining('不是有效的 JSON') }] });
    expect(parseHisJson('{"x": 1}')).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('feedetail') }] });
    expect(parseHisJson('[{"med_list_codg":"BED001","cnt":1}, 7, {"cnt": {"a":1}}]')).toEqual({
      ok: false,
      problems: [
        { where: '第2条', message: '不是对象' },
        { where: '第3条', message: '字段“cnt”的值类型不正确' },
      ],
    });
  });

  it('JSON floats with binary noise are refused, not rounded silently', () => {
    const parsed = parseHisJson(JSON.stringify([{ med_list_codg: 'BED001', cnt: 1, pric: 0.1 + 0.2 }]));
    if (!parsed.ok) throw new Error('parse failed');
    expect(prepareImportedLine(parsed.records[0]!, catalogue, visit)).toMatchObject({ problems: [{ message: expect.stringContaining('单价') }] });
  });

  it('manual entry prices from the catalogue and refuses unknown codes', () => {
    expect(prepareManualLine({ medListCodg: 'CL0001', cnt: 2 }, 0, catalogue, visit)).toEqual({
      line: expect.objectContaining({ name: '一次性输液器', chrgitmType: '08', chrgitmLv: '03', pricFen: 850, amountFen: 1700 }),
    });
    expect(prepareManualLine({ medListCodg: 'NOPE', cnt: 1 }, 1, catalogue, visit)).toEqual({ problems: [{ where: '第2项', message: '目录编码“NOPE”不在医保目录中' }] });
  });

  it('never throws on junk input, CSV or JSON', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const parsed of [parseHisCsv(s), parseHisJson(s)]) {
          if (parsed.ok) for (const r of parsed.records) prepareImportedLine(r, catalogue, visit);
        }
      }),
    );
  });
});
