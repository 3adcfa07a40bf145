import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_CANDIDATES } from '../../../services/browser/chromium.ts';

/**
 * The bare-machine promise: with no system Chromium and no system font, PDFs still render, with the Chromium
 * that `npm install` brought (@sparticuz/chromium) and the CJK font the document carries. The proof runs in a
 * mount namespace (unshare -m, root): an empty, non-executable file is bind-mounted over every system
 * Chromium and an empty tmpfs over /usr/share/fonts, so nothing installed on this machine can help.
 * Needs root and util-linux's unshare: outside CI a machine without them skips loudly; in CI it fails.
 */
const PROBE = join(import.meta.dirname, 'bare-probe.ts');
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
const inCi = process.env.CI === 'true' || process.env.CI === '1';
if (!canUnshare && !inCi) console.warn('\n!!!!! SKIPPED: bare-machine test (needs root and unshare -m to hide the system Chromium)\n');

describe.runIf(canUnshare || inCi)('a machine with no system Chromium and no system fonts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-bare-'));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a Chinese PDF with the bundled Chromium and the embedded Noto Sans SC', () => {
    expect(canUnshare, 'this test needs root and `unshare -m` (util-linux)').toBe(true);
    const hide = [
      ...SYSTEM_CANDIDATES.filter((p) => existsSync(p)).map((p) => `mount --bind ${empty} ${p}`),
      ...(existsSync('/usr/share/fonts') ? ['mount -t tmpfs tmpfs /usr/share/fonts'] : []),
      // Prove the hiding worked before the probe runs: no Chromium can start, fontconfig sees no font.
      ...SYSTEM_CANDIDATES.filter((p) => existsSync(p)).map((p) => `! ${p} --version >/dev/null 2>&1`),
    ];
    const script = `set -e; ${hide.join('; ')}; exec "${process.execPath}" --import tsx "${PROBE}"`;
    const env: NodeJS.ProcessEnv = { ...process.env, KIOSK_CHROMIUM_CACHE: dir };
    delete env.KIOSK_CHROMIUM_PATH;
    delete env.KIOSK_CHROMIUM;
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, `probe failed: ${r.stderr}`).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { source: string; executablePath: string; pdfHeader: string; fonts: string[] };
    expect(out.source).toBe('bundled');
    expect(out.executablePath.startsWith(dir)).toBe(true);
    expect(out.pdfHeader).toBe('%PDF-');
    expect(out.fonts.some((f) => /NotoSansSC/i.test(f))).toBe(true);
  });
});
