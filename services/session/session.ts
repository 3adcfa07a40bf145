import type { CardView, ReaderInfo } from '../../contract/dto/card.ts';
import type { TerminalStatus } from '../../contract/dto/status.ts';
import { KioskError } from '../../contract/errors.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { ServiceContext } from '../context.ts';
import type { ReaderDescriptor, ReaderEvent, ReaderSource } from './reader-events.ts';

type ReaderState = TerminalStatus['reader']['state'];
type SessionContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'emit' | 'store'>;

interface ReaderSlot {
  info: ReaderDescriptor;
  state: ReaderState;
  message: string | null;
}

/**
 * The terminal's one session: the readers, the card last read, the last card error. Reader events become
 * KioskApi events (masked card views, Chinese errors); `reset` forgets every personal datum (idle timeout,
 * 新患者), and tells the services that keep per-session data (registered with `onReset`) to forget theirs.
 */
export class Session {
  private readonly readersById = new Map<string, ReaderSlot>();
  private card: { readerId: string; card: SocialSecurityCard; present: boolean } | null = null;
  private cardError: { readerId: string; error: KioskError } | null = null;
  private readonly resetHooks = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly ctx: SessionContext) {}

  /** Starts listening to a reader source (the drivers' reader manager, adapted). */
  attach(source: ReaderSource): void {
    for (const r of source.readers()) this.readersById.set(r.readerId, { info: r, state: 'idle', message: null });
    this.unsubscribe = source.subscribe((e) => this.handle(e));
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  handle(e: ReaderEvent): void {
    const { emit, log } = this.ctx;
    switch (e.type) {
      case 'reader-attached':
        this.readersById.set(e.reader.readerId, { info: e.reader, state: 'idle', message: null });
        emit('reader-attached', e.reader);
        break;
      case 'reader-detached':
        this.readersById.delete(e.readerId);
        if (this.card?.readerId === e.readerId) this.card.present = false;
        emit('reader-detached', { readerId: e.readerId });
        break;
      case 'card-inserted':
        this.setReader(e.readerId, 'reading', null);
        this.cardError = null;
        emit('card-inserted', { readerId: e.readerId });
        break;
      case 'card-removed':
        this.setReader(e.readerId, 'idle', null);
        if (this.card?.readerId === e.readerId) this.card.present = false;
        emit('card-removed', { readerId: e.readerId });
        break;
      case 'card-read': {
        this.setReader(e.readerId, 'card-present', null);
        // Another person's card: what the services hold for the previous one (decisions) is forgotten.
        if (this.card && this.card.card.ssn !== e.card.ssn) for (const hook of this.resetHooks) hook();
        this.card = { readerId: e.readerId, card: e.card, present: true };
        this.cardError = null;
        this.remember(e.card);
        emit('card-read', { readerId: e.readerId, card: this.view(e.card) });
        break;
      }
      case 'card-error':
        this.setReader(e.readerId, 'error', e.error.message);
        this.cardError = { readerId: e.readerId, error: e.error };
        log.info('card error', { code: e.error.code });
        emit('card-error', { readerId: e.readerId, error: e.error.toDto() });
        break;
      case 'qr-scanned':
        emit('qr-scanned', { code: e.code });
        break;
    }
  }

  readers(): ReaderInfo[] {
    return [...this.readersById.values()].map((r) => r.info);
  }

  /** For the status bar: the most telling reader state. */
  readerStatus(): { state: ReaderState; name: string | null; message: string | null } {
    const slots = [...this.readersById.values()];
    if (slots.length === 0) return { state: 'none', name: null, message: '未连接读卡器' };
    const order: ReaderState[] = ['error', 'reading', 'card-present', 'idle'];
    slots.sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
    const s = slots[0]!;
    return { state: s.state, name: s.info.name, message: s.message };
  }

  /** The card last read in this session (null when none, or when a read after it failed). */
  currentCard(): SocialSecurityCard | null {
    return this.cardError ? null : (this.card?.card ?? null);
  }

  /** The card last read in this session, masked for the screen. */
  currentCardView(): CardView | null {
    return this.card ? this.view(this.card.card) : null;
  }

  /**
   * The card to use as the credential: the one read in this session. A read that failed after it (an old
   * 市民卡 without the SSSE application, a damaged chip) is the answer instead, with its Chinese guidance.
   */
  cardForCredential(): SocialSecurityCard {
    if (this.cardError) throw this.cardError.error;
    if (!this.card) {
      throw new KioskError('CARD_ABSENT', '尚未读取社保卡', ['请将社保卡芯片朝上插入读卡器，等待读卡完成', '也可以扫描医保电子凭证或输入身份证号']);
    }
    return this.card.card;
  }

  /** Called by services that hold per-session personal data (eligibility decisions on screen …). */
  onReset(hook: () => void): () => void {
    this.resetHooks.add(hook);
    return () => this.resetHooks.delete(hook);
  }

  /** Forgets the session's personal data: card, card error, and whatever the services registered. */
  reset(): void {
    this.card = null;
    this.cardError = null;
    for (const slot of this.readersById.values()) if (slot.state === 'error' || slot.state === 'card-present') slot.state = 'idle';
    for (const hook of this.resetHooks) hook();
    this.ctx.log.info('session reset');
  }

  private setReader(readerId: string, state: ReaderState, message: string | null): void {
    const slot = this.readersById.get(readerId);
    if (slot) {
      slot.state = state;
      slot.message = message;
    }
  }

  /** Cards seen here, so an offline read can still find the person cached by an earlier 1101. */
  private remember(card: SocialSecurityCard): void {
    try {
      const known = this.ctx.store.cards.latest(card.cardNo);
      this.ctx.store.write((tx) =>
        this.ctx.store.cards.record(tx, {
          cardNo: card.cardNo,
          cardSn: card.cardSn,
          certno: card.ssn,
          psnName: card.name,
          regionCode: card.regionCode,
          generation: card.generation,
          expiryDate: card.expiryDate,
          psnNo: known?.psnNo ?? null,
        }),
      );
    } catch (err) {
      // The card read itself succeeded; a store failure must not hide it from the desk.
      this.ctx.log.error('could not record the card read', { error: err });
    }
  }

  private view(card: SocialSecurityCard): CardView {
    const staffScreen = this.ctx.config.mode !== 'self-service';
    return {
      generation: card.generation,
      regionCode: card.regionCode,
      displayName: staffScreen ? card.name : maskName(card.name),
      displaySsn: maskCertNo(card.ssn),
      displayCardNo: maskCertNo(card.cardNo),
      expiryDate: card.expiryDate,
      expired: card.expiryDate < chinaTime(this.ctx.clock.now()).day,
    };
  }
}
