import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const afterPack = require('../../../../scripts/packaging/after-pack-fuses.cjs') as ((context: unknown, deps?: unknown) => Promise<void>) & {
  KIOSK_FUSES: Record<string, boolean>;
};
const { SENTINEL, FuseState } = require('@electron/fuses/dist/constants') as { SENTINEL: string; FuseState: Record<string, number> };
const fuses = require('@electron/fuses') as { getCurrentFuseWire(path: string): Promise<Record<string, unknown>> };

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kiosk-fuses-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for the Electron executable: filler bytes around the fuse wire exactly as Electron lays it out
 * (sentinel, wire version 1, wire length, one byte per fuse). The real @electron/fuses flips it.
 */
function fakeElectronBinary(path: string, wire: number[]) {
  const body = Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, wire.length, ...wire]), Buffer.alloc(4096, 0xcc)]);
  writeFileSync(path, body);
  return body.length;
}

const E = () => FuseState.ENABLE!;
const D = () => FuseState.DISABLE!;
const linuxContext = (appOutDir: string) => ({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'jiangsu-kiosk', appInfo: { productFilename: 'JiangsuKiosk' } } });

describe('afterPack fuses hook', () => {
  it('flips every kiosk fuse on the packed Linux binary and verifies them', async () => {
    const binary = join(dir, 'jiangsu-kiosk');
    // Electron's shipped defaults: RunAsNode, cookie encryption off, NODE_OPTIONS, inspect on, …, plus a 9th
    // fuse this @electron/fuses version does not know (newer Electron), which must be left alone.
    const size = fakeElectronBinary(binary, [E(), D(), E(), E(), D(), D(), D(), E(), E()]);
    await afterPack(linuxContext(dir));
    const wire = await fuses.getCurrentFuseWire(binary);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => wire[i])).toEqual([D(), E(), D(), D(), E(), E(), D(), D(), E()]);
    expect(readFileSync(binary).length).toBe(size); // patched in place, nothing else touched
  });

  it('finds the Windows executable by product file name', async () => {
    const binary = join(dir, 'JiangsuKiosk.exe');
    fakeElectronBinary(binary, [E(), D(), E(), E(), D(), D(), D(), E()]);
    await afterPack({ appOutDir: dir, electronPlatformName: 'win32', arch: 1, packager: { appInfo: { productFilename: 'JiangsuKiosk' } } });
    const wire = await fuses.getCurrentFuseWire(binary);
    expect(wire[0]).toBe(D());
    expect(wire[5]).toBe(E());
  });

  it('fails the build when the binary has no fuse wire', async () => {
    writeFileSync(join(dir, 'jiangsu-kiosk'), Buffer.alloc(1024));
    await expect(afterPack(linuxContext(dir))).rejects.toThrow(/sentinel/i);
  });

  it('fails the build when a fuse does not read back as required', async () => {
    const binary = join(dir, 'jiangsu-kiosk');
    fakeElectronBinary(binary, [E(), D(), E(), E(), D(), D(), D(), E()]);
    const noOp = { flipFuses: async () => 1, getCurrentFuseWire: fuses.getCurrentFuseWire };
    await expect(afterPack(linuxContext(dir), noOp)).rejects.toThrow(/RunAsNode should be off.*OnlyLoadAppFromAsar should be on/);
  });

  it('sets exactly the fuses the issue asks for', () => {
    const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
    const named = Object.fromEntries(Object.entries(afterPack.KIOSK_FUSES).map(([i, v]) => [FuseV1Options[i] as unknown as string, v]));
    expect(named).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });
});
