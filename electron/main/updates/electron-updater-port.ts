import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AppUpdater } from 'electron-updater';
import type { AvailableUpdate, UpdaterPort } from './update-flow.ts';

/**
 * electron-updater behind the update flow's port. The feed is the `generic` provider of electron-builder.yml
 * (`publish: generic`, the hospital's own HTTPS server holding latest.yml and the installers), or the URL in
 * the terminal configuration (`updates.url`). Nothing downloads or installs on its own: the flow decides.
 */
export function electronUpdaterPort(updater: AppUpdater, feedUrl: string | null): UpdaterPort {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  if (feedUrl) updater.setFeedURL({ provider: 'generic', url: feedUrl });
  let pending: AvailableUpdate | null = null;
  return {
    currentVersion: () => updater.currentVersion.version,
    async check() {
      const result = await updater.checkForUpdates();
      const info = result?.updateInfo;
      if (!result || !info || !result.isUpdateAvailable) return (pending = null);
      const file = info.files[0];
      if (!file?.sha512) throw new Error(`update ${info.version}: the server published no SHA-512`);
      return (pending = { version: info.version, sha512: file.sha512 });
    },
    async download() {
      if (!pending) throw new Error('no update to download');
      const files = await updater.downloadUpdate();
      const file = files[0];
      if (!file) throw new Error('the download produced no file');
      return file;
    },
    sha512Of: (path) =>
      new Promise((resolve, reject) => {
        const hash = createHash('sha512');
        createReadStream(path)
          .on('data', (c) => hash.update(c))
          .on('end', () => resolve(hash.digest('base64')))
          .on('error', reject);
      }),
    install: () => updater.quitAndInstall(true, true),
  };
}
