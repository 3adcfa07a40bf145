import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KioskError } from '../../../../contract/errors.ts';
import type { Store } from '../../../../db/store.ts';
import { openEncryptedStore } from '../../../../db/store-key.ts';
import { cliKeyStore } from '../../../../services/security/key-store.ts';
import { PlatformClient } from '../../../../insurance/client/platform-client.ts';
import { staffOperator } from '../../../../insurance/client/envelope.ts';
import { Sandbox5311Filings } from '../../../../insurance/client/transactions/filings.ts';
import { startTestSandbox as startSandboxForTests, type TestSandbox as SandboxUnderTest } from '../../../../insurance/sandbox/testing.ts';
import { TerminalConfig } from '../../../../services/config/schema.ts';
import type { ServiceContext } from '../../../../services/context.ts';
import { systemClock } from '../../../../base/clock.ts';
import { createLogger, type Logger } from '../../../../services/logging/logger.ts';
import { Relay } from '../../../../services/sync/relay.ts';
import { createOutboxPort } from '../../../../services/sync/outbox-port.ts';
import { ClientPlatformPort } from '../../../../services/sync/client-port.ts';
import { Operators } from '../../../../services/operator/operators.ts';
import { Accounts } from '../../../../services/operator/accounts.ts';
import { syncConfiguredAccounts } from '../../../../services/operator/configured-accounts.ts';
import { hashPassword } from '../../../../services/security/passwords.ts';
import { EligibilityService } from '../../../../services/eligibility/service.ts';
import { AdmissionService } from '../../../../services/admission/service.ts';
import { HospitalStructure } from '../../../../services/admission/hospital-structure.ts';
import { DiagnosisList } from '../../../../services/admission/diagnoses.ts';
import { BookingList } from '../../../../services/admission/bookings.ts';
import { createBillingServices, type BillingOptions, type BillingServices } from '../../../../services/billing.ts';
import { createWriteBackTable } from '../../../../services/write-back-table.ts';
import type { AdmissionView } from '../../../../contract/dto/admission.ts';
import type { SettleOutcome } from '../../../../contract/dto/settlement.ts';
import type { Printer } from '../../../../services/context.ts';

/**
 * Real parts for the billing integration tests: the sandbox platform over HTTP on 127.0.0.1, a SQLite store
 * in a temporary file, the national-interface client, the outbox relay (with the one write-back table), the
 * admission desk's services to admit a patient the way the desk does, and the billing services.
 */
export const HOSPITAL = 'H32020000001';
export const CASHIER = { opterNo: 'SF001', name: '收费员甲', password: 'sf-2026-01' };
const CASHIER_HASH = hashPassword(CASHIER.password);

export type TestSandbox = SandboxUnderTest;
export type JournalEntry = Awaited<ReturnType<SandboxUnderTest['admin']['journal']>>[number];

/**
 * The sandbox's own test helper (temporary state file, admin API), on real time: the terminal and the
 * platform keep the same clock, as in production.
 */
export function startTestSandbox(): Promise<TestSandbox> {
  return startSandboxForTests({ now: new Date().toISOString(), frozen: false });
}

/** Settlements that took effect on the platform and were not erased by a 2601 nor cancelled by a 2305. */
export async function liveSettlements(sandbox: TestSandbox, psnNo: string): Promise<JournalEntry[]> {
  const all = await sandbox.admin.journal({ psn_no: psnNo });
  const cancelled = new Set(all.filter((e) => e.infno === '2305').map((e) => e.setl_id));
  return all.filter((e) => e.infno === '2304' && e.reversed_by === null && !cancelled.has(e.setl_id));
}

export interface TestTerminal {
  store: Store;
  ctx: ServiceContext;
  billing: BillingServices;
  admission: AdmissionService;
  eligibility: EligibilityService;
  operators: Operators;
  relay: Relay;
  platform: PlatformClient;
  log: Logger;
  close(): Promise<void>;
}

