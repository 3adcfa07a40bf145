import { KioskError, type ErrorCode } from '../../contract/errors.ts';

/** What a screen shows of a failure: the Chinese message and every line of guidance. */
export interface ShownError {
  code: ErrorCode;
  message: string;
  guidance: string[];
}

/**
 * Anything a call rejected with, as something fit for the screen. KioskErrors carry Chinese text from the
 * services; anything else (a dropped connection, a defect) becomes a generic Chinese message, never the raw
 * English text or a stack.
 */
export function toShownError(e: unknown): ShownError {
  if (e instanceof KioskError || looksLikeKioskError(e)) {
    const k = e as KioskError;
    return { code: k.code, message: k.message, guidance: [...k.guidance] };
  }
  return { code: 'INTERNAL', message: '操作未能完成，终端服务暂时没有应答。', guidance: ['请稍后重试；如仍出现，请联系信息科。'] };
}

function looksLikeKioskError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string' && Array.isArray(o.guidance) && /[\u4e00-\u9fff]/.test(o.message);
}
