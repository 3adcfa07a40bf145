import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { KioskError } from '../../../contract/errors.ts';
import { asCorruption } from '../../../db/integrity.ts';
import { memoryLogger } from '../../../services/logging/logger.ts';
import { everyRole, fakeServices } from '../../fakes/fake-services.ts';

const SqliteError = (Database as unknown as { SqliteError: new (message: string, code: string) => Error }).SqliteError;

/** A dispatcher whose system.status throws `err`, logging as the terminal does (services/terminal.ts). */
function failingWith(err: unknown) {
  const log = memoryLogger();
  const dispatcher = new Dispatcher(fakeServices({ system: { status: async () => Promise.reject(err) } }), everyRole, {
    onInternalError: (channel, e) => log.error('internal error', { channel, error: e }),
    explainError: (e) => {
      const c = asCorruption('/data/kiosk.sqlite', e);
      return c instanceof KioskError && c.code === 'STORE_CORRUPT' ? c : null;
    },
  });
  return { log, call: () => dispatcher.call('kiosk:system.status', {}, { transport: 'memory' }) };
}

describe('every INTERNAL error is logged with its cause', () => {
  it('an INTERNAL KioskError a service built around a defect (as the platform client does) is logged with the defect', async () => {
    const { log, call } = failingWith(new KioskError('INTERNAL', '系统内部错误', [], { cause: new TypeError('cannot read properties of undefined') }));
    expect(await call()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(log.lines).toHaveLength(1);
    const line = JSON.parse(log.lines[0]!) as { error: { cause: { error: string; message: string } } };
    expect(line.error.cause).toMatchObject({ error: 'TypeError', message: 'cannot read properties of undefined' });
  });

  it('a damaged page under a service is STORE_CORRUPT on screen (with the recovery steps), SQLite code and message in the log', async () => {
    const { log, call } = failingWith(new KioskError('INTERNAL', '系统内部错误', [], { cause: new SqliteError('database disk image is malformed', 'SQLITE_CORRUPT') }));
    const reply = await call();
    expect(reply).toMatchObject({ ok: false, error: { code: 'STORE_CORRUPT' } });
    expect(JSON.stringify(reply)).toContain('kiosk store restore');
    expect(log.lines.join('\n')).toContain('"code":"SQLITE_CORRUPT"');
    expect(log.lines.join('\n')).toContain('database disk image is malformed');
  });

  it('a plain exception is INTERNAL on screen and logged with its stack; personal data in its text is masked', async () => {
    const { log, call } = failingWith(new Error('no row for 320200197503141014'));
    expect(await call()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const text = log.lines.join('\n');
    expect(text).toContain('"stack":[');
    expect(text).not.toContain('320200197503141014');
  });

  it('an expected refusal (not INTERNAL, not STORE_*) is not logged as a defect', async () => {
    const { log, call } = failingWith(new KioskError('PERSON_NOT_FOUND', '查无此人'));
    expect(await call()).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    expect(log.lines).toEqual([]);
  });
});
