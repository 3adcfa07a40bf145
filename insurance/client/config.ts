import type { CsbCredentials } from './csb-gateway.ts';
import type { Operator } from './envelope.ts';

/** Everything the client needs to know about the hospital and the platform. camelCase: this is ours, not the wire. */
export interface PlatformClientConfig {
  /** The platform (in production the hospital's 医保 front end or the CSB gateway), http:// only. */
  url: string;
  /** fixmedins_code (12): also the first 12 characters of every msgid. */
  fixmedinsCode: string;
  fixmedinsName: string;
  /** mdtrtarea_admvs: the hospital's 医保区划 (6 digits). */
  mdtrtareaAdmvs: string;
  /** infver, "V1.0" unless the province says otherwise. */
  infver?: string;
  /** recer_sys_code, "MBS" for the Jiangsu kiosk (ask the vendor). */
  recerSysCode?: string;
  /** fixmedins_soft_fcty, sent only when set (Jiangsu envelopes carry it). */
  fixmedinsSoftFcty?: string;
  /** The operator of calls that name none: the terminal itself (opter_type 2) on a self-service kiosk. */
  operator: Operator;
  /** The 9001 sign-in's ip and mac of this terminal; default: the first external IPv4 interface. */
  signInAddress?: { ip: string; mac: string };
  /** Jiangsu CSB gateway credentials; null or absent = no `_api_*` headers. */
  csb?: CsbCredentials | null;
  timeouts?: {
    /** No TCP connection within this: unreachable (not sent). Default 5 s. */
    connectMs?: number;
    /** Overrides of the per-transaction defaults (infno-catalog.ts: 15 s for reads, 30 s for writes). */
    byInfno?: Partial<Record<string, number>>;
  };
  reversal?: {
    /** Inline 2601 attempts right after an unknown outcome, as delays; default [0, 2000]. */
    inlineDelaysMs?: readonly number[];
    /**
     * Also send a precautionary 2601 after infcode -1 on a reversible transaction. The national DLL reads -1
     * as 系统级别错误 needing 冲正 (nhsa-interface.md §1, §5); 2601 of a transaction that did not take effect is
     * answered with success, so it costs one round trip and removes a double-settlement risk. Default true.
     */
    afterRefusal?: boolean;
  };
  http?: {
    maxSockets?: number;
    /** Idle keep-alive sockets are closed after this (and before the server's Keep-Alive hint). Default 4 s. */
    idleSocketMs?: number;
    /** Larger bodies are a bad response. Default 32 MiB. */
    maxResponseBytes?: number;
  };
}

export const CONFIG_DEFAULTS = {
  infver: 'V1.0',
  recerSysCode: 'MBS',
  connectMs: 5_000,
  inlineDelaysMs: [0, 2_000] as readonly number[],
  afterRefusal: true,
  maxSockets: 8,
  idleSocketMs: 4_000,
  maxResponseBytes: 32 * 1024 * 1024,
} as const;
