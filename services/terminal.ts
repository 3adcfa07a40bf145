import { Dispatcher } from '../contract/dispatcher.ts';
import { KioskError } from '../contract/errors.ts';
import type { KioskServices } from '../contract/api.ts';
import type { SafeStorageLike } from '../db/keystore.ts';
import type { Store } from '../db/store.ts';
import { openEncryptedStore } from '../db/store-key.ts';
import { tightenDataFolder } from '../db/private-files.ts';
import { terminalKeyStore } from './security/key-store.ts';
import { checkAuditChain } from './security/audit-head.ts';
import { createReaderManager } from '../drivers/reader-manager/reader-manager.ts';
import { selfServiceOperator } from '../insurance/client/envelope.ts';
import { PlatformClient } from '../insurance/client/platform-client.ts';
import { Sandbox5311Filings } from '../insurance/client/transactions/filings.ts';
import { BookingList, DEMO_BOOKINGS } from './admission/bookings.ts';
import { DiagnosisList } from './admission/diagnoses.ts';
import { HospitalStructure } from './admission/hospital-structure.ts';
import { createBillingServices } from './billing.ts';
import { cardPinVerifier } from './discharge/card-pin.ts';
import { patientFacts } from './documents/gather.ts';
import { startRetentionSchedule } from './retention/schedule.ts';
import { purgeSpooledDocuments } from './documents/spool-retention.ts';
import { composePayments } from './payments/compose.ts';
import { createRefundGroup } from './money/refund-service.ts';
import type { PaymentService } from './payments/payment-service.ts';
import { purgePersonalData } from '../db/retention.ts';
import { backupStore } from '../db/backup.ts';
import type { CommitSeam } from '../db/commit.ts';
import { asCorruption } from '../db/integrity.ts';
import { startBackupSchedule } from './backup/schedule.ts';
import type { PdfRenderer } from './documents/pdf.ts';
import { AdmissionService } from './admission/service.ts';
import { systemClock, type Clock } from '../base/clock.ts';
import { chinaTime } from '../base/china-time.ts';
import type { LoadedConfig } from './config/load.ts';
import type { Printer, ServiceContext } from './context.ts';
import { createDemoGroup, demoUnavailableGroup } from './demo/demo-group.ts';
import { startDemoWorld, type DemoWorld } from './demo/demo-world.ts';
import { EligibilityService } from './eligibility/service.ts';
import { IdCardService } from './idcard/idcard-service.ts';
import { decodeEVoucher, ecQueryUrlFor } from '../insurance/client/ec-query.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { Operators } from './operator/operators.ts';
import { Accounts } from './operator/accounts.ts';
import { AccountAdmin } from './operator/account-admin.ts';
import { accountsGroup } from './operator/accounts-group.ts';
import { syncConfiguredAccounts } from './operator/configured-accounts.ts';
import type { ReaderSource } from './session/reader-events.ts';
import { readerManagerSource } from './session/reader-manager-source.ts';
import { bothSources, hidScannerSource } from './session/scanner-source.ts';
import type { HidDeviceOpener } from '../drivers/transport/hid-device.ts';
import { Session } from './session/session.ts';
import { Connectivity } from './status/connectivity.ts';
import { createQueueGroup } from './status/queue-group.ts';
import { StatusService } from './status/status-service.ts';
import { ClientPlatformPort } from './sync/client-port.ts';
import { createOutboxPort } from './sync/outbox-port.ts';
import { Relay } from './sync/relay.ts';
import { createWriteBackTable } from './write-back-table.ts';
import { dirname, join } from 'node:path';
import { withFields } from './logging/with-fields.ts';
import { applyCentralConfig } from './config/central-config.ts';
import type { MetricsEndpoint } from './metrics/metrics-server.ts';
import type { OtlpExporter } from './metrics/otlp-exporter.ts';
import { meteredGateway } from './metrics/metered-gateway.ts';
import { startMetrics, terminalIdOf } from './metrics/start-metrics.ts';
import { TerminalMetrics } from './metrics/terminal-metrics.ts';

