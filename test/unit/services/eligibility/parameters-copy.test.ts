import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The terminal decides eligibility from its bundled copy of the sandbox rulebook's numbers. The normative file
 * lives in shared/ beside the repository (CI checks it out there); the copy must not drift from it.
 */
const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const normative = join(repoRoot, '..', 'shared', 'policy', 'parameters.json');

describe('bundled eligibility parameters', () => {
  it('equal shared/policy/parameters.json', () => {
    if (!existsSync(normative)) throw new Error(`missing prerequisite: ${normative} (shared/ must sit beside the repository)`);
    const bundled = JSON.parse(readFileSync(join(repoRoot, 'services', 'eligibility', 'policy', 'parameters.json'), 'utf8')) as unknown;
    expect(bundled).toEqual(JSON.parse(readFileSync(normative, 'utf8')));
  });
});
