import { Dispatcher } from '../contract/dispatcher.ts';
import { KioskError } from '../contract/errors.ts';
import type { KioskServices } from '../contract/api.ts';
import type { LoadedConfig } from './config/load.ts';

/**
 * The composition root: builds every service from the configuration and exposes them through one Dispatcher,
 * which the Electron IPC registration and the browser host both serve.
 */
export interface Terminal {
  dispatcher: Dispatcher;
  loaded: LoadedConfig;
  close(): Promise<void>;
}

export async function createTerminal(loaded: LoadedConfig): Promise<Terminal> {
  const { config } = loaded;
  const notYet = async (): Promise<never> => {
    throw new KioskError('NOT_AVAILABLE', '该功能尚未接入本终端。', ['请联系信息科。']);
  };
  const groupOf = <T>(names: string[]) => Object.fromEntries(names.map((n) => [n, notYet])) as T;
  const services: KioskServices = {
    system: {
      status: async () => ({
        mode: config.mode,
        demo: config.demo,
        hospital: { code: config.hospital.code, name: config.hospital.name, level: config.hospital.level },
        terminalName: config.terminal.name,
        reader: { state: 'none', name: null, message: null },
        platform: { online: false, checkedAt: null },
        queue: { depth: 0, deadLetters: 0, oldestAgeSeconds: null },
        operator: null,
        idleTimeoutSeconds: config.idleTimeoutSeconds,
      }),
      resetSession: async () => ({ ok: true as const }),
    },
    reader: { readers: async () => [], currentCard: async () => null },
    operator: groupOf(['signIn', 'signOut']),
    eligibility: groupOf(['check']),
    admission: groupOf(['departments', 'searchDiagnoses', 'register', 'cancel', 'get', 'list', 'findBooked', 'checkIn', 'addDeposit']),
    charges: groupOf(['searchCatalogue', 'list', 'add', 'import', 'cancelLine', 'upload']),
    discharge: groupOf(['openStays', 'preSettle', 'settle', 'reverse', 'get', 'list']),
    documents: groupOf(['render', 'print']),
    queue: groupOf(['status', 'retry', 'cancel']),
    reconciliation: groupOf(['run']),
    demo: groupOf(['people', 'insertCard', 'removeCard', 'setNetwork']),
  };
  const dispatcher = new Dispatcher(services, {
    validateResults: true,
    onInternalError: (channel, err) => console.error(`[kiosk] internal error in ${channel}:`, err instanceof Error ? err.message : err),
  });
  return { dispatcher, loaded, close: async () => undefined };
}
