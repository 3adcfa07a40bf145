import type { CardView } from '../../contract/dto/card.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { z } from 'zod';
import type { BookedAdmission } from '../../contract/dto/admission.ts';
import type { PreSettlement, SettlementView } from '../../contract/dto/settlement.ts';
import type { ShownError } from '../app/errors.ts';

export type Booking = z.infer<typeof BookedAdmission>;
export type Pre = z.infer<typeof PreSettlement>;

/**
 * The self-service journey as a state machine. Everything personal lives in these values and nowhere else in
 * the renderer, so dropping the flow (idle timeout, 结束) forgets the patient.
 */
export type Step =
  | { name: 'start' }
  | { name: 'reading' }
  | { name: 'id-entry' }
  | { name: 'scan-voucher' }
  | { name: 'checking' }
  | { name: 'result'; decision: EligibilityDecision }
  | { name: 'bookings'; decision: EligibilityDecision }
  | { name: 'deposit'; decision: EligibilityDecision; booking: Booking }
  | { name: 'checked-in'; admission: AdmissionView; depositFen: number }
  | { name: 'stay'; decision: EligibilityDecision }
  | { name: 'presettle'; decision: EligibilityDecision; stay: AdmissionView; pre: Pre }
  | { name: 'pin'; decision: EligibilityDecision; stay: AdmissionView; pre: Pre }
  | { name: 'settled'; settlement: SettlementView }
  | { name: 'failed'; error: ShownError }
  | { name: 'take-card' }
  | { name: 'thanks' };

export interface Patient {
  credential: Credential | null;
  card: CardView | null;
}

/**
 * The deposit's payment reference. A deployment with a payment terminal passes the terminal's transaction
 * reference instead; without one, the kiosk issues its own so the deposit and the receipt match.
 */
export function selfServiceReceiptNo(terminal: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(2, 14);
  const rand = Math.floor(Math.random() * 10_000)
    .toString()
    .padStart(4, '0');
  return `ZZ${terminal.replace(/[^0-9A-Za-z]/g, '').slice(-4)}${stamp}${rand}`.slice(0, 40);
}
