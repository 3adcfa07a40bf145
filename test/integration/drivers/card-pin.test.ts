import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderManager, type ReaderInfo, type ReaderManager } from '../../../drivers/reader-manager/reader-manager.ts';
import { VIRTUAL_CARD_PIN } from '../../../drivers/virtual/virtual-card.ts';
import { cardPinVerifier } from '../../../services/discharge/card-pin.ts';
import type { Admission } from '../../../db/repositories/admissions.ts';
import { nextEvent, spawnVirtualReader, type VirtualReaderProcess } from './helpers.ts';

/**
 * The card PIN the platform may ask for at settlement (issue 13: never walked; the terminal had no way to check
 * it, so a platform that asked ended every kiosk settlement at "本终端无法校验社会保障卡密码"). VERIFY goes to
 * the card in the reader (sscard.md §1.4) through the reader manager, over the virtual reader's pty: the card
 * counts the tries (63Cx) and blocks (6983); the screen's words come from cardPinVerifier. The PIN is in no log.
 */
let dir: string;
let vr: VirtualReaderProcess;
let manager: ReaderManager;
const logLines: string[] = [];
const WRONG = '246802';
const adm = {} as Admission;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-pin-'));
  vr = await spawnVirtualReader(['--stable-path', join(dir, 'ttyVR0')]);
  manager = createReaderManager({ serial: [join(dir, 'ttyVR0')], hid: false, pollIntervalMs: 200, log: (level, m) => logLines.push(`${level} ${m}`) });
  const attached = nextEvent<ReaderInfo>(manager, 'reader-attached');
  await manager.start();
  await attached;
}, 60_000);
afterAll(async () => {
  await manager?.stop();
  await vr?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the card PIN, checked by the card (VERIFY over a real pty)', () => {
  // The card read in the session is the stay's patient's (the holder check is the terminal's: services/terminal.ts).
  let holder = true;
  const verifier = cardPinVerifier((pin) => manager.verifyPin(pin), () => holder)!;

  it('no card in the reader: the patient is asked to insert it', async () => {
    expect(await verifier.verify(adm, VIRTUAL_CARD_PIN)).toEqual({ ok: false, message: '请插入本人社会保障卡后再输入密码。', guidance: [expect.stringContaining('插入读卡器')] });
  });

  it('another person\'s card in the reader: refused before any VERIFY (no try of that card is spent)', async () => {
    holder = false;
    try {
      expect(await verifier.verify(adm, VIRTUAL_CARD_PIN)).toEqual({ ok: false, message: '读卡器中不是本次结算患者本人的社会保障卡。', guidance: [expect.stringContaining('患者本人的社会保障卡')] });
    } finally {
      holder = true;
    }
  });

  it('a wrong PIN says how many tries are left (the card counts them); the right one resets them', async () => {
    const read = nextEvent(manager, 'card-read');
    await vr.control.insert('local-employee/g3');
    await read;
    expect(await manager.verifyPin(WRONG)).toEqual({ kind: 'wrong', triesLeft: 2 });
    expect(await verifier.verify(adm, WRONG)).toMatchObject({ ok: false, message: '社会保障卡密码错误，还可尝试1次。', guidance: [expect.stringContaining('再错一次密码将被锁定')] });
    expect(await verifier.verify(adm, VIRTUAL_CARD_PIN)).toEqual({ ok: true });
    expect(await manager.verifyPin(WRONG)).toEqual({ kind: 'wrong', triesLeft: 2 });
  });

  it('the third wrong PIN blocks the card: settlement is refused for good, the right PIN no longer opens it', async () => {
    expect(await manager.verifyPin(WRONG)).toEqual({ kind: 'wrong', triesLeft: 1 });
    expect(await verifier.verify(adm, WRONG)).toEqual({
      ok: false,
      final: true,
      message: '社会保障卡密码已锁定，本次未结算。',
      guidance: ['请持身份证到社保卡服务网点解锁，或到出院结算窗口办理出院结算。'],
    });
    expect(await manager.verifyPin(VIRTUAL_CARD_PIN)).toEqual({ kind: 'blocked' });
    // Nothing of any PIN reached the manager's log.
    expect(logLines.join('\n')).not.toMatch(new RegExp(`${WRONG}|${VIRTUAL_CARD_PIN}`));
  });
});