/**
 * The composition root: builds every service from the configuration and exposes them through one Dispatcher,
 * which the Electron IPC registration and the browser host both serve.
 *
 * The billing half (charges, discharge, documents, reconciliation) comes from services/billing.ts.
 *
 * Demo mode without a platform URL (`npm start` with no configuration) first starts the demo world: the
 * sandbox platform on loopback, the virtual card reader on a pseudo-terminal, and the network switch between
 * the client and the sandbox that the demo panel uses to cut the network (services/demo/).
 */
export interface Terminal {
  dispatcher: Dispatcher;
  loaded: LoadedConfig;
  /** The parts, for integration tests and benchmarks (never for the renderer). */
  parts: TerminalParts;
  close(): Promise<void>;
}

export interface TerminalParts {
  store: Store;
  platform: PlatformClient;
  relay: Relay;
  session: Session;
  connectivity: Connectivity;
  eligibility: EligibilityService;
  admission: AdmissionService;
  operators: Operators;
  payments: PaymentService;
  demo: DemoWorld | null;
  /** The platform URL the client uses (in demo mode: the network switch in front of the sandbox). */
  platformUrl: string;
  metrics: TerminalMetrics;
  /** /metrics and /health, or null when disabled or the port was taken. */
  metricsEndpoint: MetricsEndpoint | null;
  otlp: OtlpExporter | null;
  /**
   * The services behind the dispatcher, without its role check: for test and benchmark set-up that stands in
   * for the hospital's other desks (e.g. charges entered at the counter before a kiosk journey). Never served.
   */
  services: KioskServices;
}

export interface TerminalOptions {
  /** Electron's printer; the browser host has none. */
  printer?: Printer | null;
  /** Electron's printToPDF renderer; the browser host uses a system Chromium (services/documents/pdf.ts). */
  pdf?: PdfRenderer;
  clock?: Clock;
  log?: Logger;
  /** Readers other than the configured ones (tests inject a source; the demo uses the virtual reader). */
  readerSource?: ReaderSource;
  /** Finds and opens the QR scanner's HID device (default node-hid); tests inject a device. */
  scannerOpener?: HidDeviceOpener;
  /** Tests only: a store commit that fails the way a disk does (db/commit.ts). */
  commitSeam?: CommitSeam;
  /** Bookings other than the configured file (tests). */
  bookings?: BookingList;
  /** Electron's safeStorage: the store and audit keys sealed by the OS keystore (key files without it). */
  safeStorage?: SafeStorageLike | null;
}

/**
 * What a start may spend on PRAGMA quick_check: about 1.7 s for a 100 MB encrypted store on our build machine
 * (`kiosk bench store`, integrityAtOpen). Beyond it the start still checks (a damaged store must not be
 * written to), and says so, so that IT can archive or purge before starts get slow.
 */
const QUICK_CHECK_BUDGET_MS = 3_000;

