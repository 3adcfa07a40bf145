import { KioskError } from '../../contract/errors.ts';
import type { IdCardError, IdCardErrorCode } from './idcard-errors.ts';

/**
 * ID card read failures as the terminal's KioskErrors: the stable codes the screens know, a Chinese message
 * about the ID card (not the 社保卡), and what to do next. `kiosk read-idcard` prints the driver's own codes.
 */
const MAP: Record<IdCardErrorCode, { code: KioskError['code']; message: string; guidance: string[] }> = {
  PORT_ERROR: { code: 'READER_NOT_FOUND', message: '未找到身份证阅读器', guidance: ['请检查身份证阅读器的连接线和电源', '仍无法使用时请联系信息科，本次可由工作人员输入身份证号'] },
  NO_READER: { code: 'READER_NOT_FOUND', message: '身份证阅读器没有应答', guidance: ['请检查身份证阅读器的连接线和电源', '仍无法使用时请联系信息科，本次可由工作人员输入身份证号'] },
  SAM_FAULT: { code: 'READER_LINK_ERROR', message: '身份证阅读器安全模块故障', guidance: ['请联系信息科检修身份证阅读器', '本次可使用社保卡、医保电子凭证，或由工作人员输入身份证号'] },
  LINK_ERROR: { code: 'READER_LINK_ERROR', message: '与身份证阅读器通信中断', guidance: ['请重新插拔身份证阅读器连接线后重试'] },
  READER_ERROR: { code: 'READER_LINK_ERROR', message: '身份证阅读器返回错误', guidance: ['请重试；仍失败请联系信息科'] },
  NO_CARD: { code: 'CARD_ABSENT', message: '未检测到身份证', guidance: ['请将身份证平放在阅读器感应区，读取完成前不要移开'] },
  READ_FAILED: { code: 'CARD_READ_FAILED', message: '读取身份证失败', guidance: ['请将身份证移开后重新放置', '仍失败时可由工作人员输入身份证号'] },
  UNSUPPORTED_CARD_TYPE: { code: 'CARD_READ_FAILED', message: '暂不支持此类证件', guidance: ['请使用社保卡或医保电子凭证，或由工作人员输入证件号码'] },
  BAD_CARD_DATA: { code: 'CARD_READ_FAILED', message: '身份证数据无法识别', guidance: ['请将身份证移开后重新放置', '仍失败时可由工作人员输入身份证号'] },
};

export function idCardKioskError(err: IdCardError): KioskError {
  const entry = MAP[err.code];
  return new KioskError(entry.code, entry.message, entry.guidance, { cause: err });
}
