/** One `kiosk` subcommand. Each lives in its own file under cli/commands/ and is listed in cli/commands/index.ts. */
export interface CliCommand {
  name: string;
  /** One line for `kiosk --help`. */
  summary: string;
  /** Full usage text for `kiosk <name> --help`. */
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[]): Promise<number>;
}
