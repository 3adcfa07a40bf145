import { join } from 'node:path';

/**
 * Builds the screens (dist/renderer) from the current source before a bench that loads them: a fresh clone
 * has no bundle (the payments bench then waited 20 s for a screen that was never served), and an old bundle
 * would measure screens that are not the code under test.
 */
export async function buildRenderer(root = process.cwd()): Promise<string> {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'silent' });
  return join(root, 'dist', 'renderer');
}
