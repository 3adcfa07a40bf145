import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IdCard } from '../../../drivers/idcard/id-card.ts';
import { IdCardError } from '../../../drivers/idcard/idcard-errors.ts';
import { readIdCardOnPort } from '../../../drivers/idcard/open-idcard-reader.ts';
import type { ReadIdCardOptions } from '../../../drivers/idcard/read-idcard.ts';
import { photoOf } from '../../../drivers/virtual/idcard/idcard-definition.ts';
import type { IdCardQuirk } from '../../../drivers/virtual/idcard/idcard-quirks.ts';
import { VirtualIdCardReader } from '../../../drivers/virtual/idcard/virtual-idcard-reader.ts';

/**
 * The ID card driver through a real pseudo-terminal (serialport on the slave, the pty helper on the master)
 * against the virtual ID card reader, with every quirk of idcard-link.md §10.2. Wait windows are shortened
 * where a test waits for one to end; each read is bounded by its window + the §6 answer timeouts.
 */
let vr: VirtualIdCardReader;
const TODAY = '2026-12-06';

/** Every read, whatever its outcome, is checked for `30 10`: a driver MUST NOT ask for fingerprints (§6). */
async function read(options: Partial<ReadIdCardOptions> = {}): Promise<IdCard> {
  try {
    return await readIdCardOnPort(vr.path, { today: TODAY, ...options });
  } finally {
    expect(vr.state().commands).not.toContain('30 10');
  }
}
async function readError(options: Partial<ReadIdCardOptions> = {}): Promise<IdCardError> {
  const e = await read(options).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IdCardError);
  return e as IdCardError;
}
function session(card: string | null, quirks: IdCardQuirk[] = []) {
  vr.setQuirks(quirks);
  if (card) vr.place(card);
  else vr.remove();
}

beforeAll(async () => {
  vr = await VirtualIdCardReader.start();
}, 30_000);
afterAll(async () => {
  await vr?.stop();
});
beforeEach(() => session(null));

describe('reading ID cards over a pty (idcard-link.md §6)', () => {
  it('reads a resident card with the four commands of the floor, the text in words and the photo untouched', async () => {
    session('li-xiaohong');
    const card = await read();
    expect(card).toEqual({
      cardType: 'resident',
      name: '李小红',
      sex: { code: '2', word: '女' },
      nation: { code: '01', word: '汉' },
      birthDate: '1958-11-23',
      address: '江苏省南京市玄武区示例大街100号',
      idNumber: '32010219581123304X',
      issuer: '南京市公安局玄武分局',
      validFrom: '2010-03-15',
      validTo: '2030-03-15',
      expired: false,
      photoWlt: Buffer.from(photoOf('li-xiaohong')).toString('base64'),
    });
    expect(vr.state().commands).toEqual(['11 FF', '20 01', '20 02', '30 01']);
  });

  it('reads the 追加住址 only when asked, right after the base read', async () => {
    session('li-xiaohong');
    expect((await read({ newAddress: true })).newAddress).toBe('江苏省无锡市滨湖区示例路8号');
    expect(vr.state().commands).toEqual(['11 FF', '20 01', '20 02', '30 01', '30 03']);
  });

  it('needs the card to leave the field before it is read again (§5)', async () => {
    session('x-long-term');
    await read();
    expect((await readError({ waitMs: 300 })).code).toBe('NO_CARD');
    vr.remove();
    vr.place('x-long-term');
    expect((await read()).validTo).toBeNull();
  });

  it('decodes every layout: long Uyghur name, X and 长期, U+0000 padding and expiry, I with and without 中文姓名, J', async () => {
    session('uyghur-long');
    const u = await read();
    expect(u.name).toBe('阿卜杜克热木·艾买提江·吐尔逊');
    expect(u.address).toHaveLength(35);
    expect(u.nation).toEqual({ code: '05', word: '维吾尔' });
    session('x-long-term');
    expect(await read()).toMatchObject({ idNumber: '32021319500708202X', validTo: null, expired: false });
    session('expired-nul');
    expect(await read()).toMatchObject({ name: '马建军', validTo: '2025-01-10', expired: true, nation: { code: '03', word: '回' } });
    session('foreigner-cn');
    expect(await read()).toMatchObject({ cardType: 'foreigner', name: '麦克唐纳', englishName: 'MACDONALD-FAIRWEATHER, ELEANOR JOSEPHINE', nationality: 'GBR', nation: null, address: null, issuer: null, idNumber: 'GBR320219750611', cardVersion: '05', issuerCode: '3200' });
    session('foreigner-en');
    expect(await read()).toMatchObject({ cardType: 'foreigner', name: 'SMITH, JOHN', sex: { code: '1', word: '男' } });
    session('hk-resident');
    expect(await read()).toMatchObject({ cardType: 'hmt', name: '陈家明', nation: null, passNumber: 'H12345678', issueCount: '01' });
  });

  it('refuses a card whose type flag it does not know (Y), naming the flag', async () => {
    session('type-y');
    const e = await readError();
    expect(e.code).toBe('UNSUPPORTED_CARD_TYPE');
    expect(e.message).toContain('Y');
  });
});

