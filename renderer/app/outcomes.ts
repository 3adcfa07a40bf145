import type { RefusalKind, Refused, Waiting } from '../../contract/dto/common.ts';
import type { ErrorCode } from '../../contract/errors.ts';
import type { ShownError } from './errors.ts';

/** The code a refusal is shown with, by who said no (a kiosk words each for the patient: patient-errors.ts). */
const REFUSAL_CODES: Readonly<Record<RefusalKind, ErrorCode>> = {
  platform: 'PLATFORM_REFUSED',
  'confirm-again': 'SETTLEMENT_CHANGED',
  card: 'PIN_REFUSED',
  stay: 'ADMISSION_STATE',
};

/** An outcome that is not success, as the notice a screen shows (the data-code says which kind it is). */
export type Untoward = Waiting | Refused | { outcome: 'pin-required' | 'settlement-in-progress'; message: string; guidance: string[] };

export function noticeOf(o: Untoward): ShownError {
  switch (o.outcome) {
    case 'refused':
      return { code: REFUSAL_CODES[o.kind], message: o.reasons.join('；'), guidance: o.guidance };
    case 'waiting':
      return { code: o.reason === 'offline' || o.reason === 'not-registered' ? 'SETTLEMENT_NEEDS_PLATFORM' : 'PLATFORM_OUTCOME_UNKNOWN', message: o.message, guidance: o.guidance };
    case 'pin-required':
      return { code: 'PIN_REQUIRED', message: o.message, guidance: o.guidance };
    case 'settlement-in-progress':
      return { code: 'ADMISSION_STATE', message: o.message, guidance: o.guidance };
  }
}

/**
 * Waiting for an outcome that may already have happened on the platform (its answer lost and a reversal
 * pending, or the platform slow): the screen says it is being checked, never that it failed or succeeded.
 */
export function beingChecked(o: { outcome: string; reason?: string }): boolean {
  return o.outcome === 'waiting' && (o.reason === 'reversal' || o.reason === 'slow');
}
