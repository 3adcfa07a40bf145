import { createInterface } from 'node:readline';
import type { CliCommand } from '../command.ts';
import { hashSupervisorPassword } from '../../services/discharge/supervisors.ts';

/** Reads one line from stdin without echoing it when stdin is a terminal. */
async function readSecret(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    process.stderr.write(prompt);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  return line;
}

export const supervisorHash: CliCommand = {
  name: 'supervisor-hash',
  summary: 'Hash a supervisor password for the `supervisors` configuration (settlement reversal)',
  usage: `Usage: kiosk supervisor-hash <opterNo> <name>

Reads the password from stdin (not echoed on a terminal) and prints the configuration entry
{ "opterNo", "name", "passwordHash" } to add to "supervisors". The password itself is never stored.`,
  async run(argv) {
    const [opterNo, name] = argv.filter((a) => !a.startsWith('-'));
    if (!opterNo || !name) {
      console.error(this.usage);
      return 2;
    }
    const password = await readSecret('密码：');
    if (password.length < 6) {
      console.error('密码至少6位。');
      return 2;
    }
    console.log(JSON.stringify({ opterNo, name, passwordHash: hashSupervisorPassword(password) }, null, 2));
    return 0;
  },
};
