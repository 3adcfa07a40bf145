import type { Migration } from './migration.ts';
import { migration001 } from './001-core-tables.ts';
import { migration002 } from './002-msgid-sequence.ts';
import { migration003 } from './003-outbox.ts';
import { migration004 } from './004-audit-log.ts';
import { migration005 } from './005-reversal-journal.ts';
import { migration006 } from './006-outbox-due-index.ts';
import { migration007 } from './007-outbox-operator-holds.ts';
import { migration008 } from './008-reversal-attempt-outcome.ts';
import { migration009 } from './009-payment-orders.ts';
import { migration010 } from './010-balance-due-orders.ts';
import { migration011 } from './011-refund-states.ts';
import { migration012 } from './012-operator-accounts.ts';
import { migration013 } from './013-operator-last-sign-in.ts';
import { migration014 } from './014-audit-by-subject.ts';
import { migration015 } from './015-deposit-voids.ts';
import { migration016 } from './016-outbox-payloads.ts';
import { migration017 } from './017-outbox-fewer-pages.ts';

/** Every migration in order. Append only: a released file is never edited, renumbered or removed. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017];

export type { Migration } from './migration.ts';
