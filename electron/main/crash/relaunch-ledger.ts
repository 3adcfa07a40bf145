import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * When the app last relaunched itself, kept on disk because a relaunch wipes memory: without it a renderer
 * that crashes on every start would relaunch the app forever. The crash guard asks `recent()` before
 * relaunching and gives up (out-of-service page) once the budget for the window is spent.
 */
export interface RelaunchLedger {
  recent(now: number, windowMs: number): number;
  record(now: number): void;
}

const KEEP = 20;

export function fileRelaunchLedger(path: string): RelaunchLedger {
  const read = (): number[] => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      const list = (parsed as { relaunches?: unknown }).relaunches;
      return Array.isArray(list) ? list.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)) : [];
    } catch {
      return []; // missing or corrupt: start afresh rather than refuse to recover
    }
  };
  return {
    recent(now, windowMs) {
      return read().filter((t) => t <= now && now - t < windowMs).length;
    },
    record(now) {
      const list = [...read(), now].slice(-KEEP);
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, JSON.stringify({ relaunches: list }), { mode: 0o600 });
      renameSync(tmp, path); // atomic: a crash mid-write leaves the old ledger, never half a file
    },
  };
}
