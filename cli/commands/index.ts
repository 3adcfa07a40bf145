import type { CliCommand } from '../command.ts';
import { serve } from './serve.ts';
import { start } from './start.ts';
import { bench } from './bench.ts';
import { operatorsCommand } from './operators.ts';
import { readCardCommand } from './read-card.ts';
import { readIdCardCommand } from './read-idcard.ts';
import { virtualReaderCommand } from './virtual-reader.ts';
import { queueCommand } from './queue.ts';
import { storeCommand } from './store.ts';
import { personCommand } from './person.ts';
import { dayEndCommand } from './day-end.ts';
import { eligibilityCommand } from './eligibility.ts';
import { sandboxCommand } from './sandbox.ts';
import { paymentSandboxCommand } from './payment-sandbox.ts';

/** Every `kiosk` subcommand, one file each. Keep this list sorted by how often an operator needs it. */
export const commands: CliCommand[] = [start, serve, readCardCommand, readIdCardCommand, eligibilityCommand, queueCommand, dayEndCommand, storeCommand, personCommand, operatorsCommand, bench, sandboxCommand, paymentSandboxCommand, virtualReaderCommand];