/** The relay's pacing in tests: see `relayTimings`. */
const TEST_RELAY_TIMINGS = {
  backoff: { baseMs: 50, capMs: 400 },
  probeBackoff: { baseMs: 50, capMs: 400 },
  reversalBackoff: { baseMs: 50, capMs: 400 },
  leaseTtlMs: 3_000,
} as const;

export function tempDir(prefix = 'billing-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTestTerminal(options: {
  platformUrl: string;
  storePath: string;
  mode?: 'admission' | 'discharge';
  printer?: Printer | null;
  billing?: BillingOptions;
  /** Supervisor accounts (beside the signed-in cashier), as the configuration gives them. */
  supervisors?: Array<{ opterNo: string; name: string; passwordHash: string }>;
  /** More accounts of the configuration (e.g. a second cashier). */
  accounts?: Array<{ opterNo: string; name: string; roles: Array<'clerk' | 'cashier' | 'supervisor' | 'technician'>; passwordHash: string }>;
  /** Inline 2601 attempts after an unknown outcome (default: at once, then 200 ms later). */
  reversalDelaysMs?: number[];
  /** WAL checkpoints in a thread of their own, as the terminal opens its store (default true). */
  walCheckpointer?: boolean;
  /**
   * The relay's lease and retry pacing. 'test' (the default): a 3 s lease and retries after 50–400 ms, so a
   * test that kills a terminal takes its store over within seconds and a retried item goes again at once.
   * 'terminal': the relay's own defaults, as services/terminal.ts builds it (a 30 s lease renewed every 10 s):
   * what the settlement bench measures. With the test lease, a lease renewal (one more commit and fsync)
   * lands every second of the bench, in either path's timed section.
   */
  relayTimings?: 'test' | 'terminal';
}): Promise<TestTerminal> {
  const clock = systemClock;
  const log = createLogger({ level: (process.env.KIOSK_TEST_LOG as 'debug' | undefined) ?? 'error' });
  const config = TerminalConfig.parse({
    mode: options.mode ?? 'discharge',
    demo: false,
    platform: { url: options.platformUrl },
    operators: [
      { opterNo: CASHIER.opterNo, name: CASHIER.name, roles: ['cashier'], passwordHash: CASHIER_HASH },
      ...(options.supervisors ?? []).map((s) => ({ ...s, roles: ['supervisor'] })),
      ...(options.accounts ?? []),
    ],
  });
  const store = openEncryptedStore(options.storePath, cliKeyStore(options.storePath), {
    clock,
    fixmedinsCode: HOSPITAL,
    // As services/terminal.ts: no commit carries a WAL checkpoint (db/wal-checkpointer.ts).
    ...(options.walCheckpointer === false ? {} : { walCheckpointer: { onProblem: (err: unknown) => log.warn('WAL checkpointer problem', { error: err }) } }),
  });
  const fallback = staffOperator(CASHIER.opterNo, CASHIER.name);
  const platform = new PlatformClient(
    {
      url: options.platformUrl,
      fixmedinsCode: HOSPITAL,
      fixmedinsName: config.hospital.name,
      mdtrtareaAdmvs: config.hospital.admdvs,
      operator: fallback,
      reversal: { inlineDelaysMs: options.reversalDelaysMs ?? [0, 200] },
    },
    { msgids: store.msgids, signIns: store.signInCache, reversals: store.reversals, clock },
  );
  const accounts = new Accounts(store, () => clock.now().getTime());
  syncConfiguredAccounts(accounts, config, log);
  const operators = new Operators({ config, clock, log, store, platform }, accounts);
  const writeBack = createWriteBackTable();
  const relay = new Relay({
    store,
    platform: new ClientPlatformPort({ client: platform, store, writeBack, platformUrl: options.platformUrl }),
    writeBack,
    ...(options.relayTimings === 'terminal' ? {} : TEST_RELAY_TIMINGS),
  });
  await relay.start();
  await platform.retryPendingReversals();
  const ctx: ServiceContext = {
    config,
    clock,
    log,
    emit: () => undefined,
    store,
    platform,
    filings: new Sandbox5311Filings(platform),
    outbox: createOutboxPort(relay, store),
    writeBack,
    operators,
    printer: options.printer ?? null,
  };
  const noCard = () => {
    throw new KioskError('CARD_ABSENT', '尚未读取社保卡', []);
  };
  const eligibility = new EligibilityService(ctx, { card: noCard, idCard: noCard, decodeQr: noCard });
  const admission = new AdmissionService(ctx, eligibility, HospitalStructure.load(), DiagnosisList.load(), BookingList.empty());
  await operators.group().signIn({ opterNo: CASHIER.opterNo, password: CASHIER.password }, { transport: 'memory' });
  const billing = createBillingServices(ctx, { waitMs: 15_000, ...options.billing });
  return {
    store,
    ctx,
    billing,
    admission,
    eligibility,
    operators,
    relay,
    platform,
    log,
    async close() {
      await billing.close();
      await relay.stop();
      platform.close();
      store.close();
    },
  };
}

