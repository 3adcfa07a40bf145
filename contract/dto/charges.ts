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

/** One problem of an import, named by where it is in the file (第4行, 第2条). */
export const ImportProblem = z.object({ where: z.string(), message: z.string() });

/**
 * What an import would do, before anything is stored: every line as it would be billed (new, or already
 * stored unchanged), and every problem. An import with problems stores nothing (all or nothing).
 */
export const ImportPreview = z.object({
  lines: z.array(
    z.object({
      where: z.string(),
      feedetlSn: z.string().nullable(),
      medListCodg: z.string(),
      name: z.string(),
      chrgitmLabel: z.string(),
      cnt: z.number(),
      pricFen: Fen,
      amountFen: Fen,
      feeOcurTime: DateTime,
      outcome: z.enum(['new', 'unchanged']),
    }),
  ),
  problems: z.array(ImportProblem),
  /** Problems beyond those listed (a screen cannot show 10,000). */
  moreProblems: z.number().int().nonnegative(),
  /** Sum of the new lines: what the import adds to the bill. */
  newFen: Fen,
});
export type ImportPreview = z.infer<typeof ImportPreview>;
