import type { CliCommand } from '../command.ts';
import { runBenches } from '../bench-runner.ts';

export const bench: CliCommand = {
  name: 'bench',
  summary: 'Measure performance (what `npm run bench` runs); prints JSON figures with their floors',
  usage: `Usage: kiosk bench [area …]

Runs test/bench/<area>.bench.ts (all of them without arguments) and prints one JSON object. Every figure is a
ratio against a floor or a peer measured in the same run, so results compare across machines.`,
  async run(argv) {
    const figures = await runBenches(argv.filter((a) => !a.startsWith('-')));
    console.log(JSON.stringify(figures, null, 2));
    return 0;
  },
};
