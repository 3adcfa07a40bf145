import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../services/logging/logger.ts';
import type { PrintMedia } from './printer.ts';

export interface SpoolRequest {
  media: PrintMedia;
  /** Roll length in microns (roll-80mm only), so CUPS gets the real page. */
  rollLengthMicrons: number;
  /** System printer name, or null for the OS default printer. */
  deviceName: string | null;
}

export type SpoolResult = { ok: true } | { ok: false; reason: string };

export interface PdfSpooler {
  spool(pdf: Uint8Array, request: SpoolRequest): Promise<SpoolResult>;
}

export interface SpoolCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** The OS keeps reading the file after the command returns (Windows shell printing): delete it later. */
  deleteAfterMs: number;
}

/** Job title in the OS queue: fixed, so no patient name ever shows up in `lpq` or the Windows queue. */
export const SPOOL_JOB_TITLE = 'kiosk-document';

/**
 * The OS command that prints a PDF file.
 * - Linux (UOS, Kylin, Debian: CUPS) and macOS: `lpr`, with the page size as CUPS media.
 * - Windows: the shell's "Print" verb of the registered PDF handler, to the default printer, through
 *   PowerShell: `Start-Process -FilePath <pdf> -Verb Print`. This needs a PDF reader that registers the
 *   verb (SumatraPDF, Foxit, Adobe Reader); docs/electron.md says so. The path travels in an environment
 *   variable, never spliced into the command line.
 */
export function spoolCommand(platform: NodeJS.Platform, file: string, request: SpoolRequest): SpoolCommand {
  if (platform === 'win32') {
    return {
      command: 'powershell.exe',
      args: ['-NoProfile', '-NonInteractive', '-Command', 'Start-Process -FilePath $env:KIOSK_SPOOL_FILE -Verb Print -WindowStyle Hidden'],
      env: { KIOSK_SPOOL_FILE: file },
      deleteAfterMs: 120_000,
    };
  }
  const media = request.media === 'a4' ? 'A4' : `Custom.80x${Math.ceil(request.rollLengthMicrons / 1000)}mm`;
  const args = [...(request.deviceName ? ['-P', request.deviceName] : []), '-T', SPOOL_JOB_TITLE, '-o', `media=${media}`, file];
  return { command: 'lpr', args, deleteAfterMs: 0 };
}

type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => Pick<ChildProcess, 'on' | 'kill'> & { stderr: NodeJS.ReadableStream | null };

export interface PdfSpoolerOptions {
  /** Private directory for the temporary PDFs (they hold personal data): created 0700, files 0600. */
  dir: string;
  platform: NodeJS.Platform;
  spawn: Spawn;
  log: Logger;
  timeoutMs?: number;
  setTimer?: (fn: () => void, ms: number) => void;
}

/**
 * Writes the PDF to the private spool directory, hands it to the OS print command and removes it again.
 * The command's exit code decides: 0 = spooled.
 */
export function createPdfSpooler(options: PdfSpoolerOptions): PdfSpooler {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  return {
    async spool(pdf, request) {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      const file = join(options.dir, `job-${randomUUID()}.pdf`);
      writeFileSync(file, pdf, { mode: 0o600 });
      const cmd = spoolCommand(options.platform, file, request);
      const remove = () => rmSync(file, { force: true });
      let result: SpoolResult;
      try {
        result = await run(options.spawn, cmd, timeoutMs);
      } catch (err) {
        result = { ok: false, reason: err instanceof Error ? err.message : String(err) };
      }
      if (result.ok && cmd.deleteAfterMs > 0) setTimer(remove, cmd.deleteAfterMs);
      else remove();
      if (!result.ok) options.log.error('pdf-spool-failed', { command: cmd.command, reason: result.reason });
      return result;
    },
  };
}

/** Removes PDFs left by a previous run (a crash between writing and deleting one). */
export function purgeSpoolDir(dir: string): number {
  let removed = 0;
  try {
    for (const name of readdirSync(dir)) {
      if (!/^job-.*\.pdf$/.test(name)) continue;
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  } catch {
    // no directory yet
  }
  return removed;
}

function run(spawn: Spawn, cmd: SpoolCommand, timeoutMs: number): Promise<SpoolResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: SpoolResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(cmd.command, cmd.args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...cmd.env },
      windowsHide: true,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer | string) => {
      if (stderr.length < 2000) stderr += String(chunk);
    });
    const timer = setTimeout(() => {
      child.kill();
      done({ ok: false, reason: `${cmd.command} timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    child.on('error', (err: Error) => done({ ok: false, reason: `${cmd.command}: ${err.message}` }));
    child.on('close', (code: number | null) =>
      done(code === 0 ? { ok: true } : { ok: false, reason: `${cmd.command} exited with ${code}${stderr ? `: ${stderr.trim()}` : ''}` }),
    );
  });
}