describe('every quirk of §10.2', () => {
  it('late-card: polls find every 100 ms until the card lands', async () => {
    session('li-xiaohong', ['late-card']);
    let prompted = 0;
    expect((await read({ onWaitingForCard: () => prompted++ })).name).toBe('李小红');
    const finds = vr.state().commands.filter((c) => c === '20 01').length;
    expect(finds).toBeGreaterThanOrEqual(3);
    expect(prompted).toBe(1);
  });

  it('read-fail-once: starts over at find, never a bare 30 01 retry', async () => {
    session('li-xiaohong', ['read-fail-once']);
    expect((await read()).name).toBe('李小红');
    expect(vr.state().commands).toEqual(['11 FF', '20 01', '20 02', '30 01', '20 01', '20 02', '30 01']);
  });

  it('noise: resyncs to the frame that starts inside `55 AA AA AA AA 96 69`', async () => {
    session('li-xiaohong', ['noise']);
    expect((await read()).idNumber).toBe('32010219581123304X');
  });

  it('baud9600: finds the rate by the probe', async () => {
    session('li-xiaohong', ['baud9600']);
    expect((await read()).name).toBe('李小红');
    expect(vr.state().commands[0]).toBe('11 FF');
  });

  it('all four together', async () => {
    session('hk-resident', ['late-card', 'read-fail-once', 'noise', 'baud9600']);
    expect(await read()).toMatchObject({ cardType: 'hmt', passNumber: 'H12345678' });
  });

  it('card-removed: READ_FAILED when the wait window ends', async () => {
    session('li-xiaohong', ['card-removed']);
    expect((await readError({ waitMs: 800 })).code).toBe('READ_FAILED');
    expect(vr.state().commands.slice(0, 4)).toEqual(['11 FF', '20 01', '20 02', '30 01']);
  });

  it('no-card: NO_CARD when the wait window ends', async () => {
    session('li-xiaohong', ['no-card']);
    expect((await readError({ waitMs: 500 })).code).toBe('NO_CARD');
  });

  it('sam-fault: SAM_FAULT', async () => {
    session('li-xiaohong', ['sam-fault']);
    const e = await readError();
    expect(e.code).toBe('SAM_FAULT');
    expect(e.message).toContain('60');
  });

  it('mute: NO_READER after probing the five rates', async () => {
    session('li-xiaohong', ['mute']);
    expect((await readError()).code).toBe('NO_READER');
    expect(vr.state().commands.length).toBe(1); // only the 115200 probe reached it; the other rates were discarded
  });
});

describe('ports', () => {
  it('PORT_ERROR for a path that cannot be opened', async () => {
    const e = await readIdCardOnPort('/dev/does-not-exist-idcard', { today: TODAY }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'PORT_ERROR' });
  });
});
