/**
 * The failures of an ID card read, with the codes of idcard-link.md §11 (normative: `kiosk read-idcard --json`
 * prints them) and a Chinese message; a detail may follow in （）.
 */
export type IdCardErrorCode =
  | 'PORT_ERROR'
  | 'NO_READER'
  | 'SAM_FAULT'
  | 'NO_CARD'
  | 'READ_FAILED'
  | 'UNSUPPORTED_CARD_TYPE'
  | 'BAD_CARD_DATA'
  | 'LINK_ERROR'
  | 'READER_ERROR';

const MESSAGES: Record<IdCardErrorCode, string> = {
  PORT_ERROR: '无法打开串口',
  NO_READER: '串口上没有身份证阅读器应答，请检查连接',
  SAM_FAULT: '身份证阅读器安全模块故障',
  NO_CARD: '未检测到身份证，请将身份证放在读卡区',
  READ_FAILED: '读取身份证失败，请移开后重新放置',
  UNSUPPORTED_CARD_TYPE: '暂不支持此类证件',
  BAD_CARD_DATA: '身份证数据无法识别',
  LINK_ERROR: '与身份证阅读器通信中断',
  READER_ERROR: '身份证阅读器返回错误',
};

export class IdCardError extends Error {
  constructor(
    readonly code: IdCardErrorCode,
    /** Shown in （） after the message: a port path, a status byte, a type flag. Never personal data. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${MESSAGES[code]}（${detail}）` : MESSAGES[code], options);
    this.name = 'IdCardError';
  }
}
