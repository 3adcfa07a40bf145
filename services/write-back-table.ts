import { admit2401, cancelAdmission2404 } from './admission/write-back.ts';
import { cancelFees2302, uploadFees2301 } from './charges/write-back.ts';
import { cancelSettlement2305, discharge2402, preSettle2303, settle2304 } from './discharge/write-back.ts';
import type { WriteBackTable } from './sync/write-back.ts';

/**
 * The one write-back table: every transaction the outbox carries, with its codec's output schema and what its
 * answer changes in the store. Built once by the composition root (services/terminal.ts) and by `kiosk queue`
 * for the same store, and handed to every path that finishes an outbox item.
 */
export function createWriteBackTable(): WriteBackTable {
  return Object.freeze({
    '2401': admit2401,
    '2301': uploadFees2301,
    '2302': cancelFees2302,
    '2402': discharge2402,
    '2303': preSettle2303,
    '2304': settle2304,
    '2305': cancelSettlement2305,
    '2404': cancelAdmission2404,
  });
}
