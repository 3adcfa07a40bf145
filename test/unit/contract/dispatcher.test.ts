import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Dispatcher } from '../../../contract/dispatcher.ts';
import { createMemoryClient } from '../../../contract/transports/memory.ts';
import { kioskContract } from '../../../contract/api.ts';
import { KioskError } from '../../../contract/errors.ts';
import { everyRole, fakeServices, sampleStatus } from '../../fakes/fake-services.ts';

describe('Dispatcher over the in-memory pair', () => {
  it('round-trips a method with parsed arguments and the typed result', async () => {
    const check = vi.fn(async (args: { q: string; limit: number }) => [{ code: 'J18.9', name: `肺炎 ${args.q} ${args.limit}` }]);
    const d = new Dispatcher(fakeServices({ admission: { searchDiagnoses: check } }), everyRole, { validateResults: true });
    const kiosk = createMemoryClient(d);
    const result = await kiosk.admission.searchDiagnoses({ q: '肺' });
    expect(result).toEqual([{ code: 'J18.9', name: '肺炎 肺 20' }]); // limit defaulted by the schema
    expect(check).toHaveBeenCalledWith({ q: '肺', limit: 20 }, { transport: 'memory' });
  });

  it('rejects invalid arguments with INVALID_ARGUMENT before the service runs', async () => {
    const register = vi.fn();
    const d = new Dispatcher(fakeServices({ admission: { register } }), everyRole);
    const kiosk = createMemoryClient(d);
    // deposit in yuan as a float: not integer fen
    const bad = { checkId: 'c1', deptCode: 'NK', ward: 'W1', bed: '1', attendingDoctorCode: 'D1', attendingDoctorName: '医生', diagnosisCode: 'J18.9', diagnosisName: '肺炎', admissionType: 'normal', deposit: { amountFen: 12.5, receiptNo: 'R1', method: 'cash' } };
    await expect(kiosk.admission.register(bad as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(register).not.toHaveBeenCalled();
  });

  it('rejects junk on any channel without reaching a service (fuzzed)', async () => {
    const received: unknown[] = [];
    const spyServices = fakeServices();
    for (const methods of Object.values(spyServices)) {
      for (const m of Object.keys(methods)) {
        (methods as Record<string, unknown>)[m] = async (args: unknown) => {
          received.push(args);
          throw new KioskError('NOT_AVAILABLE', 'x');
        };
      }
    }
    const d = new Dispatcher(spyServices, everyRole);
    const channels = d.channels;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...channels), fc.oneof(fc.string(), fc.integer(), fc.array(fc.anything()), fc.constant(null)), async (ch, junk) => {
        const reply = await d.call(ch, junk, { transport: 'memory' });
        // Empty-argument methods accept null/undefined (treated as {}); everything else must be refused.
        if (!reply.ok) expect(['INVALID_ARGUMENT', 'NOT_AVAILABLE']).toContain(reply.error.code);
      }),
      { numRuns: 300 },
    );
    // Whatever ran, ran with a parsed plain object, never with the junk itself.
    for (const args of received) expect(args !== null && typeof args === 'object' && !Array.isArray(args)).toBe(true);
  });

  it('answers UNKNOWN_METHOD for a channel outside the contract', async () => {
    const d = new Dispatcher(fakeServices(), everyRole);
    const reply = await d.call('kiosk:system.shutdown', {}, { transport: 'memory' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('passes a KioskError through with its Chinese message and guidance', async () => {
    const d = new Dispatcher(
      fakeServices({ eligibility: { check: async () => { throw new KioskError('PLATFORM_OFFLINE', '医保平台暂时无法连接', ['请稍后重试']); } } }),
      everyRole,
    );
    const kiosk = createMemoryClient(d);
    const err = await kiosk.eligibility.check({ credential: { kind: 'card' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KioskError);
    expect(err).toMatchObject({ code: 'PLATFORM_OFFLINE', message: '医保平台暂时无法连接', guidance: ['请稍后重试'] });
  });

  it('hides a defect behind INTERNAL and reports it to the logger', async () => {
    const onInternalError = vi.fn();
    const d = new Dispatcher(fakeServices({ system: { status: async () => { throw new TypeError('x is undefined at /srv/secret.ts:12'); } } }), everyRole, { onInternalError });
    const reply = await d.call('kiosk:system.status', {}, { transport: 'memory' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('INTERNAL');
      expect(reply.error.message).not.toContain('secret');
    }
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('checks results against the contract when asked (a service bug becomes INTERNAL)', async () => {
    const d = new Dispatcher(fakeServices({ system: { status: async () => ({ ...sampleStatus(), mode: 'cashier' }) as never } }), everyRole, { validateResults: true });
    const reply = await d.call('kiosk:system.status', {}, { transport: 'memory' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('delivers valid events and drops invalid ones', async () => {
    const onInternalError = vi.fn();
    const d = new Dispatcher(fakeServices(), everyRole, { onInternalError });
    const kiosk = createMemoryClient(d);
    const seen: unknown[] = [];
    const off = kiosk.on('card-removed', (p) => seen.push(p));
    d.emit('card-removed', { readerId: 'r1' });
    d.emit('card-removed', { readerId: 42 } as never);
    off();
    d.emit('card-removed', { readerId: 'r2' });
    expect(seen).toEqual([{ readerId: 'r1' }]);
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('refuses to start when a contract method has no implementation', () => {
    const services = fakeServices() as unknown as Record<string, Record<string, unknown>>;
    delete services.discharge!.settle;
    expect(() => new Dispatcher(services as never, everyRole)).toThrow(/discharge\.settle/);
  });

  it('the client exposes exactly the contract', () => {
    const kiosk = createMemoryClient(new Dispatcher(fakeServices(), everyRole));
    for (const [g, methods] of Object.entries(kioskContract)) {
      expect(Object.keys((kiosk as unknown as Record<string, object>)[g]!).sort()).toEqual(Object.keys(methods).sort());
    }
  });
});
