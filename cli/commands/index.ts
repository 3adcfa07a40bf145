import type { CliCommand } from '../command.ts';

/** Every `kiosk` subcommand, one file each. Keep this list sorted by how often an operator needs it. */
export const commands: CliCommand[] = [];
