/**
 * A terminal process that discharges one stay and reports each step on stdout, for the crash tests: at the
 * step named by KILL_AT it says so and stops there, waiting for the SIGKILL the test sends.
 *   SANDBOX_URL, STORE_PATH, ADMISSION_ID, KILL_AT (a DischargeStep)
 */
import { CALL, openTestTerminal, outcome } from './harness.ts';

const { SANDBOX_URL, STORE_PATH, ADMISSION_ID, KILL_AT } = process.env;
if (!SANDBOX_URL || !STORE_PATH || !ADMISSION_ID || !KILL_AT) {
  console.error('discharge-child: SANDBOX_URL, STORE_PATH, ADMISSION_ID and KILL_AT are required');
  process.exit(2);
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const forever = () => new Promise<never>(() => undefined);

const t = await openTestTerminal({
  platformUrl: SANDBOX_URL,
  storePath: STORE_PATH,
  billing: {
    onStep: async (step) => {
      say(`STEP ${step}`);
      if (step === KILL_AT) {
        say(`WAITING-FOR-KILL ${step}`);
        await forever();
      }
    },
  },
});
say('READY');
try {
  outcome(await t.billing.discharge.preSettle({ admissionId: ADMISSION_ID }, CALL), 'presettled');
  outcome(await t.billing.discharge.settle({ admissionId: ADMISSION_ID }, CALL), 'settled');
  say('DONE');
} catch (e) {
  say(`ERROR ${e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}` : String(e)}`);
}
await forever();
