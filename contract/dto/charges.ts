import { z } from 'zod';
import { DateTime, Fen } from './common.ts';

/** 医疗收费项目类别 (med_chrgitm_type) codes with Chinese labels, e.g. 01 床位费 … 09 西药费. */
export const FeeLineInput = z.object({
  medListCodg: z.string().min(1).max(50), // catalogue code (med_list_codg)
  cnt: z.number().positive().max(100_000), // 16,4 on the wire
  pricFen: Fen.nonnegative().optional(), // defaults to the catalogue price
  feeOcurTime: DateTime.optional(),
  deptCode: z.string().max(30).optional(),
  doctorCode: z.string().max(30).optional(),
});

export const FeeLine = z.object({
  feedetlSn: z.string(),
  medListCodg: z.string(),
  name: z.string(),
  chrgitmType: z.string(),
  chrgitmLabel: z.string(),
  level: z.string().nullable(), // 01 甲 02 乙 03 丙, null when outside the catalogue
  cnt: z.number(),
  pricFen: Fen,
  amountFen: Fen,
  feeOcurTime: DateTime,
  state: z.enum(['local', 'uploaded', 'refused', 'cancelled']),
  refusal: z.string().nullable(),
});
export type FeeLine = z.infer<typeof FeeLine>;

export const ChargesSummary = z.object({
  admissionId: z.string(),
  lines: z.array(FeeLine),
  byCategory: z.array(z.object({ chrgitmType: z.string(), label: z.string(), amountFen: Fen })),
  totalFen: Fen,
});
export type ChargesSummary = z.infer<typeof ChargesSummary>;

export const CatalogueEntry = z.object({
  code: z.string(),
  name: z.string(),
  chrgitmType: z.string(),
  level: z.string(),
  pricFen: Fen,
  unit: z.string(),
});
