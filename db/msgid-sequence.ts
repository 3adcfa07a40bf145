import type { SqliteDatabase } from './connection.ts';
import { chinaCompact, parseChinaCompact } from './clock.ts';

/** msgid = fixmedins_code (12) + yyyyMMddHHmmss China time (14) + counter (4) = 30 characters. */
export const MSGID_PATTERN = /^[0-9A-Z]{12}\d{14}\d{4}$/;
const COUNTER_MAX = 9999;

/**
 * The msgid generator backed by the store, unique across restarts and crashes:
 * - the counter restarts at 0000 when the second changes;
 * - more than 10,000 msgids in one second borrow the next second instead of wrapping (a wrap would repeat a
 *   msgid already sent);
 * - a clock that goes backwards (NTP step, a restart with a wrong RTC) keeps counting from the last second
 *   used, never re-entering seconds already handed out.
 * The read-increment-write is one IMMEDIATE transaction (a savepoint when called inside a store write), so two
 * processes sharing the file cannot hand out the same number, and a crash after `next` returns but before the
 * caller commits leaves a gap, never a duplicate.
 */
export class SqliteMsgidSequence {
  readonly fixmedinsCode: string;
  private readonly db: SqliteDatabase;
  private readonly select;
  private readonly upsert;
  private readonly step;

  constructor(db: SqliteDatabase, fixmedinsCode: string) {
    if (!/^[0-9A-Z]{12}$/.test(fixmedinsCode)) throw new Error(`fixmedins_code must be 12 characters [0-9A-Z], got "${fixmedinsCode}"`);
    this.db = db;
    this.fixmedinsCode = fixmedinsCode;
    this.select = db.prepare<[string], { second: string; counter: number }>('SELECT second, counter FROM msgid_sequence WHERE fixmedins_code = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO msgid_sequence (fixmedins_code, second, counter) VALUES (?, ?, ?)
       ON CONFLICT (fixmedins_code) DO UPDATE SET second = excluded.second, counter = excluded.counter`,
    );
    this.step = db.transaction((now: Date): string => {
      const last = this.select.get(this.fixmedinsCode);
      const wanted = chinaCompact(now);
      let second = wanted;
      let counter = 0;
      if (last && last.second >= wanted) {
        second = last.second;
        counter = last.counter + 1;
        if (counter > COUNTER_MAX) {
          second = chinaCompact(new Date(parseChinaCompact(last.second).getTime() + 1000));
          counter = 0;
        }
      }
      this.upsert.run(this.fixmedinsCode, second, counter);
      return this.fixmedinsCode + second + String(counter).padStart(4, '0');
    });
  }

  /** The next msgid for a message sent at `now`. */
  next(now: Date): string {
    return this.db.inTransaction ? this.step(now) : this.step.immediate(now);
  }
}
