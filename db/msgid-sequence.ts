import type { SqliteDatabase } from './connection.ts';
import { chinaStamp, parseChinaStamp } from '../base/china-time.ts';

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
 *
 * Several terminals of one hospital share its fixmedins_code but not a store file: each must draw from its own
 * part of the counter space or two of them would send the same msgid in the same second. `partition`
 * { index, count } restricts this terminal to counters ≡ index (mod count): terminal 0 of 10 uses 0000, 0010,
 * 0020…, terminal 3 uses 0003, 0013…, 1,000 msgids a second each. Default: one terminal, all 10,000.
 */
export interface MsgidPartition {
  index: number;
  count: number;
}
export class SqliteMsgidSequence {
  readonly fixmedinsCode: string;
  private readonly db: SqliteDatabase;
  private readonly select;
  private readonly upsert;
  private readonly step;

  readonly partition: MsgidPartition;

  constructor(db: SqliteDatabase, fixmedinsCode: string, partition: MsgidPartition = { index: 0, count: 1 }) {
    if (!/^[0-9A-Z]{12}$/.test(fixmedinsCode)) throw new Error(`fixmedins_code must be 12 characters [0-9A-Z], got "${fixmedinsCode}"`);
    const { index, count } = partition;
    if (!Number.isInteger(count) || count < 1 || count > 100 || !Number.isInteger(index) || index < 0 || index >= count) {
      throw new Error(`msgid partition must be 0 <= index < count <= 100, got ${index}/${count}`);
    }
    this.db = db;
    this.fixmedinsCode = fixmedinsCode;
    this.partition = { index, count };
    this.select = db.prepare<[string], { second: string; counter: number }>('SELECT second, counter FROM msgid_sequence WHERE fixmedins_code = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO msgid_sequence (fixmedins_code, second, counter) VALUES (?, ?, ?)
       ON CONFLICT (fixmedins_code) DO UPDATE SET second = excluded.second, counter = excluded.counter`,
    );
    this.step = db.transaction((now: Date): string => {
      const { index, count } = this.partition;
      const last = this.select.get(this.fixmedinsCode);
      const wanted = chinaStamp(now);
      let second = wanted;
      let counter = index;
      if (last && last.second >= wanted) {
        second = last.second;
        // The next counter of this terminal's part after the last one used.
        counter = last.counter + 1;
        counter += (index - (counter % count) + count) % count;
        if (counter > COUNTER_MAX) {
          second = chinaStamp(new Date(parseChinaStamp(last.second).getTime() + 1000));
          counter = index;
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
