import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../contract/errors.ts';
import { CcidSlotError } from '../../../drivers/ccid/ccid-errors.ts';
import { kioskError, toKioskError } from '../../../drivers/kiosk-errors.ts';
import { LinkError } from '../../../drivers/link/message-link.ts';
import { SscardError } from '../../../drivers/sscard/sscard-errors.ts';
import { SerialPortOpenError } from '../../../drivers/transport/serial-transport.ts';

describe('driver failures as KioskErrors', () => {
  it('maps every card and link failure to its code', () => {
    const cases: [unknown, string][] = [
      [new SscardError('card-absent', ''), 'CARD_ABSENT'],
      [new SscardError('card-removed', ''), 'CARD_REMOVED'],
      [new SscardError('card-mute', ''), 'CARD_MUTE'],
      [new SscardError('bad-atr', ''), 'CARD_BAD_ATR'],
      [new SscardError('not-sscard', ''), 'CARD_NOT_SSCARD'],
      [new SscardError('no-psam', ''), 'CARD_AUTH_FAILED'],
      [new SscardError('auth-failed', ''), 'CARD_AUTH_FAILED'],
      [new SscardError('bad-record', ''), 'CARD_READ_FAILED'],
      [new SscardError('unexpected-status', ''), 'CARD_READ_FAILED'],
      [new CcidSlotError('XfrBlock', 0, 0xfb, 0), 'READER_LINK_ERROR'],
      [new LinkError('timeout', ''), 'READER_LINK_ERROR'],
      [new LinkError('nak-limit', ''), 'READER_LINK_ERROR'],
      [new LinkError('closed', ''), 'READER_LINK_ERROR'],
      [new SerialPortOpenError('/dev/ttyX', new Error('ENOENT')), 'READER_NOT_FOUND'],
      [new Error('anything else'), 'CARD_READ_FAILED'],
    ];
    for (const [err, code] of cases) expect([code, toKioskError(err).code]).toEqual([code, code]);
  });

  it('speaks Chinese with guidance, and keeps the driver error as cause', () => {
    const cause = new SscardError('not-sscard', 'SELECT answered 6A82');
    const e = toKioskError(cause);
    expect(e.message).toBe('这张卡没有社保应用（可能是旧版市民卡）');
    expect(e.guidance).toEqual(['请使用江苏省社会保障卡、医保电子凭证或身份证']);
    expect(e.cause).toBe(cause);
    for (const code of ['READER_NOT_FOUND', 'READER_LINK_ERROR', 'CARD_ABSENT', 'CARD_REMOVED', 'CARD_MUTE', 'CARD_BAD_ATR', 'CARD_NOT_SSCARD', 'CARD_AUTH_FAILED', 'CARD_READ_FAILED', 'QR_INVALID'] as const) {
      const k = kioskError(code);
      expect(ErrorCode.parse(k.code)).toBe(code);
      expect(k.message).toMatch(/[\u4e00-\u9fff]/);
      expect(k.guidance.length).toBeGreaterThan(0);
    }
  });
});