const CALL = { transport: 'memory' as const };

/** The admission desk's journey: eligibility by ID number, then 入院登记 with the deposits. */
export async function admit(
  t: TestTerminal,
  p: { certNo: string; insutype?: string; deposits?: Array<{ amountFen: number; method: 'cash' | 'bank-card' | 'wechat' | 'alipay'; receiptNo: string }> },
): Promise<AdmissionView> {
  const decision = await t.eligibility.group().check({ credential: { kind: 'id', certType: '02', certNo: p.certNo }, admissionType: 'normal', ...(p.insutype ? { insutype: p.insutype } : {}) }, CALL);
  if (!decision.direct) throw new Error(`test person ${p.certNo} cannot settle directly: ${decision.reasons.map((r) => r.text).join('；')}`);
  const structure = HospitalStructure.load();
  const dept = structure.departments[0]!;
  const ward = dept.wards[0]!;
  const [first, ...more] = p.deposits ?? [];
  const registered = await t.admission.group().register(
    {
      checkId: decision.checkId,
      deptCode: dept.code,
      ward: ward.code,
      bed: ward.beds[0]!,
      attendingDoctorCode: dept.doctors[0]!.code,
      attendingDoctorName: dept.doctors[0]!.name,
      diagnosisCode: 'J18.9',
      diagnosisName: '肺炎',
      admissionType: 'normal',
      ...(first ? { deposit: first } : {}),
    },
    CALL,
  );
  const view = outcome(registered, 'admitted').admission;
  for (const d of more) await t.admission.group().addDeposit({ admissionId: view.admissionId, deposit: d }, CALL);
  const now = await t.admission.group().get({ admissionId: view.admissionId }, CALL);
  if (!now.mdtrtId) throw new Error(`admission ${view.admissionId} has no mdtrt_id (2401 not answered)`);
  return now;
}

export { CALL };

/** The outcome value, asserted to be of kind `kind` (the test fails with what it was instead). */
export function outcome<O extends { outcome: string }, K extends O['outcome']>(o: O, kind: K): Extract<O, { outcome: K }> {
  if (o.outcome !== kind) throw new Error(`expected outcome ${kind}, got ${JSON.stringify(o)}`);
  return o as Extract<O, { outcome: K }>;
}

/**
 * Settles as the cashier does when told a reversal is under way ("冲正完成后再次办理结算即可"): again, a little
 * later, until settled; every answer before it must be that waiting, and at most `tries` presses.
 */
export async function settleUntilSettled(
  t: TestTerminal,
  admissionId: string,
  tries = 20,
  options: { resumeOnly?: boolean } = {},
): Promise<{ settled: Extract<SettleOutcome, { outcome: 'settled' }>; waited: number }> {
  for (let waited = 0; waited < tries; waited++) {
    const o = await t.billing.discharge.settle({ admissionId, ...options }, CALL);
    if (o.outcome === 'settled') return { settled: o, waited };
    if (o.outcome !== 'waiting' || o.reason !== 'reversal') throw new Error(`expected settled or waiting for a reversal, got ${JSON.stringify(o)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not settled after ${tries} presses`);
}
