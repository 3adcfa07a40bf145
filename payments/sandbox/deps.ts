import type { PaymentFaults } from './faults.ts';
import type { Notifier } from './notifier.ts';
import type { TradeBook } from './trade-book.ts';

/** What the sandbox's routes share: its keys, books, fault injector, notifier and clock. */
export interface SandboxDeps {
  appId: string;
  appPublicKey: string;
  alipayPrivateKey: string;
  alipayPublicKey: string;
  book: TradeBook;
  faults: PaymentFaults;
  notifier: Notifier;
  statementDir: string;
  baseUrl: () => string;
  now: () => Date;
}
