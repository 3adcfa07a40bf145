import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.ts';

/** Runs every test/bench/*.bench.ts in turn and prints one JSON object: { area: figures }. */
export async function runBenches(only?: string[]): Promise<Record<string, unknown>> {
  const dir = join(repoRoot, 'test', 'bench');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const out: Record<string, unknown> = {};
  for (const f of files) {
    const area = f.replace(/\.bench\.ts$/, '');
    if (only?.length && !only.includes(area)) continue;
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run?: () => Promise<Record<string, unknown>> };
    if (typeof mod.run !== 'function') throw new Error(`${f} does not export run()`);
    process.stderr.write(`bench: ${area}…\n`);
    out[area] = await mod.run();
  }
  return out;
}
