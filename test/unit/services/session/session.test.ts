import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kioskEvents, type KioskEventName } from '../../../../contract/api.ts';
import { KioskError } from '../../../../contract/errors.ts';
import { openStore, type Store } from '../../../../db/store.ts';
import type { SocialSecurityCard } from '../../../../drivers/sscard/social-security-card.ts';
import { loadConfig } from '../../../../services/config/load.ts';
import { memoryLogger } from '../../../../services/logging/logger.ts';
import { Session } from '../../../../services/session/session.ts';

const card: SocialSecurityCard = {
  generation: 3,
  regionCode: '320200',
  ssn: '320200197503141014',
  cardNo: 'A00001371',
  cardSn: '320200D156000005E2637265338DA33E',
  name: '王建国',
  nameExt: null,
  sex: '1',
  nation: '01',
  birthplace: '320200',
  birthDate: '1975-03-14',
  specVersion: '3.00',
  issueDate: '2021-06-01',
  expiryDate: '2031-05-31',
  atrHistorical: '0081544C968684320200A33E',
  iReadCardBas: '',
};

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(mode: 'admission' | 'self-service') {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-session-'));
  dirs.push(dir);
  const store = openStore(join(dir, 's.sqlite'), { fixmedinsCode: 'H32020000001' });
  stores.push(store);
  const events: { name: KioskEventName; payload: unknown }[] = [];
  const { config } = loadConfig({ env: { KIOSK_MODE: mode } });
  const clock = { now: () => new Date('2026-11-24T02:00:00Z') };
  const session = new Session({
    config,
    clock,
    log: memoryLogger(),
    store,
    emit: (name, payload) => {
      // Every event must satisfy the contract the renderer relies on.
      expect(kioskEvents[name].safeParse(payload).success).toBe(true);
      events.push({ name, payload });
    },
  });
  return { session, store, events };
}

describe('session', () => {
  it('turns reader events into KioskApi events and keeps the card read', () => {
    const { session, events, store } = setup('admission');
    session.handle({ type: 'reader-attached', reader: { readerId: 'serial:/dev/pts/9', name: '虚拟读卡器', link: 'serial' } });
    session.handle({ type: 'card-inserted', readerId: 'serial:/dev/pts/9' });
    expect(session.readerStatus().state).toBe('reading');
    session.handle({ type: 'card-read', readerId: 'serial:/dev/pts/9', card });
    expect(events.map((e) => e.name)).toEqual(['reader-attached', 'card-inserted', 'card-read']);
    expect(session.readerStatus()).toMatchObject({ state: 'card-present', name: '虚拟读卡器' });
    expect(session.cardForCredential().cardNo).toBe('A00001371');
    // remembered for offline lookups
    expect(store.cards.latest('A00001371')?.certno).toBe('320200197503141014');
  });

  it('masks the ID and card numbers always, the name on kiosk screens only', () => {
    const desk = setup('admission');
    desk.session.handle({ type: 'card-read', readerId: 'r', card });
    expect(desk.session.currentCardView()).toMatchObject({ displayName: '王建国', displaySsn: '3202**********1014', displayCardNo: 'A000*1371', expired: false });
    const kiosk = setup('self-service');
    kiosk.session.handle({ type: 'card-read', readerId: 'r', card });
    expect(kiosk.session.currentCardView()?.displayName).toBe('王*国');
    const payload = JSON.stringify(kiosk.events);
    expect(payload).not.toContain('320200197503141014');
    expect(payload).not.toContain('王建国');
  });

  it('marks a card past its 有效期 as expired', () => {
    const { session } = setup('admission');
    session.handle({ type: 'card-read', readerId: 'r', card: { ...card, expiryDate: '2026-02-28' } });
    expect(session.currentCardView()?.expired).toBe(true);
  });

  it('a failed read (old 市民卡) is the answer to "use the card", with its guidance', () => {
    const { session, events } = setup('admission');
    session.handle({ type: 'reader-attached', reader: { readerId: 'r', name: 'R', link: 'serial' } });
    session.handle({ type: 'card-read', readerId: 'r', card });
    session.handle({ type: 'card-inserted', readerId: 'r' });
    const err = new KioskError('CARD_NOT_SSCARD', '这张卡没有社保应用（可能是旧版市民卡）', ['请使用江苏省社会保障卡、医保电子凭证或身份证']);
    session.handle({ type: 'card-error', readerId: 'r', error: err });
    expect(() => session.cardForCredential()).toThrow(err);
    expect(events.at(-1)).toMatchObject({ name: 'card-error', payload: { error: { code: 'CARD_NOT_SSCARD' } } });
    expect(session.readerStatus().state).toBe('error');
  });

  it('without any card read, asks for one', () => {
    const { session } = setup('admission');
    const err = (() => { try { session.cardForCredential(); } catch (e) { return e as KioskError; } })();
    expect(err?.code).toBe('CARD_ABSENT');
  });

  it('reset forgets the card, the card error and what the services registered', () => {
    const { session } = setup('self-service');
    let forgotten = 0;
    session.onReset(() => forgotten++);
    session.handle({ type: 'card-read', readerId: 'r', card });
    session.reset();
    expect(session.currentCardView()).toBeNull();
    expect(() => session.cardForCredential()).toThrow(/尚未读取社保卡/);
    expect(forgotten).toBe(1);
  });

  it('keeps the card data after the card is pulled (until reset), and forgets the reader on detach', () => {
    const { session } = setup('admission');
    session.handle({ type: 'reader-attached', reader: { readerId: 'r', name: 'R', link: 'serial' } });
    session.handle({ type: 'card-read', readerId: 'r', card });
    session.handle({ type: 'card-removed', readerId: 'r' });
    expect(session.currentCardView()).not.toBeNull();
    session.handle({ type: 'reader-detached', readerId: 'r' });
    expect(session.readers()).toEqual([]);
    expect(session.readerStatus().state).toBe('none');
  });

  it('another person\'s card forgets what the services held for the previous one; the same card again does not', () => {
    const { session } = setup('self-service');
    let forgotten = 0;
    session.onReset(() => forgotten++);
    session.handle({ type: 'card-read', readerId: 'r', card });
    session.handle({ type: 'card-read', readerId: 'r', card });
    expect(forgotten).toBe(0);
    session.handle({ type: 'card-read', readerId: 'r', card: { ...card, ssn: '32020019620802112X', name: '李秀英', cardNo: 'A00002742' } });
    expect(forgotten).toBe(1);
    expect(session.cardForCredential().name).toBe('李秀英');
  });

  it('passes QR codes through as qr-scanned', () => {
    const { session, events } = setup('self-service');
    session.handle({ type: 'qr-scanned', code: '320200ec32ecbef721a4ba6837093000a9c9' });
    expect(events).toEqual([{ name: 'qr-scanned', payload: { code: '320200ec32ecbef721a4ba6837093000a9c9' } }]);
  });
});
