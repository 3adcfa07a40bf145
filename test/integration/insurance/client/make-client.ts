import {
  InMemoryMsgidSequence,
  InMemoryReversalJournal,
  InMemorySignInStore,
  PlatformClient,
  selfServiceOperator,
  type PlatformClientConfig,
  type PlatformEvent,
} from '../../../../insurance/client/index.ts';

export const HOSPITAL = { fixmedinsCode: 'H32020000001', fixmedinsName: '无锡市第一人民医院', mdtrtareaAdmvs: '320200' };

export class TestClock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface ClientParts {
  client: PlatformClient;
  msgids: InMemoryMsgidSequence;
  signIns: InMemorySignInStore;
  journal: InMemoryReversalJournal;
  clock: TestClock;
  events: PlatformEvent[];
}

/** A client wired to in-memory stores (or the ones given, to model a restart) and a settable clock. */
export function makeClient(url: string, overrides: Partial<PlatformClientConfig> = {}, shared: Partial<Omit<ClientParts, 'client' | 'events'>> = {}): ClientParts {
  const msgids = shared.msgids ?? new InMemoryMsgidSequence(HOSPITAL.fixmedinsCode);
  const signIns = shared.signIns ?? new InMemorySignInStore();
  const journal = shared.journal ?? new InMemoryReversalJournal();
  const clock = shared.clock ?? new TestClock(new Date('2026-03-02T01:00:00Z'));
  const events: PlatformEvent[] = [];
  const client = new PlatformClient(
    {
      url,
      ...HOSPITAL,
      operator: selfServiceOperator('ZZJ01', '前台终端01'),
      signInAddress: { ip: '127.0.0.1', mac: '00-00-00-00-00-00' },
      reversal: { inlineDelaysMs: [0, 0] },
      ...overrides,
    },
    { msgids, signIns, reversals: journal, clock, sleep: async () => undefined, onEvent: (e) => events.push(e) },
  );
  return { client, msgids, signIns, journal, clock, events };
}

/** What the promise was rejected with, for a test to inspect; a promise that resolves fails the test. */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}
