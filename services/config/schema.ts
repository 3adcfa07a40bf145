import { z } from 'zod';
import { PASSWORD_HASH_PATTERN } from '../security/passwords.ts';

/**
 * The terminal's one configuration file. Every field has a demo default, so `npm start` needs no file at all.
 * Documented in README.md (Configuration reference); keep the two in step.
 */
export const TerminalConfig = z
  .object({
    /** 入院登记 desk, 自助服务 kiosk, or 出院结算 counter. */
    mode: z.enum(['admission', 'self-service', 'discharge']).default('admission'),
    /** Demo mode starts the sandbox platform and the virtual reader and shows the demo panel. */
    demo: z.boolean().default(true),
    hospital: z
      .object({
        code: z.string().length(12).default('H32020000001'), // fixmedins_code
        name: z.string().min(1).default('无锡市第一人民医院'),
        level: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
        admdvs: z.string().regex(/^\d{6}$/).default('320200'), // mdtrtarea_admvs
        /** Networked for 省内异地就医直接结算 / 跨省异地就医直接结算 (settlement-rules §1–2). */
        networkedInProvince: z.boolean().default(true),
        networkedCrossProvince: z.boolean().default(true),
        /**
         * Where patients are sent, named on screens and in guidance: the window that takes and refunds money,
         * the 医保 window (备案, 零星报销 questions) and the hospital's 医保 phone.
         */
        help: z
          .object({
            cashierWindow: z.string().min(1).max(40).default('住院收费处'),
            /** Where cash refunds are handed out (退费凭条, kiosk, counter); unset = the cashier window. */
            cashRefundWindow: z.string().min(1).max(40).optional(),
            insuranceWindow: z.string().min(1).max(40).default('门诊大厅医保服务窗口'),
            phone: z.string().max(40).default('0510-12345678'),
          })
          .prefault({}),
      })
      .prefault({}),
    terminal: z
      .object({
        name: z.string().min(1).max(50).default('前台终端01'),
        /** Local 住院号 prefix (1–4 capitals): give each terminal of a hospital its own, so their numbers never collide. */
        iptNoPrefix: z.string().regex(/^[A-Z]{1,4}$/).default('ZY'),
        /** This terminal's id in logs and metrics (fleet dashboards name the desk by it); null = the host name. */
        id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).nullable().default(null),
        /** opter for self-service calls (opter_type 2): the terminal's own number. */
        selfServiceOpterNo: z.string().min(1).max(20).default('ZZJ01'),
        /**
         * Several terminals of one hospital share its fixmedins_code, so their msgids (code + second + 4-digit
         * counter) could collide: each terminal takes its own slice of the counter (index of count).
         */
        msgidPartition: z
          .object({ index: z.number().int().min(0).max(99), count: z.number().int().min(1).max(100) })
          .refine((p) => p.index < p.count, { message: 'index must be below count' })
          .default({ index: 0, count: 1 }),
      })
      .prefault({}),
    platform: z
      .object({
        /** Production: the hospital's 医保 front end. Empty in demo mode: the bundled sandbox is started. */
        url: z.string().url().nullable().default(null),
        infver: z.string().default('V1.0'),
        recerSysCode: z.string().max(10).default('MBS'),
        timeoutMs: z.number().int().min(1000).max(180_000).default(30_000),
        /** The e-voucher decode service (ec.query); null: beside the platform, same origin, /ec/query. */
        ecQueryUrl: z.string().url().nullable().default(null),
        csb: z
          .object({ apiName: z.string(), apiVersion: z.string(), accessKey: z.string(), secretKey: z.string() })
          .nullable()
          .default(null),
      })
      .prefault({}),
    readers: z
      .object({
        /** Serial ports to use, or "auto" to probe every port with Escape 02. */
        serial: z.union([z.literal('auto'), z.array(z.string())]).default('auto'),
        /** The ID card reader's serial port (RS-232 or USB-serial bridge, idcard-link.md), or null: none. */
        idcard: z.string().min(1).nullable().default(null),
        hid: z
          .union([z.literal(false), z.object({ vid: z.number().int().min(0).max(0xffff), pid: z.number().int().min(0).max(0xffff) })])
          .default({ vid: 0x1209, pid: 0x0001 }),
        /**
         * The USB-HID POS QR scanner (usage page 0x8C) for 医保电子凭证 codes, by its USB ids; false = none (a
         * keyboard-wedge scanner needs no configuration: the renderer tells it from typing). Scanner models
         * differ in their ids, so there is no default device: read them with \`lsusb\` and set them here.
         */
        scanner: z
          .union([z.literal(false), z.object({ vid: z.number().int().min(0).max(0xffff), pid: z.number().int().min(0).max(0xffff) })])
          .default(false),
      })
      .prefault({}),
    store: z
      .object({
        /** SQLite file; relative paths are resolved against the data directory. */
        path: z.string().default('kiosk.sqlite'),
        /** Offline eligibility from a snapshot younger than this. */
        eligibilityCacheMaxAgeMinutes: z.number().int().min(0).max(7 * 24 * 60).default(24 * 60),
        /** Personal data older than this is purged, except what accounting must keep. */
        retentionDays: z.number().int().min(30).max(3650).default(365),
        /** Spooled PDFs (names and ID numbers in them) are deleted when older than this (issue 15). */
        spoolRetentionDays: z.number().int().min(1).max(90).default(7),
        /**
         * Where the store and audit keys are protected (docs/security.md): `os` = the OS keystore through
         * Electron's safeStorage when the terminal runs in Electron (a key file elsewhere); `file` = always a
         * key file readable by the service account only, in the `keys` folder beside the store.
         */
        keyStore: z.enum(['os', 'file']).default('os'),
      })
      .prefault({}),
    host: z
      .object({
        /** Browser host port (127.0.0.1 only). */
        port: z.number().int().min(0).max(65535).default(5170),
      })
      .prefault({}),
    printer: z
      .object({
        /** System printer name; null = the default printer. */
        name: z.string().nullable().default(null),
        receiptMedia: z.enum(['roll-80mm', 'a4']).default('roll-80mm'),
      })
      .prefault({}),
    his: z
      .object({
        /** Departments, wards, beds and doctors (docs/his-departments.md); null = the bundled demo hospital. */
        departmentsFile: z.string().nullable().default(null),
        /** Admission diagnoses, `code<TAB>name` per line; null = the bundled ICD-10 subset. */
        diagnosesFile: z.string().nullable().default(null),
        /** Booked admissions for self-service check-in (docs/his-departments.md); null = none (demo: bundled). */
        bookingsFile: z.string().nullable().default(null),
        /** The 医保目录 copy for manual fee entry (services/charges/catalogue.ts format); null = the bundled one. */
        catalogueFile: z.string().nullable().default(null),
      })
      .prefault({}),
    /**
     * The payment gateway (docs/payments.md): Alipay's open API. null = no QR payment at this terminal (demo
     * mode: the bundled payment sandbox, with keys made at start).
     */
    payments: z
      .object({
        alipay: z
          .object({
            gatewayUrl: z.string().url(),
            appId: z.string().regex(/^\d{16}$/),
            /** PEM files: the application's private key, Alipay's public key (from the open-platform console). */
            appPrivateKeyFile: z.string().min(1),
            alipayPublicKeyFile: z.string().min(1),
            /** Where the gateway posts notifications (the hospital's front server); null = polling only. */
            notifyUrl: z.string().url().nullable().default(null),
            timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
          })
          .nullable()
          .default(null),
      })
      .prefault({}),
    /**
     * Operator accounts (docs/security.md): who may sign in at the staff desks, with their roles and a scrypt
     * hash of their password (`kiosk operators hash`), never the password. Written into the store at every
     * start; accounts can also come from an HIS staff export (`kiosk operators import`) or `kiosk operators add`.
     * Demo mode adds its demo accounts (one per role) beside these.
     */
    operators: z
      .array(
        z
          .object({
            opterNo: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/),
            name: z.string().min(1).max(50),
            roles: z.array(z.enum(['clerk', 'cashier', 'supervisor', 'technician'])).min(1).max(4),
            passwordHash: z.string().regex(PASSWORD_HASH_PATTERN).nullable().default(null),
            disabled: z.boolean().optional(),
          })
          .strict(),
      )
      .max(5000)
      .default([]),
    /**
     * Deprecated (before operator accounts): supervisors who may approve a reversal. Still loaded, as accounts
     * with the supervisor role, with a warning at start; move each entry to `operators` with
     * `"roles": ["supervisor"]` (the same opterNo, name and passwordHash).
     */
    supervisors: z
      .array(z.object({ opterNo: z.string().min(1).max(20), name: z.string().min(1).max(50), passwordHash: z.string().regex(PASSWORD_HASH_PATTERN) }))
      .max(100)
      .default([]),
    idleTimeoutSeconds: z.number().int().min(15).max(3600).default(90),
    /**
     * Central configuration (docs/central-config.md): the hospital serves this terminal's configuration at `url`;
     * it is used only when its integrity checks — the body's SHA-256 pinned here, or a signature in the
     * `X-Kiosk-Signature` header by the hospital's Ed25519 key or an HMAC-SHA256 key given here. A bad or
     * unreachable remote never replaces a good one: the last verified copy is kept in the data directory.
     * Only this local file can set `central` (the trust anchor).
     */
    central: z
      .object({
        url: z.string().url().nullable().default(null),
        /** hex SHA-256 of the exact body (pins one configuration version). */
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable().default(null),
        /** The hospital's Ed25519 public key, PEM (SPKI). */
        ed25519PublicKey: z.string().min(40).nullable().default(null),
        /** Shared HMAC-SHA256 key (32+ characters). */
        hmacKey: z.string().min(32).nullable().default(null),
        timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
      })
      .refine((c) => c.url === null || c.sha256 !== null || c.ed25519PublicKey !== null || c.hmacKey !== null, {
        message: 'central.url needs central.sha256, central.ed25519PublicKey or central.hmacKey',
        path: ['url'],
      })
      .prefault({}),
    /** Software updates (electron-updater, generic provider): installed only when the terminal is idle. */
    updates: z
      .object({
        /** The hospital's update server (latest.yml + installers); null = the URL built in (electron-builder.yml). */
        url: z.string().url().nullable().default(null),
        enabled: z.boolean().default(true),
        checkIntervalMinutes: z.number().int().min(5).max(7 * 24 * 60).default(60),
        /** Minutes without any platform or payment call before an update may install. */
        idleMinutes: z.number().int().min(1).max(24 * 60).default(10),
      })
      .prefault({}),
    /**
     * Metrics for the hospital's monitoring (docs/observability.md): Prometheus text at /metrics and a health
     * check at /health, on loopback unless `host` names a LAN address (then `token` is required), and OTLP/HTTP
     * pushes to the hospital's collector when `otlp.url` is set.
     */
    metrics: z
      .object({
        enabled: z.boolean().default(true),
        host: z.string().min(1).default('127.0.0.1'),
        /** 9464 is OpenTelemetry's Prometheus exporter port; 0 picks a free one. */
        port: z.number().int().min(0).max(65535).default(9464),
        /** Bearer token for /metrics and /health; required off loopback. */
        token: z.string().min(16).max(200).nullable().default(null),
        otlp: z
          .object({
            /** e.g. http://otel-collector.hospital.lan:4318/v1/metrics */
            url: z.string().url().nullable().default(null),
            intervalSeconds: z.number().int().min(5).max(3600).default(60),
            headers: z.record(z.string(), z.string()).default({}),
          })
          .prefault({}),
      })
      .refine((m) => isLoopback(m.host) || m.token !== null, { message: 'a LAN address needs metrics.token (16+ characters)', path: ['token'] })
      .prefault({}),
    audit: z
      .object({
        /**
         * The hospital's syslog collector (RFC 5424 over UDP or TCP): the audit chain's head and its verification
         * are sent there at start and at day-end, so a rewritten or shortened chain is caught against a copy the
         * terminal cannot change (docs/security.md). null = not sent.
         */
        syslog: z
          .object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).default(514), protocol: z.enum(['udp', 'tcp']).default('udp') })
          .nullable()
          .default(null),
      })
      .prefault({}),
  })
  .strict();

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export type TerminalConfig = z.infer<typeof TerminalConfig>;
