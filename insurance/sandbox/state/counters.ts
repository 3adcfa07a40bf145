import type { StateDb } from './database.ts';

/**
 * Persisted sequences for the ids the platform hands out (mdtrt_id, setl_id, sign_no…): unique across
 * restarts because the next value is written in the same transaction as the row that uses it.
 */
export class Counters {
  private readonly select;
  private readonly upsert;

  constructor(db: StateDb) {
    this.select = db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?');
    this.upsert = db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  }

  /** The next value of a sequence (1, 2, 3…). */
  next(name: string): number {
    const value = (this.select.get(name)?.value ?? 0) + 1;
    this.upsert.run(name, value);
    return value;
  }

  /**
   * Reserves `size` values at once and returns the first: for inf_refmsgid, which every answer needs, so
   * queries do not pay a disk write each; a restart skips the rest of a block, never reuses one.
   */
  reserve(name: string, size: number): number {
    const first = (this.select.get(name)?.value ?? 0) + 1;
    this.upsert.run(name, first + size - 1);
    return first;
  }
}