export async function createTerminal(localLoaded: LoadedConfig, options: TerminalOptions = {}): Promise<Terminal> {
  // The hospital's central configuration, when `central.url` is set (verified; else the last good copy, else local).
  const loaded = await applyCentralConfig(localLoaded, options.log ?? createLogger({ scope: 'config' }));
  const { config } = loaded;
  // Every log line names this terminal (fleet logs are read side by side).
  const log = withFields(options.log ?? createLogger({ scope: 'terminal' }), { terminal: terminalIdOf(config) });
  let clock: Clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn('close step failed', { error: err });
      }
    }
  };

  try {
    // ── demo world, platform URL, readers ──────────────────────────────────────────────────────────────
    let demo: DemoWorld | null = null;
    let platformUrl = config.platform.url;
    if (platformUrl === null) {
      if (!config.demo) throw new KioskError('INVALID_ARGUMENT', '配置项 platform.url 未设置（非演示模式必须配置医保接口地址）', ['请在配置文件中填写 platform.url']);
      demo = await startDemoWorld({ dataDir: loaded.dataDir, log: log.child('demo') });
      cleanups.push(() => demo?.close());
      platformUrl = demo.platformUrl;
      // The terminal lives on the demo world's day, like its sandbox (unless a test brings its own clock).
      if (!options.clock) clock = demo.clock;
    }

    // ── store, platform client, relay ─────────────────────────────────────────────────────────────────
    const keys = terminalKeyStore(loaded.storePath, config, options.safeStorage);
    const store = openEncryptedStore(loaded.storePath, keys, {
      clock,
      fixmedinsCode: config.hospital.code,
      msgidPartition: config.terminal.msgidPartition,
      iptNoPrefix: config.terminal.iptNoPrefix,
      commitSeam: options.commitSeam,
      // WAL checkpoints in a thread of their own, off every commit (db/wal-checkpointer.ts).
      walCheckpointer: { onProblem: (err) => log.warn('WAL checkpointer problem (if it stopped, commits checkpoint by themselves again)', { error: err }) },
    });
    log.info('store open', { encrypted: true, keyStore: keys.kind });
    tightenDataFolder(dirname(store.path)); // keys/, backups/ and spool/ too: an earlier build left spool/ 0755, its PDFs 0644
    // Verified at every start (keyed chain, sealed money rows); the head goes to the log and the hospital's syslog.
    void checkAuditChain({ store, config, log, now: clock.now() }, 'start');
    cleanups.push(() => store.close());
    for (const s of store.settledCommits) {
      // A commit the last run could not confirm (I/O error at COMMIT), now decided: see the audit log.
      (s.outcome === 'committed' ? log.warn : log.error)('commit settled at open', { outcome: s.outcome, action: s.evidence.audit?.action, subject: s.evidence.audit?.subject, failedAt: new Date(s.evidence.at).toISOString() });
    }
    log.info('store opened', { path: loaded.storePath, quickCheckMs: Math.round(store.integrity?.quickCheckMs ?? 0), bytes: store.integrity?.bytes });
    if ((store.integrity?.quickCheckMs ?? 0) > QUICK_CHECK_BUDGET_MS) {
      log.warn('quick_check at open over its budget: the store has grown past what a start should wait for', { budgetMs: QUICK_CHECK_BUDGET_MS, bytes: store.integrity?.bytes });
    }
    const connectivity = new Connectivity(clock);
    cleanups.push(() => connectivity.close());
    let session: Session | null = null;
    const metrics = new TerminalMetrics({
      store,
      platformOnline: () => connectivity.online,
      readerState: () => session?.readerStatus().state ?? 'none',
      spoolDir: join(dirname(store.path), 'spool'),
      now: () => clock.now(),
    });
    const spoolDir = join(dirname(store.path), 'spool');
    const retention = startRetentionSchedule({
      purge: () => {
        const removed = purgeSpooledDocuments(spoolDir, { now: clock.now(), maxAgeMs: config.store.spoolRetentionDays * 86_400_000 });
        if (removed > 0) log.info('spooled documents purged', { removed });
        return purgePersonalData(store, { retentionDays: config.store.retentionDays });
      },
      log: log.child('retention'),
    });
    cleanups.push(() => retention.close());
    const backups = startBackupSchedule({ backup: () => backupStore(store.db, store.path, { now: clock.now() }), log: log.child('backup') });
    cleanups.push(() => backups.close());
    const terminalOperator = selfServiceOperator(config.terminal.selfServiceOpterNo, config.terminal.name);
    const platform = new PlatformClient(
      {
        url: platformUrl,
        fixmedinsCode: config.hospital.code,
        fixmedinsName: config.hospital.name,
        mdtrtareaAdmvs: config.hospital.admdvs,
        infver: config.platform.infver,
        recerSysCode: config.platform.recerSysCode,
        operator: terminalOperator,
        csb: config.platform.csb,
        timeouts: { byInfno: Object.fromEntries(['1101', '2001', '5303', '5311'].map((i) => [i, config.platform.timeoutMs])) },
      },
      {
        msgids: store.msgids,
        signIns: store.signInCache,
        reversals: store.reversals,
        clock,
        onEvent: (e) => {
          connectivity.onPlatformEvent(e);
          metrics.onPlatformEvent(e);
        },
      },
    );
    cleanups.push(() => platform.close());
    // The one write-back table: the relay, its port, the queue panel and the services all get this one.
    const writeBack = createWriteBackTable();
    const accounts = new Accounts(store, () => clock.now().getTime());
    syncConfiguredAccounts(accounts, config, log.child('operator'));
    const operators = new Operators({ config, clock, log: log.child('operator'), store, platform }, accounts);
    const relay = new Relay({
      store,
      platform: new ClientPlatformPort({ client: platform, store, writeBack, platformUrl }),
      writeBack,
      onEvent: (e) => {
        if (e.type === 'error') log.error('relay error', { error: e.error });
        // Nothing is lost (what was in flight is recovered at the next start), but nothing drains until then.
        if (e.type === 'committer-failed') log.error('relay stopped: its commit worker failed; restart the terminal to resume sending', { error: e.error });
      },
    });
    connectivity.attach(relay);
    await relay.start();
    cleanups.push(() => relay.stop());
    platform.startReversalRetries();

    // ── services ──────────────────────────────────────────────────────────────────────────────────────
    let dispatcher: Dispatcher | null = null;
    const ctx: ServiceContext = {
      config,
      clock,
      log,
      emit: (name, payload) => dispatcher?.emit(name, payload),
      store,
      platform,
      filings: new Sandbox5311Filings(platform),
      outbox: createOutboxPort(relay, store),
      writeBack,
      operators,
      printer: options.printer ?? null,
    };
    session = new Session(ctx);
    const idCardPort = demo ? (demo.idCardReader?.path ?? null) : config.readers.idcard;
    // The ID card reader's state goes to the status bar once the status service exists (below).
    let idCardReaderChanged = (): void => undefined;
    const idCards = new IdCardService(ctx, idCardPort, () => session.reset(), undefined, () => idCardReaderChanged());
    cleanups.push(() => idCards.close());
    const ecQueryUrl = ecQueryUrlFor(platformUrl, demo ? null : config.platform.ecQueryUrl);
    const eligibility = new EligibilityService(ctx, {
      card: () => session.cardForCredential(),
      idCard: () => idCards.cardForCredential(),
      decodeQr: (qrCode) => {
        const op = operators.current();
        return decodeEVoucher(ecQueryUrl, { orgId: config.hospital.code, scene: 'admission', qrCode, operator: { id: op.opter, name: op.opter_name }, selfService: config.mode === 'self-service' });
      },
    });
    session.onReset(() => eligibility.forgetSession());
    session.onReset(() => idCards.forget());
    const bookings =
      options.bookings ??
      (config.his.bookingsFile ? BookingList.load(config.his.bookingsFile) : config.demo ? BookingList.load(DEMO_BOOKINGS) : BookingList.empty());
    const admission = new AdmissionService(
      ctx,
      eligibility,
      config.his.departmentsFile ? HospitalStructure.load(config.his.departmentsFile) : HospitalStructure.load(),
      config.his.diagnosesFile ? DiagnosisList.load(config.his.diagnosesFile) : DiagnosisList.load(),
      bookings,
    );
    const status = new StatusService(ctx, session, connectivity, operators, () => idCards.readerStatus());
    cleanups.push(() => status.close());
    idCardReaderChanged = status.changed;
    idCards.startHealthChecks();
    connectivity.onChange(status.changed);
    operators.onChange(status.changed);

    const cardReaders =
      options.readerSource ??
      (demo
        ? readerManagerSource(
            demo.reader.link === 'serial'
              ? createReaderManager({ serial: [demo.reader.path], hid: false, log: (level, m) => log[level](m) })
              : createReaderManager({ serial: [], hidOpener: demo.reader.hidOpener, log: (level, m) => log[level](m) }),
          )
        : readerManagerSource(
            createReaderManager({
              serial: config.readers.serial,
              hid: config.readers.hid,
              excludeSerial: config.readers.idcard ? [config.readers.idcard] : [],
              log: (level, m) => log[level](m),
            }),
          ));
    // The HID QR scanner, when one is configured, feeds the same session as the card readers.
    const scannerIds = config.readers.scanner;
    const readers = scannerIds
      ? bothSources(cardReaders, hidScannerSource({ ids: scannerIds, log: log.child('scanner'), ...(options.scannerOpener ? { opener: options.scannerOpener } : {}) }))
      : cardReaders;
    session.attach(readers);
    const unsubscribeStatus = readers.subscribe(() => status.changed());
    cleanups.push(async () => {
      unsubscribeStatus();
      session.detach();
      await readers.close();
    });

    // The card PIN, where the platform asks for it, is checked by the card in this terminal's reader.
    const pin = cardPinVerifier(readers.verifyPin ? (p) => readers.verifyPin!(p) : null, (adm) => {
      const card = session.currentCard();
      return card !== null && card.ssn.toUpperCase() === patientFacts(store, adm, chinaTime(clock.now()).day).certno.toUpperCase();
    });
    const billing = createBillingServices(ctx, { ...(options.pdf ? { pdf: options.pdf } : {}), pin });
    cleanups.push(() => billing.close());
    const payments = await composePayments(ctx, demo, (g) => meteredGateway(g, (op, result, seconds) => metrics.onPaymentCall(op, result, seconds)));
    cleanups.push(() => payments.close());
    const services: KioskServices = {
      system: {
        status: async () => status.status(),
        resetSession: async () => {
          session.reset();
          status.changed();
          return { ok: true as const };
        },
      },
      reader: {
        readers: async () => session.readers(),
        currentCard: async () => session.currentCardView(),
        readIdCard: async ({ waitMs }) => idCards.read(waitMs),
        currentIdCard: async () => idCards.currentView(),
      },
      operator: operators.group(),
      accounts: accountsGroup(new AccountAdmin(operators.accounts), operators),
      eligibility: eligibility.group(),
      admission: admission.group(),
      charges: billing.charges,
      discharge: billing.discharge,
      documents: billing.documents,
      queue: createQueueGroup(ctx),
      reconciliation: billing.reconciliation,
      payments: payments.service.group(),
      refunds: createRefundGroup({ ...ctx, onGatewayRefundQueued: () => payments.service.sweepNow() }),
      demo: demo ? createDemoGroup(demo, connectivity) : demoUnavailableGroup(),
    };
    // Every request is checked against the signed-in operator's roles (contract/access.ts) before it runs.
    dispatcher = new Dispatcher(services, () => operators.principal(), {
      validateResults: true,
      onRefused: (channel, code) => log.warn('request refused by role', { channel, code, operator: operators.principal() }),
      onInternalError: (channel, err) => log.error('internal error', { channel, error: err }),
      explainError: (err) => {
        const corrupt = asCorruption(store.path, err);
        return corrupt instanceof KioskError && corrupt.code === 'STORE_CORRUPT' ? corrupt : null;
      },
    });
    await readers.start?.();
    const running = await startMetrics(config, metrics, log.child('metrics'));
    cleanups.push(() => running.close());
    log.info('terminal ready', { mode: config.mode, demo: demo !== null, hospital: config.hospital.code });

    const parts: TerminalParts = { store, platform, relay, session, connectivity, eligibility, admission, operators, payments: payments.service, demo, platformUrl, metrics, metricsEndpoint: running.endpoint, otlp: running.otlp, services };
    return { dispatcher, loaded, parts, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
