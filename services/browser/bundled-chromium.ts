import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';

/**
 * The headless Chromium that ships inside the npm package @sparticuz/chromium (Linux x64 only: its arm64 build
 * is not in the package). The package holds brotli-compressed files: the browser, the NSS libraries it links
 * (al2023.tar.br) and a Latin font. We inflate them once per version into a cache folder and point
 * LD_LIBRARY_PATH at the libraries, so the binary needs nothing from the system but libc. We inflate
 * ourselves rather than call the package's executablePath(): that one always writes to /tmp/chromium (shared
 * by every version and user) and loads the libraries only on AWS Lambda.
 */
export interface BundledChromium {
  executablePath: string;
  /** Environment for the browser process: the bundled libraries and fonts. */
  env: Record<string, string>;
}

export function bundledChromiumSupported(platform = process.platform, arch = process.arch): boolean {
  return platform === 'linux' && arch === 'x64';
}

/** Whether this platform has a bundled build and the package is installed (nothing is inflated). */
export function bundledChromiumPresent(): boolean {
  return bundledChromiumSupported() && packageBin() !== null;
}

/** The package's bin folder and version, or null when the package is not installed. */
function packageBin(): { bin: string; version: string } | null {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  } catch {
    return null;
  }
  // entry = <pkg>/build/cjs/index.cjs
  const root = dirname(dirname(dirname(entry)));
  const bin = join(root, 'bin');
  if (!existsSync(join(bin, 'chromium.br'))) return null;
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { bin, version };
}

const inflateFile = (from: string, to: string) => pipeline(createReadStream(from), createBrotliDecompress(), createWriteStream(to, { mode: 0o755 }));
const inflateTar = (from: string, to: string) => pipeline(createReadStream(from), createBrotliDecompress(), extract(to));

function fontsConf(dir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${join(dir, 'fontconfig-cache')}</cachedir>
</fontconfig>
`;
}

function launchEnv(dir: string): Record<string, string> {
  const libs = join(dir, 'al2023', 'lib');
  const prior = process.env.LD_LIBRARY_PATH;
  return { LD_LIBRARY_PATH: prior ? `${libs}:${prior}` : libs, FONTCONFIG_FILE: join(dir, 'fonts.conf') };
}

/**
 * Inflates the bundled Chromium (about 3 s the first time, then instant) and says how to launch it; null when
 * this platform has no bundled build or the package is missing. Several processes may race here (test files,
 * terminals): each inflates into its own temporary folder and renames it into place; the loser discards its copy.
 */
export async function bundledChromium(cacheRoot = process.env.KIOSK_CHROMIUM_CACHE ?? tmpdir()): Promise<BundledChromium | null> {
  if (!bundledChromiumSupported()) return null;
  const pkg = packageBin();
  if (!pkg) return null;
  const dir = join(cacheRoot, `kiosk-chromium-${pkg.version}-${process.getuid?.() ?? 0}`);
  const executablePath = join(dir, 'chromium');
  if (existsSync(join(dir, 'complete'))) return { executablePath, env: launchEnv(dir) };
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    await Promise.all([
      inflateFile(join(pkg.bin, 'chromium.br'), join(tmp, 'chromium')),
      inflateTar(join(pkg.bin, 'al2023.tar.br'), join(tmp, 'al2023')),
      inflateTar(join(pkg.bin, 'fonts.tar.br'), join(tmp, 'fonts')),
    ]);
    writeFileSync(join(tmp, 'fonts.conf'), fontsConf(dir));
    writeFileSync(join(tmp, 'complete'), `${pkg.version}\n`);
    // The folder appears whole or not at all; if another process renamed its copy first, this rename fails.
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process finished first: use its copy.
    if (existsSync(join(dir, 'complete'))) return { executablePath, env: launchEnv(dir) };
    throw e;
  }
  return { executablePath, env: launchEnv(dir) };
}
