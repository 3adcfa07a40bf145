import { chinaStamp, parseChinaStamp } from '../../base/china-time.ts';

/** msgid = fixmedins_code (12) + yyyyMMddHHmmss China time (14) + 顺序号 (4) = 30 characters. */
export const MSGID_PATTERN = /^[0-9A-Z]{12}\d{14}\d{4}$/;
export const FIXMEDINS_CODE_PATTERN = /^[0-9A-Z]{12}$/;

const COUNTER_MAX = 9999;

/**
 * Where msgids come from. The production implementation is persisted (db/msgid-sequence.ts) so that a msgid
 * is never handed out twice, across restarts and crashes; random suffixes collide under load
 * (nhsa-interface.md §1). `next` returns the whole 30-character msgid for a message sent at `now`; the
 * client checks its shape and its fixmedins_code before using it.
 */
export interface MsgidSequence {
  next(now: Date): string | Promise<string>;
}

export function composeMsgid(fixmedinsCode: string, stamp: string, counter: number): string {
  if (!FIXMEDINS_CODE_PATTERN.test(fixmedinsCode)) throw new RangeError(`fixmedins_code must be 12 characters [0-9A-Z]: "${fixmedinsCode}"`);
  if (!/^\d{14}$/.test(stamp)) throw new RangeError(`msgid time must be yyyyMMddHHmmss: "${stamp}"`);
  if (!Number.isInteger(counter) || counter < 0 || counter > COUNTER_MAX) throw new RangeError(`msgid counter out of range: ${counter}`);
  return fixmedinsCode + stamp + String(counter).padStart(4, '0');
}

/**
 * In-memory sequence for tests and tools, with the same rules as the persisted one: the counter restarts at
 * 0000 when the second changes; more than 10,000 in one second borrow the next second instead of wrapping;
 * a clock that goes backwards keeps counting from the last second used. Not unique across restarts: use the
 * persisted sequence for anything that talks to a real platform.
 */
export class InMemoryMsgidSequence implements MsgidSequence {
  private second = '';
  private counter = -1;

  constructor(private readonly fixmedinsCode: string) {
    if (!FIXMEDINS_CODE_PATTERN.test(fixmedinsCode)) throw new RangeError(`fixmedins_code must be 12 characters [0-9A-Z]: "${fixmedinsCode}"`);
  }

  next(now: Date): string {
    const wanted = chinaStamp(now);
    if (this.second === '' || wanted > this.second) {
      this.second = wanted;
      this.counter = 0;
    } else {
      this.counter += 1;
      if (this.counter > COUNTER_MAX) {
        this.second = chinaStamp(new Date(parseChinaStamp(this.second).getTime() + 1000));
        this.counter = 0;
      }
    }
    return composeMsgid(this.fixmedinsCode, this.second, this.counter);
  }
}
