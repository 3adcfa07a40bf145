import type { EcJournal } from './ec/ec-vouchers.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActiveFault, FaultSpec } from './http/faults.ts';
import { startSandbox, type SandboxHandle, type SandboxOptions } from './index.ts';
import type { JournalEntry } from './state/journal.ts';
import type { FilingRecord, RegistrationRecord } from './world/world.ts';

/**
 * A sandbox for tests (teammates' and ours): a temporary state file, port 0, a fixed clock, and typed
 * helpers over the admin API. Every call goes over real HTTP on 127.0.0.1.
 */

/** The default test clock: inside every default filing's validity, after the expired card's 有效期. */
export const TEST_NOW = '2026-11-20T10:00:00+08:00';

export interface TestSandboxOptions {
  now?: string;
  /** Default true: the clock stays at `now` until a test moves it. */
  frozen?: boolean;
  fixturesPath?: string;
  seed?: number;
  /** Default: a fresh temporary file, removed by close(). */
  statePath?: string;
  port?: number;
}

export class AdminRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

export interface NewFilingInput {
  psn_no: string;
  dcla_type: '01' | '02' | '03' | '04' | '05';
  mdtrtarea_admdvs: string;
  begndate: string;
  enddate?: string | null;
  crte_time?: string;
  trt_dcla_detl_sn?: string;
}

export interface NewRegistrationInput {
  psn_no: string;
  trt_admdvs: string;
  insu_admdvs?: string;
  card_sn?: string;
  begndate?: string;
  reg_id?: string;
}

export interface PersonFactsInput {
  cards?: { card_sn: string; status: 'normal' | 'not-activated' | 'temp-lost' | 'lost' | 'cancelled' | 'replaced' }[];
  insurances?: { insutype: string; psn_insu_stas?: string; balcFen?: number }[];
  /** The platform asks for the card PIN before this person's 2304. */
  pin_at_settlement?: boolean;
}

export interface SandboxAdmin {
  setClock(now: string, frozen?: boolean): Promise<{ now: string; china: string; frozen: boolean }>;
  clock(): Promise<{ now: string; china: string; frozen: boolean }>;
  addFault(spec: FaultSpec): Promise<ActiveFault>;
  faults(): Promise<ActiveFault[]>;
  clearFaults(seed?: number): Promise<void>;
  journal(filter?: { psn_no?: string; mdtrt_id?: string; infno?: string; after?: number }): Promise<JournalEntry[]>;
  addFiling(f: NewFilingInput): Promise<FilingRecord>;
  cancelFiling(sn: string): Promise<void>;
  addRegistration(r: NewRegistrationInput): Promise<RegistrationRecord>;
  cancelRegistration(regId: string): Promise<void>;
  setPersonFacts(psnNo: string, facts: PersonFactsInput): Promise<Record<string, unknown>>;
  person(psnNo: string): Promise<Record<string, unknown>>;
  /** The patient's phone: a fresh 医保电子凭证 QR code for a people.json key (valid 60 s, one decode). */
  voucherQr(key: string): Promise<{ qrCode: string; expiresAt: string }>;
  /** What the e-voucher decode service saw, and every 01 credential a transaction carried. */
  ecJournal(): Promise<EcJournal>;
}

export interface TestSandbox {
  url: string;
  /** The national endpoint: url + /fsi/api/rsfComIfsService/callService. */
  endpoint: string;
  statePath: string;
  admin: SandboxAdmin;
  /** psn_no of a people.json key in the loaded world. */
  psnNo(key: string): string;
  /** Stops and starts again on the same state file (and, when free, the same port). */
  restart(): Promise<TestSandbox>;
  close(): Promise<void>;
}

export function sandboxAdmin(url: string): SandboxAdmin {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new AdminRequestError(res.status, json.error ?? `${method} ${path}: HTTP ${res.status}`);
    return json;
  }
  return {
    setClock: (now, frozen = true) => call('POST', '/admin/clock', { now, frozen }),
    clock: () => call('GET', '/admin/clock'),
    addFault: async (spec) => (await call<{ fault: ActiveFault }>('POST', '/admin/faults', spec)).fault,
    faults: async () => (await call<{ faults: ActiveFault[] }>('GET', '/admin/faults')).faults,
    clearFaults: async (seed) => void (await call('POST', '/admin/faults/clear', seed === undefined ? {} : { seed })),
    voucherQr: (key) => call('POST', '/admin/ec/qr', { key }),
    ecJournal: () => call('GET', '/admin/ec/journal'),
    journal: async (f = {}) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(f)) if (v !== undefined) q.set(k, String(v));
      return (await call<{ entries: JournalEntry[] }>('GET', `/admin/journal${q.size ? `?${q}` : ''}`)).entries;
    },
    addFiling: async (f) => (await call<{ filing: FilingRecord }>('POST', '/admin/filings', f)).filing,
    cancelFiling: async (sn) => void (await call('POST', `/admin/filings/${encodeURIComponent(sn)}/cancel`, {})),
    addRegistration: async (r) => (await call<{ registration: RegistrationRecord }>('POST', '/admin/registrations', r)).registration,
    cancelRegistration: async (id) => void (await call('POST', `/admin/registrations/${encodeURIComponent(id)}/cancel`, {})),
    setPersonFacts: (psnNo, facts) => call('POST', `/admin/persons/${encodeURIComponent(psnNo)}/facts`, facts),
    person: (psnNo) => call('GET', `/admin/persons/${encodeURIComponent(psnNo)}`),
  };
}

export async function startTestSandbox(opts: TestSandboxOptions = {}): Promise<TestSandbox> {
  const tempDir = opts.statePath ? null : mkdtempSync(join(tmpdir(), 'kiosk-sandbox-'));
  const statePath = opts.statePath ?? join(tempDir!, 'sandbox-state.sqlite');
  const base: SandboxOptions = {
    now: opts.now ?? TEST_NOW,
    frozen: opts.frozen ?? true,
    statePath,
    ...(opts.fixturesPath !== undefined ? { fixturesPath: opts.fixturesPath } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  };
  const wrap = (h: SandboxHandle): TestSandbox => {
    const byKey = new Map([...h.world.persons.values()].map((p) => [p.key, p.psnNo]));
    return {
      url: h.url,
      endpoint: `${h.url}/fsi/api/rsfComIfsService/callService`,
      statePath,
      admin: sandboxAdmin(h.url),
      psnNo(key) {
        const p = byKey.get(key);
        if (!p) throw new Error(`no person with key ${key} in the sandbox world`);
        return p;
      },
      async restart() {
        // The clock carries over (a test that moved it keeps its day); everything else comes from the state file.
        const clock = await sandboxAdmin(h.url).clock();
        await h.close();
        // Let in-process HTTP clients see their keep-alive sockets close before a new server takes the port;
        // otherwise the next request can go out on a dead pooled socket ("other side closed").
        await new Promise((r) => setTimeout(r, 50));
        const again: SandboxOptions = { ...base, now: clock.now, frozen: clock.frozen };
        let next: SandboxHandle;
        try {
          next = await startSandbox({ ...again, port: h.port });
        } catch {
          next = await startSandbox({ ...again, port: 0 });
        }
        return wrap(next);
      },
      async close() {
        await h.close();
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      },
    };
  };
  return wrap(await startSandbox({ ...base, port: opts.port ?? 0 }));
}
