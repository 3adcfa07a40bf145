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
 * Two records say which msgids were handed out: this table's row, and the msgids of outbox rows. The next msgid
 * comes after the later of the two, so a msgid that a new outbox row records in the same transaction needs no
 * write of the row (`nextForOutboxRow`, the enqueue's: one page less to write per enqueue). A msgid leaves outbox
 * only through a delete or an update of its row, and the store's triggers then move the row up to it first
 * (migration 17, `outbox_msgid_kept`): neither record ever goes back.
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
  private readonly newestInOutbox;
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
    // The newest msgid of this hospital an outbox row holds: one step down the msgid index (its UNIQUE constraint).
    this.newestInOutbox = db
      .prepare<[string, string], string>('SELECT msgid FROM outbox WHERE msgid BETWEEN ? AND ? ORDER BY msgid DESC LIMIT 1')
      .pluck();
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO msgid_sequence (fixmedins_code, second, counter) VALUES (?, ?, ?)
       ON CONFLICT (fixmedins_code) DO UPDATE SET second = excluded.second, counter = excluded.counter`,
    );
    this.step = db.transaction((now: Date): string => {
      const { second, counter } = this.following(now);
      this.upsert.run(this.fixmedinsCode, second, counter);
      return this.compose(second, counter);
    });
  }

  /** The next msgid for a message sent at `now`. */
  next(now: Date): string {
    return this.db.inTransaction ? this.step(now) : this.step.immediate(now);
  }

  /**
   * The next msgid, for the outbox row that the caller inserts with it in this same write transaction, before
   * anything else asks for a msgid: that row is its record, and the sequence's row is left as it is. Only
   * Outbox.enqueue calls this; anything else that takes a msgid calls `next`.
   */
  nextForOutboxRow(now: Date): string {
    if (!this.db.inTransaction) throw new Error('msgid sequence: nextForOutboxRow must run in the write transaction that inserts the outbox row');
    const { second, counter } = this.following(now);
    return this.compose(second, counter);
  }

  /** The second and counter after the last msgid handed out: the later of this table's row and the newest in outbox. */
  private following(now: Date): { second: string; counter: number } {
    const { index, count } = this.partition;
    const last = this.lastHandedOut();
    const wanted = chinaStamp(now);
    if (!last || last.second < wanted) return { second: wanted, counter: index };
    // The next counter of this terminal's part after the last one used.
    let counter = last.counter + 1;
    counter += (index - (counter % count) + count) % count;
    if (counter <= COUNTER_MAX) return { second: last.second, counter };
    return { second: chinaStamp(new Date(parseChinaStamp(last.second).getTime() + 1000)), counter: index };
  }

  private lastHandedOut(): { second: string; counter: number } | undefined {
    const row = this.select.get(this.fixmedinsCode);
    const queued = this.newestInOutbox.get(this.compose('0'.repeat(14), 0), this.compose('9'.repeat(14), COUNTER_MAX));
    if (queued === undefined) return row;
    const inOutbox = { second: queued.slice(12, 26), counter: Number(queued.slice(26)) };
    return row && this.compose(row.second, row.counter) >= queued ? row : inOutbox;
  }

  private compose(second: string, counter: number): string {
    return this.fixmedinsCode + second + String(counter).padStart(4, '0');
  }
}
