import type { IdCardView } from '../../contract/dto/idcard.ts';
import { KioskError } from '../../contract/errors.ts';
import { maskCertNo, maskName } from '../../contract/mask.ts';
import type { IdCard } from '../../drivers/idcard/id-card.ts';
import { checkIdCardReaderOnPort, readIdCardOnPort } from '../../drivers/idcard/open-idcard-reader.ts';
import { toKioskError } from '../../drivers/kiosk-errors.ts';
import { chinaTime } from '../../base/china-time.ts';
import type { ServiceContext } from '../context.ts';
import type { IdCardReaderStatus } from '../../contract/dto/status.ts';
import { IdCardReaderHealth } from './idcard-reader-health.ts';

type IdCardContext = Pick<ServiceContext, 'config' | 'clock' | 'log' | 'emit'>;

/** Reads one card on a port; the real one is the driver's, tests may pass another. */
export type IdCardPortReader = typeof readIdCardOnPort;
/** Asks the port whether a working reader is there (no card read). */
export type IdCardPortCheck = typeof checkIdCardReaderOnPort;

const KIND_LABELS: Record<IdCard['cardType'], string> = { resident: '居民身份证', foreigner: '外国人永久居留身份证', hmt: '港澳台居民居住证' };

/**
 * 读身份证 at the desk and the kiosk: one read at a time on the configured ID card reader (readers.idcard, or the
 * demo's virtual one), the card kept for this session as credential 02, forgotten on reset. The chip's data
 * is what the SAM verified: the name and number need no typing, and no typo can name another person.
 */
export class IdCardService {
  private card: IdCard | null = null;
  private reading: Promise<IdCardView> | null = null;
  private checking: Promise<void> | null = null;
  private checkTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly health: IdCardReaderHealth;

  constructor(
    private readonly ctx: IdCardContext,
    /** The reader's serial port, or null when this terminal has none. */
    private readonly port: string | null,
    /** Called before a card of another person replaces the session's: decisions for the previous one go. */
    private readonly onOtherPerson: () => void,
    private readonly readOnPort: IdCardPortReader = readIdCardOnPort,
    /** The reader's state changed (the status bar shows it to staff). */
    onReaderChange: () => void = () => undefined,
    private readonly checkOnPort: IdCardPortCheck = checkIdCardReaderOnPort,
  ) {
    this.health = new IdCardReaderHealth(onReaderChange);
  }

  /** Reads the card, joining a read already running (a double tap, the desk and a screen at once). */
  read(waitMs?: number): Promise<IdCardView> {
    this.reading ??= this.readOnce(waitMs).finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** The reader for the staff status bar; null when this terminal has none. */
  readerStatus(): IdCardReaderStatus | null {
    return this.port === null ? null : this.health.status();
  }

  /** Starts the reader's health checks: one now, then paced (idcard-reader-health.ts). */
  startHealthChecks(): void {
    if (this.port === null || this.closed) return;
    void this.check().finally(() => this.scheduleCheck());
  }

  close(): void {
    this.closed = true;
    if (this.checkTimer) clearTimeout(this.checkTimer);
    this.checkTimer = null;
  }

  private scheduleCheck(): void {
    if (this.closed) return;
    this.checkTimer = setTimeout(() => void this.check().finally(() => this.scheduleCheck()), this.health.nextCheckMs());
    this.checkTimer.unref?.();
  }

  /** One probe of the port, never during a read (the read's outcome says the same, and the port is one). */
  private check(): Promise<void> {
    if (this.port === null || this.reading) return Promise.resolve();
    const port = this.port;
    this.checking ??= this.checkOnPort(port)
      .then(
        () => this.health.works(),
        (err: unknown) => this.health.failed(toKioskError(err)),
      )
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  currentView(): IdCardView | null {
    return this.card ? this.view(this.card) : null;
  }

  /** The session's ID card as a credential; CARD_ABSENT with guidance when none was read. */
  cardForCredential(): IdCard {
    if (!this.card) throw new KioskError('CARD_ABSENT', '尚未读取身份证', ['请将身份证平放在身份证阅读器上，点击“读身份证”', '也可以使用社保卡或医保电子凭证']);
    return this.card;
  }

  forget(): void {
    this.card = null;
  }

  private async readOnce(waitMs?: number): Promise<IdCardView> {
    if (this.port === null) {
      throw new KioskError('NOT_AVAILABLE', '本机没有配置身份证阅读器', ['请使用社保卡或医保电子凭证，或由工作人员输入身份证号', '如需使用身份证阅读器，请信息科在配置中填写 readers.idcard']);
    }
    // A health probe holds the port for a few milliseconds: the read opens it once the probe has closed it.
    await this.checking;
    this.health.reading();
    let card: IdCard;
    try {
      card = await this.readOnPort(this.port, {
        today: chinaTime(this.ctx.clock.now()).day,
        ...(waitMs === undefined ? {} : { waitMs }),
        onWaitingForCard: () => this.ctx.emit('idcard-waiting', {}),
      });
    } catch (err) {
      const error = toKioskError(err);
      this.health.failed(error);
      this.ctx.log.info('ID card read failed', { code: error.code, cause: err instanceof Error ? err.message : String(err) });
      throw error;
    }
    this.health.works();
    if (this.card && this.card.idNumber !== card.idNumber) this.onOtherPerson();
    this.card = card;
    const view = this.view(card);
    this.ctx.emit('idcard-read', { card: view });
    return view;
  }

  private view(card: IdCard): IdCardView {
    const staffScreen = this.ctx.config.mode !== 'self-service';
    return {
      cardType: card.cardType,
      kindLabel: KIND_LABELS[card.cardType],
      displayName: staffScreen ? card.name : maskName(card.name),
      displayIdNumber: maskCertNo(card.idNumber),
      sexWord: card.sex.word,
      nationWord: card.nation?.word ?? null,
      birthDate: card.birthDate,
      validTo: card.validTo,
      expired: card.expired,
    };
  }
}
