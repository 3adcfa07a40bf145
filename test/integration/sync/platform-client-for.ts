import type { Store } from '../../../db/store.ts';
import { PlatformClient } from '../../../insurance/client/platform-client.ts';
import { selfServiceOperator } from '../../../insurance/client/envelope.ts';
import { clientStoresOf } from '../../../services/sync/client-port.ts';
import { HOSPITAL_CODE, ADMDVS } from './sandbox-world.ts';

/** The real platform client of the test hospital on a store (msgids, sign-ins, 2601 journal in its file). */
export function platformClientFor(store: Store, url: string, timeoutMs = 5_000, http: { maxResponseBytes?: number } = {}): PlatformClient {
  return new PlatformClient(
    {
      url,
      fixmedinsCode: HOSPITAL_CODE,
      fixmedinsName: '无锡市第一人民医院',
      mdtrtareaAdmvs: ADMDVS,
      operator: selfServiceOperator('ZZJ01', '自助机01'),
      signInAddress: { ip: '127.0.0.1', mac: '00-00-00-00-00-00' },
      timeouts: { connectMs: 1_000, byInfno: Object.fromEntries(['2401', '2301', '2402', '2303', '2304', '2601', '9001'].map((i) => [i, timeoutMs])) },
      reversal: { inlineDelaysMs: [0] },
      // As many sockets as the relay has items in flight (the client's default is 8).
      http: { maxSockets: 32, ...http },
    },
    { ...clientStoresOf(store), clock: store.clock },
  );
}
