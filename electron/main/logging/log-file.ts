import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where the main process's log lines go: the redacting JSON logger of services/logging writes already
 * masked lines, and this appends them to a file (synchronously, so the last line before a crash is on
 * disk), rotating to `<file>.1` past `maxBytes`. Errors are echoed to stderr for the OS journal.
 */
export function logFileWriter(file: string, maxBytes = 5 * 1024 * 1024): (line: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (line) => {
    try {
      try {
        if (statSync(file).size + line.length + 1 > maxBytes) renameSync(file, `${file}.1`);
      } catch {
        // no file yet
      }
      appendFileSync(file, `${line}\n`, { encoding: 'utf8', mode: 0o600 });
    } catch {
      // A full or read-only disk must not take the terminal down with it; stderr still gets errors.
    }
    if (line.includes('"level":"error"')) process.stderr.write(`${line}\n`);
  };
}
