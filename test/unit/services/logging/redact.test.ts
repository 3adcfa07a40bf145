import { describe, expect, it } from 'vitest';
import { redact } from '../../../../services/logging/redact.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';

describe('redacting logger', () => {
  it('masks personal fields at any depth and ID numbers in free text', () => {
    const out = redact({ card: { name: '王建国', ssn: '320200197503141014', regionCode: '320200' }, note: '证件 32020019620802112X 已读取', pin: '123456' });
    expect(out).toEqual({ card: { name: '王*国', ssn: '3202**********1014', regionCode: '320200' }, note: '证件 3202**********112X 已读取', pin: '***' });
  });
  it('writes one JSON line per call with nothing personal in clear', () => {
    const log = memoryLogger();
    log.info('card read 320200197503141014', { psn_name: '李秀英', certno: '32020019620802112X' });
    expect(log.lines).toHaveLength(1);
    const line = log.lines[0]!;
    expect(JSON.parse(line)).toMatchObject({ level: 'info', psn_name: '李*英' });
    expect(line).not.toContain('320200197503141014');
    expect(line).not.toContain('李秀英');
    expect(line).not.toContain('32020019620802112X');
  });
  it('masks psn_no (as a field and in text) and drops tokens entirely (issue 15: psn_no and tokens were logged)', () => {
    const log = memoryLogger();
    log.info('2401 for 32020000000000900007 queued', { psn_no: '32020000000000900007', psnNo: '32020000000000900008', ecToken: '3201ZZ0001AB7F3C9D', headers: { authorization: 'Bearer abc' } });
    const line = log.lines[0]!;
    for (const secret of ['32020000000000900007', '32020000000000900008', '3201ZZ0001AB7F3C9D', 'Bearer abc']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ psn_no: '3202************0007', ecToken: '***', headers: { authorization: '***' } });
  });
  it('drops passwords and password hashes entirely, at any depth (issue 15: a masked password kept its first and last characters)', () => {
    const log = memoryLogger();
    log.warn('request', { args: { opterNo: '1001', password: 'Zhang-2026', newPassword: 'Next-pass-2026', supervisorPassword: 'Sup-pass-9', passwordHash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==' } });
    const line = log.lines[0]!;
    for (const secret of ['Zhang-2026', 'Next-pass', 'Sup-pass', 'scrypt$', 'c2FsdA']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ args: { opterNo: '1001', password: '***', newPassword: '***', supervisorPassword: '***', passwordHash: '***' } });
  });
});
