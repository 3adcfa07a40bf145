import { dirname, join } from 'node:path';
import type { KioskServices } from '../contract/api.ts';
import type { ServiceContext } from './context.ts';
import { DiagnosisList } from './admission/diagnoses.ts';
import { HospitalStructure, namesOf } from './admission/hospital-structure.ts';
import { bundledCatalogue, Catalogue } from './charges/catalogue.ts';
import { createChargesService } from './charges/charges-service.ts';
import { createDischargeService, type DischargeStep } from './discharge/discharge-service.ts';
import type { PinVerifier } from './discharge/pin.ts';
import { Accounts } from './operator/accounts.ts';
import { SupervisorApproval } from './operator/approval.ts';
import { createDocumentsService } from './documents/documents-service.ts';
import { ChromiumPdfRenderer, type PdfRenderer } from './documents/pdf.ts';
import { createReconciliationService } from './reconciliation/reconciliation-service.ts';

/**
 * The billing half of the front desk: 费用 (charges), 出院结算 (discharge), 单据 (documents) and 日终对账
 * (reconciliation), built on the ServiceContext. terminal.ts spreads the four groups into KioskServices; the
 * discharge write-backs (2402, 2304 with its 多退少补, 2305) are in the one table of write-back-table.ts.
 */
export interface BillingServices {
  charges: KioskServices['charges'];
  discharge: KioskServices['discharge'];
  documents: KioskServices['documents'];
  reconciliation: KioskServices['reconciliation'];
  /** Stops the PDF renderer's Chromium, if one was started. */
  close(): Promise<void>;
}

export interface BillingOptions {
  catalogue?: Catalogue;
  pdf?: PdfRenderer;
  pin?: PinVerifier | null;
  /** Where PDFs go when there is no printer (default: `spool/` beside the store file). */
  spoolDir?: string;
  /** How long a call waits for the platform before answering (the work goes on in the outbox). */
  waitMs?: number;
  onStep?: (step: DischargeStep, iptNo: string) => void | Promise<void>;
}

export function createBillingServices(ctx: ServiceContext, options: BillingOptions = {}): BillingServices {
  const { config } = ctx;
  const catalogue = options.catalogue ?? (config.his.catalogueFile ? Catalogue.fromFile(config.his.catalogueFile) : bundledCatalogue());
  const names = namesOf(HospitalStructure.load(config.his.departmentsFile ?? undefined));
  const diagnoses = DiagnosisList.load(config.his.diagnosesFile ?? undefined);
  // Approvals check the operator accounts in the store (their lockouts too), like the sign-in screen.
  const approvals = new SupervisorApproval(new Accounts(ctx.store, () => ctx.clock.now().getTime()));
  const pdf = options.pdf ?? new ChromiumPdfRenderer({ log: ctx.log });
  const common = { store: ctx.store, clock: ctx.clock, log: ctx.log };
  const reconciliation = createReconciliationService({ ...common, config, platform: ctx.platform, operators: ctx.operators });
  return {
    charges: createChargesService({ ...common, outbox: ctx.outbox, catalogue, names }),
    discharge: createDischargeService({
      ...common,
      platform: ctx.platform,
      outbox: ctx.outbox,
      writeBack: ctx.writeBack,
      operators: ctx.operators,
      names,
      staffScreens: config.mode !== 'self-service',
      diagnoses,
      supervisors: approvals,
      pin: options.pin ?? null,
      ...(options.waitMs !== undefined ? { waitMs: options.waitMs } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    }),
    documents: createDocumentsService({
      ...common,
      config,
      names,
      catalogue,
      pdf,
      printer: ctx.printer,
      spoolDir: options.spoolDir ?? join(dirname(ctx.store.path), 'spool'),
      // The printed 收款员日结报表 shows what the 日终 screen shows: the same call.
      dayEnd: (q) => reconciliation.dayEnd(q, { transport: 'memory' }),
    }),
    reconciliation,
    close: () => pdf.close(),
  };
}
