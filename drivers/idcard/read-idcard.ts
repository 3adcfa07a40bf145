import type { IdCardAnswer } from './answer-parser.ts';
import { COMMANDS, PROBE_RATES, PROBE_TIMEOUT_MS, type IdCardCommand } from './commands.ts';
import { decodeUcs2Field } from './card-text.ts';
import { decodeBaseInfo } from './decode-card.ts';
import type { IdCard } from './id-card.ts';
import { IdCardError } from './idcard-errors.ts';
import type { IdCardLink } from './idcard-link.ts';
import { classifyStatus, SW3, sw3Hex } from './status.ts';

export interface ReadIdCardOptions {
  /** Probe only this rate (`--baud`); default: 115200, 9600, 57600, 38400, 19200 in that order. */
  baud?: number;
  /** The wait window (`--wait-ms`): how long find keeps polling from its first `20 01`. Default 5000 ms. */
  waitMs?: number;
  /** Also send `30 03` after the base read and report the 追加住址 (`--new-address`). */
  newAddress?: boolean;
  /** Today's local date `YYYY-MM-DD`, which decides `expired`. */
  today: string;
  /** Called on the first `80` of a read that has not found a card: a screen shows 请放置身份证. */
  onWaitingForCard?: () => void;
}

export const DEFAULT_WAIT_MS = 5000;
/** Pause between two `20 01` while no card is found (§6 step 2). */
const FIND_INTERVAL_MS = 100;
/** An attempt is a successful find followed by select and read; the third failure ends the read (§6 step 5). */
const MAX_ATTEMPTS = 3;

/**
 * The read sequence of idcard-link.md §6, which every reader of this project follows: probe the rate with
 * `11 FF`, then find (`20 01`, polled every 100 ms within the wait window), select (`20 02`) and read
 * (`30 01`). A failed select or read starts over at find at once, never with a bare `30 01` retry; three
 * failed attempts, or the end of the window, end it. Fingerprints (`30 10`) are never asked for.
 */
export async function readIdCard(link: IdCardLink, options: ReadIdCardOptions): Promise<IdCard> {
  await probe(link, options.baud);
  return readCardOnline(link, options);
}

/**
 * §2: the first rate that brings any valid answer to `11 FF` within 300 ms is the reader's. Its SW3 then says
 * whether the SAM can work (§6 step 1).
 */
export async function probe(link: IdCardLink, baud?: number): Promise<number> {
  const rates = baud === undefined ? PROBE_RATES : [baud];
  for (const rate of rates) {
    let answer: IdCardAnswer | null;
    try {
      await link.setBaudRate(rate);
      answer = await link.exchange(COMMANDS.samStatus.cmd, COMMANDS.samStatus.para, PROBE_TIMEOUT_MS);
    } catch (err) {
      throw new IdCardError('PORT_ERROR', link.description, { cause: err });
    }
    if (!answer) continue;
    const settled = await settleLineDamage(link, { ...COMMANDS.samStatus, timeoutMs: PROBE_TIMEOUT_MS }, answer);
    const status = classifyStatus(settled.sw3);
    if (settled.sw3 === SW3.ok) return rate;
    if (status === 'sam-fault') throw new IdCardError('SAM_FAULT', `状态 ${sw3Hex(settled.sw3)}`);
    throw new IdCardError('READER_ERROR', `状态 ${sw3Hex(settled.sw3)}`);
  }
  throw new IdCardError('NO_READER', baud === undefined ? undefined : `${baud} bit/s`);
}

