import { createInterface } from 'node:readline';

/**
 * Reads one line from stdin without echoing it when stdin is a terminal (a password). From a pipe it reads the
 * next line, so scripts can feed it; several calls read successive lines.
 */
let piped: Promise<string[]> | null = null;

export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    piped ??= new Promise((resolve) => {
      let text = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c: string) => (text += c));
      process.stdin.on('end', () => resolve(text.split(/\r?\n/)));
    });
    return (await piped).shift() ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(prompt);
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
  rl.close();
  process.stderr.write('\n');
  return line;
}

/** A new password typed twice (a terminal) or once (a pipe). */
export async function readNewPassword(): Promise<string> {
  const first = await readSecret('新密码：');
  if (!process.stdin.isTTY) return first;
  const again = await readSecret('再次输入新密码：');
  if (again !== first) throw new Error('两次输入的密码不一致。');
  return first;
}
