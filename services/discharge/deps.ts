import type { Store } from '../../db/store.ts';
import type { Admission } from '../../db/repositories/admissions.ts';
import type { OutboxEnvelope } from '../../db/outbox/types.ts';
import type { PlatformClient } from '../../insurance/client/platform-client.ts';
import type { Clock } from '../../base/clock.ts';
import type { OperatorPort, OutboxPort } from '../context.ts';
import type { Logger } from '../logging/logger.ts';
import type { Names } from '../charges/fee-upload.ts';
import type { WriteBackTable } from '../sync/write-back.ts';
import type { PinVerifier } from './pin.ts';
import type { SupervisorApproval } from '../operator/approval.ts';

/**
 * 出院结算 as a step machine persisted in the store. Every step's outcome is on disk before the next starts,
 * and each step looks at what is on disk to know whether it still has work, so `settle` called again after a
 * crash or a timeout continues where the last run stopped:
 *
 *   charges-queued   local fee lines → 2301 outbox items (one transaction)
 *   charges-uploaded every open item of the stay is done (2301/2302 results written back by the relay)
 *   discharge-queued endtime + 2402 outbox item (one transaction)
 *   discharged       2402 done (admission status discharged)
 *   presettled       2303 shown to the patient; its breakdown kept in the audit log (what was confirmed)
 *   settle-queued    a pending settlement row and its 2304 outbox item under a new msgid (one transaction)
 *   settled          2304 done: setl_id, split, 多退少补 movement and status, in the relay's transaction
 *
 * Never twice: a stay has at most one live settlement (a unique index), a pending settlement is only ever
 * finished through its own 2304 item, and that item is never resent under its msgid nor replaced by a new one
 * before a 2601 for it has been answered (the relay and the client enforce it: see services/sync/relay.ts).
 */
export type DischargeStep = 'charges-queued' | 'charges-uploaded' | 'discharge-queued' | 'discharged' | 'presettled' | 'settle-queued' | 'settled';

export interface DischargeDeps {
  store: Store;
  platform: PlatformClient;
  outbox: OutboxPort;
  writeBack: WriteBackTable;
  operators: OperatorPort;
  clock: Clock;
  log: Logger;
  names: Names;
  /** Staff desks show signed-in staff full names; the kiosk (a patient's screen) shows them masked. */
  staffScreens: boolean;
  /** Discharge diagnosis names (the ICD-10 list of the admission desk). */
  diagnoses: { get(code: string): { code: string; name: string } | null };
  /** A supervisor's own 工号 and password, checked against the operator accounts (2305 reversal). */
  supervisors: SupervisorApproval;
  /** Checks the patient's PIN against the card when the platform asks for one; null: none on this terminal. */
  pin: PinVerifier | null;
  /** How long one wait for the platform lasts before the caller gets an answer (the work goes on). */
  waitMs?: number;
  /** Called after each step is on disk (tests kill the process here). */
  onStep?: (step: DischargeStep, iptNo: string) => void | Promise<void>;
}

/** The deps every step uses, with the defaults applied once. */
export interface Steps extends DischargeDeps {
  waitMs: number;
  step(s: DischargeStep, iptNo: string): Promise<void>;
  opterNo(): string;
}

export function stepsOf(deps: DischargeDeps): Steps {
  const log = deps.log.child('discharge');
  return {
    ...deps,
    log,
    waitMs: deps.waitMs ?? 60_000,
    async step(s, iptNo) {
      log.info('discharge step', { visit: iptNo, step: s });
      await deps.onStep?.(s, iptNo);
    },
    opterNo: () => deps.operators.current().opter,
  };
}

/** The envelope of the stay's outbox items: its 参保地 and the operator queuing it (write-backs record them). */
export function envelopeOf(d: Steps, adm: Admission): OutboxEnvelope {
  const op = d.operators.current();
  return { insuplc_admdvs: adm.insuplcAdmdvs, opter: op.opter, opter_name: op.opter_name, opter_type: op.opter_type };
}
