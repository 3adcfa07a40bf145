import { commands } from './commands/index.ts';
import { UsageError } from './args.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'kiosk — front-desk terminal for Jiangsu hospitals (社保卡 · 异地就医 · 入院登记 · 出院结算)',
    '',
    'Usage: kiosk <command> [options]     kiosk <command> --help for details',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`kiosk: unknown command "${name}". Run \`kiosk --help\` for the list.`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // Operators see one line, never a stack trace; KIOSK_DEBUG=1 shows the stack for developers.
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`kiosk ${name}: ${(err as Error).message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`kiosk ${name}: ${err instanceof Error ? err.message : String(err)}`);
    // A KioskError says what to do next (e.g. how to restore a store): operators need that line too.
    const guidance = (err as { guidance?: unknown }).guidance;
    if (Array.isArray(guidance)) for (const g of guidance) console.error(`  · ${String(g)}`);
    if (process.env.KIOSK_DEBUG) console.error(err);
    return 1;
  }
}
