import { Accounts } from './accounts.ts';
import { Admissions } from './admissions.ts';
import { Counters } from './counters.ts';
import { openStateDatabase, type StateDb } from './database.ts';
import { FeeLines } from './fee-lines.ts';
import { FilingStore } from './filings.ts';
import { Journal } from './journal.ts';
import { Messages } from './messages.ts';
import { PersonOverrides } from './person-overrides.ts';
import { Settlements } from './settlements.ts';
import { SignIns } from './sign-ins.ts';

/** The sandbox's durable state: one SQLite file, one repository per table group. */
export class SandboxState {
  readonly db: StateDb;
  readonly counters: Counters;
  readonly messages: Messages;
  readonly journal: Journal;
  readonly signIns: SignIns;
  readonly admissions: Admissions;
  readonly feeLines: FeeLines;
  readonly settlements: Settlements;
  readonly accounts: Accounts;
  readonly filings: FilingStore;
  readonly overrides: PersonOverrides;

  constructor(path: string) {
    this.db = openStateDatabase(path);
    this.counters = new Counters(this.db);
    this.messages = new Messages(this.db);
    this.journal = new Journal(this.db);
    this.signIns = new SignIns(this.db);
    this.admissions = new Admissions(this.db);
    this.feeLines = new FeeLines(this.db);
    this.settlements = new Settlements(this.db);
    this.accounts = new Accounts(this.db);
    this.filings = new FilingStore(this.db);
    this.overrides = new PersonOverrides(this.db);
  }

  /** Runs fn in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
