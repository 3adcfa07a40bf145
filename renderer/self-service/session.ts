import type { CardView } from '../../contract/dto/card.ts';
import type { Credential, EligibilityDecision } from '../../contract/dto/eligibility.ts';
import type { AdmissionView } from '../../contract/dto/admission.ts';
import type { z } from 'zod';
import type { BookedAdmission } from '../../contract/dto/admission.ts';
import type { PreSettlement, SettlementView } from '../../contract/dto/settlement.ts';
import type { ShownError } from '../app/errors.ts';
import type { PaymentOrderView } from '../../contract/dto/payments.ts';

export type Booking = z.infer<typeof BookedAdmission>;
export type Pre = z.infer<typeof PreSettlement>;

/**
 * The self-service journey as a state machine. Everything personal lives in these values and nowhere else in
 * the renderer, so dropping the flow (idle timeout, 结束) forgets the patient.
 */
export type Step =
  | { name: 'start' }
  | { name: 'reading' }
  /** `back`: the screen 返回 leads to (the result or the ways to check again); the start screen when absent. */
  | { name: 'id-entry'; back?: Step }
  | { name: 'scan-voucher'; back?: Step }
  | { name: 'checking' }
  | { name: 'result'; decision: EligibilityDecision }
  | { name: 'switch-credential'; decision: EligibilityDecision }
  | { name: 'bookings'; decision: EligibilityDecision }
  | { name: 'deposit'; decision: EligibilityDecision; booking: Booking }
  | { name: 'pay'; admission: AdmissionView; amountFen: number; scene: 'qr' | 'bar_code' }
  | { name: 'checked-in'; admission: AdmissionView; depositFen: number }
  | { name: 'stay'; decision: EligibilityDecision }
  | { name: 'presettle'; decision: EligibilityDecision; stay: AdmissionView; pre: Pre }
  /** problem: the card refused the last PIN (wrong, with the tries left): said on the keypad, which is empty again. */
  | { name: 'pin'; decision: EligibilityDecision; stay: AdmissionView; pre: Pre; problem?: ShownError }
  /**
   * A settlement under way whose outcome is not known yet (answer lost, reversal pending, platform slow): being
   * checked, never shown as settled or as failed. `asked`: 查询结算结果 taps on this screen so far.
   */
  | { name: 'settle-checking'; decision: EligibilityDecision; stay: AdmissionView; asked: number }
  | { name: 'settled'; settlement: SettlementView; stay: AdmissionView }
  /** 少补: a settled stay that still owes its balance (found on a later visit). */
  | { name: 'balance'; stay: AdmissionView }
  | { name: 'balance-pay'; stay: AdmissionView; amountFen: number; scene: 'qr' | 'bar_code' }
  | { name: 'balance-paid'; stay: AdmissionView; order: PaymentOrderView }
  | { name: 'balance-left'; stay: AdmissionView; why: 'gave-up' | 'expired' | 'later'; order: PaymentOrderView | null }
  | { name: 'failed'; error: ShownError }
  | { name: 'take-card' }
  | { name: 'thanks' };

export interface Patient {
  credential: Credential | null;
  card: CardView | null;
}

