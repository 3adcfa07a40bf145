import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KioskError } from '../../../contract/errors.ts';
import { openSerialCardReader, type CardReader } from '../../../drivers/reader-manager/card-reader.ts';
import type { SerialLink } from '../../../drivers/link/serial-link.ts';
import { DEFAULT_PEOPLE_FILE, loadCardCatalog } from '../../../drivers/virtual/fixtures.ts';
import { readFloor } from '../../../drivers/virtual/floor.ts';
import { spawnVirtualReader, type VirtualReaderProcess } from './helpers.ts';

/**
 * The driver against the virtual reader PROCESS through a real pseudo-terminal: serialport on the slave,
 * the reader's python pty helper on the master, the §4 timing model in between.
 */
interface Person {
  key: string;
  name: string;
  certno: string;
  gender: string;
  nation: string;
  birthplace: string;
  birthDate: string;
  cards: { cardNo: string; cardSn: string; issueDate: string; expiryDate: string; current: boolean }[];
}
const people = (JSON.parse(readFileSync(DEFAULT_PEOPLE_FILE, 'utf8')) as { people: Person[] }).people;
const person = (key: string) => people.find((p) => p.key === key) as Person;
const catalog = loadCardCatalog();

let vr: VirtualReaderProcess;
let reader: CardReader;

async function put(cardId: string | null) {
  const state = await vr.control.state();
  if (state.card) await vr.control.remove();
  if (cardId) await vr.control.insert(cardId);
}

async function readError(): Promise<KioskError> {
  return reader.read().then(
    () => {
      throw new Error('the read was expected to fail');
    },
    (e: KioskError) => e,
  );
}

beforeAll(async () => {
  vr = await spawnVirtualReader();
  reader = await openSerialCardReader(vr.path);
}, 60_000);

afterAll(async () => {
  await reader?.close().catch(() => undefined);
  await vr?.stop();
});

beforeEach(async () => {
  await vr.control.slow(0);
  await vr.control.interleaveNotifications(false);
  await vr.control.psam(true);
});

describe('reading cards from the virtual reader process over a pty', () => {
  it('identifies the reader (Escape 02)', () => {
    expect(reader.identity).toMatchObject({ vendor: 'KIOSK', model: 'VR-CCID-SERIAL' });
  });

  for (const key of ['local-employee', 'local-resident', 'nj-filed-long-term', 'sh-unfiled']) {
    for (const generation of [2, 3] as const) {
      it(`reads ${key} (${generation === 3 ? '3rd' : '2nd'} generation) as people.json has it, never faster than the §4 floor`, async () => {
        const p = person(key);
        const c = p.cards.find((x) => x.current) as Person['cards'][number];
        await put(`${key}/g${generation}`);
        const started = performance.now();
        const { card } = await reader.read();
        const elapsed = performance.now() - started;
        expect(card).toMatchObject({
          generation,
          regionCode: c.cardSn.slice(0, 6),
          ssn: p.certno,
          cardNo: c.cardNo,
          cardSn: c.cardSn,
          name: p.name,
          nameExt: null,
          sex: p.gender,
          nation: p.nation,
          birthplace: p.birthplace,
          birthDate: p.birthDate,
          specVersion: generation === 3 ? '3.00' : '2.00',
          issueDate: c.issueDate,
          expiryDate: c.expiryDate,
        });
        expect(card.iReadCardBas).toBe(`${c.cardSn.slice(0, 6)}|${p.certno}|${c.cardNo}|${c.cardSn}|${p.name}|${card.atrHistorical}|${card.specVersion}|${c.issueDate.replaceAll('-', '')}|${c.expiryDate.replaceAll('-', '')}|||`);
        // The reader delays its answers as §4 says: no read can beat the floor.
        expect(elapsed).toBeGreaterThanOrEqual(readFloor(catalog.get(`${key}/g${generation}`)!, 'serial').totalMs);
      });
    }
  }

  it('reads a replaced card (old/g3) and the current one apart', async () => {
    await put('card-replaced/old/g3');
    expect((await reader.read()).card.cardNo).toBe('A00028791');
    await put('card-replaced/g3');
    expect((await reader.read()).card.cardNo).toBe('B00028791');
  });

  it('reads an expired card as it is (expiry is for the eligibility rules to judge)', async () => {
    await put('card-expired/g2');
    expect((await reader.read()).card.expiryDate).toBe('2026-02-28');
  });

  it('joins 姓名 and 姓名扩展 into the full name on both generations (issue 17: not the extension alone)', async () => {
    expect(person('long-name').name).toBe('阿卜杜热合曼·艾合买提·吐尔逊买提明');
    for (const g of [2, 3]) {
      await put(`long-name/g${g}`);
      const { card } = await reader.read();
      expect(card.name).toBe('阿卜杜热合曼·艾合买提·吐尔逊买提明');
      expect(card.nameExt).toBe('买提明');
      expect(card.iReadCardBas.split('|')[4]).toBe('阿卜杜热合曼·艾合买提·吐尔逊买提明');
    }
  });
});

