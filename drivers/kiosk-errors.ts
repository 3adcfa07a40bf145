import { KioskError, type ErrorCode } from '../contract/errors.ts';
import { CcidSlotError } from './ccid/ccid-errors.ts';
import { IdCardError } from './idcard/idcard-errors.ts';
import { idCardKioskError } from './idcard/idcard-kiosk-errors.ts';
import { MalformedResponseError, StatusWordError } from './iso7816/status-words.ts';
import { LinkError } from './link/message-link.ts';
import { SscardError, type SscardErrorKind } from './sscard/sscard-errors.ts';
import { HidUnavailableError } from './transport/node-hid-opener.ts';
import { SerialPortOpenError } from './transport/serial-transport.ts';

/**
 * The one place driver failures become KioskErrors: a stable code, a Chinese message for the person at the
 * desk or kiosk, and what to do next. The driver's own error stays as `cause` for the log.
 */
const CATALOGUE: Record<Extract<ErrorCode, `READER_${string}` | `CARD_${string}` | 'QR_INVALID'>, { message: string; guidance: string[] }> = {
  READER_NOT_FOUND: {
    message: '未找到读卡器',
    guidance: ['请检查读卡器的连接线和电源指示灯', '重新插拔读卡器后等待几秒再试', '仍无法识别时请联系信息科'],
  },
  READER_LINK_ERROR: {
    message: '读卡器通信异常',
    guidance: ['请重新插拔读卡器连接线后重试', '仍不能读卡时请联系信息科检查读卡器'],
  },
  CARD_ABSENT: {
    message: '读卡器中没有卡',
    guidance: ['请将社保卡芯片朝上、朝里插入读卡器'],
  },
  CARD_REMOVED: {
    message: '读卡过程中卡被拔出',
    guidance: ['请重新插入社保卡，读卡完成前不要拔卡'],
  },
  CARD_MUTE: {
    message: '卡片没有响应',
    guidance: ['请确认芯片朝上、插到底后重新插卡', '擦拭芯片后再试；仍不能读取请到社保卡服务网点检测卡片', '也可以使用医保电子凭证'],
  },
  CARD_BAD_ATR: {
    message: '卡片芯片损坏或接触不良，无法识别',
    guidance: ['请擦拭芯片后重新插卡', '仍失败请到社保卡服务网点补换卡，本次可使用医保电子凭证或身份证'],
  },
  CARD_NOT_SSCARD: {
    message: '这张卡没有社保应用（可能是旧版市民卡）',
    guidance: ['请使用江苏省社会保障卡、医保电子凭证或身份证'],
  },
  CARD_AUTH_FAILED: {
    message: '社保卡安全认证失败，无法读取持卡人信息',
    guidance: ['请重新插卡再试', '仍失败请联系信息科检查读卡器中的PSAM卡', '本次可使用医保电子凭证或身份证'],
  },
  CARD_READ_FAILED: {
    message: '读取社保卡信息失败',
    guidance: ['请重新插卡再试', '仍失败请到社保卡服务网点检测卡片，本次可使用医保电子凭证或身份证'],
  },
  QR_INVALID: {
    message: '无法识别该二维码',
    guidance: ['请出示医保电子凭证或电子社保卡的动态二维码', '二维码过期时请在手机上刷新后重新扫描'],
  },
};

export type DriverErrorCode = keyof typeof CATALOGUE;

export function kioskError(code: DriverErrorCode, cause?: unknown, message?: string): KioskError {
  const entry = CATALOGUE[code];
  return new KioskError(code, message ?? entry.message, entry.guidance, { cause });
}

const SSCARD: Record<SscardErrorKind, DriverErrorCode> = {
  'card-absent': 'CARD_ABSENT',
  'card-removed': 'CARD_REMOVED',
  'card-mute': 'CARD_MUTE',
  'bad-atr': 'CARD_BAD_ATR',
  'not-sscard': 'CARD_NOT_SSCARD',
  'no-psam': 'CARD_AUTH_FAILED',
  'auth-failed': 'CARD_AUTH_FAILED',
  'bad-record': 'CARD_READ_FAILED',
  'unexpected-status': 'CARD_READ_FAILED',
};

/** Maps any failure of a reader or card operation to a KioskError; unknown errors become CARD_READ_FAILED. */
export function toKioskError(err: unknown): KioskError {
  if (err instanceof KioskError) return err;
  if (err instanceof IdCardError) return idCardKioskError(err);
  if (err instanceof SscardError) {
    if (err.kind === 'no-psam') return kioskError('CARD_AUTH_FAILED', err, '读卡器中没有PSAM卡，无法读取三代社保卡');
    if (err.kind === 'auth-failed' && err.detail.sw === 0x6983) return kioskError('CARD_AUTH_FAILED', err, '社保卡认证已锁定');
    return kioskError(SSCARD[err.kind], err);
  }
  if (err instanceof CcidSlotError) {
    if (err.slot === 0 && err.cardAbsent) return kioskError('CARD_ABSENT', err);
    if (err.errorName === 'ICC_MUTE') return kioskError('CARD_MUTE', err);
    if (err.errorName === 'BAD_ATR_TS' || err.errorName === 'BAD_ATR_TCK') return kioskError('CARD_BAD_ATR', err);
    return kioskError('READER_LINK_ERROR', err);
  }
  if (err instanceof LinkError) return kioskError(err.kind === 'open-failed' ? 'READER_NOT_FOUND' : 'READER_LINK_ERROR', err);
  if (err instanceof SerialPortOpenError) return kioskError('READER_NOT_FOUND', err);
  if (err instanceof HidUnavailableError) return kioskError('READER_NOT_FOUND', err, '本机不支持USB-HID读卡器（缺少HID驱动）');
  if (err instanceof StatusWordError || err instanceof MalformedResponseError) return kioskError('CARD_READ_FAILED', err);
  return kioskError('CARD_READ_FAILED', err);
}
