import { kioskContract, type KioskServices } from '../../contract/api.ts';
import { KioskError } from '../../contract/errors.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import type { Principal } from '../../contract/access.ts';

type DeepPartial<T> = { [K in keyof T]?: Partial<T[K]> };

export const sampleStatus = (over: Partial<TerminalStatus> = {}): TerminalStatus => ({
  mode: 'admission',
  demo: true,
  hospital: { code: 'H32020000001', name: '无锡市第一人民医院', level: 3 },
  terminalName: '测试终端',
  reader: { state: 'idle', name: 'virtual', message: null },
  platform: { online: true, checkedAt: null },
  queue: { depth: 0, deadLetters: 0, oldestAgeSeconds: null },
  operator: null,
  idleTimeoutSeconds: 90,
  ...over,
});

/**
 * Services for contract and transport tests: every method answers NOT_AVAILABLE unless overridden, so a test
 * states exactly the behaviour it relies on.
 */
export function fakeServices(overrides: DeepPartial<KioskServices> = {}): KioskServices {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [group, methods] of Object.entries(kioskContract)) {
    out[group] = {};
    for (const name of Object.keys(methods)) {
      out[group][name] =
        (overrides as Record<string, Record<string, unknown> | undefined>)[group]?.[name] ??
        (async () => {
          throw new KioskError('NOT_AVAILABLE', '测试中未提供该功能。');
        });
    }
  }
  return out as unknown as KioskServices;
}

/** A principal holding every role: for contract and transport tests that are not about roles. */
export const everyRole = (): Principal => ({ kind: 'operator', opterNo: 'T0001', roles: ['clerk', 'cashier', 'supervisor', 'technician', 'patient'] });
