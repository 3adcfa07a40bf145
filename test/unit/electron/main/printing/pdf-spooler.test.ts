import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPdfSpooler, purgeSpoolDir, SPOOL_JOB_TITLE, spoolCommand } from '../../../../../electron/main/printing/pdf-spooler.ts';
import { records, testLogger } from '../../fakes.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kiosk-spool-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const roll = { media: 'roll-80mm' as const, rollLengthMicrons: 262_000, deviceName: 'XP_80C' };

describe('spoolCommand', () => {
  it('uses lpr with the printer, a fixed job title and the page as CUPS media on Linux', () => {
    expect(spoolCommand('linux', '/s/job.pdf', roll)).toEqual({
      command: 'lpr',
      args: ['-P', 'XP_80C', '-T', SPOOL_JOB_TITLE, '-o', 'media=Custom.80x262mm', '/s/job.pdf'],
      deleteAfterMs: 0,
    });
    expect(spoolCommand('linux', '/s/job.pdf', { media: 'a4', rollLengthMicrons: 0, deviceName: null }).args).toEqual(['-T', SPOOL_JOB_TITLE, '-o', 'media=A4', '/s/job.pdf']);
  });

  it('prints through the shell Print verb on Windows, passing the path in the environment', () => {
    const cmd = spoolCommand('win32', 'C:\\kiosk\\spool\\job-1.pdf', roll);
    expect(cmd.command).toBe('powershell.exe');
    expect(cmd.args.join(' ')).toContain('Start-Process -FilePath $env:KIOSK_SPOOL_FILE -Verb Print');
    expect(cmd.args.join(' ')).not.toContain('job-1.pdf');
    expect(cmd.env).toEqual({ KIOSK_SPOOL_FILE: 'C:\\kiosk\\spool\\job-1.pdf' });
    expect(cmd.deleteAfterMs).toBeGreaterThan(0);
  });
});

/** A stand-in `lpr` (a real executable) that records its arguments and a copy of the file, then exits with `code`. */
function fakeLpr(code: number) {
  const bin = join(dir, 'bin');
  const out = join(dir, 'out');
  rmSync(bin, { recursive: true, force: true });
  ensureDir(bin);
  ensureDir(out);
  const script = join(bin, 'lpr');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${out}/args"\nfor last; do :; done\ncp "$last" "${out}/copy.pdf"\necho "lpr: simulated" >&2\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return { out, spawn: (command: string, args: readonly string[], options: object) => spawn(join(bin, command), args, options) };
}
function ensureDir(p: string) {
  mkdirSync(p, { recursive: true });
}

describe('createPdfSpooler (with a real child process standing in for lpr)', () => {
  it('writes the PDF privately, hands it to lpr, and deletes it after', async () => {
    const lpr = fakeLpr(0);
    const spoolDir = join(dir, 'spool');
    const spooler = createPdfSpooler({ dir: spoolDir, platform: 'linux', spawn: lpr.spawn as never, log: testLogger() });
    await expect(spooler.spool(Buffer.from('%PDF-1.7 receipt'), roll)).resolves.toEqual({ ok: true });
    const args = readFileSync(join(lpr.out, 'args'), 'utf8').trim().split('\n');
    expect(args.slice(0, 6)).toEqual(['-P', 'XP_80C', '-T', SPOOL_JOB_TITLE, '-o', 'media=Custom.80x262mm']);
    expect(args[6]).toMatch(/spool\/job-[0-9a-f-]+\.pdf$/);
    expect(readFileSync(join(lpr.out, 'copy.pdf'), 'utf8')).toBe('%PDF-1.7 receipt');
    expect(readdirSync(spoolDir)).toEqual([]); // holds personal data: gone once spooled
    expect(statSync(spoolDir).mode & 0o777).toBe(0o700);
  });

  it('reports lpr failure with its exit code and stderr, and still deletes the file', async () => {
    const lpr = fakeLpr(1);
    const spoolDir = join(dir, 'spool');
    const log = testLogger();
    const spooler = createPdfSpooler({ dir: spoolDir, platform: 'linux', spawn: lpr.spawn as never, log });
    const result = await spooler.spool(Buffer.from('%PDF'), roll);
    expect(result).toEqual({ ok: false, reason: 'lpr exited with 1: lpr: simulated' });
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(records(log).find((r) => r.msg === 'pdf-spool-failed')).toMatchObject({ command: 'lpr' });
  });

  it('reports a missing lpr (no CUPS client installed)', async () => {
    const spooler = createPdfSpooler({
      dir: join(dir, 'spool'),
      platform: 'linux',
      spawn: ((_c: string, args: readonly string[], o: object) => spawn(join(dir, 'no-such-lpr'), args, o)) as never,
      log: testLogger(),
    });
    const result = await spooler.spool(Buffer.from('%PDF'), roll);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/ENOENT/);
  });

  it('kills a spool command that hangs', async () => {
    const spooler = createPdfSpooler({
      dir: join(dir, 'spool'),
      platform: 'linux',
      spawn: ((_c: string, _a: readonly string[], o: object) => spawn('sleep', ['5'], o)) as never,
      log: testLogger(),
      timeoutMs: 100,
    });
    await expect(spooler.spool(Buffer.from('%PDF'), roll)).resolves.toEqual({ ok: false, reason: 'lpr timed out after 100 ms' });
  });

  it('purges PDFs a previous run left behind', () => {
    const spoolDir = join(dir, 'spool');
    ensureDir(spoolDir);
    writeFileSync(join(spoolDir, 'job-1.pdf'), 'x');
    writeFileSync(join(spoolDir, 'keep.txt'), 'x');
    expect(purgeSpoolDir(spoolDir)).toBe(1);
    expect(readdirSync(spoolDir)).toEqual(['keep.txt']);
    expect(purgeSpoolDir(join(dir, 'missing'))).toBe(0);
  });
});
