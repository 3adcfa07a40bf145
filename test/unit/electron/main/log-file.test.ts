import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFileWriter } from '../../../../electron/main/logging/log-file.ts';
import { createLogger } from '../../../../services/logging/logger.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kiosk-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('main log file', () => {
  it('receives redacted JSON lines from the services logger', () => {
    const file = join(dir, 'logs', 'main.log');
    const log = createLogger({ scope: 'main', write: logFileWriter(file) });
    log.warn('print-failed', { psn_name: '张三丰', certno: '320200197503141014', reason: 'card of 320200197503141014' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('320200197503141014');
    expect(text).not.toContain('张三丰');
    expect(JSON.parse(text.trim())).toMatchObject({ level: 'warn', scope: 'main', msg: 'print-failed', psn_name: '张*丰' });
  });

  it('rotates past the size limit', () => {
    const file = join(dir, 'main.log');
    const write = logFileWriter(file, 200);
    for (let i = 0; i < 10; i++) write(JSON.stringify({ i, pad: 'x'.repeat(40) }));
    expect(readFileSync(file, 'utf8').length).toBeLessThanOrEqual(200);
    expect(readFileSync(`${file}.1`, 'utf8').length).toBeGreaterThan(0);
  });
});
