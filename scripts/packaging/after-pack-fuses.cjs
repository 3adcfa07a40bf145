/* eslint-disable @typescript-eslint/no-require-imports -- electron-builder loads hooks with require(): this file is CommonJS */
// electron-builder afterPack hook (electron-builder.yml: afterPack): flips the Electron fuses of the packed
// binary with @electron/fuses, then reads them back and fails the build if any is not as required.
// Runs after the app is packed and before signing (electron-builder signs after afterPack), as fuses must be.
const { join } = require('node:path');
const fuses = require('@electron/fuses');
const { FuseState } = require('@electron/fuses/dist/constants');

const { FuseV1Options, FuseVersion } = fuses;

/**
 * The fuses of the kiosk binary (docs/electron.md, "Fuses"):
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed binary into a general Node.
 * - EnableNodeOptionsEnvironmentVariable / EnableNodeCliInspectArguments off: no NODE_OPTIONS, no --inspect.
 * - OnlyLoadAppFromAsar on, EnableEmbeddedAsarIntegrityValidation on: only our app.asar, checked against
 *   the hash electron-builder embeds (Windows executable resource; macOS Info.plist). Linux has no OS
 *   integrity layer to tie it to, so Electron ignores this fuse there (electron/electron#51582).
 * - EnableCookieEncryption on; GrantFileProtocolExtraPrivileges off (we serve app://, never file://);
 *   LoadBrowserProcessSpecificV8Snapshot off (no custom snapshot).
 */
const KIOSK_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** Where electron-builder put the Electron executable for this target. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  return join(appOutDir, packager.executableName);
}

async function afterPack(context, deps = fuses) {
  const binary = electronBinaryPath(context);
  await deps.flipFuses(binary, {
    version: FuseVersion.V1,
    // Electron's wire may have fuses newer than this @electron/fuses knows; those keep Electron's defaults.
    strictlyRequireAllFuses: false,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* arm64 */,
    ...KIOSK_FUSES,
  });
  const wire = await deps.getCurrentFuseWire(binary);
  const wrong = Object.entries(KIOSK_FUSES)
    .filter(([index, on]) => wire[index] !== (on ? FuseState.ENABLE : FuseState.DISABLE))
    .map(([index, on]) => `${FuseV1Options[index]} should be ${on ? 'on' : 'off'}`);
  if (wrong.length > 0) throw new Error(`fuses not set on ${binary}: ${wrong.join(', ')}`);
  console.log(`  • fuses set on ${binary}: ${Object.entries(KIOSK_FUSES).map(([i, on]) => `${FuseV1Options[i]}=${on ? 'on' : 'off'}`).join(' ')}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.KIOSK_FUSES = KIOSK_FUSES;
module.exports.electronBinaryPath = electronBinaryPath;
