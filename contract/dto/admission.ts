import { z } from 'zod';
import { Day, DateTime, Explained, Fen, WaitReason } from './common.ts';
import { PersonView } from './eligibility.ts';

export const PaymentMethod = z.enum(['cash', 'bank-card', 'wechat', 'alipay']);

export const DepositInput = z.object({
  amountFen: Fen.positive().max(100_000_000),
  receiptNo: z.string().min(1).max(40),
  method: PaymentMethod,
});

export const AdmissionForm = z.object({
  checkId: z.string().min(1), // the eligibility decision this admission rests on
  deptCode: z.string().min(1).max(30),
  ward: z.string().min(1).max(30),
  bed: z.string().min(1).max(30),
  attendingDoctorCode: z.string().min(1).max(30),
  attendingDoctorName: z.string().min(1).max(50),
  diagnosisCode: z.string().min(1).max(30), // ICD-10
  diagnosisName: z.string().min(1).max(200),
  admissionType: z.enum(['normal', 'emergency']),
  begntime: DateTime.optional(), // defaults to now
  deposit: DepositInput.optional(),
});
export type AdmissionForm = z.infer<typeof AdmissionForm>;

export const AdmissionStatus = z.enum(['queued', 'admitted', 'cancelled', 'discharged', 'settled', 'dead-letter']);

export const AdmissionView = z.object({
  admissionId: z.string(),
  iptNo: z.string(), // 住院号, local, exists offline
  mdtrtId: z.string().nullable(), // 就诊ID from 2401; null while queued
  status: AdmissionStatus,
  person: PersonView,
  insutype: z.string(),
  deptCode: z.string(),
  deptName: z.string(),
  ward: z.string(),
  bed: z.string(),
  attendingDoctorName: z.string(),
  diagnosisCode: z.string(),
  diagnosisName: z.string(),
  admissionType: z.enum(['normal', 'emergency']),
  begntime: DateTime,
  /** 预交金 the hospital holds: received less refunded (the same figure the pre-settlement uses). */
  depositsFen: Fen,
  /** How the deposits were paid, each channel once: the refund goes back the same way (cash at the window). */
  depositMethods: z.array(PaymentMethod).optional(),
  chargesFen: Fen,
  /** 待补缴: the balance a settlement left due and not yet collected (services/payments/balance-due.ts). */
  balanceDueFen: Fen.optional(),
  direct: z.boolean(),
  /** A 2404 入院撤销 is queued for the platform (offline) and not yet confirmed; deposits are refunded when it is. */
  cancellationPending: z.boolean().optional(),
});
export type AdmissionView = z.infer<typeof AdmissionView>;

/**
 * admission.register / checkIn. The stay is on disk (住院号, deposit) in every case: admitted (the platform
 * answered, or a self-pay stay), queued (2401 goes when the platform answers), refused (the platform said no:
 * fix and retry in the queue, or cancel and the deposit is refunded).
 */
export const RegisterOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('admitted'), admission: AdmissionView }),
  z.object({ outcome: z.literal('queued'), reason: WaitReason, admission: AdmissionView, ...Explained }),
  z.object({ outcome: z.literal('refused'), kind: z.literal('platform'), reasons: z.array(z.string()).min(1), guidance: z.array(z.string()), admission: AdmissionView }),
]);
export type RegisterOutcome = z.infer<typeof RegisterOutcome>;

export const Department = z.object({
  code: z.string(),
  name: z.string(),
  wards: z.array(z.object({ code: z.string(), name: z.string(), beds: z.array(z.string()) })),
  doctors: z.array(z.object({ code: z.string(), name: z.string() })),
});

export const Diagnosis = z.object({ code: z.string(), name: z.string() });

export const BookedAdmission = z.object({
  bookingId: z.string(),
  deptName: z.string(),
  ward: z.string(),
  bed: z.string(),
  plannedDate: Day,
  suggestedDepositFen: Fen,
  /** Why it cannot be checked in now (尚未到报到时间), told before any deposit or payment step; null when it can. */
  refusal: z.object({ message: z.string(), guidance: z.array(z.string()) }).nullable().optional(),
});
