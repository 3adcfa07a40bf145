import type { Refused, Waiting } from '../../contract/dto/common.ts';
import type { ShownError } from './errors.ts';

/** An outcome that is not success, as the notice a screen shows (the data-code says which kind it is). */
export type Untoward = Waiting | Refused | { outcome: 'pin-required' | 'settlement-in-progress'; message: string; guidance: string[] };

export function noticeOf(o: Untoward): ShownError {
  switch (o.outcome) {
    case 'refused':
      return { code: 'PLATFORM_REFUSED', message: o.reasons.join('；'), guidance: o.guidance };
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