describe('cards that cannot be read, each with its own error', () => {
  it('no card: CARD_ABSENT', async () => {
    await put(null);
    expect((await readError()).code).toBe('CARD_ABSENT');
  });

  it('damaged chip: CARD_BAD_ATR', async () => {
    await put('damaged-atr');
    expect((await readError()).code).toBe('CARD_BAD_ATR');
  });

  it('old 市民卡 without SSSE: CARD_NOT_SSCARD with the guidance of the issue', async () => {
    await put('citizen-card-no-ssse');
    const e = await readError();
    expect(e.code).toBe('CARD_NOT_SSCARD');
    expect(e.message).toBe('这张卡没有社保应用（可能是旧版市民卡）');
    expect(e.guidance).toContain('请使用江苏省社会保障卡、医保电子凭证或身份证');
  });

  it('a name that is not GBK: CARD_READ_FAILED', async () => {
    await put('garbled-name');
    expect((await readError()).code).toBe('CARD_READ_FAILED');
  });

  it('a muted card: CARD_MUTE', async () => {
    await put('local-employee/g2');
    await vr.control.mute(true);
    expect((await readError()).code).toBe('CARD_MUTE');
  });

  it('a 3rd-generation card in a reader without PSAM: CARD_AUTH_FAILED', async () => {
    await put('local-employee/g3');
    await vr.control.psam(false);
    const e = await readError();
    expect(e.code).toBe('CARD_AUTH_FAILED');
    expect(e.message).toContain('PSAM');
  });
});

describe('faults on the line and in the hand', () => {
  it('a card pulled mid-read gives CARD_REMOVED; the next insertion reads fine', async () => {
    await put('nj-filed-long-term/g3');
    await vr.control.pullMidApdu();
    expect((await readError()).code).toBe('CARD_REMOVED');
    expect((await vr.control.state()).card).toBeNull();
    await put('nj-filed-long-term/g3');
    expect((await reader.read()).card.cardNo).toBe(person('nj-filed-long-term').cards[0]?.cardNo);
  });

  for (const [mode, bytes] of [
    ['now', undefined],
    ['before-next-frame', undefined],
    // Noise that looks like the start of a long frame: it swallows the real answer until the 100 ms rule drops it.
    ['before-next-frame', '0306805000000000'],
    ['corrupt-next-frame', undefined],
  ] as const) {
    it(`recovers from line noise (${mode}${bytes ? `, ${bytes}` : ''})`, async () => {
      await put('local-resident/g3');
      const link = reader.client.link as SerialLink;
      const before = { ...link.stats };
      const vrBefore = (await vr.control.state()).serialLink;
      await vr.control.noise({ mode, ...(bytes ? { bytes } : { count: 24 }) });
      const { card } = await reader.read();
      expect(card.name).toBe(person('local-resident').name);
      const vrAfter = (await vr.control.state()).serialLink;
      expect(link.stats.naksSent).toBeGreaterThan(before.naksSent);
      expect(vrAfter!.naksReceived).toBeGreaterThan(vrBefore!.naksReceived);
    });
  }

  it('waits through time extensions for a slow card', async () => {
    await put('local-employee/g2');
    await vr.control.slow(2500, 1);
    const before = reader.client.stats.timeExtensions;
    const { card } = await reader.read();
    expect(card.cardNo).toBe('A00001371');
    expect(reader.client.stats.timeExtensions - before).toBe(2);
  });

  it('takes NotifySlotChange between every command and its answer', async () => {
    await put('local-employee/g3');
    // Notifications reach the host only once enabled (Escape 01 01).
    expect(await reader.enableNotifications()).toBe(true);
    await vr.control.interleaveNotifications(true);
    const before = reader.client.stats.notifications;
    const { card } = await reader.read();
    expect(card.generation).toBe(3);
    expect(reader.client.stats.notifications - before).toBeGreaterThanOrEqual(20);
  });
});