/** Steps 2–5 on a reader whose rate is known. */
export async function readCardOnline(link: IdCardLink, options: ReadIdCardOptions): Promise<IdCard> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  let windowEnd: number | null = null;
  let found = false;
  let failedAttempts = 0;
  let promptShown = false;
  const windowOver = () => windowEnd !== null && performance.now() >= windowEnd;
  const giveUp = () => new IdCardError(found ? 'READ_FAILED' : 'NO_CARD');

  for (;;) {
    windowEnd ??= performance.now() + waitMs;
    const find = await command(link, COMMANDS.find);
    if (find.sw3 !== SW3.found) {
      if (!found && !promptShown && find.sw3 === SW3.noCard) {
        promptShown = true;
        options.onWaitingForCard?.();
      }
      if (windowOver()) throw giveUp();
      await sleep(FIND_INTERVAL_MS);
      continue;
    }
    found = true;
    const select = await command(link, COMMANDS.select);
    if (select.sw3 === SW3.ok) {
      const read = await command(link, COMMANDS.readBase);
      if (read.sw3 === SW3.ok) return decode(link, read, options);
    }
    failedAttempts++;
    if (failedAttempts >= MAX_ATTEMPTS || windowOver()) throw new IdCardError('READ_FAILED');
  }
}

async function decode(link: IdCardLink, read: IdCardAnswer, options: ReadIdCardOptions): Promise<IdCard> {
  const card = decodeBaseInfo(read.data, options.today);
  if (!card.ok) {
    if (card.problem?.kind === 'unsupported-type') throw new IdCardError('UNSUPPORTED_CARD_TYPE', `类型标识 ${card.problem.flag}`);
    throw new IdCardError('BAD_CARD_DATA', undefined, { cause: new Error(card.reason) });
  }
  if (!options.newAddress) return card.value;
  return { ...card.value, newAddress: await readNewAddress(link) };
}

/** `30 03` right after the base read: 90 + 70 bytes UCS-2LE, or 91 when the police appended no address. */
async function readNewAddress(link: IdCardLink): Promise<string | null> {
  const a = await command(link, COMMANDS.readNewAddress);
  if (a.sw3 === SW3.noContent) return null;
  if (a.sw3 !== SW3.ok) throw new IdCardError('READ_FAILED', `追加住址 状态 ${sw3Hex(a.sw3)}`);
  const text = decodeUcs2Field(a.data, 0, a.data.length - (a.data.length % 2));
  if (!text.ok) throw new IdCardError('BAD_CARD_DATA', undefined, { cause: new Error(text.reason) });
  return text.value === '' ? null : text.value;
}

/**
 * One command after the probe, with the rules that hold in every step (§6): no answer in time is LINK_ERROR;
 * 60/66 is SAM_FAULT at once; 10/11 sends the same command once more; 21/23 is READER_ERROR. Any other
 * status goes back to the caller, whose step decides.
 */
async function command(link: IdCardLink, c: IdCardCommand): Promise<IdCardAnswer> {
  const answer = await exchangeOrLinkError(link, c);
  const settled = await settleLineDamage(link, c, answer);
  switch (classifyStatus(settled.sw3)) {
    case 'sam-fault':
      throw new IdCardError('SAM_FAULT', `状态 ${sw3Hex(settled.sw3)}`);
    case 'reader-error':
      throw new IdCardError('READER_ERROR', `状态 ${sw3Hex(settled.sw3)}`);
    default:
      return settled;
  }
}

async function exchangeOrLinkError(link: IdCardLink, c: IdCardCommand): Promise<IdCardAnswer> {
  let answer: IdCardAnswer | null;
  try {
    answer = await link.exchange(c.cmd, c.para, c.timeoutMs);
  } catch (err) {
    throw new IdCardError('LINK_ERROR', undefined, { cause: err });
  }
  if (!answer) throw new IdCardError('LINK_ERROR', `${c.label} 无应答`);
  return answer;
}

/** 10 or 11: the reader got our frame damaged. Once more; a second 10 or 11 is LINK_ERROR. */
async function settleLineDamage(link: IdCardLink, c: IdCardCommand, answer: IdCardAnswer): Promise<IdCardAnswer> {
  if (classifyStatus(answer.sw3) !== 'line-damaged') return answer;
  const again = await exchangeOrLinkError(link, c);
  if (classifyStatus(again.sw3) === 'line-damaged') throw new IdCardError('LINK_ERROR', `状态 ${sw3Hex(again.sw3)}`);
  return again;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
